namespace WorkflowTools.Tests.Sandbox
{
    /// <summary>
    /// Issue 26 item 7: the sandbox cmdlets refuse out-of-range values before any request, naming the accepted
    /// range; -StartTimeout reads a bare number as seconds (as Connect-NmService -Timeout does); -Sandbox $null is
    /// refused at binding, not a NullReferenceException.
    /// </summary>
    public class SandboxExtremeValueTests
    {
        [Fact]
        public void Extreme_values_are_refused_before_any_request_and_a_bare_number_is_seconds()
        {
            var cases = new (string Script, string Message)[]
            {
                ("Set-WorkflowToolsSandboxClock -Advance ([timespan]::MaxValue)", "-Advance must be between -36525.00:00:00 and 36525.00:00:00"),
                ("Set-WorkflowToolsSandboxClock -Advance ([timespan]::MinValue)", "-Advance must be between -36525.00:00:00 and 36525.00:00:00"),
                ("Set-WorkflowToolsSandboxClock -Time ([datetime]::MaxValue)", "-Time must be between 1970-01-01 and 2999-12-31 23:59:59 UTC"),
                ("Set-WorkflowToolsSandboxClock -Time ([datetime]::MinValue)", "-Time must be between 1970-01-01 and 2999-12-31 23:59:59 UTC"),
                ("Add-WorkflowToolsSandboxFault -Kind Delay -Delay ([timespan]::MaxValue)", "-Delay must be between 0 and 1.00:00:00"),
                ("Add-WorkflowToolsSandboxFault -Kind Delay -Delay (New-TimeSpan -Seconds -5)", "-Delay must be between 0 and 1.00:00:00"),
                ("Add-WorkflowToolsSandboxFault -Kind Stall -Delay 86401", "-Delay must be between 0 and 1.00:00:00"),
            };

            using var s = new PsSession();
            void AllRefused()
            {
                foreach (var (script, message) in cases)
                {
                    var error = Assert.Single(s.Run(script).AllErrors);
                    Assert.Equal("WorkflowTools.InvalidArgument", error.FullyQualifiedErrorId.Split(',')[0]);
                    Assert.Contains(message, error.Exception.Message);

                    // Terminating under -ErrorAction Stop, like any other error of these cmdlets.
                    Assert.NotNull(s.Run(script + " -ErrorAction Stop").TerminatingError);
                }
            }

            // With no sandbox running the value is refused, not "no sandbox": it is checked before anything else.
            AllRefused();

            // 90: seconds, so the start succeeds (as 90 ticks, every start failed "within 0 s").
            s.Run("$sb = Start-WorkflowToolsSandbox -FrozenClock -StartTimeout 90").ThrowIfFailed();
            try
            {
                var clock = (DateTime)s.Run("Set-WorkflowToolsSandboxClock -Advance 0 -PassThru").ThrowIfFailed().Single().BaseObject;
                AllRefused();

                // Nothing reached the sandbox: the clock is where it was, and the API answers (a Delay of
                // TimeSpan.MaxValue once made every API call answer 500).
                Assert.Equal(clock, (DateTime)s.Run("Set-WorkflowToolsSandboxClock -Advance 0 -PassThru").ThrowIfFailed().Single().BaseObject);
                Assert.Equal(clock.AddSeconds(90), (DateTime)s.Run("Set-WorkflowToolsSandboxClock -Advance 90 -PassThru").ThrowIfFailed().Single().BaseObject);
                Assert.Equal(1L, Convert.ToInt64(s.Run("(Get-NmProcess -ProcessId 1 -Connection $sb.NmConnection).Id").ThrowIfFailed().Single().BaseObject));
                Assert.Equal("kind=delay,times=1,delay=10ms", s.Run("(Add-WorkflowToolsSandboxFault -Kind Delay -Delay 0.01 -Times 1).Spec").ThrowIfFailed().Single().BaseObject);

                foreach (var script in new[] { "Stop-WorkflowToolsSandbox -Sandbox $null", "Get-WorkflowToolsSandboxRequest -Sandbox $null", "Stop-WorkflowToolsSandbox -Sandbox @($null)" })
                {
                    var error = Assert.Single(s.Run(script).AllErrors);
                    Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
                    Assert.IsNotType<NullReferenceException>(error.Exception);
                }

                Assert.True((bool)s.Run("$sb.IsRunning").ThrowIfFailed().Single().BaseObject);
            }
            finally
            {
                s.Run("Stop-WorkflowToolsSandbox");
            }
        }
    }
}
