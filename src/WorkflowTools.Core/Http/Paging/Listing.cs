using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Http
{
    /// <summary>Opens paged listings (see <see cref="Pager"/>).</summary>
    internal static class Listing
    {
        /// <summary>The listing that starts at <paramref name="first"/> and follows each page's next link; nothing is requested before it is enumerated.</summary>
        public static Listing<T> Of<T>(Uri first, Func<Uri, CancellationToken, Task<Page<T>>> fetch) =>
            new Listing<T>((events, ct) => Pager.StreamAsync(first, fetch, events.OnPage, ct, events.OnInvalidRow));
    }

    /// <summary>
    /// A paged listing, streamed item by item. Its enumerator also says when the listing reached a new page
    /// (<see cref="Enumerator.TakePage"/>), read by the consumer on its own thread after each step: a page's
    /// count and total come with the items, not through a callback from the thread that read the page.
    /// </summary>
    internal sealed class Listing<T> : IAsyncEnumerable<T>
    {
        private readonly Func<ListingEvents, CancellationToken, IAsyncEnumerable<T>> _open;

        internal Listing(Func<ListingEvents, CancellationToken, IAsyncEnumerable<T>> open)
        {
            _open = open;
        }

        public Enumerator GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(_open, cancellationToken);

        IAsyncEnumerator<T> IAsyncEnumerable<T>.GetAsyncEnumerator(CancellationToken cancellationToken) => GetAsyncEnumerator(cancellationToken);

        /// <summary>The same listing with each item mapped (one at a time, in order); the page reports stay as they are.</summary>
        public Listing<TOut> Select<TOut>(Func<T, CancellationToken, ValueTask<TOut>> map) =>
            new Listing<TOut>((events, ct) => SelectAsync(_open(events, ct), map, ct));

        private static async IAsyncEnumerable<TOut> SelectAsync<TOut>(IAsyncEnumerable<T> items, Func<T, CancellationToken, ValueTask<TOut>> map, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return await map(item, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Enumerates a listing; after each step, <see cref="TakePage"/> tells whether that step began a new page.</summary>
        public sealed class Enumerator : IAsyncEnumerator<T>
        {
            private readonly IAsyncEnumerator<T> _items;
            private PageInfo? _page;
            private List<ApiException>? _invalidRows;

            internal Enumerator(Func<ListingEvents, CancellationToken, IAsyncEnumerable<T>> open, CancellationToken cancellationToken)
            {
                // The pager reports a page before it hands out the page's first item, and a row it could not map
                // before the next item, within the same step.
                _items = open(new ListingEvents(info => _page = info, row => (_invalidRows ??= new List<ApiException>()).Add(row)), cancellationToken).GetAsyncEnumerator(cancellationToken);
            }

            public T Current => _items.Current;

            public ValueTask<bool> MoveNextAsync() => _items.MoveNextAsync();

            /// <summary>The page the last step arrived at, once; null when that step stayed on a page already reported.</summary>
            /// <remarks>Call it after each completed step, the last one (which found no item) too: an empty listing reports its one page there.</remarks>
            public PageInfo? TakePage()
            {
                var page = _page;
                _page = null;
                return page;
            }

            /// <summary>
            /// The rows skipped since the last call because they could not become items (no usable id, not an object):
            /// each an <see cref="ApiException"/> naming the page, the position and a redacted excerpt. Empty when none.
            /// </summary>
            public IReadOnlyList<ApiException> TakeInvalidRows()
            {
                var rows = _invalidRows;
                _invalidRows = null;
                return rows ?? (IReadOnlyList<ApiException>)Array.Empty<ApiException>();
            }

            public ValueTask DisposeAsync() => _items.DisposeAsync();
        }
    }

    /// <summary>What a listing reports besides its items, to the enumerator that reads it.</summary>
    internal sealed class ListingEvents
    {
        public ListingEvents(Action<PageInfo> onPage, Action<ApiException> onInvalidRow)
        {
            OnPage = onPage;
            OnInvalidRow = onInvalidRow;
        }

        public Action<PageInfo> OnPage { get; }

        public Action<ApiException> OnInvalidRow { get; }
    }
}
