using System.Globalization;

namespace WorkflowTools.Http
{
    /// <summary>
    /// What a header value may hold: printable ASCII and spaces. A CR or LF would end the header (and can
    /// smuggle in others, or a whole second request); anything outside ASCII is refused by the runtime at
    /// send time, after the request was counted as sent.
    /// </summary>
    internal static class HeaderRules
    {
        /// <summary>Null when <paramref name="value"/> can go into a header, else what is wrong (never the value itself).</summary>
        public static string? Problem(string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c < 0x20 || c == 0x7F)
                {
                    var name = c == '\r' ? "a carriage return (CR)" : c == '\n' ? "a line feed (LF)" : c == '\t' ? "a tab" : "a control character";
                    return $"{name} at position {(i + 1).ToString(CultureInfo.InvariantCulture)}";
                }

                if (c > 0x7E)
                {
                    return $"a non-ASCII character at position {(i + 1).ToString(CultureInfo.InvariantCulture)}";
                }
            }

            return null;
        }
    }
}
