using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.UnitTests
{
    /// <summary>A listing's page reports come with its items, read by the consumer after each step.</summary>
    public class ListingTests
    {
        private static Uri PageUri(int n) => new Uri($"http://127.0.0.1/list/?page={n}");

        private static Func<Uri, CancellationToken, Task<Page<int>>> Pages(int pages, int perPage) => (uri, ct) =>
        {
            var n = int.Parse(uri.Query.Split('=')[1]);
            var items = Enumerable.Range((n - 1) * perPage, perPage).ToList();
            return Task.FromResult(new Page<int>(items, n < pages ? PageUri(n + 1) : null, pages * perPage));
        };

        /// <summary>Each step as "item" or "item@page/itemsSoFar/total" when the step began a page; "end…" for the last step.</summary>
        private static async Task<List<string>> Steps<T>(Listing<T> listing)
        {
            var steps = new List<string>();
            await using var e = listing.GetAsyncEnumerator();
            while (true)
            {
                var more = await e.MoveNextAsync();
                var page = e.TakePage();
                var mark = page == null ? string.Empty : $"@{page.PageNumber}/{page.ItemsSoFar}/{page.Total}";
                steps.Add((more ? e.Current!.ToString() : "end") + mark);
                if (!more)
                {
                    return steps;
                }
            }
        }

        [Fact]
        public async Task Each_page_is_reported_with_its_first_item_and_only_once()
        {
            var steps = await Steps(Listing.Of(PageUri(1), Pages(3, 2)));

            Assert.Equal(new[] { "0@1/2/6", "1", "2@2/4/6", "3", "4@3/6/6", "5", "end" }, steps);
        }

        [Fact]
        public async Task An_empty_listing_reports_its_page_on_the_last_step()
        {
            Func<Uri, CancellationToken, Task<Page<int>>> none = (uri, ct) => Task.FromResult(new Page<int>(new List<int>(), null, 0));

            var steps = await Steps(Listing.Of(PageUri(1), none));

            Assert.Equal(new[] { "end@1/0/0" }, steps);
        }

        [Fact]
        public async Task Select_maps_the_items_and_keeps_the_page_reports()
        {
            var listing = Listing.Of(PageUri(1), Pages(2, 2)).Select((i, ct) => new ValueTask<string>("x" + i));

            var steps = await Steps(listing);

            Assert.Equal(new[] { "x0@1/2/4", "x1", "x2@2/4/4", "x3", "end" }, steps);
        }

        [Fact]
        public async Task Nothing_is_requested_before_the_listing_is_enumerated()
        {
            var requests = 0;
            var listing = Listing.Of<int>(PageUri(1), (uri, ct) =>
            {
                requests++;
                return Task.FromResult(new Page<int>(new List<int> { 1 }, null, 1));
            });

            Assert.Equal(0, requests);
            Assert.Equal(new[] { 1 }, await listing.ToListAsync());
            Assert.Equal(1, requests);
        }
    }

    internal static class AsyncEnumerableExtensions
    {
        public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
        {
            var list = new List<T>();
            await foreach (var item in items)
            {
                list.Add(item);
            }

            return list;
        }
    }
}
