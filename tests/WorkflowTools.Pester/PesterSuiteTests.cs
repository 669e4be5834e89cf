using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace WorkflowTools.Pester
{
    /// <summary>
    /// The Pester suite in real pwsh: runs tests/Pester/Invoke-PesterSuite.ps1 in the pinned pwsh (restored by this
    /// project's build) with stdin closed, and fails listing every Pester test that failed. The counts are printed in the
    /// same shape as `dotnet test`'s own summary, so a run's closing line (.ci/run) adds them up with the xunit counts.
    /// A run that does not finish is stopped, and then the counts so far and the test that was running are reported.
    /// </summary>
    public class PesterSuiteTests
    {
        // The suite takes about 150 s on an idle 2-core machine and went past 10 min under a load average of 15-48:
        // the whole run may take 45 min (WORKFLOWTOOLS_PESTER_TIMEOUT_MINUTES sets another limit), but a run that prints
        // nothing for 10 min (no test starts or ends; the longest single test takes seconds) is taken as hung.
        private static readonly TimeSpan SuiteTimeout = TimeSpan.FromMinutes(
            double.TryParse(Environment.GetEnvironmentVariable("WORKFLOWTOOLS_PESTER_TIMEOUT_MINUTES"), NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes > 0 ? minutes : 45);
        private static readonly TimeSpan SuiteIdleTimeout = TimeSpan.FromMinutes(Math.Min(10, SuiteTimeout.TotalMinutes));

        private readonly ITestOutputHelper _output;

        public PesterSuiteTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void The_pester_suite_passes_in_real_pwsh()
        {
            var root = RealPwsh.Metadata("RepoRoot");
            var outputFolder = Path.Combine(root, "artifacts", "pester");
            var run = PesterRun(outputFolder, SuiteTimeout, SuiteIdleTimeout);
            File.WriteAllText(Path.Combine(outputFolder, "output.log"), run.Output);
            if (run.StoppedBecause != null)
            {
                var line = StoppedLine(run);
                _output.WriteLine(line);
                Assert.Fail($"{line}\nPester's output: {Path.Combine(outputFolder, "output.log")}\n{Tail(run.Output)}");
            }

            var summaryPath = Path.Combine(outputFolder, "summary.json");
            if (!File.Exists(summaryPath))
            {
                // pwsh ended before Pester's summary (killed, crashed): say how far it got.
                var line = StoppedLine(run);
                _output.WriteLine(line);
                Assert.Fail($"The Pester run wrote no summary. {line}\nPester's output: {Path.Combine(outputFolder, "output.log")}\n{Tail(run.Output)}");
            }

            using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
            var s = summary.RootElement;
            int Count(string name) => s.GetProperty(name).GetInt32();
            var counts = $"Pester (real pwsh) - Failed: {Count("Failed"),5}, Passed: {Count("Passed"),5}, Skipped: {Count("Skipped"),5}, Total: {Count("Total"),5}, Duration: {s.GetProperty("Seconds").GetDouble():0.#} s";
            // `dotnet test` prints this line for this project in place of its one-test summary (VSTestLogger in the
            // project asks for the output of passing tests), so .ci/run's closing line counts the Pester tests.
            _output.WriteLine(counts);

            var failures = s.GetProperty("Failures").EnumerateArray()
                .Select(f => $"- {f.GetProperty("Name").GetString()}\n    {f.GetProperty("Message").GetString()?.Replace("\n", "\n    ")}")
                .ToList();
            Assert.True(run.ExitCode == 0 && failures.Count == 0,
                $"The Pester suite failed (exit code {run.ExitCode}); {failures.Count} failure(s):\n{string.Join("\n", failures)}\n" +
                $"Pester's output: {Path.Combine(outputFolder, "output.log")}; results: {Path.Combine(outputFolder, "results.xml")}");
            Assert.True(Count("Passed") > 0, "The Pester run passed no test.");
        }

        /// <summary>
        /// Runs Invoke-PesterSuite.ps1 on <paramref name="path"/> (a file or folder; by default the whole suite) with the restored Pester and
        /// the built module (and its sandbox), writing results to <paramref name="outputFolder"/>.
        /// </summary>
        internal static RunResult PesterRun(string outputFolder, TimeSpan timeout, TimeSpan idleTimeout, string? path = null)
        {
            var root = RealPwsh.Metadata("RepoRoot");
            var pester = RealPwsh.Metadata("PesterManifest");
            // The harness starts each file's sandbox with Start-WorkflowToolsSandbox, from the built module's copy.
            var sandboxDll = Path.Combine(RealPwsh.Metadata("ModuleFolder"), "Sandbox", "WorkflowTools.Sandbox.dll");
            Assert.True(File.Exists(pester), $"Pester is not restored at {pester}.");
            Assert.True(File.Exists(sandboxDll), $"The sandbox is not built at {sandboxDll}.");

            Directory.CreateDirectory(outputFolder);
            File.Delete(Path.Combine(outputFolder, "summary.json"));
            var environment = new Dictionary<string, string>
            {
                ["CI"] = "true",
            };
            var arguments = new List<string>
            {
                "-NoProfile", "-NonInteractive", "-File", Path.Combine(root, "tests", "Pester", "Invoke-PesterSuite.ps1"),
                "-PesterManifest", pester, "-OutputFolder", outputFolder,
            };
            if (path != null)
            {
                arguments.Add("-Path");
                arguments.Add(path);
            }

            return RealPwsh.Pwsh(timeout, idleTimeout, environment, arguments.ToArray());
        }

        /// <summary>The line for a run that was stopped or ended early: why, the counts so far, and the test that was running.</summary>
        internal static string StoppedLine(RunResult run)
        {
            var progress = PesterProgress.Read(run.Output);
            var why = run.StoppedBecause != null ? "STOPPED, " + run.StoppedBecause : $"ENDED EARLY: pwsh exited with code {run.ExitCode} before Pester's summary";
            return $"Pester (real pwsh) {why}: so far Passed: {progress.Passed}, Failed: {progress.Failed}, " +
                $"Skipped: {progress.Skipped}; running: {progress.Running ?? "no test (between tests, or none had started)"}";
        }

        private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
    }
}
