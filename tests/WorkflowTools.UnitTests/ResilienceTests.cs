using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.Sandbox;

namespace WorkflowTools.UnitTests
{
    /// <summary>The HTTP core against every fault the sandbox can inject.</summary>
    public class ResilienceTests : IAsyncLifetime
    {
        private SandboxServer _sandbox = null!;

        // The sandbox's clock is this machine's: the lookup after an ambiguous create goes by start times.
        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions { RealTimeClock = true, ClockStart = DateTimeOffset.UtcNow });

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        // Limits and bounds are many times what they guard on an idle machine (an answer from the sandbox takes
        // milliseconds), so that they hold under a load average of 8 or more on 2 cores: an attempt may take 30 s and a
        // call 2 min unless a test is about the limit itself; a test that must see a limit fire makes the fault outlast
        // it by far (a delay of minutes, which the sandbox drops when the client gives up).
        private NmConnection Connect(int maxRetries = 3, double attemptSeconds = 30, double totalSeconds = 120, double maxRetryDelaySeconds = 3) =>
            NmConnection.Create(_sandbox.NextMatterBaseUri, SecretAuthorization.FromPlainText(_sandbox.NextMatterApiKey), new ConnectionSettings
            {
                MaxRetries = maxRetries,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                MaxRetryDelay = TimeSpan.FromSeconds(maxRetryDelaySeconds),
                AttemptTimeout = TimeSpan.FromSeconds(attemptSeconds),
                Timeout = TimeSpan.FromSeconds(totalSeconds),
            });

        private int CountCreates(string name) => _sandbox.NextMatter.Instances.Count(i => i.Name == name);

        private int Calls(string method, string pathPart) => _sandbox.Requests.All.Count(r => r.Method == method && r.Path.Contains(pathPart));

        private static NmNewInstance Spec(string name) => new NmNewInstance { ProcessId = 1, Name = name };

