using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// Issue 17 item 1: the connection's credentials go only to its own origin and base path. A look-alike
    /// server on another port (or plain http beside an https connection) offers a next link, and must
    /// never see the key.
    /// </summary>
    public class OriginRuleTests
    {
        private const string Key = "origin.secret-key";

        private static NmConnection Connect(LookAlikeServer server, HttpMessageHandler? handler = null) =>
            NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText(Key), new ConnectionSettings
            {
                MaxRetries = 0,
                AttemptTimeout = TimeSpan.FromSeconds(10),
                Timeout = TimeSpan.FromSeconds(20),
            }, handler ?? (server.Https ? server.TrustingHandler() : null));

        private static string Page(string? next) =>
            "{\"count\":4,\"next\":" + (next == null ? "null" : "\"" + next + "\"") + ",\"previous\":null,\"results\":[{\"id\":1,\"name\":\"a\",\"status\":\"running\"},{\"id\":2,\"name\":\"b\",\"status\":\"running\"}]}";

        private static async Task<(List<long> Ids, Exception? Error)> ReadAll(IAsyncEnumerable<NmInstance> listing)
        {
            var ids = new List<long>();
            try
            {
                await foreach (var item in listing)
                {
                    ids.Add(item.Id);
                }
            }
            catch (Exception ex)
            {
                return (ids, ex);
            }

            return (ids, null);
        }

        [Theory]
        [InlineData(false, false)]
        [InlineData(true, false)]
        [InlineData(true, true)]
        public async Task A_next_link_to_another_port_or_to_plain_http_gets_no_key_and_is_an_error_naming_its_origin(bool https, bool nextIsPlainHttp)
        {
            await using var other = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, Page(null)));
            Uri? otherRoot = null;
            await using var server = await LookAlikeServer.StartAsync((c, s) => LookAlikeServer.Json(c, Page(new Uri(otherRoot!, "api/processes/1/instances/?page=2").AbsoluteUri)), https);
            // Same host; another port, and for an https connection plain http.
            otherRoot = nextIsPlainHttp || !https ? other.Root : new Uri($"https://127.0.0.1:{other.Port}/");
            using var connection = Connect(server);

            var (ids, error) = await ReadAll(connection.Client.ListInstancesAsync(1, new NmInstanceQuery()));

            Assert.Equal(new long[] { 1, 2 }, ids);
            var refused = Assert.IsType<ApiException>(error);
            Assert.Equal(ApiErrorKind.OriginRefused, refused.Kind);
            Assert.Contains($"127.0.0.1:{other.Port}", refused.Message);
            if (https && nextIsPlainHttp)
            {
                Assert.Contains("plain http://", refused.Message);
            }

            Assert.Empty(other.Seen);
            Assert.All(server.Seen, r => Assert.Equal("Api-Key " + Key, r.Authorization));
        }

        [Fact]
        public async Task A_next_link_on_the_same_origin_but_outside_the_base_path_is_refused_and_one_inside_is_followed()
        {
            await using var server = await LookAlikeServer.StartAsync((c, s) =>
            {
                var page = c.Request.Query["page"].ToString();
                var next = page switch
                {
                    "" => new Uri(s.Root, "api/processes/1/instances/?page=2").AbsoluteUri,
                    "2" => new Uri(s.Root, "elsewhere/steal/?page=3").AbsoluteUri,
                    _ => null,
                };
                return LookAlikeServer.Json(c, Page(next));
            });
            using var connection = Connect(server);

            var (ids, error) = await ReadAll(connection.Client.ListInstancesAsync(1, new NmInstanceQuery()));

            Assert.Equal(new long[] { 1, 2, 1, 2 }, ids);
            var refused = Assert.IsType<ApiException>(error);
            Assert.Equal(ApiErrorKind.OriginRefused, refused.Kind);
            Assert.Contains("/elsewhere/steal/", refused.Message);
            Assert.DoesNotContain(server.Seen, r => r.PathAndQuery.StartsWith("/elsewhere", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_raw_listing_and_a_field_value_listing_follow_the_same_rule()
        {
            await using var other = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, Page(null)));
            await using var server = await LookAlikeServer.StartAsync((c, s) => LookAlikeServer.Json(c, Page(new Uri(other.Root, "api/x/?page=2").AbsoluteUri)));
            using var connection = Connect(server);

            var raw = await Assert.ThrowsAsync<ApiException>(async () =>
            {
                await foreach (var _ in connection.Client.StreamRawAsync(connection.Client.ResolveRaw("instances/", null)))
                {
                }
            });
            Assert.Equal(ApiErrorKind.OriginRefused, raw.Kind);

            var values = await Assert.ThrowsAsync<ApiException>(async () =>
            {
                await foreach (var _ in connection.Client.ListFieldValuesAsync(1, 2, 3, new NmInstanceQuery()))
                {
                }
            });
            Assert.Equal(ApiErrorKind.OriginRefused, values.Kind);
            Assert.Empty(other.Seen);
        }

        [Theory]
        [InlineData("../../../nextmatter/api/instances/")]
        [InlineData("/api/1.0/../../other/")]
        [InlineData("%2e%2e/%2e%2e/other/")]
        [InlineData("requests/..%2f..%2f..%2fother/")]
        public async Task A_pm_path_that_climbs_out_of_the_api_is_refused_before_any_request(string path)
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, "{\"data\":[]}"));
            using var connection = PmConnection.Create(server.Root, new SecretAuthorization("Bearer", SecretAuthorization.FromPlainText(Key)), new ConnectionSettings { MaxRetries = 0 });

            var error = Assert.Throws<ArgumentException>(() => connection.Client.ResolveSameHost(path));
            Assert.Contains("not under the connected ProcessMaker API", error.Message);

            // The core holds the same rule for a URL that got past a client.
            var core = await Assert.ThrowsAsync<ApiException>(() => connection.Http.SendAsync(new ApiRequest("GET", new Uri(server.Root, "nextmatter/api/instances/")), CancellationToken.None));
            Assert.Equal(ApiErrorKind.OriginRefused, core.Kind);
            Assert.Empty(server.Seen);
        }

        [Theory]
        [InlineData("https://127.0.0.1:1/api/", "http://127.0.0.1:1/api/x", "plain http://")]
        [InlineData("https://127.0.0.1:1/api/", "https://127.0.0.1:2/api/x", "port is 2")]
        [InlineData("https://127.0.0.1:1/api/", "https://localhost:1/api/x", "host is 'localhost'")]
        [InlineData("https://127.0.0.1:1/api/", "https://127.0.0.1:1/apix/", "not under '/api/'")]
        [InlineData("https://127.0.0.1:1/api/", "https://u:p@127.0.0.1:1/api/x", "user name")]
        [InlineData("https://127.0.0.1:1/api/", "file:///etc/passwd", "scheme is 'file:'")]
        public void The_rule_names_what_breaks_it(string baseUri, string target, string expected)
        {
            Assert.Contains(expected, OriginRule.Violation(new Uri(baseUri), new Uri(target)));
        }

        [Theory]
        [InlineData("https://127.0.0.1:1/api/", "https://127.0.0.1:1/api/")]
        [InlineData("https://127.0.0.1:1/api/", "https://127.0.0.1:1/api/instances/?page=2")]
        [InlineData("https://Core.Example/api/", "https://core.example:443/api/x")]
        public void Urls_under_the_base_pass(string baseUri, string target)
        {
            Assert.Null(OriginRule.Violation(new Uri(baseUri), new Uri(target)));
        }
    }
}
