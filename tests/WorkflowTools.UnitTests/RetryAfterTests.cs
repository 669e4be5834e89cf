using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.Sandbox;
using WorkflowTools.UnitTests.Pacing;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// A server's Retry-After is honoured up to the call's remaining total time, not cut to MaxRetryDelay; without one,
    /// a second 429's pause leaves the call room for its next attempt instead of using up its whole time limit.
    /// </summary>
    public class RetryAfterTests : IAsyncLifetime
    {
        private SandboxServer _sandbox = null!;

        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        private NmConnection Connect(double totalSeconds) =>
            NmConnection.Create(_sandbox.NextMatterBaseUri, SecretAuthorization.FromPlainText(_sandbox.NextMatterApiKey), new ConnectionSettings
            {
                MaxRetries = 3,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                MaxRetryDelay = TimeSpan.FromSeconds(1),
                AttemptTimeout = TimeSpan.FromSeconds(5),
                Timeout = TimeSpan.FromSeconds(totalSeconds),
            });

        private int Gets() => _sandbox.Requests.All.Count(r => r.Method == "GET" && r.Path.EndsWith("/instances/1001/", StringComparison.Ordinal));

        [Fact]
        public async Task A_retry_after_longer_than_MaxRetryDelay_is_waited_out_in_full()
        {
            using var c = Connect(totalSeconds: 20);
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/1001/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "2", Times = 1 });
            var watch = Stopwatch.StartNew();
            var instance = await c.Client.GetInstanceAsync(1001, false, CancellationToken.None);
            Assert.Equal(1001, instance.Id);
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"waited {watch.Elapsed.TotalSeconds:0.00} s; MaxRetryDelay is 1 s, the server asked for 2");
            Assert.Equal(2, Gets());
        }

        [Fact]
        public async Task A_retry_after_longer_than_the_time_left_fails_at_once_and_says_why()
        {
            using var c = Connect(totalSeconds: 4);
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/1001/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "30", Times = 1 });
            var trace = new NoticeTrace();
            ApiTrace.Current = trace;
            try
            {
                var watch = Stopwatch.StartNew();
                var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.GetInstanceAsync(1001, false, CancellationToken.None));
                Assert.Equal(429, ex.StatusCode);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed.TotalSeconds:0.00} s: it waited instead of failing");
            }
            finally
            {
                ApiTrace.Current = null;
            }

            Assert.Equal(1, Gets());
            var notice = Assert.Single(trace.Notices);
            Assert.Matches(@"^GET /nextmatter/api/instances/1001/ answered 429 and asks to wait 30 s, more than the [0-4] s left of its time limit \(-Timeout\); not retried\.$", notice);
        }

        [Fact]
        public void Without_retry_after_a_second_429_pauses_no_longer_than_the_call_can_afford()
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(100, clock: clock);
            Assert.Equal(TimeSpan.FromMinutes(1), pacer.OnThrottled(null, TimeSpan.FromMinutes(4)));

            // Refused again after the pause: Next Matter advises 5 minutes, the call has 2.5 minutes it can wait.
            clock.Now = TimeSpan.FromSeconds(61);
            Assert.Equal(TimeSpan.FromSeconds(150), pacer.OnThrottled(null, TimeSpan.FromSeconds(150)));
            Assert.InRange(pacer.Reserve().TotalSeconds, 150, 151); // the pause, then one slot at 100/min

            // Nothing left to wait: no pause at all (the call then ends with the 429 or its timeout).
            clock.Now = TimeSpan.FromMinutes(10);
            Assert.Equal(TimeSpan.Zero, pacer.OnThrottled(null, TimeSpan.FromSeconds(-3)));

            // A server's own Retry-After is never cut.
            var other = new RequestPacer(100, clock: new ManualPacerClock());
            Assert.Equal(TimeSpan.FromSeconds(400), other.OnThrottled(TimeSpan.FromSeconds(400), TimeSpan.FromSeconds(10)));
        }

        [Theory]
        [InlineData(240, 75, 75)]
        [InlineData(60, 75, 30)]
        [InlineData(0, 75, 0)]
        public void A_retry_keeps_the_attempt_timeout_for_itself_at_most_half_of_what_is_left(int leftSeconds, int attemptSeconds, int expectedSeconds) =>
            Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), ApiClient.RoomForAttempt(TimeSpan.FromSeconds(leftSeconds), TimeSpan.FromSeconds(attemptSeconds)));

        [Fact]
        public async Task Two_429s_without_retry_after_end_in_success_within_the_default_time_limit()
        {
            // Next Matter's defaults (5-minute limit, 75 s attempts, 100/min), on a pacer clock that jumps: the two
            // pauses take no real time, and what the pacer was asked to wait is recorded.
            var clock = new JumpClock();
            var options = new ConnectionSettings
            {
                ServiceName = "Next Matter",
                BaseUri = _sandbox.NextMatterBaseUri,
                Timeout = ConnectionDefaults.NextMatter.Timeout,
                AttemptTimeout = ConnectionDefaults.NextMatter.AttemptTimeout,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                RequestsPerMinute = 100,
                PacerClock = clock,
            };
            using var api = new ApiClient(options, new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText(_sandbox.NextMatterApiKey)));
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/1001/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "", Times = 2 });

            var watch = Stopwatch.StartNew();
            using var response = await api.SendAsync(new ApiRequest("GET", api.Resolve("instances/1001/")), CancellationToken.None);

            Assert.Equal(200, response.StatusCode);
            Assert.Equal(3, Gets());
            Assert.Equal(2, clock.Waits.Count);
            Assert.InRange(clock.Waits[0].TotalSeconds, 60, 61); // the documented first minute, then a slot at 100/min
            // The second: not the documented 5 minutes (the whole limit) but what the call has left (here nearly all of
            // it in real time: the first pause took none) less an attempt timeout of 75 s, plus the pacer's slots after a pause (at most three at 100/min).
            Assert.InRange(clock.Waits[1].TotalSeconds, 180, 300 - 75 + 1.8 + watch.Elapsed.TotalSeconds);
        }

        private sealed class JumpClock : IPacerClock
        {
            private TimeSpan _now;

            public List<TimeSpan> Waits { get; } = new List<TimeSpan>();

            public TimeSpan Elapsed => _now;

            public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
            {
                Waits.Add(delay);
                _now += delay;
                return Task.CompletedTask;
            }
        }

        private sealed class NoticeTrace : IApiTrace, IApiTraceNotices
        {
            public List<string> Notices { get; } = new List<string>();

            public void Verbose(string message)
            {
            }

            public void Debug(string message)
            {
            }

            public void LongWait(string message) => Notices.Add(message);
        }
    }
}
