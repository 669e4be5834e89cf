using System;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace WorkflowTools.Pester
{
    /// <summary>
    /// The suite runner's limits: a Pester run that stops making progress is ended, and the report gives the counts so
    /// far and the test that was running (read from Pester's output by <see cref="PesterProgress"/>).
    /// </summary>
    public class PesterRunnerTests
    {
        private readonly ITestOutputHelper _output;

        public PesterRunnerTests(ITestOutputHelper output) => _output = output;

        // Pester 5.9.1's plain Detailed output with start markers, as Invoke-PesterSuite.ps1 asks for it.
        private const string Output = """
            Pester v5.9.1

            Starting discovery in 2 files.
            Discovery found 7 tests in 251ms.
            Running tests.

            Running tests from '/repo/tests/Pester/A.Tests.ps1'
            Describing Outer
             Context Inner
               [|] one...
               [+] one 207ms (149ms|58ms)
               [|] two <x>...
               [+] two 1 25ms (13ms|11ms)
               [|] two <x>...
               [-] two 2 74ms (66ms|8ms)
                Expected 1, but got 2.
                at <ScriptBlock>, /repo/tests/Pester/A.Tests.ps1:4
               [|] skip...
               [!] skip 13ms (0ms|13ms)
              [|] slow...
              [+] slow 2.01s (2.01s|4ms)

            Running tests from '/repo/tests/Pester/B.Tests.ps1'
            Describing Second
             Context First context
               [|] done...
               [+] done 20ms (10ms|10ms)
             Context Other context
              Context Deeper
                [|] hangs here...
            """;

        [Fact]
        public void Progress_counts_the_finished_tests_and_names_the_one_that_started_and_did_not_end()
        {
            var progress = PesterProgress.Read(Output.Replace("\n", "\r\n"));
            Assert.Equal(new PesterProgress(4, 1, 1, "/repo/tests/Pester/B.Tests.ps1: Second > Other context > Deeper > hangs here"), progress);
        }

        [Fact]
        public void Progress_names_no_test_when_the_last_one_ended()
        {
            var upToSlow = Output[..(Output.IndexOf("[+] slow", StringComparison.Ordinal) + 20)];
            Assert.Equal(new PesterProgress(3, 1, 1, null), PesterProgress.Read(upToSlow));
        }

        [Fact]
        public void A_run_that_hangs_is_stopped_and_the_report_gives_the_counts_so_far_and_the_test_that_was_running()
        {
            var scratch = Path.Combine(Path.GetTempPath(), "wt-pester-hang-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(scratch);
            try
            {
                var file = Path.Combine(scratch, "Hang.Tests.ps1");
                File.WriteAllText(file, """
                    Describe 'Runner' {
                        Context 'limits' {
                            It 'passes first' { 1 | Should -Be 1 }
                            It 'is skipped' -Skip { }
                            It 'hangs' { Start-Sleep -Seconds 3600 }
                            It 'never runs' { }
                        }
                    }
                    """);

                // Silence for 2 minutes is the hang (until the test starts pwsh prints a line every few seconds idle, and
                // every 20-30 s under a load average of 40); the overall limit is far off, so that the idle limit is the
                // one tried. The test runs beside the Pester suite, which takes longer.
                var run = PesterSuiteTests.PesterRun(Path.Combine(scratch, "out"), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(2), file);
                var line = PesterSuiteTests.StoppedLine(run);
                _output.WriteLine("(this stop was the test's intent) " + line);
                _output.WriteLine(run.Output);

                Assert.Equal(-1, run.ExitCode);
                Assert.StartsWith("it printed nothing for 2 min", run.StoppedBecause);
                Assert.Equal($"Pester (real pwsh) STOPPED, {run.StoppedBecause}: so far Passed: 1, Failed: 0, Skipped: 1; running: {file}: Runner > limits > hangs", line);
                Assert.False(File.Exists(Path.Combine(scratch, "out", "summary.json")));
            }
            finally
            {
                Directory.Delete(scratch, true);
            }
        }
    }
}
