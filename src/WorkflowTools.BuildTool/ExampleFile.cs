using System.Text;
using System.Text.RegularExpressions;

namespace WorkflowTools.BuildTool;

/// <summary>
/// Reads Help/Examples/&lt;Verb-Noun&gt;.md: sections "## Example N: title", each a ```powershell block
/// (the code exactly as typed) followed by the paragraph(s) that say what it does.
/// </summary>
internal static class ExampleFile
{
    private static readonly Regex Heading = new(@"^##\s+Example\s+(\d+)\s*:\s*(.+?)\s*$", RegexOptions.Compiled);

    public static List<Example> Parse(string file, Report report)
    {
        var examples = new List<Example>();
        var lines = File.ReadAllLines(file);
        var i = 0;
        while (i < lines.Length)
        {
            var match = Heading.Match(lines[i]);
            if (!match.Success)
            {
                if (lines[i].StartsWith("## ", StringComparison.Ordinal))
                {
                    report.Warn($"{file}({i + 1})", $"'{lines[i]}' is not of the form '## Example N: title'; the section is left out.");
                }

                i++;
                continue;
            }

            var title = match.Groups[2].Value;
            var number = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (number != examples.Count + 1)
            {
                report.Warn($"{file}({i + 1})", $"example '{title}' is numbered {number}, expected {examples.Count + 1}.");
            }

            var start = i + 1;
            i++;
            var code = new StringBuilder();
            var prose = new List<string>();
            var paragraph = new StringBuilder();
            var inCode = false;
            var sawCode = false;
            for (; i < lines.Length && (inCode || !lines[i].StartsWith("## ", StringComparison.Ordinal)); i++)
            {
                var line = lines[i];
                if (!inCode && !sawCode && Regex.IsMatch(line, @"^```\s*(powershell|ps1|pwsh)?\s*$", RegexOptions.IgnoreCase))
                {
                    inCode = true;
                    continue;
                }

                if (inCode)
                {
                    if (line.TrimEnd() == "```")
                    {
                        inCode = false;
                        sawCode = true;
                    }
                    else
                    {
                        code.Append(code.Length > 0 ? "\n" : string.Empty).Append(line.TrimEnd());
                    }

                    continue;
                }

                if (line.Trim().Length == 0)
                {
                    Flush(paragraph, prose);
                }
                else
                {
                    paragraph.Append(paragraph.Length > 0 ? " " : string.Empty).Append(line.Trim());
                }
            }

            Flush(paragraph, prose);
            if (!sawCode || code.Length == 0)
            {
                report.Warn($"{file}({start})", $"example '{title}' has no ```powershell code block; it is left out.");
                continue;
            }

            if (prose.Count == 0)
            {
                report.Warn($"{file}({start})", $"example '{title}' has no paragraph saying what it does.");
            }

            examples.Add(new Example(title, code.ToString(), prose));
        }

        return examples;
    }

    private static void Flush(StringBuilder paragraph, List<string> prose)
    {
        if (paragraph.Length > 0)
        {
            prose.Add(paragraph.ToString());
            paragraph.Clear();
        }
    }
}
