using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WorkflowTools.Completion
{
    /// <summary>One value Tab may insert, the text of its menu entry and its tooltip. PowerShell-free.</summary>
    internal sealed class CompletionCandidate
    {
        public CompletionCandidate(string value, string? name)
        {
            Value = value;
            Name = string.IsNullOrWhiteSpace(name) ? null : name!.Trim();
        }

        public string Value { get; }

        public string? Name { get; }

        public string ListItem => Name == null ? Value : $"{Value} {Name}";

        public string ToolTip => Name ?? Value;

        /// <summary>
        /// What Tab offers for the word typed so far: values that start with it first, then those whose name
        /// contains it (so "onboard" finds workflow 1 "Employee onboarding"). Quotes around the word are ignored.
        /// </summary>
        public static IReadOnlyList<CompletionCandidate> Match(IEnumerable<CompletionCandidate> candidates, string? wordToComplete)
        {
            var word = (wordToComplete ?? string.Empty).Trim().Trim('\'', '"');
            var all = candidates.GroupBy(c => c.Value, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
            if (word.Length == 0)
            {
                return all;
            }

            var byValue = all.Where(c => c.Value.StartsWith(word, StringComparison.OrdinalIgnoreCase));
            var byName = all.Where(c => !c.Value.StartsWith(word, StringComparison.OrdinalIgnoreCase)
                && c.Name != null && CultureInfo.InvariantCulture.CompareInfo.IndexOf(c.Name, word, CompareOptions.IgnoreCase) >= 0);
            return byValue.Concat(byName).ToList();
        }
    }
}
