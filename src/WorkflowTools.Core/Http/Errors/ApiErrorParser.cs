using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WorkflowTools.Http
{
    /// <summary>
    /// Turns an error answer into an <see cref="ApiException"/>. Understands DRF bodies
    /// (<c>{"detail":..}</c>, field errors), Laravel bodies (<c>message</c>, <c>error</c>, <c>errors</c>)
    /// and anything else (HTML from a proxy, empty bodies) without ever failing itself.
    /// </summary>
    internal static class ApiErrorParser
    {
        private const int ExcerptLength = 300;

        public static ApiException FromResponse(string serviceName, string method, string path, int status, string? reasonPhrase, byte[] body, string? contentType, SecretRedactor? redactor = null, Uri? location = null)
        {
            // Secrets out first: every message, excerpt and field error below is built from this text.
            var redact = redactor ?? SecretRedactor.None;
            var text = redact.Redact(SafeDecode(body));
            string? detail = null;
            var parsed = new Dictionary<string, string[]>(StringComparer.Ordinal);
            TryReadJson(text, ref detail, parsed);

            // The message is built from the parsed strings, whose escapes JSON has read: redact each of them
            // too (a secret with a quote or a backslash in it is written with escapes the raw text hides).
            detail = detail == null ? null : redact.Redact(detail);
            var fields = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var field in parsed)
            {
                fields[redact.Redact(field.Key)] = field.Value.Select(v => redact.Redact(v)).ToArray();
            }

            var kind = KindFor(status);
            var excerpt = Excerpt(text, contentType);
            var serverSays = detail
                ?? (fields.Count > 0 ? string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}")) : null)
                ?? (excerpt.Length > 0 ? excerpt : null);

            var message = new StringBuilder();
            message.Append(serviceName).Append(" answered ").Append(status);
            if (!string.IsNullOrEmpty(reasonPhrase))
            {
                message.Append(' ').Append(reasonPhrase);
            }

            message.Append(" to ").Append(method).Append(' ').Append(path);
            if (status >= 300 && status < 400)
            {
                // Redirects are never followed (the credentials would go along).
                message.Append(location != null
                    ? $" (a redirect to {(redactor ?? SecretRedactor.None).Redact(location.IsAbsoluteUri ? location.GetLeftPart(UriPartial.Path) : location.OriginalString)}, not followed: check the base URL)"
                    : " (a redirect without a Location, not followed: check the base URL)");
            }

            if (serverSays != null)
            {
                message.Append(": ").Append(serverSays);
            }

            if (detail != null && fields.Count > 0)
            {
                message.Append(" (").Append(string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}"))).Append(')');
            }

            return new ApiException(kind, message.ToString())
            {
                StatusCode = status,
                Method = method,
                RequestPath = path,
                Detail = detail,
                FieldErrors = fields,
                BodyExcerpt = excerpt,
            };
        }

        public static ApiErrorKind KindFor(int status)
        {
            switch (status)
            {
                case 400:
                case 422:
                    return ApiErrorKind.Validation;
                case 401:
                    return ApiErrorKind.Unauthorized;
                case 403:
                    return ApiErrorKind.Forbidden;
                case 404:
                case 410:
                    return ApiErrorKind.NotFound;
                case 409:
                    return ApiErrorKind.Conflict;
                case 408:
                    return ApiErrorKind.Timeout;
                case 429:
                    return ApiErrorKind.RateLimited;
                default:
                    return status >= 500 ? ApiErrorKind.ServerError : ApiErrorKind.InvalidResponse;
            }
        }

        /// <summary>A short, single-line, tag-free piece of a body for messages.</summary>
        public static string Excerpt(string text, string? contentType = null)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return string.Empty;
            }

            var plain = text;
            if ((contentType != null && contentType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0) || plain.TrimStart().StartsWith("<", StringComparison.Ordinal))
            {
                plain = Regex.Replace(plain, "<(script|style)[^>]*>.*?</\\1>", " ", RegexOptions.Singleline | RegexOptions.IgnoreCase);
                plain = Regex.Replace(plain, "<[^>]+>", " ");
            }

            plain = Regex.Replace(plain, "\\s+", " ").Trim();
            return plain.Length <= ExcerptLength ? plain : plain.Substring(0, ExcerptLength) + "…";
        }

        /// <summary>Decodes at most the first <paramref name="maxBytes"/> bytes (enough for an excerpt).</summary>
        internal static string SafeDecode(byte[] body, int maxBytes)
        {
            try
            {
                return Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, maxBytes));
            }
            catch (ArgumentException)
            {
                return string.Empty;
            }
        }

        internal static string SafeDecode(byte[] body)
        {
            try
            {
                return Encoding.UTF8.GetString(body);
            }
            catch (ArgumentException)
            {
                return string.Empty;
            }
        }

        private static void TryReadJson(string text, ref string? detail, Dictionary<string, string[]> fields)
        {
            var trimmed = text.TrimStart();
            if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '['))
            {
                return;
            }

            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                {
                    var messages = Strings(root);
                    if (messages.Length > 0)
                    {
                        detail = string.Join(" ", messages);
                    }

                    return;
                }

                if (root.ValueKind != JsonValueKind.Object)
                {
                    return;
                }

                foreach (var property in root.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "detail":
                        case "message":
                        case "error":
                            if (detail == null && property.Value.ValueKind == JsonValueKind.String)
                            {
                                detail = property.Value.GetString();
                            }

                            break;
                        case "errors" when property.Value.ValueKind == JsonValueKind.Object:
                            foreach (var field in property.Value.EnumerateObject())
                            {
                                fields[field.Name] = Strings(field.Value);
                            }

                            break;
                        case "non_field_errors":
                            var general = Strings(property.Value);
                            if (detail == null && general.Length > 0)
                            {
                                detail = string.Join(" ", general);
                            }

                            break;
                        default:
                            if (property.Value.ValueKind == JsonValueKind.Array || property.Value.ValueKind == JsonValueKind.String)
                            {
                                var values = Strings(property.Value);
                                if (values.Length > 0)
                                {
                                    fields[property.Name] = values;
                                }
                            }

                            break;
                    }
                }
            }
            catch (JsonException)
            {
                // A truncated or invalid body: the excerpt is all we can offer.
            }
        }

        private static string[] Strings(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return new[] { element.GetString() ?? string.Empty };
                case JsonValueKind.Array:
                    return element.EnumerateArray().SelectMany(Strings).ToArray();
                case JsonValueKind.Object:
                    return element.EnumerateObject().Select(p => $"{p.Name}: {string.Join(" ", Strings(p.Value))}").ToArray();
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return new[] { element.GetRawText() };
                default:
                    return Array.Empty<string>();
            }
        }
    }
}
