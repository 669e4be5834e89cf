using System;
using System.IO;
using Xunit;

namespace WorkflowTools.Pester
{
    /// <summary>
    /// The worked examples (Examples/Testing/NightlyRuntimeReport.Tests.ps1, CancelStaleRequests.Tests.ps1) run green in the Pester suite
    /// (Invoke-PesterSuite.ps1 includes the built module's Examples/Testing); here each must fail against a broken copy of its script.
    /// </summary>
    public class WorkedExampleTests
    {
        [Fact]
        public void The_worked_example_fails_when_the_report_is_broken()
        {
            var module = RealPwsh.Metadata("ModuleFolder");
            var pester = RealPwsh.Metadata("PesterManifest");
            var example = Path.Combine(module, "Examples", "Testing", "NightlyRuntimeReport.Tests.ps1");
            var script = File.ReadAllText(Path.Combine(module, "Examples", "NightlyRuntimeReport.ps1"));
            Assert.Contains("-MinTotalRuntime $LongerThan", script);
            var scratch = Path.Combine(Path.GetTempPath(), "wt-broken-report-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(scratch);
            try
            {
                // The bug: the runtime filter is forgotten, so every running instance lands in the report.
                var broken = Path.Combine(scratch, "NightlyRuntimeReport.ps1");
                File.WriteAllText(broken, script.Replace("-MinTotalRuntime $LongerThan", ""));
                var run = RealPwsh.Command(scratch, TimeSpan.FromMinutes(5), null,
                    $"Import-Module '{pester}'\n" +
                    $"$c = New-PesterContainer -Path '{example}' -Data @{{ ScriptUnderTest = '{broken}' }}\n" +
                    "$conf = New-PesterConfiguration; $conf.Run.Container = $c; $conf.Run.PassThru = $true; $conf.Output.Verbosity = 'None'\n" +
                    "$conf.Filter.FullName = '*lists the running instances*'\n" +
                    "$r = Invoke-Pester -Configuration $conf\n" +
                    "\"FAILED=$($r.FailedCount) PASSED=$($r.PassedCount)\"\n" +
                    "$r.Failed | ForEach-Object { \"MESSAGE=$($_.ErrorRecord[0])\" }");
                Assert.True(run.Output.Contains("FAILED=1 PASSED=0"), run.Output);
                Assert.Contains("2003", run.Output); // the 36-hour instance that must not be in a two-day report
            }
            finally
            {
                Directory.Delete(scratch, true);
            }
        }

        [Fact]
        public void The_stale_requests_example_fails_when_the_script_takes_the_machines_date()
        {
            var module = RealPwsh.Metadata("ModuleFolder");
            var pester = RealPwsh.Metadata("PesterManifest");
            var example = Path.Combine(module, "Examples", "Testing", "CancelStaleRequests.Tests.ps1");
            var script = File.ReadAllText(Path.Combine(module, "Examples", "CancelStaleRequests.ps1"));
            const string cutoff = "$cutoff = $Now.ToUniversalTime()";
            Assert.Contains(cutoff, script);
            var scratch = Path.Combine(Path.GetTempPath(), "wt-broken-cancel-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(scratch);
            try
            {
                // The time bomb: ages from the machine's date, so the sandbox's seeded ages mean nothing; every
                // request still in progress is older than 30 days by today's date (the seed's clock is March 2026).
                var broken = Path.Combine(scratch, "CancelStaleRequests.ps1");
                File.WriteAllText(broken, script.Replace(cutoff, "$cutoff = (Get-Date).ToUniversalTime()"));
                var run = RealPwsh.Command(scratch, TimeSpan.FromMinutes(5), null,
                    $"Import-Module '{pester}'\n" +
                    $"$c = New-PesterContainer -Path '{example}' -Data @{{ ScriptUnderTest = '{broken}' }}\n" +
                    "$conf = New-PesterConfiguration; $conf.Run.Container = $c; $conf.Run.PassThru = $true; $conf.Output.Verbosity = 'None'\n" +
                    "$r = Invoke-Pester -Configuration $conf\n" +
                    "\"FAILED=$($r.FailedCount) PASSED=$($r.PassedCount)\"\n" +
                    "$r.Failed | ForEach-Object { \"FAILED TEST=$($_.Name)\" }");
                // By today's date all four open requests are stale, which is also what the test a month on expects,
                // and -WhatIf changes nothing either way: the test at the seed's own time is the one that catches it.
                Assert.True(run.Output.Contains("FAILED=1 PASSED=2"), run.Output);
                Assert.Contains("FAILED TEST=cancels the requests in progress for more than 30 days, and only those", run.Output);
            }
            finally
            {
                Directory.Delete(scratch, true);
            }
        }
    }
}
