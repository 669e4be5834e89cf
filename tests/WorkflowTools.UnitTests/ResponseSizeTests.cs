using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// Issue 17 item 13: each connection reads at most -MaxResponseSize per answer and says so clearly when an
    /// answer is larger (announced or not); a listing page costs little beyond the objects it becomes.
    /// </summary>
    public class ResponseSizeTests
    {
        private const long Limit = 64 * 1024;

        /// <summary>A DRF page of <paramref name="rows"/> instance rows as Next Matter writes them.</summary>
        internal static byte[] Page(int rows)
        {
            var text = new StringBuilder("{\"count\":" + rows + ",\"next\":null,\"previous\":null,\"results\":[");
            for (var i = 1; i <= rows; i++)
            {
                text.Append(i > 1 ? "," : string.Empty)
                    .Append("{\"id\":").Append(100000 + i).Append(",\"name\":\"Onboarding request ").Append(i).Append(" for the finance team\",")
                    .Append("\"url\":\"https://core.nextmatter.com/api/instances/").Append(100000 + i).Append("/\",\"process_id\":1,\"status\":\"running\",")
                    .Append("\"progress\":0.5,\"priority\":\"medium\",\"stage\":\"Review\",\"started_time\":\"2026-11-30T10:00:00Z\",")
                    .Append("\"last_updated_time\":\"2026-11-30T11:00:00Z\",\"deadline\":null,\"completed_time\":null,\"aborted_time\":null,")
                    .Append("\"total_runtime\":\"1 02:03:04\",\"tags\":[\"finance\",\"q4\"],\"active_step_ids\":[42,43],\"public_url\":null}");
            }

            return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
        }

        private static NmConnection Connect(LookAlikeServer server, long maxResponseSize) =>
            NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText("size.key"), new ConnectionSettings { MaxRetries = 0, RequestsPerMinute = 0, MaxResponseSize = maxResponseSize });

        private static async Task Write(HttpContext context, byte[] body, bool announce)
        {
            context.Response.ContentType = "application/json";
            if (announce)
            {
                context.Response.ContentLength = body.Length;
            }

            await context.Response.Body.WriteAsync(body);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_listing_page_over_the_limit_fails_naming_the_limit_and_how_to_raise_it(bool announced)
        {
            var page = Page(500);
            Assert.True(page.Length > Limit);
            await using var server = await LookAlikeServer.StartAsync((c, _) => Write(c, page, announced));
            using var connection = Connect(server, Limit);

            var error = await Assert.ThrowsAsync<ApiException>(async () =>
            {
                await foreach (var _ in connection.Client.ListInstancesAsync(1, new NmInstanceQuery { PageSize = 500 }))
                {
                }
            });

            Assert.Equal(ApiErrorKind.ResponseTooLarge, error.Kind);
            Assert.Contains("limit of 64 KB", error.Message);
            Assert.Contains("Connect-NmService -MaxResponseSize", error.Message);
            Assert.Contains("-PageSize", error.Message);
            Assert.Contains(announced ? "it announced" : "it went on past 64 KB", error.Message);
            Assert.DoesNotContain("network", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Single(server.Seen);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_single_answer_over_the_limit_fails_the_same_way_and_is_not_retried(bool announced)
        {
            var body = Encoding.UTF8.GetBytes("{\"id\":1,\"name\":\"" + new string('x', 100 * 1024) + "\"}");
            await using var server = await LookAlikeServer.StartAsync((c, _) => Write(c, body, announced));
            using var connection = NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText("size.key"), new ConnectionSettings { MaxRetries = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RequestsPerMinute = 0, MaxResponseSize = Limit });

            var error = await Assert.ThrowsAsync<ApiException>(() => connection.Client.GetInstanceAsync(1, false, CancellationToken.None));

            Assert.Equal(ApiErrorKind.ResponseTooLarge, error.Kind);
            Assert.Contains("limit of 64 KB", error.Message);
            Assert.Single(server.Seen);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task An_answer_within_a_raised_limit_is_read_whole(bool announced)
        {
            var page = Page(500);
            await using var server = await LookAlikeServer.StartAsync((c, _) => Write(c, page, announced));
            using var connection = Connect(server, 1024 * 1024);

            var count = 0;
            await foreach (var instance in connection.Client.ListInstancesAsync(1, new NmInstanceQuery { PageSize = 500 }))
            {
                Assert.Equal(100000 + ++count, instance.Id);
            }

            Assert.Equal(500, count);
        }

        [Fact]
        public void The_limit_is_what_the_connection_was_given_and_256_MB_by_default()
        {
            using var byDefault = NmConnection.Create(new Uri("http://127.0.0.1:9/api/"), SecretAuthorization.FromPlainText("k"), new ConnectionSettings());
            Assert.Equal(256L * 1024 * 1024, byDefault.MaxResponseSize);
            Assert.Equal(ConnectionDefaults.MaxResponseSize, byDefault.Http.Options.MaxResponseSize);
            using var raised = NmConnection.Create(new Uri("http://127.0.0.1:9/api/"), SecretAuthorization.FromPlainText("k"), new ConnectionSettings { MaxResponseSize = 1L << 30 });
            Assert.Equal(1L << 30, raised.Http.Options.MaxResponseSize);
        }

        /// <summary>Answers every request at once with the same page, in memory: the whole listing then runs on the calling thread.</summary>
        private sealed class PageHandler : HttpMessageHandler
        {
            private readonly byte[] _body;
            private readonly bool _announce;

            public PageHandler(byte[] body, bool announce)
            {
                _body = body;
                _announce = announce;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var content = _announce ? (HttpContent)new ByteArrayContent(_body) : new StreamContent(new System.IO.MemoryStream(_body, writable: false));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
            }
        }

        private static long AllocatedByListing(NmConnection connection)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var items = connection.Client.ListInstancesAsync(1, new NmInstanceQuery { PageSize = 500 }).GetAsyncEnumerator();
            var count = 0;
            while (items.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                count++;
            }

            items.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Assert.Equal(500, count);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        private static long AllocatedByMappingAlone(byte[] page)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            using (var document = System.Text.Json.JsonDocument.Parse(page))
            {
                foreach (var row in document.RootElement.GetProperty("results").EnumerateArray())
                {
                    _ = NmInstance.FromJson(row, DateTime.UtcNow, 1);
                }
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_500_row_page_allocates_little_beyond_the_objects_it_becomes(bool announced)
        {
            // Counted in bytes allocated on this thread, not in time: the same on an idle or a loaded machine.
            var page = Page(500);
            using var connection = NmConnection.Create(new Uri("http://127.0.0.1:9/api/"), SecretAuthorization.FromPlainText("k"), new ConnectionSettings { RequestsPerMinute = 0 }, new PageHandler(page, announced));
            AllocatedByListing(connection); // the first page of a process fills the shared buffer pool
            AllocatedByMappingAlone(page);

            // The rows become objects either way (about 2 bytes per page byte: strings are UTF-16); all the listing
            // may add is per-page bookkeeping, not a copy of the page. A second copy of the body would add 1.0 on every
            // try. One try may miss on a loaded machine for reasons outside the code: the runtime may trim the shared
            // buffer pool between tries (a rented buffer is then allocated anew), or a continuation may run on another
            // thread (its bytes are not counted here). So the check is made up to 5 times and one clean try suffices.
            var tries = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                var listing = AllocatedByListing(connection);
                var objects = AllocatedByMappingAlone(page);
                var overhead = (double)(listing - objects) / page.Length;
                if (listing >= objects && overhead < 0.25)
                {
                    return;
                }

                tries.Add(listing < objects
                    ? $"the listing allocated {listing} bytes, less than mapping its rows ({objects}): it did not run on this thread"
                    : $"a {page.Length}-byte page allocated {listing} bytes ({(double)listing / page.Length:0.00} per page byte), {overhead:0.00} per page byte beyond its {objects} bytes of objects");
            }

            Assert.Fail(string.Join("\n", tries));
        }
    }
}
