using System;
using System.Text;
using System.Text.Json;

namespace WorkflowTools.Http
{
    /// <summary>
    /// Reads a DRF page's <c>next</c> link. Absent or null means the last page; an absolute http(s) URL is the
    /// next page (the origin rule then decides whether it may be requested). Anything else (a relative or
    /// protocol-relative link, backslashes, a control character, a number, an object) is an error quoting the
    /// link: ending the listing there would hand out part of the rows as if they were all.
    /// </summary>
    internal static class NextLink
    {
        private const int QuoteLength = 200;

        public static Uri? Read(JsonElement page, ApiResponse response, out ApiException? unusable)
        {
            unusable = null;
            if (!page.TryGetProperty("next", out var next) || next.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (next.ValueKind == JsonValueKind.String && TryParse(next.GetString(), out var uri))
            {
                return uri;
            }

            var quoted = next.ValueKind == JsonValueKind.String ? "'" + Printable(next.GetString() ?? string.Empty) + "'" : Printable(next.GetRawText());
            quoted = response.Redactor.Redact(quoted);
            unusable = new ApiException(
                ApiErrorKind.InvalidResponse,
                $"The answer to {response.Method} {response.RequestPath} gives a next page link that is not an absolute http(s) URL: {quoted}. The listing stopped there: the rows after this page were not read.")
            {
                StatusCode = response.StatusCode,
                Method = response.Method,
                RequestPath = response.RequestPath,
            };
            return null;
        }

        /// <summary>True for a plain absolute http(s) URL with a host: no backslash, space or control character.</summary>
        internal static bool TryParse(string? text, out Uri uri)
        {
            uri = null!;
            if (string.IsNullOrEmpty(text)
                || !(text!.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            foreach (var c in text)
            {
                if (c <= ' ' || c == '\\' || c == '\u007f')
                {
                    return false;
                }
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)
                || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(parsed.Host))
            {
                return false;
            }

            uri = parsed;
            return true;
        }

        /// <summary>The text with control characters written as escapes, cut to a readable length.</summary>
        private static string Printable(string text)
        {
            var result = new StringBuilder();
            foreach (var c in text)
            {
                if (result.Length >= QuoteLength)
                {
                    result.Append('…');
                    break;
                }

                if (c == '\t')
                {
                    result.Append("\\t");
                }
                else if (c < ' ' || c == '\u007f' || (c >= '\u0080' && c < '\u00a0') || c == '\u2028' || c == '\u2029')
                {
                    result.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    result.Append(c);
                }
            }

            return result.ToString();
        }
    }
}
