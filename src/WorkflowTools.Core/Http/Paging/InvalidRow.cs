using System;
using System.Globalization;
using System.Text.Json;
using WorkflowTools.Json;

namespace WorkflowTools.Http
{
    /// <summary>
    /// Thrown by a row mapper for a listing row it cannot turn into an object (not an object, no usable id). The
    /// listing skips the row and reports it (<see cref="Listing{T}.Enumerator.TakeInvalidRows"/>); it never
    /// becomes an item, so nothing downstream (a piped Stop or Complete) can act on it.
    /// </summary>
    internal sealed class InvalidRowException : Exception
    {
        public InvalidRowException(string reason)
            : base(reason)
        {
        }
    }

    /// <summary>Checks of listing rows, and the error that reports a row that failed them.</summary>
    internal static class Rows
    {
        /// <summary>ErrorId of the error record written for a skipped row.</summary>
        public const string InvalidRowErrorId = "WorkflowTools.InvalidRow";

        /// <summary>The row's id (<paramref name="key"/>): a positive whole number (or a string holding one); otherwise the row is refused.</summary>
        public static long RequireId(JsonElement row, string key = "id")
        {
            if (row.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidRowException($"it is {Describe(row.ValueKind)}, not an object");
            }

            if (!row.TryGetProperty(key, out var id) || id.ValueKind == JsonValueKind.Null)
            {
                throw new InvalidRowException($"it has no {key}");
            }

            var value = row.Long(key);
            if (value == null || value.Value <= 0)
            {
                throw new InvalidRowException($"its {key} ({Excerpt(id, SecretRedactor.None)}) is not a positive whole number");
            }

            return value.Value;
        }

        /// <summary>The error for a skipped row: which page and position, why, and an excerpt with secrets removed.</summary>
        public static ApiException Error(InvalidRowException problem, JsonElement row, int pageNumber, int position, SecretRedactor redactor, string? requestPath)
        {
            var excerpt = Excerpt(row, redactor);
            return new ApiException(
                ApiErrorKind.InvalidResponse,
                string.Format(CultureInfo.InvariantCulture, "Row {0} of page {1} of the listing was skipped: {2}. The row: {3}", position, pageNumber, redactor.Redact(problem.Message), excerpt))
            {
                RequestPath = requestPath,
                Method = requestPath == null ? null : "GET",
                BodyExcerpt = excerpt,
            };
        }

        /// <summary>The error for a part of a single answer (a step, a field) that was left out: what, why, and a redacted excerpt.</summary>
        public static ApiException PartError(string what, InvalidRowException problem, JsonElement part, SecretRedactor redactor, string? requestPath)
        {
            var excerpt = Excerpt(part, redactor);
            return new ApiException(ApiErrorKind.InvalidResponse, $"{what} was left out: {redactor.Redact(problem.Message)}. It reads: {excerpt}")
            {
                RequestPath = requestPath,
                Method = requestPath == null ? null : "GET",
                BodyExcerpt = excerpt,
            };
        }

        internal static string Excerpt(JsonElement row, SecretRedactor redactor)
        {
            var text = row.GetRawText();
            if (text.Length > 1200)
            {
                text = text.Substring(0, 1200);
            }

            return ApiErrorParser.Excerpt(redactor.Redact(text), "application/json");
        }

        private static string Describe(JsonValueKind kind)
        {
            switch (kind)
            {
                case JsonValueKind.Array: return "a list";
                case JsonValueKind.String: return "a string";
                case JsonValueKind.Number: return "a number";
                case JsonValueKind.True:
                case JsonValueKind.False: return "true or false";
                case JsonValueKind.Null: return "null";
                default: return kind.ToString();
            }
        }
    }
}
