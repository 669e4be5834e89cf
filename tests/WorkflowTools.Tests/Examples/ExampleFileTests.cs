using System.IO;
using System.Text.RegularExpressions;

namespace WorkflowTools.Tests.Examples
{
    /// <summary>The example files themselves: shipped with the module, quoted by the README, readable by Windows PowerShell.</summary>
    public class ExampleFileTests
    {
        private static string SourceFolder => Path.Combine(RepoPaths.Root, "src", "WorkflowTools", "Examples");

        private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

        public static IEnumerable<object[]> ExampleFiles() =>
            Directory.EnumerateFiles(SourceFolder).Select(p => new object[] { Path.GetFileName(p) });

        [Fact]
        public void There_are_the_seven_example_scripts()
        {
            var scripts = Directory.EnumerateFiles(SourceFolder, "*.ps1").Select(Path.GetFileName).OrderBy(n => n).ToArray();
            Assert.Equal(new[] { "ArchiveRequestFiles.ps1", "BulkCreateFromCsv.ps1", "CancelStaleRequests.ps1", "NightlyRuntimeReport.ps1", "OffboardUser.ps1", "PromoteProcess.ps1", "QuickStart.ps1" }, scripts);
        }

        [Theory]
        [MemberData(nameof(ExampleFiles))]
        public void Ships_unchanged_in_the_module_folder(string name)
        {
            var shipped = Path.Combine(RepoPaths.ModuleFolder, "Examples", name);
            Assert.True(File.Exists(shipped), $"{name} is not in {Path.GetDirectoryName(shipped)}");
            Assert.Equal(File.ReadAllBytes(Path.Combine(SourceFolder, name)), File.ReadAllBytes(shipped));
        }

        [Theory]
        [MemberData(nameof(ExampleFiles))]
        public void Is_plain_ascii_so_windows_powershell_reads_it_as_written(string name)
        {
            // Windows PowerShell 5.1 reads a file without a BOM in the ANSI code page: keep examples ASCII.
            var bytes = File.ReadAllBytes(Path.Combine(SourceFolder, name));
            var at = Array.FindIndex(bytes, b => b >= 0x80);
            Assert.True(at < 0, $"{name} has a non-ASCII byte at offset {at}");
        }

        [Fact]
        public void The_readme_quick_start_is_QuickStart_ps1_word_for_word()
        {
            var readme = Normalise(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")));
            var section = Regex.Match(readme, @"^## Quick start\n(.*?)(?=^## )", RegexOptions.Multiline | RegexOptions.Singleline);
            Assert.True(section.Success, "README.md has no '## Quick start' section");
            var block = Regex.Match(section.Groups[1].Value, @"^```powershell\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);
            Assert.True(block.Success, "the Quick start section has no ```powershell block");
            var script = Normalise(File.ReadAllText(Path.Combine(SourceFolder, "QuickStart.ps1")));
            Assert.Equal(script, block.Groups[1].Value);
        }

        [Fact]
        public void The_readme_opens_with_the_runner_and_the_test_command()
        {
            var readme = Normalise(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")));
            var first = Regex.Match(readme, @"^```[a-z]*\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);
            Assert.True(first.Success);
            Assert.Equal("dotnet run --project src/WorkflowTools.Try\ndotnet test WorkflowTools.sln\n", first.Groups[1].Value);
        }
    }
}
