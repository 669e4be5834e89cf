using WorkflowTools.Http;

namespace WorkflowTools.UnitTests
{
    public class PacerTests
    {
        [Fact]
        public void Hands_out_a_burst_then_spaces_requests_at_the_rate()
        {
            var pacer = new RequestPacer(600, burst: 5); // 10 per second
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(TimeSpan.Zero, pacer.Reserve());
            }

            var sixth = pacer.Reserve();
            var seventh = pacer.Reserve();
            Assert.InRange(sixth.TotalMilliseconds, 80, 110);
            Assert.InRange(seventh.TotalMilliseconds, 180, 210);
        }

        [Fact]
        public void Unlimited_never_waits_but_honours_a_server_pause()
        {
            var pacer = new RequestPacer(0);
            Assert.Equal(TimeSpan.Zero, pacer.Reserve());
            pacer.Defer(TimeSpan.FromSeconds(2));
            Assert.InRange(pacer.Reserve().TotalSeconds, 1.8, 2.0);
        }

        [Fact]
        public void A_server_pause_empties_the_bucket()
        {
            var pacer = new RequestPacer(600, burst: 5);
            pacer.Defer(TimeSpan.FromSeconds(1));
            var wait = pacer.Reserve();
            Assert.InRange(wait.TotalSeconds, 1.0, 1.2);
        }
    }
}
