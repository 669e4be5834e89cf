using System.Diagnostics;
using System.Threading.Tasks;
using WorkflowTools.Sandbox;
using Xunit.Abstractions;

namespace WorkflowTools.Compat.Tests
{
    /// <summary>Where mono is, if it is on PATH.</summary>
    internal static class Mono
    {
        public static string? Path { get; } = Find();

        private static string? Find() =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => System.IO.Path.Combine(dir, "mono"))
                .FirstOrDefault(File.Exists);
    }

    /// <summary>A fact that is skipped, with one line saying so, where mono is not on PATH.</summary>
    public sealed class MonoFactAttribute : FactAttribute
    {
        public MonoFactAttribute()
        {
            if (Mono.Path == null)
            {
                Skip = "SKIPPED: mono is not on PATH, so the net48 harness did not run under Mono (apt-get install mono-complete; .ci/run does).";
            }
        }
    }

    /// <summary>
    /// The net48 harness (tests/Fixtures/Net48Harness) under Mono: WorkflowTools.Core, Polly and
    /// System.Text.Json loaded from the built module's Dependencies/ through the shipped 5.1 handler, and the
    /// seed jobs run through the core's clients against a sandbox this test starts on a free loopback port.
    /// Mono is not .NET Framework; this exercises the Framework profile of the libraries, the async-only
    /// HTTP path, and the resolver.
    /// </summary>
    public class MonoHarnessTests
    {
        private readonly ITestOutputHelper _output;

        public MonoHarnessTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [MonoFact]
        public async Task The_seed_jobs_run_under_mono_with_the_core_loaded_through_the_5_1_handler()
        {
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
            var nm = sandbox.NextMatterBaseUri.AbsolutePath;
            sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = nm + "processes/2/", Kind = FaultKind.Status, StatusCode = 503, RetryAfter = string.Empty, Times = 1 });
            sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = nm + "instances/1001/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "1", Times = 1 });
            sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = nm + "instances/1002/", Kind = FaultKind.Delay, Delay = TimeSpan.FromSeconds(60) });

            var (exitCode, output) = await RunHarnessAsync(RepoPaths.ModuleFolder, sandbox);
            Assert.True(exitCode == 0, output);

            var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            foreach (var job in new[] { "create instance", "complete step", "list by runtime with paging", "start ProcessMaker request", "retry through a 503", "retry through a 429", "cancelled wait" })
            {
                Assert.Contains(lines, l => l.StartsWith("ok " + job + " (", StringComparison.Ordinal));
            }

            Assert.Contains("harness: 7 passed, 0 failed", lines);
            // The libraries came from the module's Dependencies/, which the harness's own folder does not hold.
            foreach (var library in new[] { "WorkflowTools.Core", "Polly.Core", "System.Text.Json", "Microsoft.Bcl.AsyncInterfaces", "System.Memory" })
            {
                Assert.Contains(lines, l => l.StartsWith($"loaded: {library} ", StringComparison.Ordinal) && l.EndsWith($" from <module>/Dependencies/{library}.dll", StringComparison.Ordinal));
            }

            Assert.Contains(lines, l => l.StartsWith("asked the handler: WorkflowTools.Core,", StringComparison.Ordinal));

            // The sandbox saw the retries: each faulted GET once with its fault, then once answered.
            var log = sandbox.Requests.All;
            Assert.Equal(new[] { 503, 200 }, log.Where(r => r.Method == "GET" && r.Path == nm + "processes/2/").Select(r => r.StatusCode));
            Assert.Equal(new[] { 429, 200 }, log.Where(r => r.Method == "GET" && r.Path == nm + "instances/1001/").Select(r => r.StatusCode));
            var listing = log.Where(r => r.Method == "GET" && r.Path.EndsWith("/instances/", StringComparison.Ordinal) && r.Query.Contains("page_size=2", StringComparison.Ordinal)).ToList();
            Assert.True(listing.Count >= 2, $"{listing.Count} listing requests");
            Assert.Contains("total_runtime_max=1%2000%3A09%3A30", listing[0].Query);
        }

        [MonoFact]
        public async Task Under_mono_the_handler_refuses_a_core_older_than_the_one_referenced_and_the_load_fails_naming_it()
        {
            using var copy = new ModuleCopy();
            ModuleCopy.SetAssemblyVersion(copy.Dependency("WorkflowTools.Core.dll"), new Version(0, 0, 1, 0));
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());

            var (exitCode, output) = await RunHarnessAsync(copy.Folder, sandbox);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("asked the handler: WorkflowTools.Core, Version=0.1.0.0", output);
            Assert.Contains("Could not load file or assembly 'WorkflowTools.Core, Version=0.1.0.0", output);
            Assert.DoesNotContain("loaded: WorkflowTools.Core ", output);
            Assert.Empty(sandbox.Requests.All);
        }

        /// <summary>Runs the harness under mono against <paramref name="moduleFolder"/>; stops it (whole tree) after 600 s (it takes seconds idle; the limit is for a loaded machine).</summary>
        private async Task<(int ExitCode, string Output)> RunHarnessAsync(string moduleFolder, SandboxServer sandbox)
        {
            var harness = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests", "Fixtures", "Net48Harness", "bin"), "Net48Harness.exe", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .First();
            var start = new ProcessStartInfo(Mono.Path!) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
            foreach (var argument in new[] { "--debug", harness, moduleFolder, sandbox.NextMatterBaseUri.AbsoluteUri, sandbox.NextMatterApiKey, sandbox.ProcessMakerBaseUri.AbsoluteUri, sandbox.ProcessMakerToken })
            {
                start.ArgumentList.Add(argument);
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var exited = process.WaitForExit(600_000);
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            var output = await stdout + await stderr;
            _output.WriteLine($"mono harness: {clock.Elapsed.TotalSeconds:0.0} s, exit {(exited ? process.ExitCode.ToString() : "killed after 600 s")}\n{output}");
            Assert.True(exited, "the harness did not finish in 600 s:\n" + output);
            return (process.ExitCode, output);
        }
    }
}
