using System.IO;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>
    /// The help convention for the Next Matter cmdlets: a synopsis and a description on each cmdlet class, a
    /// summary on each parameter, and an examples file with at least two examples whose code parses and uses only
    /// parameters the cmdlets have.
    /// </summary>
    public class NmHelpTests : IClassFixture<SandboxFixture>
    {
        private static readonly Regex ExampleBlock = new Regex(
            @"^## Example (?<n>\d+): (?<title>[^\n]+)\n```powershell\n(?<code>.+?)\n```\n(?<text>[^\n#`][^\n]*)\n",
            RegexOptions.Singleline | RegexOptions.Multiline);

        private readonly SandboxFixture _f;

        public NmHelpTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        public static IEnumerable<object[]> NextMatterCmdlets()
        {
            var text = File.ReadAllText(RepoPaths.Manifest);
            return Regex.Matches(text, @"'(\w+-Nm\w+)'").Select(m => new object[] { m.Groups[1].Value });
        }

        [Theory]
        [MemberData(nameof(NextMatterCmdlets))]
        public void Each_cmdlet_has_at_least_two_well_formed_examples_that_use_real_parameters(string cmdlet)
        {
            var path = Path.Combine(RepoPaths.Root, "src", "WorkflowTools", "Help", "Examples", cmdlet + ".md");
            Assert.True(File.Exists(path), path + " is missing");
            var text = File.ReadAllText(path).Replace("\r\n", "\n");
            var examples = ExampleBlock.Matches(text + "\n");
            Assert.True(examples.Count >= 2, $"{cmdlet}: {examples.Count} example(s) in the required form");
            Assert.Equal(Enumerable.Range(1, examples.Count).Select(n => n.ToString()), examples.Select(m => m.Groups["n"].Value));
            Assert.Equal(Regex.Matches(text, "^## ", RegexOptions.Multiline).Count, examples.Count);

            var usesItself = false;
            foreach (Match example in examples)
            {
                var code = example.Groups["code"].Value;
                var ast = Parser.ParseInput(code, out _, out var errors);
                Assert.True(errors.Length == 0, $"{cmdlet} example {example.Groups["n"].Value}: {string.Join("; ", errors.Select(e => e.Message))}");
                foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true))
                {
                    var name = command.GetCommandName();
                    if (name == null || !Regex.IsMatch(name, @"^\w+-(Nm|Pm)\w+$"))
                    {
                        continue;
                    }

                    usesItself |= name == cmdlet;
                    var parameters = ParametersOf(name);
                    foreach (var parameter in command.CommandElements.OfType<CommandParameterAst>())
                    {
                        var matches = parameters.Where(p => p.StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase)).ToList();
                        Assert.True(
                            matches.Any(p => string.Equals(p, parameter.ParameterName, StringComparison.OrdinalIgnoreCase)) || matches.Count == 1,
                            $"{cmdlet} example {example.Groups["n"].Value}: {name} has no parameter -{parameter.ParameterName}");
                    }
                }
            }

            Assert.True(usesItself, $"no example of {cmdlet} calls {cmdlet}");
        }

        [Fact]
        public void Every_Next_Matter_cmdlet_class_has_a_synopsis_a_description_and_parameter_summaries()
        {
            var folder = Path.Combine(RepoPaths.Root, "src", "WorkflowTools", "Cmdlets", "NextMatter");
            var problems = new List<string>();
            foreach (var file in Directory.GetFiles(folder, "*.cs"))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var line = lines[i].Trim();
                    var isCmdlet = line.StartsWith("[Cmdlet(", StringComparison.Ordinal);
                    var isParameter = line.StartsWith("[Parameter", StringComparison.Ordinal);
                    if (!isCmdlet && !isParameter)
                    {
                        continue;
                    }

                    var j = i - 1;
                    while (j >= 0 && lines[j].Trim().StartsWith("[", StringComparison.Ordinal))
                    {
                        j--;
                    }

                    var doc = new List<string>();
                    while (j >= 0 && lines[j].Trim().StartsWith("///", StringComparison.Ordinal))
                    {
                        doc.Insert(0, lines[j].Trim());
                        j--;
                    }

                    var docText = string.Join(" ", doc);
                    var where = $"{Path.GetFileName(file)}:{i + 1}";
                    if (!Regex.IsMatch(docText, @"<summary>\s*\S.*</summary>"))
                    {
                        problems.Add(where + " has no summary");
                    }

                    if (isCmdlet && !Regex.IsMatch(docText, @"<remarks>\s*\S.*</remarks>"))
                    {
                        problems.Add(where + " has no remarks");
                    }
                }
            }

            Assert.Empty(problems);
        }

        [Fact]
        public void Every_new_Next_Matter_output_type_has_a_table_view()
        {
            var formats = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "WorkflowTools", "Formats", "NextMatter.format.ps1xml"));
            foreach (var type in new[] { "NmInstance", "NmStepCompletion", "NmProcess", "NmStep", "NmStepAction", "NmFieldValue", "NmBulkResult" })
            {
                Assert.Contains($"<TypeName>WorkflowTools.NextMatter.{type}</TypeName>", formats);
            }

            var table = _f.Session.Run("Get-NmProcess 1 -Action | Format-Table | Out-String -Width 200").ThrowIfFailed().Output.Single().ToString();
            Assert.Matches(@"StepId\s+Id\s+Name\s+Type\s+Required\s+Options", table);
            Assert.Contains("Value 2;Sales;IT", table);
            var values = _f.Session.Run("Get-NmFieldValue 1 42 123456 -InstanceId 1003 | Format-Table | Out-String -Width 200").ThrowIfFailed().Output.Single().ToString();
            Assert.Contains("Alan Turing", values);
            Assert.DoesNotContain("Exception", values);
        }

        private List<string> ParametersOf(string cmdlet)
        {
            var names = _f.Session.Run($"(Get-Command {cmdlet}).Parameters.Values | ForEach-Object {{ $_.Name; $_.Aliases }}").ThrowIfFailed().Output.Select(o => o.ToString()).ToList();
            Assert.NotEmpty(names);
            return names;
        }
    }
}
