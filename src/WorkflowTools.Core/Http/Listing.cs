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
            new Listing<T>((onPage, ct) => Pager.StreamAsync(first, fetch, onPage, ct));
    }

    /// <summary>
    /// A paged listing, streamed item by item. Its enumerator also says when the listing reached a new page
    /// (<see cref="Enumerator.TakePage"/>), read by the consumer on its own thread after each step: a page's
    /// count and total come with the items, not through a callback from the thread that read the page.
    /// </summary>
    internal sealed class Listing<T> : IAsyncEnumerable<T>
    {
        private readonly Func<Action<PageInfo>, CancellationToken, IAsyncEnumerable<T>> _open;

        internal Listing(Func<Action<PageInfo>, CancellationToken, IAsyncEnumerable<T>> open)
        {
            _open = open;
        }

        public Enumerator GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(_open, cancellationToken);

        IAsyncEnumerator<T> IAsyncEnumerable<T>.GetAsyncEnumerator(CancellationToken cancellationToken) => GetAsyncEnumerator(cancellationToken);

        /// <summary>The same listing with each item mapped (one at a time, in order); the page reports stay as they are.</summary>
        public Listing<TOut> Select<TOut>(Func<T, CancellationToken, ValueTask<TOut>> map) =>
            new Listing<TOut>((onPage, ct) => SelectAsync(_open(onPage, ct), map, ct));

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

            internal Enumerator(Func<Action<PageInfo>, CancellationToken, IAsyncEnumerable<T>> open, CancellationToken cancellationToken)
            {
                // The pager reports a page before it hands out the page's first item, within the same step.
                _items = open(info => _page = info, cancellationToken).GetAsyncEnumerator(cancellationToken);
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

            public ValueTask DisposeAsync() => _items.DisposeAsync();
        }
    }
}
