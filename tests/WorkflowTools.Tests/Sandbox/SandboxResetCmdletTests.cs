using System.IO;

namespace WorkflowTools.Tests.Sandbox
{
    /// <summary>Reset-WorkflowToolsSandbox against the module's own sandbox process.</summary>
    public class SandboxResetCmdletTests
    {
        private static string ExampleSeed => Path.Combine(RepoPaths.ModuleFolder, "Sandbox", "Seeds", "example-seed.json");

        [Fact]
        public void Reset_puts_data_log_faults_and_clock_back_and_whatif_changes_nothing()
        {
            using var s = new PsSession();
            s.Run($"$sb = Start-WorkflowToolsSandbox -SeedPath '{ExampleSeed}' -FrozenClock -Connect").ThrowIfFailed();
            try
            {
                var start = (DateTime)s.Run("Set-WorkflowToolsSandboxClock -Advance 0 -PassThru").ThrowIfFailed().Single().BaseObject;
                s.Run("Stop-PmRequest -Id 100 -Confirm:$false; $null = New-NmInstance -ProcessId 7 -Name 'Added by a test'").ThrowIfFailed();
                s.Run("Set-WorkflowToolsSandboxClock -Advance '30.00:00:00'; $null = Add-WorkflowToolsSandboxFault -Kind Status -StatusCode 500 -Method GET -Path '/instances/5001/'").ThrowIfFailed();
                Assert.NotEmpty(s.Run("Get-NmInstance -Id 5001").AllErrors);

                var whatIf = s.Run("Reset-WorkflowToolsSandbox -WhatIf").ThrowIfFailed();
                Assert.Empty(whatIf.Output);
                Assert.Equal("Canceled", s.Run("(Get-PmRequest -Id 100).Status.ToString()").ThrowIfFailed().Single().ToString());
                Assert.NotEmpty(s.Run("Get-NmInstance -Id 5001").AllErrors); // the fault is still there

                var passed = s.Run("Reset-WorkflowToolsSandbox -PassThru").ThrowIfFailed().Single();
                Assert.Equal("WorkflowTools.Testing.SandboxProcess", passed.TypeNames[0]);
                // The session's connections made before the reset keep working.
                Assert.Equal("Active", s.Run("(Get-PmRequest -Id 100).Status.ToString()").ThrowIfFailed().Single().ToString());
                Assert.Empty(s.Run("Get-NmInstance -ProcessId 7 | Where-Object Name -eq 'Added by a test'").ThrowIfFailed().Output);
                Assert.Equal(5001L, s.Run("(Get-NmInstance -Id 5001).Id").ThrowIfFailed().Single().BaseObject);
                Assert.Equal(start, (DateTime)s.Run("Set-WorkflowToolsSandboxClock -Advance 0 -PassThru").ThrowIfFailed().Single().BaseObject);
                var log = s.Run("Get-WorkflowToolsSandboxRequest").ThrowIfFailed().Output;
                Assert.NotEmpty(log);
                Assert.All(log, r => Assert.Equal("GET", r.P<string>("Method"))); // the PUT and POST before the reset are gone

                s.Run("Stop-WorkflowToolsSandbox").ThrowIfFailed();
                Assert.Equal("WorkflowTools.NoSandbox", Assert.Single(s.Run("Reset-WorkflowToolsSandbox").AllErrors).FullyQualifiedErrorId.Split(',')[0]);
            }
            finally
            {
                s.Run("Stop-WorkflowToolsSandbox");
            }
        }
    }
}
