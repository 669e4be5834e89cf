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
