using System.IO;

namespace WorkflowTools.Tests
{
    /// <summary>The engine harness itself: when a session cannot import the module, the failure says why.</summary>
    public class HarnessTests
    {
        [Fact]
        public void A_failed_module_import_shows_the_inner_exception()
        {
            var copy = Path.Combine(Path.GetTempPath(), "wt-broken-module-" + Guid.NewGuid().ToString("N"), "WorkflowTools", RepoPaths.ModuleVersion);
            try
            {
                foreach (var file in Directory.EnumerateFiles(RepoPaths.ModuleFolder, "*", SearchOption.AllDirectories))
                {
                    var target = Path.Combine(copy, Path.GetRelativePath(RepoPaths.ModuleFolder, file));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target);
                }

                // The module's main assembly is not an assembly any more.
                File.WriteAllText(Path.Combine(copy, "WorkflowTools.dll"), "not a PE file");

                var failure = Assert.Throws<InvalidOperationException>(() => new PsSession(manifest: Path.Combine(copy, "WorkflowTools.psd1")).Dispose());
                Assert.StartsWith($"Import-Module '{Path.Combine(copy, "WorkflowTools.psd1")}' failed:", failure.Message);
                Assert.Contains("BadImageFormatException", failure.Message);
                Assert.NotNull(failure.InnerException);
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(copy))!, true);
            }
        }
    }
}
