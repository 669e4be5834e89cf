using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.UnitTests.Pacing;
using WorkflowTools.Waiting;

namespace WorkflowTools.UnitTests.Waiting
{
    /// <summary>
    /// The wait behind Wait-PmRequest and Wait-NmInstance (WaitSet, WaitSchedule, WaitLoop) on a clock the test
    /// drives: items finish at known times and a fake service answers polls from that timetable.
    /// </summary>
    public class WaitLoopTests
    {
        private sealed record Item(long Id, long? Group, string State);

        /// <summary>A fake service: item id → (its group, when it finishes, the state it ends in); counts requests by time.</summary>
        private sealed class Service
        {
            private readonly ManualPacerClock _clock;
            private readonly Dictionary<long, (long Group, TimeSpan FinishesAt, string EndState)> _items = new();

            public Service(ManualPacerClock clock) => _clock = clock;

            public List<(TimeSpan At, long? Group, int Ids)> Requests { get; } = new();

            public void Add(long id, long group, TimeSpan finishesAt, string endState = "done") => _items[id] = (group, finishesAt, endState);

            public TimeSpan FinishOf(long id) => _items[id].FinishesAt;

            public Task<PollResult<Item>> Poll(long? group, IReadOnlyList<long> ids, CancellationToken ct)
            {
                var items = new List<Item>();
                var failures = new List<KeyValuePair<long, ApiException>>();
                if (group == null)
                {
                    // One request per id, as a detail read.
                    foreach (var id in ids)
                    {
                        Requests.Add((_clock.Now, null, 1));
                        if (_items.TryGetValue(id, out var known)) items.Add(Read(id, known));
                        else failures.Add(new(id, new ApiException(ApiErrorKind.NotFound, $"no {id}")));
                    }
                }
                else
                {
                    Requests.Add((_clock.Now, group, ids.Count));
                    items.AddRange(ids.Where(i => _items.TryGetValue(i, out var k) && k.Group == group).Select(i => Read(i, _items[i])));
                }

                return Task.FromResult(new PollResult<Item>(items, failures));
            }

            private Item Read(long id, (long Group, TimeSpan FinishesAt, string EndState) known) =>
                new(id, known.Group, _clock.Now >= known.FinishesAt ? known.EndState : "running");
        }

        private static WaitSet<Item> Set(Service service, int batchSize) =>
            new(service.Poll, i => i.Id, i => i.Group, i => i.State == "done", i => i.State != "running", batchSize);

        [Fact]
        public async Task Hundred_items_are_each_seen_within_one_interval_of_finishing_at_two_requests_a_round()
        {
            var clock = new ManualPacerClock();
            var service = new Service(clock);
            var set = Set(service, 50);
            for (long id = 1; id <= 100; id++)
            {
                service.Add(id, 0, TimeSpan.FromSeconds(3 + id * 0.37));
                set.Add(id, 0);
            }

            var interval = TimeSpan.FromSeconds(2);
            var seen = new Dictionary<long, TimeSpan>();
            var rounds = new List<(TimeSpan At, int Requests)>();
            var schedule = new WaitSchedule(clock, interval, TimeSpan.FromMinutes(5), 0);
            var left = await WaitLoop.RunAsync(set, schedule, clock, r =>
            {
                rounds.Add((clock.Now, r.Requests));
                foreach (var item in r.Finished) seen.Add(item.Id, clock.Now);
            }, null, CancellationToken.None);

            Assert.Empty(left);
            Assert.Equal(100, seen.Count);
            Assert.All(seen, s => Assert.InRange(s.Value - service.FinishOf(s.Key), TimeSpan.Zero, interval));
            var lastFinish = Enumerable.Range(1, 100).Max(i => service.FinishOf(i));
            Assert.InRange(clock.Now - lastFinish, TimeSpan.Zero, interval);
            Assert.All(rounds, r => Assert.InRange(r.Requests, 1, 2));
            Assert.All(service.Requests, r => Assert.InRange(r.Ids, 1, 50));
            // Rounds start one interval apart.
            Assert.All(rounds.Zip(rounds.Skip(1)), p => Assert.Equal(interval, p.Second.At - p.First.At));
        }

        [Fact]
        public async Task Polling_takes_at_most_half_of_the_connections_rate_limit()
        {
            var clock = new ManualPacerClock();
            var service = new Service(clock);
            var set = Set(service, 100);
            for (long id = 1; id <= 300; id++)
            {
                service.Add(id, id % 3, TimeSpan.FromSeconds(400));
                set.Add(id, id % 3);
            }

            // One request per workflow and round: 3 a round, so at 100 a minute (50 for polling) rounds are 180/47 s apart, not 1 s.
            var schedule = new WaitSchedule(clock, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), 100);
            Assert.InRange(schedule.IntervalFor(set.NextRoundCost()).TotalSeconds, 180.0 / 47, 180.0 / 47 + 1e-6);
            Assert.Equal(TimeSpan.FromSeconds(1), schedule.IntervalFor(0));
            var left = await WaitLoop.RunAsync(set, schedule, clock, _ => { }, null, CancellationToken.None);

