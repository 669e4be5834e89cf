using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Http
{
    /// <summary>What is known about a listing after one page: for progress display.</summary>
    public sealed class PageInfo
    {
        public PageInfo(int pageNumber, int itemsSoFar, long? total)
        {
            PageNumber = pageNumber;
            ItemsSoFar = itemsSoFar;
            Total = total;
        }

        public int PageNumber { get; }

        public int ItemsSoFar { get; }

        /// <summary>Total count the API announced, when it did.</summary>
        public long? Total { get; }
    }

    /// <summary>One page as read: its items, mapped, and where the next one is.</summary>
    public sealed class Page<T>
    {
        public Page(IReadOnlyList<T> items, Uri? next, long? total)
        {
            Items = items;
            Next = next;
            Total = total;
        }

        public IReadOnlyList<T> Items { get; }

        public Uri? Next { get; }

        public long? Total { get; }
    }

    /// <summary>
    /// Streams a paged listing: each item is handed out as its page arrives; the next page is requested
    /// only once the consumer has taken half of the current one (then fetched while the rest is written).
    /// A consumer that stops early (<c>Select-Object -First</c>) stops the requests at once.
    /// </summary>
    public static class Pager
    {
        public static async IAsyncEnumerable<T> StreamAsync<T>(
            Uri first,
            Func<Uri, CancellationToken, Task<Page<T>>> fetch,
            Action<PageInfo>? onPage,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            using var prefetchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<Page<T>>? pending = null;
            try
            {
                var page = await fetch(first, cancellationToken).ConfigureAwait(false);
                var pageNumber = 1;
                var seen = 0;
                var visited = new HashSet<string> { first.AbsoluteUri };
                while (true)
                {
                    seen += page.Items.Count;
                    onPage?.Invoke(new PageInfo(pageNumber, seen, page.Total));
                    var next = page.Next;
                    if (next != null && !visited.Add(next.AbsoluteUri))
                    {
                        throw new ApiException(ApiErrorKind.InvalidResponse, $"The listing's next link points back to a page already read ({next.PathAndQuery}); stopped to avoid a loop.");
                    }

                    // The next page is fetched while the second half of this one is written: enough overlap
                    // to hide the round trip, and a consumer that wants only a few items (Select-Object
                    // -First 3) never causes a request for a page it will not read.
                    var prefetchAt = page.Items.Count / 2;
                    for (var i = 0; i < page.Items.Count; i++)
                    {
                        yield return page.Items[i];
                        if (i == prefetchAt && next != null)
                        {
                            // The consumer goes on writing while this page is fetched: never synchronously.
                            using (BlockingCaller.Enter(false))
                            {
                                pending = fetch(next, prefetchCts.Token);
                            }
                        }
                    }

                    if (next == null || page.Items.Count == 0)
                    {
                        yield break;
                    }

                    var nextPage = pending ?? fetch(next, cancellationToken);
                    pending = null;
                    page = await nextPage.ConfigureAwait(false);
                    pageNumber++;
                }
            }
            finally
            {
                if (pending != null)
                {
                    // The consumer stopped early: cancel the prefetch and wait for it to end, so no request of
                    // this listing is still on the wire once the listing is over.
                    prefetchCts.Cancel();
                    try
                    {
                        await pending.ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // A cancelled or failed prefetch of a page nobody wants is not an error.
                    }
                }
            }
        }

        /// <summary>Reads a DRF page: <c>{count, next, previous, results}</c> (also a bare array).</summary>
        public static Page<T> ReadDrfPage<T>(ApiResponse response, Func<JsonElement, T> map)
        {
            using var doc = ParseBody(response);
            var root = doc.RootElement;
            JsonElement results;
            Uri? next = null;
            long? total = null;
            if (root.ValueKind == JsonValueKind.Array)
            {
                results = root;
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out results) && results.ValueKind == JsonValueKind.Array)
            {
                if (root.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String && Uri.TryCreate(n.GetString(), UriKind.Absolute, out var nextUri))
                {
                    next = nextUri;
                }

                if (root.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var count))
                {
                    total = count;
                }
            }
            else
            {
                throw Malformed(response, "a page with a 'results' list");
            }

            var items = new List<T>(results.GetArrayLength());
            foreach (var row in results.EnumerateArray())
            {
                items.Add(map(row));
            }

            return new Page<T>(items, next, total);
        }

        /// <summary>Parses a JSON body, or fails with a clean error that shows what came instead.</summary>
        public static JsonDocument ParseBody(ApiResponse response)
        {
            try
            {
                return JsonDocument.Parse(response.Body);
            }
            catch (JsonException ex)
            {
                throw Malformed(response, "JSON", ex);
            }
        }

        public static ApiException Malformed(ApiResponse response, string expected, Exception? inner = null)
        {
            var excerpt = ApiErrorParser.Excerpt(response.BodyText, response.ContentType);
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
