using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.UnitTests.Pacing;

namespace WorkflowTools.UnitTests
{
    /// <summary>The pacer on a clock the test moves: no test here depends on how fast the machine is.</summary>
    public class PacerTests
    {
        private static int MostInAnyWindow(IReadOnlyList<TimeSpan> slots, TimeSpan window)
        {
            var most = 0;
            for (int i = 0, j = 0; i < slots.Count; i++)
            {
                while (slots[i] - slots[j] >= window)
                {
                    j++;
                }

                most = Math.Max(most, i - j + 1);
            }

            return most;
        }

        [Fact]
        public void Hands_out_a_burst_then_spaces_requests_at_the_rate()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(600, burst: 5, clock: clock); // 10 per second
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(TimeSpan.Zero, pacer.Reserve());
            }

            Assert.Equal(100, pacer.Reserve().TotalMilliseconds, 3);
            Assert.Equal(200, pacer.Reserve().TotalMilliseconds, 3);
        }

        [Fact]
        public void The_first_minute_holds_the_limit_too()
        {
            // The token bucket alone let burst + rate × 60 s = 110 requests into the first minute at 100/min.
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(100, clock: clock);
            var slots = Enumerable.Range(0, 300).Select(_ => pacer.Reserve()).ToList();
            Assert.Equal(100, slots.Count(s => s < TimeSpan.FromSeconds(60)));
            Assert.True(MostInAnyWindow(slots, TimeSpan.FromSeconds(60)) <= 100);
            Assert.Equal(slots, pacer.RecentSlots());
        }

        [Fact]
        public void The_hourly_limit_holds_in_every_hour()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(100, 2950, clock: clock);
            var slots = new List<TimeSpan>();
            for (var i = 0; i < 7000; i++)
            {
                var wait = pacer.Reserve();
                clock.Now += wait; // a sequential caller: sends at its slot, then asks for the next
                slots.Add(clock.Now);
            }

            Assert.True(MostInAnyWindow(slots, TimeSpan.FromHours(1)) <= 2950);
            Assert.True(MostInAnyWindow(slots, TimeSpan.FromMinutes(1)) <= 100);
            // Within the hour it still goes at the minute rate: 2950 slots in under 30 minutes.
            Assert.True(slots[2949] < TimeSpan.FromMinutes(30), slots[2949].ToString());
        }

        [Fact]
        public void Sixteen_callers_at_once_share_the_limit()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(100, clock: clock);
            var waits = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
            Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, _ =>
            {
                for (var i = 0; i < 25; i++)
                {
                    waits.Add(pacer.Reserve());
                }
            });

            var slots = waits.OrderBy(w => w).ToList();
            Assert.Equal(400, slots.Count);
            Assert.True(MostInAnyWindow(slots, TimeSpan.FromSeconds(60)) <= 100);
            Assert.Equal(slots, pacer.RecentSlots());
        }

        [Fact]
        public void Unlimited_never_waits_but_honours_a_server_pause()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(0, clock: clock);
            Assert.True(pacer.IsUnlimited);
            Assert.Equal(TimeSpan.Zero, pacer.Reserve());
            pacer.Defer(TimeSpan.FromSeconds(2));
            Assert.Equal(TimeSpan.FromSeconds(2), pacer.Reserve());
        }

        [Fact]
        public void A_server_pause_empties_the_bucket()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(600, burst: 5, clock: clock);
            pacer.Defer(TimeSpan.FromSeconds(1));
            Assert.Equal(1.1, pacer.Reserve().TotalSeconds, 3);
        }

        [Fact]
        public void A_429_without_Retry_After_pauses_one_minute_then_five()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(100, clock: clock);
            Assert.Equal(TimeSpan.FromMinutes(1), pacer.OnThrottled(null));
            // The other requests already under way get 429 too: the same event, not a longer pause.
            clock.Now += TimeSpan.FromSeconds(1);
            Assert.Equal(TimeSpan.FromSeconds(59), pacer.OnThrottled(null));
            Assert.Equal(2, pacer.Throttles);

            // After the pause, refused again before anything succeeded: five minutes.
            clock.Now = TimeSpan.FromSeconds(61);
            Assert.Equal(TimeSpan.FromMinutes(5), pacer.OnThrottled(null));
            Assert.True(pacer.Reserve() >= TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));

            // A success in between starts again with one minute.
            clock.Now = TimeSpan.FromMinutes(10);
            pacer.OnSuccess();
            Assert.Equal(TimeSpan.FromMinutes(1), pacer.OnThrottled(null));
        }

        [Fact]
        public void A_429_with_Retry_After_pauses_as_long_as_asked()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(100, clock: clock);
            Assert.Equal(TimeSpan.FromSeconds(7), pacer.OnThrottled(TimeSpan.FromSeconds(7)));
            Assert.True(pacer.Reserve() >= TimeSpan.FromSeconds(7));
        }

        [Fact]
        public void The_rate_slows_on_429_and_creeps_back_but_never_past_the_limit()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(100, clock: clock);
            Assert.Equal(100, pacer.CurrentRatePerMinute, 6);
            pacer.OnThrottled(TimeSpan.FromSeconds(1));
            Assert.Equal(80, pacer.CurrentRatePerMinute, 6);

            // Quiet: after two minutes it rises by 5/min every 30 s, first only to just under the refused 100/min.
            for (var t = 0; t < 60; t++)
            {
                clock.Now += TimeSpan.FromSeconds(10);
                clock.Now += pacer.Reserve();
            }

            Assert.Equal(95, pacer.CurrentRatePerMinute, 6);

            // Half an hour without 429: up to the limit, and no further.
            for (var t = 0; t < 300; t++)
            {
                clock.Now += TimeSpan.FromSeconds(10);
                clock.Now += pacer.Reserve();
            }

            Assert.Equal(100, pacer.CurrentRatePerMinute, 6);
        }

        [Fact]
        public async Task Waiting_uses_the_pacers_clock()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(60, burst: 1, clock: clock);
            await pacer.WaitAsync(CancellationToken.None);
            await pacer.WaitAsync(CancellationToken.None);
            Assert.Equal(TimeSpan.FromSeconds(1), clock.Now);
        }
    }
}
