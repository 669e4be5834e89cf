using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.UnitTests
{
    public class PagerTests
    {
        private static Uri PageUri(int n) => new Uri($"http://127.0.0.1/list/?page={n}");

        private sealed class FakeListing
        {
            private readonly int _pages;
            private readonly int _perPage;
            public readonly List<int> Requested = new List<int>();

            public FakeListing(int pages, int perPage)
            {
                _pages = pages;
                _perPage = perPage;
            }

            public Task<Page<int>> Fetch(Uri uri, CancellationToken ct)
            {
                var n = int.Parse(uri.Query.Split('=')[1]);
                lock (Requested)
                {
                    Requested.Add(n);
                }

                var items = Enumerable.Range((n - 1) * _perPage, _perPage).ToList();
                return Task.FromResult(new Page<int>(items, n < _pages ? PageUri(n + 1) : null, _pages * _perPage));
            }
        }

        [Fact]
        public async Task Streams_every_item_of_every_page_in_order()
        {
            var listing = new FakeListing(4, 3);
            var infos = new List<PageInfo>();
            var seen = new List<int>();
            await foreach (var item in Pager.StreamAsync(PageUri(1), listing.Fetch, infos.Add))
            {
                seen.Add(item);
            }

            Assert.Equal(Enumerable.Range(0, 12), seen);
            Assert.Equal(new[] { 1, 2, 3, 4 }, listing.Requested);
            Assert.Equal(new[] { 3, 6, 9, 12 }, infos.Select(i => i.ItemsSoFar));
            Assert.All(infos, i => Assert.Equal(12, i.Total));
        }

        [Fact]
        public async Task The_second_page_is_requested_once_half_of_the_first_was_taken()
        {
            var listing = new FakeListing(3, 6);
            await using var e = Pager.StreamAsync(PageUri(1), listing.Fetch, null).GetAsyncEnumerator();
            for (var taken = 1; taken <= 4; taken++)
            {
                Assert.True(await e.MoveNextAsync());
                Assert.Equal(new[] { 1 }, listing.Requested);
            }

            Assert.True(await e.MoveNextAsync());
            Assert.Equal(new[] { 1, 2 }, listing.Requested);
        }

        [Fact]
        public async Task On_a_large_page_the_next_is_requested_after_the_first_few_items()
        {
            var listing = new FakeListing(3, 100);
            await using var e = Pager.StreamAsync(PageUri(1), listing.Fetch, null).GetAsyncEnumerator();
            for (var taken = 1; taken <= Pager.PrefetchAfter + 1; taken++)
            {
                Assert.True(await e.MoveNextAsync());
                Assert.Equal(new[] { 1 }, listing.Requested);
            }

            Assert.True(await e.MoveNextAsync());
            Assert.Equal(new[] { 1, 2 }, listing.Requested);
        }

        [Fact]
        public void Json_rows_are_mapped_one_by_one_as_they_are_handed_out()
        {
            var body = System.Text.Encoding.UTF8.GetBytes("{\"count\":5,\"next\":null,\"results\":[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4},{\"id\":5}]}");
            var mapped = 0;
            var page = Pager.ReadDrfPage(new ApiResponse(200, body, "application/json", "GET", "/list/"), row =>
            {
                mapped++;
                return row.GetProperty("id").GetInt64();
            });
            Assert.Equal(5, page.Count);
            Assert.Equal(5L, page.Total);
            Assert.Equal(0, mapped);
            using (var items = page.Items.GetEnumerator())
            {
                Assert.True(items.MoveNext());
                Assert.True(items.MoveNext());
                Assert.Equal(2L, items.Current);
                Assert.Equal(2, mapped);
            }

            page.Dispose();
            Assert.Throws<ObjectDisposedException>(() => page.Items.ToList());
        }

        /// <summary>Pages of JSON rows fetched async (each a short wait), recording order, overlap and every page made.</summary>
        private sealed class SlowJsonListing
        {
            private readonly int _pages;
            private readonly int _perPage;
            private readonly int? _failAt;
            private int _inFlight;
            public readonly List<int> Requested = new List<int>();
            public readonly List<Page<int>> Made = new List<Page<int>>();
            public int MaxInFlight;

            public SlowJsonListing(int pages, int perPage, int? failAt = null)
            {
                _pages = pages;
                _perPage = perPage;
                _failAt = failAt;
            }

            public async Task<Page<int>> Fetch(Uri uri, CancellationToken ct)
            {
                var n = int.Parse(uri.Query.Split('=')[1]);
                lock (Requested)
                {
                    Requested.Add(n);
                    MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
                }

                try
                {
                    await Task.Delay(5, ct);
                    if (n == _failAt)
                    {
                        throw new ApiException(ApiErrorKind.Network, $"page {n} failed");
                    }

                    var rows = string.Join(",", Enumerable.Range((n - 1) * _perPage, _perPage).Select(i => $"{{\"id\":{i}}}"));
                    var next = n < _pages ? $"\"{PageUri(n + 1)}\"" : "null";
                    var body = System.Text.Encoding.UTF8.GetBytes($"{{\"count\":{_pages * _perPage},\"next\":{next},\"results\":[{rows}]}}");
                    var page = Pager.ReadDrfPage(new ApiResponse(200, body, "application/json", "GET", uri.PathAndQuery), row => row.GetProperty("id").GetInt32());
                    lock (Requested)
                    {
                        Made.Add(page);
                    }

                    return page;
                }
                finally
                {
                    lock (Requested)
                    {
                        _inFlight--;
                    }
                }
            }
        }

        [Fact]
        public async Task A_listing_read_in_full_is_read_two_pages_ahead_one_request_at_a_time()
        {
            var listing = new SlowJsonListing(10, 20);
            await using (var e = Pager.StreamAsync(PageUri(1), listing.Fetch, null).GetAsyncEnumerator())
            {
                for (var taken = 0; taken < 20 + Pager.PrefetchAfter + 2; taken++)
                {
                    Assert.True(await e.MoveNextAsync());
                }

                // A few items into page 2: pages 3 and 4 are read ahead, nothing further while the consumer waits.
                await Task.Delay(300);
                Assert.Equal(new[] { 1, 2, 3, 4 }, listing.Requested);
                var all = new List<int>();
                while (await e.MoveNextAsync())
                {
                    all.Add(e.Current);
                }

                Assert.Equal(Enumerable.Range(20 + Pager.PrefetchAfter + 2, 200 - (20 + Pager.PrefetchAfter + 2)), all);
            }

            Assert.Equal(Enumerable.Range(1, 10), listing.Requested);
            Assert.Equal(1, listing.MaxInFlight);
        }

        [Fact]
        public async Task A_page_that_fails_while_read_ahead_fails_the_listing_after_the_pages_before_it()
        {
            var listing = new SlowJsonListing(10, 20, failAt: 4);
            var taken = new List<int>();
            var ex = await Assert.ThrowsAsync<ApiException>(async () =>
            {
                await foreach (var item in Pager.StreamAsync(PageUri(1), listing.Fetch, null))
                {
                    taken.Add(item);
                }
            });
            Assert.Equal("page 4 failed", ex.Message);
            Assert.Equal(Enumerable.Range(0, 60), taken);
            Assert.DoesNotContain(5, listing.Requested);
        }

        [Fact]
        public async Task Stopping_early_cancels_the_read_ahead_and_releases_every_page()
        {
            var listing = new SlowJsonListing(50, 20);
            var taken = 0;
            await foreach (var item in Pager.StreamAsync(PageUri(1), listing.Fetch, null))
            {
                if (++taken == 45)
                {
                    break;
                }
            }

            var requested = listing.Requested.Count;
            await Task.Delay(200);
            Assert.Equal(requested, listing.Requested.Count);
            Assert.InRange(requested, 3, 5);
            Assert.All(listing.Made, page => Assert.ThrowsAny<ObjectDisposedException>(() => page.Items.ToList()));
        }

        [Fact]
        public async Task Stopping_after_a_few_items_of_a_large_page_requests_no_further_page()
        {
            var listing = new FakeListing(50, 10);
            var taken = 0;
            await foreach (var item in Pager.StreamAsync(PageUri(1), listing.Fetch, null))
            {
                if (++taken == 3)
                {
                    break;
                }
            }

            Assert.Equal(new[] { 1 }, listing.Requested);
        }

        [Fact]
        public async Task A_next_link_pointing_back_is_an_error_not_an_endless_loop()
        {
            Task<Page<int>> Fetch(Uri uri, CancellationToken ct) => Task.FromResult(new Page<int>(new[] { 1 }, PageUri(1), null));
            var ex = await Assert.ThrowsAsync<ApiException>(async () =>
            {
                await foreach (var _ in Pager.StreamAsync(PageUri(1), Fetch, null))
                {
                }
            });
            Assert.Equal(ApiErrorKind.InvalidResponse, ex.Kind);
        }
    }
}
