using System.Collections;
using System.IO;
using System.Management.Automation.Language;

namespace WorkflowTools.Tests.Harness
{
    /// <summary>
    /// The per-cmdlet test cases in tests/Pester/CmdletCases.psd1 (shared with the Pester files), read as
    /// Import-PowerShellDataFile reads them: parsed, and only constant values allowed.
    /// </summary>
    public static class CmdletCases
    {
        public static string FilePath => Path.Combine(RepoPaths.Root, "tests", "Pester", "CmdletCases.psd1");

        /// <summary>One table per cmdlet, in the file's order (Name, LeakSuccess, LeakFailure, Job, Samples).</summary>
        public static IReadOnlyList<Hashtable> Load()
        {
            var ast = Parser.ParseFile(FilePath, out _, out var errors);
            if (errors.Length > 0)
            {
                throw new InvalidDataException(string.Join("\n", errors.Select(e => $"CmdletCases.psd1:{e.Extent.StartLineNumber}: {e.Message}")));
            }

            var data = (Hashtable)((HashtableAst)ast.Find(a => a is HashtableAst, false)!).SafeGetValue();
            return ((object[])data["Cmdlets"]!).Cast<Hashtable>().ToList();
        }

        /// <summary>A case's text for <paramref name="key"/>; a missing or empty one fails the test that asks.</summary>
        public static string Text(Hashtable cmdletCase, string key) =>
            cmdletCase[key] is string text && text.Length > 0
                ? text
                : throw new InvalidDataException($"CmdletCases.psd1: {cmdletCase["Name"]} has no {key}");
    }
}
