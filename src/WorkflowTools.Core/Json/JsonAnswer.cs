using System;
using System.Text.Json;
using WorkflowTools.Http;

namespace WorkflowTools.Json
{
    /// <summary>
    /// Reads the JSON of one answer (a single object, or a page before its rows are located): parses the body, or
    /// fails with an <see cref="ApiException"/> of kind <see cref="ApiErrorKind.InvalidResponse"/> that names the
    /// request and shows a redacted excerpt of what came instead. Clients and pagers use it; it pages nothing.
    /// </summary>
    internal static class JsonAnswer
    {
        /// <summary>Parses a JSON body, or fails with a clean error that shows what came instead.</summary>
        public static JsonDocument Parse(ApiResponse response)
        {
            try
            {
                return JsonDocument.Parse(response.Content);
            }
            catch (JsonException ex)
            {
                throw Malformed(response, "JSON", ex);
            }
        }

        /// <summary>The error for an answer that is not what the call expects (<paramref name="expected"/>: "an instance", "JSON"…).</summary>
        public static ApiException Malformed(ApiResponse response, string expected, Exception? inner = null)
        {
            var excerpt = ApiErrorParser.Excerpt(response.Redactor.Redact(response.BodyText), response.ContentType);
            return new ApiException(
                ApiErrorKind.InvalidResponse,
                $"The answer to {response.Method} {response.RequestPath} ({response.StatusCode}) is not {expected}: {(excerpt.Length == 0 ? "(empty body)" : excerpt)}",
                inner)
            {
                StatusCode = response.StatusCode,
                Method = response.Method,
                RequestPath = response.RequestPath,
                BodyExcerpt = excerpt,
            };
        }
    }
}
