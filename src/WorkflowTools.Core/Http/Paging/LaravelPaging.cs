using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using WorkflowTools.Json;

namespace WorkflowTools.Http
{
    /// <summary>Laravel collections: <c>{data:[…], meta:{current_page, last_page|total_pages, total, …}}</c>.</summary>
    internal static class LaravelPaging
    {
        /// <remarks>The page takes ownership of <paramref name="response"/> (a pooled body is returned when the page is disposed).</remarks>
        public static Page<T> ReadPage<T>(ApiResponse response, Uri requestUri, Func<JsonElement, T> map) =>
            Pager.ReadJsonPage(response, map, root =>
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                {
                    throw JsonAnswer.Malformed(response, "a collection with a 'data' list");
                }

                Uri? next = null;
                long? total = null;
                if (root.Prop("meta") is JsonElement meta)
                {
                    total = meta.Long("total");
                    var current = meta.Long("current_page") ?? 1;
                    var last = meta.Long("last_page") ?? meta.Long("total_pages") ?? current;
                    if (current < last && data.GetArrayLength() > 0)
                    {
                        next = WithPage(requestUri, current + 1);
                    }
                }

                return (data, next, total);
            });

        /// <summary>The same URL with its <c>page</c> parameter set.</summary>
        public static Uri WithPage(Uri uri, long page)
        {
            var pairs = uri.Query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !p.StartsWith("page=", StringComparison.Ordinal))
                .ToList();
            pairs.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
            var builder = new UriBuilder(uri) { Query = string.Join("&", pairs) };
            return builder.Uri;
        }
    }
}
