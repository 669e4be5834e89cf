using WorkflowTools.Http;
using WorkflowTools.UnitTests.Pacing;

namespace WorkflowTools.UnitTests
{
    /// <summary>RequestPacer.Restart, used when a sandbox's reset makes its rate limit forget what it counted.</summary>
    public class PacerRestartTests
    {
        [Fact]
        public void Restart_gives_back_the_burst_the_rate_and_ends_a_pause()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(600, burst: 5, clock: clock); // 10 per second
            for (var i = 0; i < 5; i++)
            {
                pacer.Reserve();
            }

            Assert.True(pacer.Reserve() > TimeSpan.Zero);
            pacer.OnThrottled(TimeSpan.FromSeconds(30));
            Assert.True(pacer.CurrentRatePerMinute < 600);
            Assert.True(pacer.Reserve() >= TimeSpan.FromSeconds(30));

            pacer.Restart();

            Assert.Equal(600, pacer.CurrentRatePerMinute, 3);
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(TimeSpan.Zero, pacer.Reserve());
            }

            Assert.Equal(100, pacer.Reserve().TotalMilliseconds, 3);
        }

        [Fact]
        public void After_a_restart_the_minute_limit_counts_afresh_and_still_holds()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(100, clock: clock);
            var before = Enumerable.Range(0, 150).Select(_ => pacer.Reserve()).ToList();
            Assert.True(before[^1] > TimeSpan.FromSeconds(60));

            pacer.Restart();
            var after = Enumerable.Range(0, 200).Select(_ => pacer.Reserve()).ToList();
            Assert.Equal(TimeSpan.Zero, after[0]);
            Assert.Equal(100, after.Count(s => s < TimeSpan.FromSeconds(60)));
        }
    }
}
