using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace WorkflowTools.Pester
{
    /// <summary>
    /// How far a Pester run got, read from its plain-text Detailed output with start markers (Invoke-PesterSuite.ps1 sets
    /// Debug.ShowStartMarkers): "Running tests from '…'" per file, "Describing X" / " Context Y" per block (one space of
    /// indent per level), "[|] name..." when a test starts and "[+]", "[-]" or "[!]" when it has passed, failed or been
    /// skipped. Used when a run is stopped before its summary, to say what it had done and which test was running.
    /// </summary>
    internal sealed record PesterProgress(int Passed, int Failed, int Skipped, string? Running)
    {
        private static readonly Regex FileLine = new Regex(@"^Running tests from '(?<file>.+)'$");
        private static readonly Regex BlockLine = new Regex(@"^(?<indent> *)(Describing|Context) (?<name>.+)$");
        private static readonly Regex StartLine = new Regex(@"^(?<indent> +)\[\|\] (?<name>.+)\.\.\.$");
        private static readonly Regex EndLine = new Regex(@"^ +\[(?<mark>[+\-!])\] ");

        public static PesterProgress Read(string output)
        {
            int passed = 0, failed = 0, skipped = 0;
            string? file = null;
            string? running = null;
            var blocks = new List<string>();
            foreach (var raw in output.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                Match m;
                if ((m = FileLine.Match(line)).Success)
                {
                    file = m.Groups["file"].Value;
                    blocks.Clear();
                    running = null;
                }
                else if ((m = BlockLine.Match(line)).Success)
                {
                    var level = m.Groups["indent"].Length;
                    if (blocks.Count > level) blocks.RemoveRange(level, blocks.Count - level);
                    blocks.Add(m.Groups["name"].Value);
                }
                else if ((m = StartLine.Match(line)).Success)
                {
                    // A test's indent is its depth: one per enclosing block.
                    var path = blocks.Take(m.Groups["indent"].Length - 1).Append(m.Groups["name"].Value);
                    running = (file != null ? file + ": " : "") + string.Join(" > ", path);
                }
                else if ((m = EndLine.Match(line)).Success)
                {
                    switch (m.Groups["mark"].Value)
                    {
                        case "+": passed++; break;
                        case "-": failed++; break;
                        default: skipped++; break;
                    }

                    running = null;
                }
            }

            return new PesterProgress(passed, failed, skipped, running);
        }
    }
}