            Assert.Empty(left);
            var times = service.Requests.Select(r => r.At).ToList();
            foreach (var start in times)
            {
                Assert.True(times.Count(t => t >= start && t < start + TimeSpan.FromMinutes(1)) <= 50, $"more than 50 requests in the minute from {start}");
            }
        }

        [Fact]
        public async Task Times_out_with_a_last_round_at_the_deadline_and_names_what_still_runs()
        {
            var clock = new ManualPacerClock();
            var service = new Service(clock);
            var set = Set(service, 50);
            service.Add(7, 0, TimeSpan.FromHours(1));
            service.Add(8, 0, TimeSpan.FromSeconds(4));
            set.Add(7, 0);
            set.Add(8, 0);
            var roundTimes = new List<TimeSpan>();
            var pauses = new List<TimeSpan>();
            var schedule = new WaitSchedule(clock, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), 0);

            var left = await WaitLoop.RunAsync(set, schedule, clock, _ => roundTimes.Add(clock.Now), pauses.Add, CancellationToken.None);

            Assert.Equal(new long[] { 7 }, left);
            Assert.Equal(new[] { 0, 3, 6, 9, 10 }.Select(s => TimeSpan.FromSeconds(s)), roundTimes);
            Assert.Equal(TimeSpan.FromSeconds(10), clock.Now);
            Assert.All(pauses, p => Assert.True(p <= TimeSpan.FromSeconds(3)));
            Assert.Contains(pauses, p => p == TimeSpan.FromSeconds(2));
        }

        [Fact]
        public async Task A_bare_id_is_read_alone_once_then_with_its_group()
        {
            var clock = new ManualPacerClock();
            var service = new Service(clock);
            var set = Set(service, 100);
            for (long id = 1; id <= 5; id++)
            {
                service.Add(id, 9, TimeSpan.FromSeconds(10));
                set.Add(id, null);
            }

            Assert.Equal(5, set.NextRoundCost());
            var schedule = new WaitSchedule(clock, TimeSpan.FromSeconds(4), null, 0);
            await WaitLoop.RunAsync(set, schedule, clock, _ => { }, null, CancellationToken.None);

            Assert.Equal(5, service.Requests.Count(r => r.Group == null));
            Assert.All(service.Requests.Skip(5), r => Assert.Equal((long?)9, r.Group));
            Assert.Equal(3, service.Requests.Count(r => r.Group == 9)); // at 4, 8 and 12 s
        }

        [Fact]
        public async Task Items_that_end_otherwise_or_are_missing_leave_the_wait_alone()
        {
            var clock = new ManualPacerClock();
            var service = new Service(clock);
            var set = Set(service, 50);
            service.Add(1, 0, TimeSpan.Zero, "canceled");
            service.Add(2, 0, TimeSpan.FromSeconds(2));
            set.Add(1, 0);
            set.Add(2, 0);
            set.Add(3, null);
            Assert.False(set.Add(2, 0));
            var rounds = new List<WaitRound<Item>>();
            var left = await WaitLoop.RunAsync(set, new WaitSchedule(clock, TimeSpan.FromSeconds(1), null, 0), clock, rounds.Add, null, CancellationToken.None);

            Assert.Empty(left);
            Assert.Equal(new long[] { 1 }, rounds[0].EndedOtherwise.Select(i => i.Id));
            Assert.Equal(new long[] { 3 }, rounds[0].Failures.Select(f => f.Key));
            Assert.Equal(new long[] { 2 }, rounds.SelectMany(r => r.Finished).Select(i => i.Id));
            Assert.Equal(3, set.Total);
        }

        [Fact]
        public async Task Cancellation_ends_a_pause_at_once()
        {
            var clock = new SystemPacerClock();
            var service = new Service(new ManualPacerClock());
            service.Add(1, 0, TimeSpan.FromHours(1));
            var set = Set(service, 50);
            set.Add(1, 0);
            using var cts = new CancellationTokenSource();
            var schedule = new WaitSchedule(clock, TimeSpan.FromMinutes(10), null, 0);
            var wait = WaitLoop.RunAsync(set, schedule, clock, _ => cts.CancelAfter(50), null, cts.Token);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        }
    }
}
