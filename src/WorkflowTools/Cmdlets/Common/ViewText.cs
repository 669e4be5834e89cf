using System.Collections.Generic;
using System.Text;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Text for the table views (Formats/*.format.ps1xml): a value too long for its column is broken into lines
    /// between its parts (words, tags), so a view with &lt;Wrap/&gt; shows all of it without splitting a word.
    /// </summary>
    public static class ViewText
    {
        /// <summary>
        /// <paramref name="text"/> split at <paramref name="separator"/> and laid out in lines of at most
        /// <paramref name="width"/> characters; a separator other than a space starts the line after a break. A part longer than
        /// the width keeps a line of its own (PowerShell then wraps it where it must).
        /// </summary>
        public static string Lines(string? text, int width, char separator = ' ')
        {
            if (string.IsNullOrEmpty(text) || text!.Length <= width || width < 1)
            {
                return text ?? string.Empty;
            }

            var lines = new List<string>();
            var line = new StringBuilder();
            var parts = text.Split(separator);
            for (var i = 0; i < parts.Length; i++)
            {
                // Each part but the first carries its separator in front (";remote"), except a space, which is
                // left out where a line breaks.
                var part = (i > 0 && separator != ' ' ? separator.ToString() : string.Empty) + parts[i];
                var joiner = line.Length > 0 && separator == ' ' ? " " : string.Empty;
                if (line.Length > 0 && line.Length + joiner.Length + part.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                    joiner = string.Empty;
                }

                line.Append(joiner).Append(part);
            }

            lines.Add(line.ToString());
            return string.Join("\n", lines);
        }
    }
}
