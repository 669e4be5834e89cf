using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using SandboxOptions = WorkflowTools.Sandbox.SandboxOptions;
using SandboxServer = WorkflowTools.Sandbox.SandboxServer;
using NmInstance = WorkflowTools.NextMatter.NmInstance;

namespace WorkflowTools.UnitTests.NextMatter
{
    /// <summary>NmClient against the sandbox (and a canned handler where the sandbox cannot show a case).</summary>
    public class NmClientTests : IAsyncLifetime
    {
        private SandboxServer _sandbox = null!;

        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions());

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        private static NmClient Client(Uri baseUri, string key, HttpMessageHandler? handler = null) =>
            new NmClient(new ApiClient(
                new ConnectionSettings { ServiceName = "Next Matter", BaseUri = baseUri, MaxRetries = 0, RequestsPerMinute = 0 },
                new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText(key)),
                handler));

        private NmClient Sandbox() => Client(_sandbox.NextMatterBaseUri, _sandbox.NextMatterApiKey);

        [Fact]
        public async Task A_batch_with_an_unknown_id_is_split_so_the_good_ids_still_go_through()
        {
            var client = Sandbox();
            var outcomes = await client.BulkAsync(NmBulkOperation.Abort, new long[] { 1001, 424242, 1002 }, CancellationToken.None);
            Assert.Equal(new long[] { 1001, 424242, 1002 }, outcomes.Select(o => o.Id));
            Assert.Null(outcomes[0].Error);
            Assert.Equal(ApiErrorKind.NotFound, outcomes[1].Error!.Kind);
            Assert.Null(outcomes[2].Error);
            Assert.Equal("aborted", _sandbox.NextMatter.FindInstance(1001)!.Status);
            Assert.Equal("aborted", _sandbox.NextMatter.FindInstance(1002)!.Status);

            var posts = _sandbox.Requests.All.Where(r => r.Method == "POST").Select(r => r.Body).ToList();
            Assert.Equal(new[] { "{\"ids\":[1001,424242,1002]}", "{\"ids\":[1001]}", "{\"ids\":[424242,1002]}", "{\"ids\":[424242]}", "{\"ids\":[1002]}" }, posts);
        }

        [Fact]
        public async Task One_bad_id_among_a_hundred_costs_a_few_requests_not_a_hundred()
        {
            _sandbox.NextMatter.AddInstances(2, 99);
            var real = _sandbox.NextMatter.Instances.Where(i => i.ProcessId == 2).Select(i => i.Id).OrderByDescending(i => i).Take(99).ToList();
            var batch = real.Take(50).Append(424242L).Concat(real.Skip(50)).ToArray();
            var outcomes = await Sandbox().BulkAsync(NmBulkOperation.Abort, batch, CancellationToken.None);
            Assert.Equal(batch.OrderBy(i => i), outcomes.Select(o => o.Id).OrderBy(i => i));
            Assert.Equal(424242, Assert.Single(outcomes, o => o.Error != null).Id);
            Assert.All(real, id => Assert.Equal("aborted", _sandbox.NextMatter.FindInstance(id)!.Status));
            Assert.InRange(_sandbox.Requests.All.Count(r => r.Method == "POST"), 2, 16);
        }

        [Fact]
        public async Task A_batch_refused_for_a_reason_that_is_not_about_one_id_is_not_split()
        {
            var client = Client(_sandbox.NextMatterBaseUri, "wrong.key");
            var outcomes = await client.BulkAsync(NmBulkOperation.Delete, new long[] { 1003, 1004 }, CancellationToken.None);
            Assert.All(outcomes, o => Assert.Equal(ApiErrorKind.Unauthorized, o.Error!.Kind));
            // A 401 may be a permission refusal (Next Matter files those under 401): one read checks the key first.
            Assert.Equal(new[] { "POST", "GET" }, _sandbox.Requests.All.Select(r => r.Method));
            Assert.Empty(await Sandbox().BulkAsync(NmBulkOperation.Delete, Array.Empty<long>(), CancellationToken.None));
        }

        [Theory]
        [InlineData("https://evil.example.com/nextmatter/api/instances/")]
        [InlineData("http://127.0.0.1:1/nextmatter/api/instances/")]
        [InlineData("/other/api/instances/")]
        [InlineData(" ")]
        public void Raw_calls_never_leave_the_base_url(string path)
        {
            var client = Sandbox();
            var target = path.StartsWith("http", StringComparison.Ordinal) ? path : path == " " ? path : new Uri(_sandbox.NextMatterBaseUri, path).AbsoluteUri;
            Assert.Throws<ArgumentException>(() => client.ResolveRaw(target, null));
        }

        [Fact]
        public void Raw_paths_resolve_under_the_base_url_and_merge_queries()
        {
            var client = Sandbox();
            var q = new QueryString().Add("a", "1 2");
            Assert.Equal(new Uri(_sandbox.NextMatterBaseUri, "instances/?page=2&a=1%202"), client.ResolveRaw("instances/?page=2", q));
            Assert.Equal(new Uri(_sandbox.NextMatterBaseUri, "instances/5/?a=1%202"), client.ResolveRaw("/instances/5/", q));
            var absolute = new Uri(_sandbox.NextMatterBaseUri, "processes/1/").AbsoluteUri;
            Assert.Equal(new Uri(absolute), client.ResolveRaw(absolute, null));
        }

        [Fact]
        public async Task Listing_rows_that_already_carry_values_are_not_read_again()
        {
            var handler = new CannedHandler(
                "{\"count\":1,\"next\":null,\"previous\":null,\"results\":[{\"id\":5,\"name\":\"x\",\"process\":\"http://127.0.0.1/api/processes/1/\"," +
                "\"process_snapshot\":{\"steps\":[{\"id\":1,\"actions\":[{\"id\":11,\"value\":{\"inputValue\":\"v\"}},{\"id\":12,\"value\":null}]}]}}]}");
            var client = Client(new Uri("http://127.0.0.1/api/"), "k.k", handler);
            var rows = new List<NmInstance>();
            await foreach (var row in client.ListInstancesAsync(1, new NmInstanceQuery { IncludeValues = true }))
            {
                rows.Add(row);
            }

            var instance = Assert.Single(rows);
            Assert.Equal("v", instance.Values!["11"]);
            Assert.False(instance.Values.ContainsKey("12"));
            Assert.Equal(new[] { "/api/processes/1/instances/?inject_values=true" }, handler.Requested);
        }

        [Fact]
        public async Task Listing_rows_without_values_are_read_once_each_with_inject_values()
        {
            var client = Sandbox();
            var rows = new List<NmInstance>();
            await foreach (var row in client.ListInstancesAsync(2, new NmInstanceQuery { IncludeValues = true, PageSize = 2 }))
            {
                rows.Add(row);
            }

            Assert.Equal(5, rows.Count);
            Assert.All(rows, r => Assert.NotNull(r.Values));
            var gets = _sandbox.Requests.All.Select(r => r.Path + r.Query).ToList();
            Assert.Equal(3, gets.Count(g => g.Contains("/processes/2/instances/")));
            Assert.Equal(rows.Select(r => $"/nextmatter/api/instances/{r.Id}/?inject_values=true").OrderBy(s => s), gets.Where(g => g.Contains("/instances/1")).OrderBy(s => s));
        }

        private sealed class CannedHandler : HttpMessageHandler
        {
            private readonly string _body;

            public CannedHandler(string body)
            {
                _body = body;
            }

            public List<string> Requested { get; } = new List<string>();

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Requested.Add(request.RequestUri!.PathAndQuery);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(_body, System.Text.Encoding.UTF8, "application/json") });
            }
        }
    }
}
