using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.Sandbox;

namespace WorkflowTools.UnitTests
{
    /// <summary>Answers read into pooled buffers (a listing's pages) hold the same bytes, and errors still show them.</summary>
    public class PooledBodyTests : IAsyncLifetime
    {
        private SandboxServer _sandbox = null!;
        private ApiClient _api = null!;

        public async Task InitializeAsync()
        {
            _sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedData = false, ListingInstances = 700 });
            _api = new ApiClient(
                new ConnectionSettings { BaseUri = _sandbox.NextMatterBaseUri, RetryBaseDelay = TimeSpan.FromMilliseconds(10) },
                new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText(_sandbox.NextMatterApiKey)));
        }

        public async Task DisposeAsync()
        {
            _api.Dispose();
            await _sandbox.DisposeAsync();
        }

        private Uri Page(int size) => _api.Resolve($"processes/{SandboxOptions.ListingProcessId}/instances/?page_size={size}");

        [Theory]
        [InlineData(1)]
        [InlineData(500)]
        public async Task A_pooled_answer_holds_exactly_the_bytes_of_an_ordinary_one(int pageSize)
        {
            var plain = await _api.SendAsync(new ApiRequest("GET", Page(pageSize)), CancellationToken.None);
            using var pooled = await _api.SendAsync(new ApiRequest("GET", Page(pageSize)) { PooledBody = true }, CancellationToken.None);
            Assert.Equal(plain.Body.Length, pooled.Length);
            Assert.True(pooled.Content.Span.SequenceEqual(plain.Body));
            Assert.Equal(plain.Body, pooled.Body);
            Assert.Equal(plain.BodyText, pooled.BodyText);
        }

        [Fact]
        public async Task A_disposed_pooled_answer_no_longer_hands_out_its_buffer()
        {
            var pooled = await _api.SendAsync(new ApiRequest("GET", Page(10)) { PooledBody = true }, CancellationToken.None);
            pooled.Dispose();
            Assert.Throws<ObjectDisposedException>(() => pooled.Content);
            pooled.Dispose();
        }

        [Fact]
        public async Task A_page_owns_its_answer_and_reads_the_rows_from_it()
        {
            var response = await _api.SendAsync(new ApiRequest("GET", Page(500)) { PooledBody = true }, CancellationToken.None);
            var page = Pager.ReadDrfPage(response, row => row.GetProperty("id").GetInt64());
            Assert.Equal(500, page.Count);
            Assert.Equal(500, page.Items.Distinct().Count());
            page.Dispose();
            Assert.Throws<ObjectDisposedException>(() => response.Content);
        }

        [Fact]
        public async Task A_truncated_pooled_page_is_a_clean_error_that_shows_what_came()
        {
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.TruncatedJson, Times = 1 });
            var response = await _api.SendAsync(new ApiRequest("GET", Page(5)) { PooledBody = true }, CancellationToken.None);
            var ex = Assert.Throws<ApiException>(() => Pager.ReadDrfPage(response, row => row.GetProperty("id").GetInt64()));
            Assert.Equal(ApiErrorKind.InvalidResponse, ex.Kind);
            Assert.Contains("\"count\"", ex.BodyExcerpt);
            Assert.Throws<ObjectDisposedException>(() => response.Content);
        }
    }
}
