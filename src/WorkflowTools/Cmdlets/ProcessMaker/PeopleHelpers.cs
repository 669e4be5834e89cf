using System.Management.Automation;
using System.Text.RegularExpressions;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>What the people cmdlets share: name patterns (wildcards, else the whole name) and the text the server can search for.</summary>
    internal static class NamePattern
    {
        /// <summary>A case-insensitive pattern: wildcards as given, otherwise the exact name.</summary>
        public static WildcardPattern Of(string name) => new WildcardPattern(
            WildcardPattern.ContainsWildcardCharacters(name) ? name : WildcardPattern.Escape(name),
            WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);

        /// <summary>The longest run of the pattern without wildcard characters: what ProcessMaker's filter can search for.</summary>
        public static string LongestLiteral(string pattern)
        {
            var best = string.Empty;
            foreach (var part in Regex.Split(pattern, @"[*?\[\]]"))
            {
                if (part.Length > best.Length)
                {
                    best = part;
                }
            }

            return best.Replace("`", string.Empty);
        }
    }
}
