using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace WorkflowTools.Tests
{
    /// <summary>
    /// The module imports and retries through its own Polly in a host that already loaded an older
    /// Polly.Core (as another module would). Runs in its own process: a load context is per process.
    /// </summary>
    public class DependencyIsolationTests
    {
        [Fact]
        public async Task Imports_and_retries_beside_an_older_polly_already_loaded()
        {
            var probe = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests", "Fixtures", "ConflictProbe", "bin"), "ConflictProbe.dll", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .First();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(probe);
            start.ArgumentList.Add(RepoPaths.BuiltManifest);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60000), "the probe did not finish in 60 s");
            var output = await stdout + await stderr;
            Assert.True(process.ExitCode == 0, output);
            Assert.Contains("Polly.Core copies loaded: 2, WorkflowTools' own isolated: True", output);
            Assert.Contains("attempt 2 of", output);
        }
    }
}
