using System.Globalization;
using System.Text;

namespace WorkflowTools.Http
{
    /// <summary>
    /// Reads the JSON escapes that stand for an ordinary character (<c>\/</c>, and <c>\uXXXX</c> for anything
    /// but a quote, a backslash, a control character or half a surrogate pair), so that a secret a server
    /// wrote in such a form can be recognised. The escapes that keep a JSON text valid stay as they are, so
    /// the result still parses as the same JSON.
    /// </summary>
    internal static class JsonEscapes
    {
        /// <summary>The text with harmless escapes read; the same instance when it has none.</summary>
        public static string ReadHarmless(string text)
        {
            var first = text.IndexOf('\\');
            if (first < 0)
            {
                return text;
            }

            var result = new StringBuilder(text.Length);
            result.Append(text, 0, first);
            var changed = false;
            var i = first;
            while (i < text.Length)
            {
                var c = text[i];
                if (c != '\\' || i + 1 >= text.Length)
                {
                    result.Append(c);
                    i++;
                    continue;
                }

                var next = text[i + 1];
                if (next == '/')
                {
                    result.Append('/');
                    changed = true;
                    i += 2;
                }
                else if (next == 'u' && i + 6 <= text.Length
                    && int.TryParse(text.Substring(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                    && IsHarmless((char)code))
                {
                    result.Append((char)code);
                    changed = true;
                    i += 6;
                }
                else
                {
                    // Any other escape (\\, \", \n, \u0022...) is kept whole, so "\\u0041" stays a backslash and text.
                    result.Append(c).Append(next);
                    i += 2;
                }
            }

            return changed ? result.ToString() : text;
        }

        private static bool IsHarmless(char c) => c >= 0x20 && c != '"' && c != '\\' && !char.IsSurrogate(c) && c != '\u007f';
    }
}
