using System.IO;
using System.Management.Automation.Language;

namespace WorkflowTools.Tests
{
    /// <summary>Every *.ps1 in the repo parses with the PowerShell parser (tests/WorkflowTools.Pester runs the Pester files).</summary>
    public class ScriptParseTests
    {
        public static IEnumerable<object[]> Scripts() =>
            Directory.EnumerateFiles(RepoPaths.Root, "*.ps1", SearchOption.AllDirectories)
                .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}artifacts{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                .Select(p => new object[] { Path.GetRelativePath(RepoPaths.Root, p) });

        [Theory]
        [MemberData(nameof(Scripts))]
        public void Parses_without_errors(string relativePath)
        {
            Parser.ParseFile(Path.Combine(RepoPaths.Root, relativePath), out _, out var errors);
            Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}: {e.Message}")));
        }

        [Fact]
        public void There_are_pester_tests_to_parse()
        {
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests"), "*.Tests.ps1", SearchOption.AllDirectories));
        }

        [Fact]
        public void Pester_tests_only_call_cmdlets_the_module_exports()
        {
            using var session = new PsSession();
            var exported = session.Run("Get-Command -Module WorkflowTools | ForEach-Object Name").Output.Select(o => o.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
            // The test files and the scripts they share (OutputSamples.ps1, SandboxSetup.ps1).
            var scripts = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests"), "*.Tests.ps1", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests", "Pester"), "*.ps1").Where(f => !f.EndsWith(".Tests.ps1", StringComparison.Ordinal)));
            // And the scripts of CmdletCases.psd1, which are strings there (its samples and the jobs' cases).
            var parsed = scripts.Select(f => (Label: Path.GetFileName(f), Ast: (Ast)Parser.ParseFile(f, out _, out _)))
                .Concat(CmdletCases.Load().SelectMany(c => c.Values.OfType<string>().Concat((c["Samples"] as System.Collections.Hashtable)?.Values.OfType<string>() ?? Enumerable.Empty<string>())
                    .Select(text => (Label: $"CmdletCases.psd1 ({c["Name"]})", Ast: (Ast)Parser.ParseInput(text, out _, out _)))));
            foreach (var (label, ast) in parsed)
            {
                var used = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().Select(c => c.GetCommandName()).Where(n => n != null && System.Text.RegularExpressions.Regex.IsMatch(n, "^[A-Za-z]+-(Nm|Pm)[A-Za-z]+$"));
                foreach (var name in used)
                {
                    Assert.True(exported.Contains(name!), $"{label} calls {name}, which WorkflowTools does not export");
                }
            }
        }
    }
}
