using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace WorkflowTools.Pester
{
    /// <summary>
    /// The Pester suite in real pwsh: restores the pinned pwsh tool, runs tests/Pester/Invoke-PesterSuite.ps1 with
    /// stdin closed, and fails listing every Pester test that failed. The counts are printed in the same shape as
    /// `dotnet test`'s own summary, so a run's closing line (.ci/run) adds them up with the xunit counts.
    /// </summary>
    public class PesterSuiteTests
    {
        private static readonly TimeSpan ToolRestoreTimeout = TimeSpan.FromMinutes(3);
        private static readonly TimeSpan SuiteTimeout = TimeSpan.FromMinutes(10);

        private readonly ITestOutputHelper _output;

        public PesterSuiteTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void The_pester_suite_passes_in_real_pwsh()
        {
            var root = RealPwsh.Metadata("RepoRoot");
            var pester = RealPwsh.Metadata("PesterManifest");
            var sandboxDll = RealPwsh.Metadata("SandboxDll");
            Assert.True(File.Exists(pester), $"Pester is not restored at {pester}.");
            Assert.True(File.Exists(sandboxDll), $"The sandbox is not built at {sandboxDll}.");

            var restore = RealPwsh.Dotnet(root, ToolRestoreTimeout, new Dictionary<string, string>(), "tool", "restore");
            Assert.True(restore.ExitCode == 0, $"dotnet tool restore failed ({restore.ExitCode}):\n{restore.Output}");

            var outputFolder = Path.Combine(root, "artifacts", "pester");
            var summaryPath = Path.Combine(outputFolder, "summary.json");
            Directory.CreateDirectory(outputFolder);
            File.Delete(summaryPath);
            var environment = new Dictionary<string, string>
            {
                ["WORKFLOWTOOLS_SANDBOX_DLL"] = sandboxDll,
                ["CI"] = "true",
            };
            var run = RealPwsh.Dotnet(root, SuiteTimeout, environment,
                "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(root, "tests", "Pester", "Invoke-PesterSuite.ps1"),
                "-PesterManifest", pester, "-OutputFolder", outputFolder);
            File.WriteAllText(Path.Combine(outputFolder, "output.log"), run.Output);

            Assert.True(File.Exists(summaryPath), $"The Pester run wrote no summary (exit code {run.ExitCode}):\n{Tail(run.Output)}");
            using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
            var s = summary.RootElement;
            int Count(string name) => s.GetProperty(name).GetInt32();
            var line = $"Pester (real pwsh) - Failed: {Count("Failed"),5}, Passed: {Count("Passed"),5}, Skipped: {Count("Skipped"),5}, Total: {Count("Total"),5}, Duration: {s.GetProperty("Seconds").GetDouble():0.#} s";
            // `dotnet test` prints this line for this project in place of its one-test summary (VSTestLogger in the
            // project asks for the output of passing tests), so .ci/run's closing line counts the Pester tests.
            _output.WriteLine(line);

            var failures = s.GetProperty("Failures").EnumerateArray()
                .Select(f => $"- {f.GetProperty("Name").GetString()}\n    {f.GetProperty("Message").GetString()?.Replace("\n", "\n    ")}")
                .ToList();
            Assert.True(run.ExitCode == 0 && failures.Count == 0,
                $"The Pester suite failed (exit code {run.ExitCode}); {failures.Count} failure(s):\n{string.Join("\n", failures)}\n" +
                $"Pester's output: {Path.Combine(outputFolder, "output.log")}; results: {Path.Combine(outputFolder, "results.xml")}");
            Assert.True(Count("Passed") > 0, "The Pester run passed no test.");
        }

        private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
    }
}