        [Fact]
        public async Task A_429_is_retried_even_for_a_create_honouring_retry_after_in_seconds()
        {
            using var c = Connect();
            _sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/instances/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "1", Times = 1 });
            var watch = Stopwatch.StartNew();
            var created = await c.Client.CreateInstanceAsync(Spec("throttled"), CancellationToken.None);
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited only {watch.Elapsed}");
            Assert.Equal(1, CountCreates("throttled"));
            Assert.Equal("throttled", created.Name);
        }

        [Fact]
        public async Task Retry_after_as_an_http_date_is_honoured_and_one_past_the_time_left_is_not_waited_for()
        {
            // The date is whole seconds: 2 s ahead is a wait of 1-2 s. Misread (as local time, say) it would be hours,
            // past this call's 2 min, and the call would fail at once; ignored, it would be the 10 ms backoff.
            using (var c = Connect())
            {
                var date = DateTimeOffset.UtcNow.AddSeconds(2).ToString("r");
                _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = date, Times = 1 });
                var watch = Stopwatch.StartNew();
                await c.Client.GetInstanceAsync(_sandbox.NextMatter.Instances.First().Id, false, CancellationToken.None);
                Assert.InRange(watch.Elapsed.TotalSeconds, 0.8, 60);
            }

            // An hour, past this call's 2 min, is not waited for: the call fails at once with the 429.
            using (var c = Connect())
            {
                _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "3600", Times = 1 });
                var watch = Stopwatch.StartNew();
                var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.GetInstanceAsync(_sandbox.NextMatter.Instances.First().Id, false, CancellationToken.None));
                Assert.Equal(429, ex.StatusCode);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "a Retry-After of an hour, past the call's 2 min, must fail at once, not be waited for");
            }
        }

        [Theory]
        [InlineData(502)]
        [InlineData(503)]
        [InlineData(504)]
        public async Task Gateway_failures_are_retried_for_reads(int status)
        {
            using var c = Connect();
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.Status, StatusCode = status, Times = 2 });
            var before = Calls("GET", "/instances/");
            await c.Client.GetInstanceAsync(_sandbox.NextMatter.Instances.First().Id, false, CancellationToken.None);
            Assert.Equal(before + 3, Calls("GET", "/instances/"));
        }

        [Fact]
        public async Task A_500_after_the_create_was_applied_is_outcome_unknown_not_resent_and_reconciled()
        {
            using var c = Connect();
            _sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/instances/", Kind = FaultKind.AppliedThenStatus, StatusCode = 500, Times = 1 });
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.CreateInstanceAsync(Spec("applied-then-500"), CancellationToken.None));
            Assert.Equal(ApiErrorKind.OutcomeUnknown, ex.Kind);
            Assert.Equal(1, CountCreates("applied-then-500"));
            Assert.Equal(1, _sandbox.Requests.All.Count(r => r.Method == "POST" && r.Body.Contains("applied-then-500")));
            var created = _sandbox.NextMatter.Instances.Single(i => i.Name == "applied-then-500");
            Assert.Equal(new[] { created.Id }, ex.PossibleMatches);
            Assert.Contains($"Checked: workflow 1 has 1 instance(s) named 'applied-then-500': {created.Id}", ex.Message);
        }

        [Fact]
        public async Task A_500_before_the_create_was_applied_is_reconciled_as_most_likely_not_created()
        {
            using var c = Connect();
            _sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/instances/", Kind = FaultKind.Status, StatusCode = 500, Times = 1 });
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.CreateInstanceAsync(Spec("500-not-applied"), CancellationToken.None));
            Assert.Equal(ApiErrorKind.OutcomeUnknown, ex.Kind);
            Assert.Empty(ex.PossibleMatches);
            Assert.Contains("most likely not created", ex.Message);
            Assert.Equal(0, CountCreates("500-not-applied"));
        }

        [Fact]
        public async Task An_ambiguous_step_completion_is_checked_against_the_active_steps()
        {
            using var c = Connect();
            var instance = await c.Client.CreateInstanceAsync(Spec("step-check"), CancellationToken.None);
            _sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/complete_step/", Kind = FaultKind.AppliedThenStatus, StatusCode = 502, Times = 1 });
            var actions = new[] { NmClient.ActionFromValue(123456, "Ada"), NmClient.ActionFromValue(789012, new System.Collections.Hashtable { ["itemSelected"] = "IT" }) };
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.CompleteStepAsync(instance.Id, 42, actions, CancellationToken.None));
            Assert.Equal(ApiErrorKind.OutcomeUnknown, ex.Kind);
            Assert.Contains("step 42 is no longer active", ex.Message);
            Assert.Equal(1, _sandbox.Requests.All.Count(r => r.Method == "POST" && r.Path.Contains($"/instances/{instance.Id}/complete_step/")));
        }

        [Theory]
        [InlineData(502)]
        [InlineData(503)]
        [InlineData(504)]
        public async Task A_gateway_failure_on_a_create_is_outcome_unknown_never_resent(int status)
        {
            using var c = Connect();
            var name = "gateway-" + status;
            _sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/instances/", Kind = FaultKind.AppliedThenStatus, StatusCode = status, Times = 1 });
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.CreateInstanceAsync(Spec(name), CancellationToken.None));
            Assert.Equal(ApiErrorKind.OutcomeUnknown, ex.Kind);
            Assert.True(ex.MayHaveBeenApplied);
            Assert.Contains("create an instance of workflow 1", ex.Message);
            Assert.Equal(1, CountCreates(name));
            Assert.Equal(1, _sandbox.Requests.All.Count(r => r.Method == "POST" && r.Body.Contains(name)));
        }

        [Fact]
        public async Task A_connection_reset_after_the_create_was_applied_is_outcome_unknown()
        {
            using var c = Connect();
            _sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/instances/", Kind = FaultKind.ConnectionReset, ApplyBeforeFault = true, Times = 1 });
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.CreateInstanceAsync(Spec("reset"), CancellationToken.None));
            Assert.Equal(ApiErrorKind.OutcomeUnknown, ex.Kind);
            Assert.Equal(1, CountCreates("reset"));
        }

        [Fact]
        public async Task A_reset_read_is_simply_retried()
        {
            using var c = Connect();
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.ConnectionReset, Times = 1 });
            var instance = await c.Client.GetInstanceAsync(_sandbox.NextMatter.Instances.First().Id, false, CancellationToken.None);
            Assert.True(instance.Id > 0);
        }

        [Fact]
        public async Task A_create_answered_too_late_is_outcome_unknown_and_not_resent()
        {
            using var c = Connect(attemptSeconds: 0.5);
            _sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/instances/", Kind = FaultKind.Delay, Delay = TimeSpan.FromSeconds(2), ApplyBeforeFault = true, Times = 1 });
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.CreateInstanceAsync(Spec("slow"), CancellationToken.None));
            Assert.Equal(ApiErrorKind.OutcomeUnknown, ex.Kind);
            Assert.Contains("No answer within 0.5 s", ex.Message);
            // Never sent again: at most one instance exists. Usually the sandbox applied it before its delay; on a
            // loaded machine the 0.5 s can run out before the body arrived, and then none does, which is just what
            // "outcome unknown" allows. (The request log is not used: an aborted answer may be logged late or not at all.)
            await Task.Delay(2500);
            Assert.InRange(CountCreates("slow"), 0, 1);
            Assert.InRange(_sandbox.Requests.All.Count(r => r.Method == "POST"), 0, 1);
        }

        [Fact]
        public async Task A_slow_read_times_out_per_attempt_and_is_retried()
        {
            // The first answer would take 10 min; the attempt gives up after 5 s (hundreds of times an idle answer) and the
            // retry gets the instance.
            using var c = Connect(attemptSeconds: 5);
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.Delay, Delay = TimeSpan.FromMinutes(10), Times = 1 });
            var instance = await c.Client.GetInstanceAsync(_sandbox.NextMatter.Instances.First().Id, false, CancellationToken.None);
            Assert.True(instance.Id > 0);
        }

        [Fact]
        public async Task The_total_timeout_ends_a_call_that_keeps_failing()
        {
            // Every answer would take 10 min and each attempt gives up after 1 s: without the total timeout of 3 s the
            // 21 attempts and their backoff (capped at 3 s) would take over a minute.
            using var c = Connect(maxRetries: 20, attemptSeconds: 1, totalSeconds: 3);
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.Delay, Delay = TimeSpan.FromMinutes(10) });
            var watch = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.GetInstanceAsync(1, false, CancellationToken.None));
            Assert.Equal(ApiErrorKind.Timeout, ex.Kind);
            Assert.InRange(watch.Elapsed.TotalSeconds, 2.8, 40);
        }

        [Fact]
        public async Task Cancellation_stops_a_wait_at_once()
        {
            // Each 429 asks for 10 min, all honoured: without the cancellation the call would wait 30 min.
            using var c = Connect(maxRetryDelaySeconds: 600, totalSeconds: 3600);
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "600" });
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => c.Client.GetInstanceAsync(1, false, cts.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
        }

        [Fact]
        public async Task An_html_error_page_becomes_a_clean_error_with_status_and_excerpt()
        {
            using var c = Connect(maxRetries: 0);
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.HtmlErrorPage, Times = 1 });
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.GetInstanceAsync(1, false, CancellationToken.None));
            Assert.Equal(502, ex.StatusCode);
            Assert.Contains("502 Bad Gateway", ex.Message);
            Assert.DoesNotContain("<html", ex.Message);
        }

        [Fact]
        public async Task A_truncated_json_body_becomes_an_invalid_response_error()
        {
            using var c = Connect();
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.TruncatedJson, Times = 1 });
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.GetInstanceAsync(_sandbox.NextMatter.Instances.First().Id, false, CancellationToken.None));
            Assert.Equal(ApiErrorKind.InvalidResponse, ex.Kind);
            Assert.Equal(200, ex.StatusCode);
            Assert.DoesNotContain("   at ", ex.Message);
        }

        [Fact]
        public async Task A_refused_connection_is_retried_even_for_a_create_because_nothing_was_sent()
        {
            // A port nobody listens on: every attempt is refused before any byte leaves.
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            using var c = NmConnection.Create(new Uri($"http://127.0.0.1:{port}/api/"), SecretAuthorization.FromPlainText("a.b"), new ConnectionSettings { MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
            var ex = await Assert.ThrowsAsync<ApiException>(() => c.Client.CreateInstanceAsync(Spec("nowhere"), CancellationToken.None));
            Assert.Equal(ApiErrorKind.Network, ex.Kind);
            Assert.Equal(3, ex.Attempts);
            Assert.Contains("ConnectionRefused", ex.Message);
        }
    }
}
