using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Json;

namespace WorkflowTools.Http
{
    /// <summary>What is known about a listing after one page: for progress display.</summary>
    internal sealed class PageInfo
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

    /// <summary>
    /// One page as read: its items and where the next one is. A page read from JSON keeps its rows as JSON
    /// and maps each one as the listing hands it out, on the consumer's thread: the request for the next
    /// page then waits only for the parse, not for the mapping of a whole page, and at most one mapped
    /// item per page is alive at a time. The page owns its document until it is disposed.
    /// </summary>
    internal sealed class Page<T> : IDisposable
    {
        private readonly IReadOnlyList<T>? _items;
        private readonly JsonDocument? _document;
        private readonly JsonElement _rows;
        private readonly Func<JsonElement, T>? _map;
        private readonly IDisposable? _owner;
        private readonly SecretRedactor _redactor = SecretRedactor.None;
        private bool _disposed;

        /// <summary>A page of items already at hand.</summary>
        public Page(IReadOnlyList<T> items, Uri? next, long? total)
        {
            _items = items ?? throw new ArgumentNullException(nameof(items));
            Count = items.Count;
            Next = next;
            Total = total;
        }

        /// <summary>
        /// A page of JSON rows (an array in <paramref name="document"/>), mapped as they are enumerated; takes
        /// ownership of the document and of <paramref name="owner"/> (the answer whose body the document reads).
        /// </summary>
        public Page(JsonDocument document, JsonElement rows, Func<JsonElement, T> map, Uri? next, long? total, IDisposable? owner = null)
        {
            _document = document ?? throw new ArgumentNullException(nameof(document));
            _owner = owner;
            _redactor = (owner as ApiResponse)?.Redactor ?? SecretRedactor.None;
            _map = map ?? throw new ArgumentNullException(nameof(map));
            _rows = rows;
            Count = rows.GetArrayLength();
            Next = next;
            Total = total;
        }

        public int Count { get; }

        /// <summary>The items in order; rows of a JSON page are mapped during the enumeration (only while the page is not disposed).</summary>
        public IEnumerable<T> Items => ItemsOf(0, null);

        public Uri? Next { get; }

        /// <summary>Why the page's next link cannot be followed (<see cref="NextLink"/>): thrown once the page's rows are handed out.</summary>
        public ApiException? NextError { get; set; }

        public long? Total { get; }

        public void Dispose()
        {
            _disposed = true;
            _document?.Dispose();
            _owner?.Dispose();
        }

        /// <summary>
        /// The items; a row the map refuses (<see cref="InvalidRowException"/>) is skipped and handed to
        /// <paramref name="invalidRow"/> as an error naming page <paramref name="pageNumber"/> and its position.
        /// </summary>
        public IEnumerable<T> ItemsOf(int pageNumber, Action<ApiException>? invalidRow) => _items ?? MapRows(pageNumber, invalidRow);

        private IEnumerable<T> MapRows(int pageNumber, Action<ApiException>? invalidRow)
        {
            var position = 0;
            foreach (var row in _rows.EnumerateArray())
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(Page<T>));
                }

                position++;
                T item;
                try
                {
                    item = _map!(row);
                }
                catch (InvalidRowException problem)
                {
                    invalidRow?.Invoke(Rows.Error(problem, row, pageNumber, position, _redactor, (_owner as ApiResponse)?.RequestPath));
                    continue;
                }

