using System.IO;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>The help convention for the ProcessMaker cmdlets: summary, remarks, parameter summaries, examples.</summary>
    public class PmHelpTests
    {
        /// <summary>The ProcessMaker cmdlets: the manifest's CmdletsToExport whose noun starts with Pm.</summary>
        private static readonly string[] Cmdlets = ManifestProcessMakerCmdlets();

        private static string[] ManifestProcessMakerCmdlets()
        {
            var text = File.ReadAllText(RepoPaths.Manifest);
            var block = Regex.Match(text, @"CmdletsToExport\s*=\s*@\(([^)]*)\)", RegexOptions.Singleline).Groups[1].Value;
            return Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).Where(n => n.Contains("-Pm")).ToArray();
        }

        private static readonly Regex Example = new Regex(
            @"^## Example (\d+): (?<title>[^\r\n]+)\r?\n```powershell\r?\n(?<code>.+?)\r?\n```\r?\n(?<text>[^\r\n#`][^\r\n]*)\r?$",
            RegexOptions.Multiline | RegexOptions.Singleline);

        [Fact]
        public void Every_processmaker_cmdlet_is_exported()
        {
            // Every ProcessMaker cmdlet class in the source is in the manifest (the list the other tests here run over).
            Assert.True(Cmdlets.Length > 30, $"the manifest lists only {Cmdlets.Length} ProcessMaker cmdlets");
            var classes = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "WorkflowTools", "Cmdlets"), "*.cs", SearchOption.AllDirectories)
                .SelectMany(f => Regex.Matches(File.ReadAllText(f), "\\[Cmdlet\\(Verbs\\w+\\.(\\w+), \"(Pm\\w+)\"").Select(m => $"{m.Groups[1].Value}-{m.Groups[2].Value}"))
                .ToList();
            Assert.NotEmpty(classes);
            Assert.All(classes, c => Assert.Contains(c, Cmdlets));
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Has_at_least_two_examples_in_the_house_form_whose_code_parses(string cmdlet)
        {
            var path = Path.Combine(RepoPaths.Root, "src", "WorkflowTools", "Help", "Examples", cmdlet + ".md");
            Assert.True(File.Exists(path), path + " is missing");
            var text = File.ReadAllText(path);
            var headings = Regex.Matches(text, "^## ", RegexOptions.Multiline).Count;
            var examples = Example.Matches(text);
            Assert.True(examples.Count >= 2, $"{cmdlet}: {examples.Count} examples");
            Assert.Equal(headings, examples.Count);
            for (var i = 0; i < examples.Count; i++)
            {
                Assert.Equal((i + 1).ToString(), examples[i].Groups[1].Value);
                Parser.ParseInput(examples[i].Groups["code"].Value, out _, out var errors);
                Assert.True(errors.Length == 0, $"{cmdlet} example {i + 1}: {string.Join("; ", errors.Select(e => e.Message))}");
                Assert.Contains(cmdlet, examples[i].Groups["code"].Value, StringComparison.OrdinalIgnoreCase);
            }
        }

        [Fact]
        public void Every_cmdlet_class_has_summary_and_remarks_and_every_parameter_a_summary()
        {
            var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "WorkflowTools", "Cmdlets", "ProcessMaker"), "*Command.cs")
                .Append(Path.Combine(RepoPaths.Root, "src", "WorkflowTools", "Cmdlets", "Connections", "ConnectionCmdlets.cs"));
            var seen = new List<string>();
            foreach (var file in files)
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var cmdlet = Regex.Match(lines[i], "\\[Cmdlet\\(Verbs\\w+\\.(\\w+), \"(Pm\\w+)\"");
                    if (cmdlet.Success)
                    {
                        var name = $"{cmdlet.Groups[1].Value}-{cmdlet.Groups[2].Value}";
                        seen.Add(name);
                        var header = string.Join("\n", lines.Take(i).Reverse().TakeWhile(l => l.TrimStart().StartsWith("///") || l.TrimStart().StartsWith("[")).Reverse());
                        Assert.True(header.Contains("<summary>") && header.Contains("<remarks>"), name + " lacks <summary> or <remarks>");
                    }

                    if (lines[i].TrimStart().StartsWith("[Parameter") && file.Contains("ProcessMaker"))
                    {
                        var above = lines.Take(i).Reverse().TakeWhile(l => l.TrimStart().StartsWith("///") || l.TrimStart().StartsWith("[")).ToList();
                        Assert.True(above.Any(l => l.Contains("/// <summary>")), $"{Path.GetFileName(file)} line {i + 1}: parameter without /// <summary>");
                    }
                }
            }

            Assert.Equal(Cmdlets.OrderBy(c => c), seen.Where(s => s.Contains("-Pm")).OrderBy(c => c));
        }

        public static IEnumerable<object[]> Names() => Cmdlets.Select(c => new object[] { c });
    }
}
