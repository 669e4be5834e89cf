using System.IO;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>The help convention for the ProcessMaker cmdlets: summary, remarks, parameter summaries, examples.</summary>
    public class PmHelpTests
    {
        private static readonly string[] Cmdlets =
        {
            "Connect-PmServer", "Get-PmConnection", "Disconnect-PmServer", "Get-PmProcess", "Start-PmRequest",
            "Get-PmRequest", "Stop-PmRequest", "Get-PmTask", "Complete-PmTask", "Invoke-PmApi",
            "Get-PmUser", "New-PmUser", "Set-PmUser", "Remove-PmUser", "Restore-PmUser", "Get-PmGroup", "New-PmGroup",
            "Set-PmGroup", "Remove-PmGroup", "Get-PmGroupMember", "Add-PmGroupMember", "Remove-PmGroupMember", "Set-PmTask",
            "Wait-PmRequest", "Set-PmRequest",
            "Get-PmEnvironmentVariable", "New-PmEnvironmentVariable", "Set-PmEnvironmentVariable", "Remove-PmEnvironmentVariable",
            "Get-PmRequestFile", "Save-PmRequestFile", "Add-PmRequestFile", "Remove-PmRequestFile",
            "Get-PmSecurityLog", "Export-PmProcess", "Import-PmProcess", "Remove-PmProcess", "Restore-PmProcess",
        };

        private static readonly Regex Example = new Regex(
            @"^## Example (\d+): (?<title>[^\r\n]+)\r?\n```powershell\r?\n(?<code>.+?)\r?\n```\r?\n(?<text>[^\r\n#`][^\r\n]*)\r?$",
            RegexOptions.Multiline | RegexOptions.Singleline);

        [Fact]
        public void Every_processmaker_cmdlet_is_exported()
        {
            var manifest = File.ReadAllText(RepoPaths.Manifest);
            Assert.All(Cmdlets, c => Assert.Contains($"'{c}'", manifest));
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
