using System.Management.Automation;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.Reliability
{
    /// <summary>
    /// A command that works one item at a time waits for each answer on its pipeline thread: the attempt
    /// timeout and Ctrl+C bound that wait too, also when the answer stalls after its headers.
    /// </summary>
    public class SequentialWaitTests : IClassFixture<SandboxFixture>
    {
        /// <summary>Far beyond every bound a test sets: reaching it means the command hung.</summary>
        private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

        private readonly SandboxFixture _f;

        public SequentialWaitTests(SandboxFixture fixture)
        {
            _f = fixture;
            _f.Session.Set("key", PsSession.Secure(_f.Sandbox.NextMatterApiKey));
            _f.Session.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0 -MaxRetries 0 -AttemptTimeout 1").ThrowIfFailed();
        }

        [Fact]
        public void The_attempt_timeout_ends_a_sequential_read_whose_body_stalls()
        {
            _f.Sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/1001/", Kind = FaultKind.StalledBody, Delay = TimeSpan.FromMinutes(5), Times = 1 });
            try
            {
                using var ps = PowerShell.Create();
                ps.Runspace = _f.Session.Runspace;
                ps.AddScript("1001 | Get-NmInstance");
                var running = ps.BeginInvoke();
                Assert.True(running.AsyncWaitHandle.WaitOne(Hang), "Get-NmInstance hung on a stalled body");
                var error = Assert.Single(ps.Streams.Error);
                Assert.StartsWith("WorkflowTools.Timeout,", error.FullyQualifiedErrorId);
                Assert.Contains("no answer within 1 s", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
            }
            finally
            {
                _f.Sandbox.Faults.Clear();
            }
        }

        [Fact]
        public void Ctrl_c_stops_a_sequential_read_that_is_on_the_wire()
        {
            // The request's debug line is written just before it is sent: Ctrl+C comes while the answer is awaited.
            _f.Sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/1002/", Kind = FaultKind.StalledBody, Delay = TimeSpan.FromMinutes(5), Times = 1 });
            _f.Session.Run("Connect-NmService -BaseUri '" + _f.Sandbox.NextMatterBaseUri + "' -ApiKey $key -RequestsPerMinute 0 -MaxRetries 0 -AttemptTimeout 300 -Timeout 300").ThrowIfFailed();
            try
            {
                using var ps = PowerShell.Create();
                ps.Runspace = _f.Session.Runspace;
                using var sent = new ManualResetEventSlim();
                ps.Streams.Debug.DataAdded += (_, e) =>
                {
                    if (ps.Streams.Debug[e.Index].Message.Contains("Request GET", StringComparison.Ordinal))
                    {
                        sent.Set();
                    }
                };
                ps.AddScript("$DebugPreference = 'Continue'; 1002 | Get-NmInstance");
                var running = ps.BeginInvoke();
                Assert.True(sent.Wait(Hang), "the request was never sent");
                ps.Stop();
                Assert.True(running.AsyncWaitHandle.WaitOne(Hang), "Ctrl+C did not stop Get-NmInstance waiting for a stalled body");
                Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            }
            finally
            {
                _f.Sandbox.Faults.Clear();
                _f.Session.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0 -MaxRetries 0 -AttemptTimeout 1").ThrowIfFailed();
            }
        }
    }
}