                yield return item;
            }
        }
    }

    /// <summary>
    /// Streams a paged listing: each item is handed out as its page arrives; the next page is requested
    /// once the consumer has taken a few items of the current one (then fetched while the rest is written).
    /// A consumer that stops early (<c>Select-Object -First</c>) stops the requests at once.
    /// </summary>
    internal static class Pager
    {
        /// <summary>How many items of a page are taken before the next page is requested (fewer on a small page: half).</summary>
        public const int PrefetchAfter = 10;

        /// <summary>How many pages a listing read in full may be ahead of the consumer (one request at a time).</summary>
        public const int ReadAheadPages = 2;

        /// <remarks>
        /// Requests, one at a time: page 2 once the consumer has taken a few items of page 1 (so a consumer
        /// that wants only a few items never causes a request for a page it will not read); from a few items
        /// into page 2 on, the listing is being read in full and the pages are read ahead by a background
        /// loop, up to <see cref="ReadAheadPages"/> beyond the one being written, so the server never waits
        /// for the consumer and the consumer rarely for the server. At most three pages are held at a time.
        /// </remarks>
        public static async IAsyncEnumerable<T> StreamAsync<T>(
            Uri first,
            Func<Uri, CancellationToken, Task<Page<T>>> fetch,
            Action<PageInfo>? onPage,
            [EnumeratorCancellation] CancellationToken cancellationToken = default,
            Action<ApiException>? onInvalidRow = null)
        {
            ReadAhead<T>? ahead = null;
            Page<T>? page = null;
            try
            {
                page = await fetch(first, cancellationToken).ConfigureAwait(false);
                var pageNumber = 1;
                var seen = 0;
                var visited = new HashSet<string> { first.AbsoluteUri };
                while (true)
                {
                    seen += page.Count;
                    onPage?.Invoke(new PageInfo(pageNumber, seen, page.Total));
                    var next = page.Next;
                    if (next != null && !visited.Add(next.AbsoluteUri))
                    {
                        throw new ApiException(ApiErrorKind.InvalidResponse, $"The listing's next link points back to a page already read ({next.PathAndQuery}); stopped to avoid a loop.");
                    }

                    var prefetchAt = Math.Min(page.Count / 2, PrefetchAfter);
                    var i = 0;
                    foreach (var item in page.ItemsOf(pageNumber, onInvalidRow))
                    {
                        yield return item;
                        if (i == prefetchAt && next != null)
                        {
                            if (ahead == null)
                            {
                                // Page 2, while the rest of page 1 is written.
                                ahead = new ReadAhead<T>(first, next, fetch, cancellationToken);
                            }
                            else if (pageNumber == 2)
                            {
                                ahead.ReadInFull();
                            }
                        }

                        i++;
                    }

                    var empty = page.Count == 0;
                    var nextError = page.NextError;
                    page.Dispose();
                    page = null;
                    if (nextError != null)
                    {
                        throw nextError;
                    }

                    if (next == null || empty)
                    {
                        yield break;
                    }

                    ahead ??= new ReadAhead<T>(first, next, fetch, cancellationToken);
                    page = await ahead.TakeAsync(cancellationToken).ConfigureAwait(false);
                    if (page == null)
                    {
                        yield break;
                    }

                    pageNumber++;
                }
            }
            finally
            {
                page?.Dispose();
                if (ahead != null)
                {
                    // Cancel what is read ahead and wait for it, so no request of this listing is still on the
                    // wire once the listing is over.
                    await ahead.StopAsync().ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// The background loop that reads pages ahead of the consumer: it follows the next links one request
        /// at a time while it has room, and hands the pages (or its failure, after them) over in order.
        /// </summary>
        private sealed class ReadAhead<T>
        {
            private readonly Func<Uri, CancellationToken, Task<Page<T>>> _fetch;
            private readonly CancellationTokenSource _cts;
            private readonly ConcurrentQueue<Page<T>> _ready = new ConcurrentQueue<Page<T>>();
            private readonly SemaphoreSlim _available = new SemaphoreSlim(0);
            private readonly SemaphoreSlim _room = new SemaphoreSlim(1);
            private readonly Task _loop;
            private bool _inFull;
            private Exception? _failure;

            public ReadAhead(Uri first, Uri next, Func<Uri, CancellationToken, Task<Page<T>>> fetch, CancellationToken cancellationToken)
            {
                _fetch = fetch;
                _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                _loop = RunAsync(first, next);
            }

            /// <summary>The listing is being read in full: from now on up to <see cref="ReadAheadPages"/> pages ahead.</summary>
            public void ReadInFull()
            {
                if (!_inFull)
                {
                    _inFull = true;
                    _room.Release(ReadAheadPages);
                }
            }

            /// <summary>The next page, the loop's failure, or null when the listing has no more pages.</summary>
            public async Task<Page<T>?> TakeAsync(CancellationToken cancellationToken)
            {
                await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (_ready.TryDequeue(out var page))
                {
                    if (_inFull)
                    {
                        _room.Release();
                    }

                    return page;
                }

                if (_failure != null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
                }

                return null;
            }

            public async Task StopAsync()
            {
                _cts.Cancel();
                try
                {
                    await _loop.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // A cancelled or failed read of a page nobody wants is not an error.
                }

                while (_ready.TryDequeue(out var page))
                {
                    page.Dispose();
                }

                _cts.Dispose();
            }

            private async Task RunAsync(Uri first, Uri? next)
            {
                var visited = new HashSet<string> { first.AbsoluteUri };
                try
                {
                    // A next link seen before ends the loop; the consumer reports the loop when it gets there.
                    while (next != null && visited.Add(next.AbsoluteUri))
                    {
                        await _room.WaitAsync(_cts.Token).ConfigureAwait(false);
                        var page = await _fetch(next, _cts.Token).ConfigureAwait(false);
                        next = page.Count == 0 ? null : page.Next;
                        _ready.Enqueue(page);
                        _available.Release();
                    }
                }
                catch (Exception ex)
                {
                    _failure = ex;
                }
                finally
                {
                    // One more signal than pages: the consumer that asks past the end gets null or the failure.
                    _available.Release();
                }
            }
        }

        /// <summary>Reads a DRF page: <c>{count, next, previous, results}</c> (also a bare array).</summary>
        /// <remarks>The page takes ownership of <paramref name="response"/> (a pooled body is returned when the page is disposed).</remarks>
        public static Page<T> ReadDrfPage<T>(ApiResponse response, Func<JsonElement, T> map)
        {
            ApiException? unusableNext = null;
            var page = ReadJsonPage(response, map, root =>
            {
                if (root.ValueKind == JsonValueKind.Array)
                {
                    return (root, null, null);
                }

                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
                {
                    throw JsonAnswer.Malformed(response, "a page with a 'results' list");
                }

                var next = NextLink.Read(root, response, out unusableNext);
                long? total = null;
                if (root.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var count))
                {
                    total = count;
                }

                return (results, next, total);
            });
            page.NextError = unusableNext;
            return page;
        }

        /// <summary>
        /// Parses a page and hands its rows to a <see cref="Page{T}"/> that owns the document and
        /// <paramref name="response"/>; <paramref name="locate"/> finds the rows, the next page and the total
        /// in the root (or throws <see cref="JsonAnswer.Malformed"/>). On any failure both are disposed here.
        /// </summary>
        internal static Page<T> ReadJsonPage<T>(ApiResponse response, Func<JsonElement, T> map, Func<JsonElement, (JsonElement Rows, Uri? Next, long? Total)> locate)
        {
            JsonDocument? doc = null;
            try
            {
                doc = JsonAnswer.Parse(response);
                var (rows, next, total) = locate(doc.RootElement);
                return new Page<T>(doc, rows, map, next, total, response);
            }
            catch
            {
                doc?.Dispose();
                response.Dispose();
                throw;
            }
        }
    }
}
