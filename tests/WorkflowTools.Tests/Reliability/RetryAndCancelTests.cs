using System.Diagnostics;
using System.Management.Automation;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.Reliability
{
    /// <summary>
    /// A sandbox whose clock is this machine's: the lookup after an ambiguous create counts only instances
    /// started after the request was sent, by the server's start times.
    /// </summary>
    public sealed class WallClockSandboxFixture : SandboxFixture
    {
        protected override SandboxOptions Options => new SandboxOptions { RealTimeClock = true, ClockStart = DateTimeOffset.UtcNow };
    }

    /// <summary>Retries seen from PowerShell: verbose lines, errors that name the input, Ctrl+C.</summary>
    public class RetryAndCancelTests : IClassFixture<WallClockSandboxFixture>
    {
        private readonly SandboxFixture _f;

        public RetryAndCancelTests(WallClockSandboxFixture fixture)
        {
            _f = fixture;
            _f.Session.Set("key", PsSession.Secure(_f.Sandbox.NextMatterApiKey));
            _f.Session.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0 -RetryDelay 0.01 -AttemptTimeout 30").ThrowIfFailed();
        }

        [Fact]
        public void Verbose_shows_each_attempt_its_status_and_the_wait_without_the_key()
        {
            _f.Sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/1001/", Kind = FaultKind.Status, StatusCode = 503, Times = 2 });
            var result = _f.Session.Run("Get-NmInstance -Id 1001 -Verbose -Debug");
            result.ThrowIfFailed();
            Assert.Single(result.Output);
            Assert.Equal(2, result.Verbose.Count(v => v.StartsWith("GET /nextmatter/api/instances/1001/ → 503 (", StringComparison.Ordinal)));
            Assert.Contains(result.Verbose, v => v.Contains("failed (503); attempt 2 of 6 in"));
            Assert.Contains(result.Verbose, v => v.Contains("failed (503); attempt 3 of 6 in"));
            Assert.Contains(result.Verbose, v => v.StartsWith("GET /nextmatter/api/instances/1001/ → 200 (", StringComparison.Ordinal));
            Assert.Contains(result.Debug, d => d.Contains("Authorization: Api-Key [redacted]"));
            Assert.DoesNotContain(_f.Sandbox.NextMatterApiKey, result.AllText());
        }

        [Fact]
        public void An_ambiguous_create_is_an_outcome_unknown_error_that_names_the_input_and_what_was_checked()
        {
            _f.Sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/instances/", Kind = FaultKind.AppliedThenStatus, StatusCode = 502, Times = 1 });
            var result = _f.Session.Run("New-NmInstance -ProcessId 1 -Name 'Maybe created'");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.OutcomeUnknown,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OperationStopped, error.CategoryInfo.Category);
            Assert.Equal("Maybe created", new PSObject(error.TargetObject).P<string>("Name"));
            Assert.Contains("it was not sent again", error.Exception.Message);
            Assert.Contains("Checked: workflow 1 has 1 instance(s) named 'Maybe created'", error.Exception.Message);
            Assert.Contains("before sending it again", error.ErrorDetails.RecommendedAction, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(1, _f.Sandbox.NextMatter.Instances.Count(i => i.Name == "Maybe created"));
        }

        [Fact]
        public void Ctrl_c_stops_a_retry_wait_at_once()
        {
            _f.Sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/1002/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "60", Times = 3 });
            using var ps = PowerShell.Create();
            ps.Runspace = _f.Session.Runspace;
            ps.AddScript("Get-NmInstance -Id 1002");
            var before = _f.Sandbox.Requests.All.Count();
            var running = ps.BeginInvoke();
            WaitUntilSent(before, "/instances/1002/");
            var watch = Stopwatch.StartNew();
            ps.Stop();
            Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(40)));
            // The wait it cuts short is 60 s (the longest Retry-After honoured); stopping takes milliseconds, and the
            // bound leaves room for a heavily loaded machine.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(40), $"stopping took {watch.Elapsed}");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            _f.Sandbox.Faults.Clear();
        }

        [Fact]
        public void Ctrl_c_stops_a_listing_in_the_middle()
        {
            _f.Sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/processes/1/instances/", Kind = FaultKind.Delay, Delay = TimeSpan.FromMinutes(10), Times = 1 });
            using var ps = PowerShell.Create();
            ps.Runspace = _f.Session.Runspace;
            // A connection whose attempt timeout (10 min) lasts as long as the delay, so only Ctrl+C can end the wait.
            ps.AddScript($"$patient = Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0 -AttemptTimeout 600 -Timeout 1200 -PassThru; Get-NmInstance -ProcessId 1 -Connection $patient");
            var running = ps.BeginInvoke();
            Thread.Sleep(400);
            var watch = Stopwatch.StartNew();
            ps.Stop();
            Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)));
            // The answer it stops waiting for is 10 min away (or the command had not sent yet); stopping takes
            // milliseconds, and the bound leaves room for a heavily loaded machine.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"stopping took {watch.Elapsed}");
            _f.Sandbox.Faults.Clear();
        }

        /// <summary>Waits (up to 30 s) until the sandbox has received a request to the path, so Ctrl+C comes while the command waits, however loaded the machine.</summary>
        private void WaitUntilSent(int before, string pathPart)
        {
            var deadline = Stopwatch.StartNew();
            while (!_f.Sandbox.Requests.All.Skip(before).Any(r => r.Path.Contains(pathPart, StringComparison.Ordinal)))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"no request to {pathPart} reached the sandbox");
                Thread.Sleep(20);
            }
        }
    }
}
