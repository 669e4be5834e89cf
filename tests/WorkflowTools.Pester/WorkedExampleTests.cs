using System;
using System.IO;
using Xunit;

namespace WorkflowTools.Pester
{
    /// <summary>
    /// The worked example (Examples/Testing/NightlyRuntimeReport.Tests.ps1) runs green in the Pester suite
    /// (Invoke-PesterSuite.ps1 includes the built module's Examples/Testing); here it must fail against a broken report.
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
    }
}
