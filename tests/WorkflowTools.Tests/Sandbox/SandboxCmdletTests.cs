using System.Diagnostics;
using System.IO;

namespace WorkflowTools.Tests.Sandbox
{
    /// <summary>
    /// Start-/Stop-WorkflowToolsSandbox and the control cmdlets, in the engine, starting the module's own copy of the
    /// sandbox as a separate process (the path a module user without the tool takes).
    /// </summary>
    public class SandboxCmdletTests
    {
        private static string ExampleSeed => Path.Combine(RepoPaths.ModuleFolder, "Sandbox", "Seeds", "example-seed.json");

        private static bool Ended(int pid)
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                return p.WaitForExit(15000);
            }
            catch (ArgumentException)
            {
                return true;
            }
        }

        [Fact]
        public void A_seeded_sandbox_starts_answers_is_faulted_logged_aged_and_stopped()
        {
            using var s = new PsSession();
            var start = s.Run($"$sb = Start-WorkflowToolsSandbox -SeedPath '{ExampleSeed}' -FrozenClock -Connect; $sb").ThrowIfFailed();
            var sandbox = start.Single();
            var pid = sandbox.P<int>("ProcessId");
            try
            {
                Assert.Equal("WorkflowTools.Testing.SandboxProcess", sandbox.TypeNames[0]);
                Assert.Equal("module", sandbox.P<string>("StartedFrom"));
                Assert.True(sandbox.P<Uri>("NextMatterUri").IsLoopback);
                Assert.Equal("sandbox.nextmatter-api-key", sandbox.P<string>("ApiKey"));

                // -Connect: the session's connection; the ready -Connection works as well
                var running = s.Run("Get-NmInstance -ProcessId 7 -Status Running | ForEach-Object Name").ThrowIfFailed().Output.Select(o => o.ToString());
                Assert.Equal(new[] { "Renewal ACME", "Renewal Globex", "Renewal Initech" }, running);
                Assert.Equal("Leave request", s.Run("(Get-PmProcess -Id 30 -Connection $sb.PmConnection).Name").ThrowIfFailed().Single().ToString());

                // faults at run time, the request log as objects
                var fault = s.Run("Add-WorkflowToolsSandboxFault -Kind Status -StatusCode 429 -RetryAfter 0 -Times 2 -Path '/instances/'").ThrowIfFailed().Single();
                Assert.Equal("kind=status,status=429,retry-after=0,path=/instances/,times=2", fault.P<string>("Spec"));
                s.Run("Clear-WorkflowToolsSandboxRequest; $null = Get-NmInstance -Id 5001").ThrowIfFailed();
                var log = s.Run("Get-WorkflowToolsSandboxRequest -Service NextMatter").ThrowIfFailed().Output;
                Assert.Equal(new[] { 429, 429, 200 }, log.Select(r => r.P<int>("StatusCode")));
                Assert.All(log, r => Assert.Equal(("GET", "/nextmatter/api/instances/5001/"), (r.P<string>("Method"), r.P<string>("Path"))));
                Assert.Single(s.Run($"Get-WorkflowToolsSandboxRequest -After {log[1].P<long>("Sequence")}").Output);
                Assert.Empty(s.Run("Get-WorkflowToolsSandboxRequest -Method POST").Output);

                // the clock: a day later, Globex has run 3.5 days
                Assert.Empty(s.Run("Get-NmInstance -ProcessId 7 -Status Running -MinTotalRuntime '3 00:00:00' | Where-Object Name -eq 'Renewal Globex'").ThrowIfFailed().Output);
                var now = (DateTime)s.Run("Set-WorkflowToolsSandboxClock -Advance '1.00:00:00' -PassThru").ThrowIfFailed().Single().BaseObject;
                Assert.Equal(new DateTime(2026, 3, 3, 8, 0, 0, DateTimeKind.Utc), now);
                Assert.Single(s.Run("Get-NmInstance -ProcessId 7 -Status Running -MinTotalRuntime '3 00:00:00' | Where-Object Name -eq 'Renewal Globex'").ThrowIfFailed().Output);

                // a refused fault is a non-terminating error naming the key
                var bad = s.Run("Add-WorkflowToolsSandboxFault -Spec 'kind=reset,delay=1s'");
                Assert.Equal("WorkflowTools.SandboxRefused", Assert.Single(bad.Errors).FullyQualifiedErrorId.Split(',')[0]);
                Assert.Contains("delay only goes with", bad.Errors[0].Exception.Message);
                s.Run("Clear-WorkflowToolsSandboxFault").ThrowIfFailed();

                Assert.Equal(pid, (int)s.Run("(Get-WorkflowToolsSandbox).ProcessId").ThrowIfFailed().Single().BaseObject);
                s.Run("Stop-WorkflowToolsSandbox").ThrowIfFailed();
                Assert.True(Ended(pid), "the sandbox process still runs after Stop-WorkflowToolsSandbox");
                Assert.Empty(s.Run("Get-WorkflowToolsSandbox").Output);
                Assert.Equal("WorkflowTools.NotConnected", s.Run("Get-NmInstance -Id 5001").AllErrors.First().FullyQualifiedErrorId.Split(',')[0]);
                Assert.Equal("WorkflowTools.NoSandbox", Assert.Single(s.Run("Get-WorkflowToolsSandboxRequest").AllErrors).FullyQualifiedErrorId.Split(',')[0]);
            }
            finally
            {
                s.Run("Stop-WorkflowToolsSandbox");
            }
        }

        [Fact]
        public void Closing_the_runspace_stops_its_sandbox_and_set_environment_is_undone_by_stop()
        {
            int pid;
            using (var s = new PsSession())
            {
                var sb = s.Run("Start-WorkflowToolsSandbox -NoDemoData -SetEnvironment").ThrowIfFailed().Single();
                pid = sb.P<int>("ProcessId");
                Assert.Equal(sb.P<Uri>("NextMatterUri").ToString(), s.Run("$env:WORKFLOWTOOLS_SANDBOX_NM").Single().ToString());
                Assert.Equal("sandbox-processmaker-token", s.Run("$env:PROCESSMAKER_TOKEN").Single().ToString());
                Assert.Equal(sb.P<int>("Port"), (int)s.Run("(Get-WorkflowToolsSandbox).Port").Single().BaseObject);
                var second = s.Run("Start-WorkflowToolsSandbox -NoDemoData").ThrowIfFailed().Single();
                s.Run("Stop-WorkflowToolsSandbox -Sandbox (Get-WorkflowToolsSandbox | Select-Object -First 1)").ThrowIfFailed();
                Assert.True(Ended(pid));
                Assert.Null(Environment.GetEnvironmentVariable("WORKFLOWTOOLS_SANDBOX_NM"));
                pid = second.P<int>("ProcessId");
            }

            Assert.True(Ended(pid), "the sandbox outlived the runspace that started it");
        }

        [Fact]
        public void A_bad_seed_file_fails_before_anything_runs_and_names_the_line()
        {
            var seed = Path.Combine(Path.GetTempPath(), "wt-bad-seed-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(seed, "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\", \"steps\": [ { \"id\": 1, \"name\": \"S\", \"fields\": [ { \"id\": 2, \"name\": \"F\", \"type\": \"slider\" } ] } ] }\n  ] }\n}\n");
            try
            {
                using var s = new PsSession();
                var result = s.Run($"Start-WorkflowToolsSandbox -SeedPath '{seed}'");
                var record = Assert.Single(result.AllErrors);
                Assert.Equal("WorkflowTools.SandboxInvalidArguments", record.FullyQualifiedErrorId.Split(',')[0]);
                Assert.Contains("line 4, nextMatter.processes[0].steps[0].fields[0].type: 'slider' is not a field type", record.Exception.Message);
                Assert.DoesNotContain("Usage:", record.Exception.Message);
                Assert.Empty(s.Run("Get-WorkflowToolsSandbox").Output);
                Assert.Equal("WorkflowTools.SandboxSeedNotFound", Assert.Single(s.Run("Start-WorkflowToolsSandbox -SeedPath ./no-such-seed.json").AllErrors).FullyQualifiedErrorId.Split(',')[0]);
            }
            finally
            {
                File.Delete(seed);
            }
        }
    }
}
