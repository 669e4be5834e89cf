using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests.Hardening2
{
    /// <summary>
    /// Issue 26 item 3: a <c>next</c> link that is not an absolute URL does not end the listing silently: the
    /// rows of the page are handed out, then an error quotes the link.
    /// </summary>
    public class NextLinkTests
    {
        private static string Page(string nextJson) =>
            "{\"count\":999,\"next\":" + nextJson + ",\"previous\":null,\"results\":[{\"id\":1,\"name\":\"a\",\"status\":\"running\"},{\"id\":2,\"name\":\"b\",\"status\":\"running\"},{\"id\":3,\"name\":\"c\",\"status\":\"running\"}]}";

        [Theory]
        [InlineData("\"../x/?pg=2\"", "'../x/?pg=2'")]
        [InlineData("\"/api/processes/1/instances/?page=2\"", "'/api/processes/1/instances/?page=2'")]
        [InlineData("\"//127.0.0.1:5191/api/processes/1/instances/?page=2\"", "'//127.0.0.1:5191/")]
        [InlineData("\"\\\\\\\\127.0.0.1\\\\api\\\\?page=2\"", "'\\\\127.0.0.1\\api\\?page=2'")]
        [InlineData("\"http:\\\\\\\\127.0.0.1\\\\api\\\\?page=2\"", "'http:\\\\127.0.0.1")]
        [InlineData("\"http://127.0.0.1/api/\\t?page=2\"", "'http://127.0.0.1/api/\\t?page=2'")]
        [InlineData("\"\\thttp://127.0.0.1/api/?page=2\"", "'\\thttp://")]
        [InlineData("\"\"", "''")]
        [InlineData("2", ": 2.")]
        [InlineData("{\"href\":\"http://127.0.0.1/x\"}", "{\"href\":\"http://127.0.0.1/x\"}")]
        [InlineData("[\"http://127.0.0.1/x\"]", "[\"http://127.0.0.1/x\"]")]
        [InlineData("true", ": true.")]
        public async Task An_unusable_next_link_is_an_error_quoting_it_after_the_rows_of_its_page(string nextJson, string quoted)
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, Page(nextJson)));
            using var connection = NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText("next-link-key"), new ConnectionSettings { MaxRetries = 0 });

            var ids = new List<long>();
            var error = await Assert.ThrowsAsync<ApiException>(async () =>
            {
                await foreach (var item in connection.Client.ListInstancesAsync(1, new NmInstanceQuery()))
                {
                    ids.Add(item.Id);
                }
            });

            Assert.Equal(new long[] { 1, 2, 3 }, ids);
            Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("next page link that is not an absolute http(s) URL", error.Message);
            Assert.Contains(quoted, error.Message);
            Assert.Single(server.Seen);
        }

        [Fact]
        public async Task A_null_next_ends_the_listing_and_an_absolute_one_is_followed()
        {
            var served = 0;
            LookAlikeServer? self = null;
            await using var server = await LookAlikeServer.StartAsync((c, s) =>
            {
                served++;
                return LookAlikeServer.Json(c, Page(served == 1 ? "\"" + new Uri(s.Root, "api/processes/1/instances/?page=2").AbsoluteUri + "\"" : "null"));
            });
            self = server;
            using var connection = NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText("next-link-key"), new ConnectionSettings { MaxRetries = 0 });

            var count = 0;
            await foreach (var item in connection.Client.ListInstancesAsync(1, new NmInstanceQuery()))
            {
                count++;
            }

            Assert.Equal(6, count);
            Assert.Equal(2, server.Seen.Count);
        }
    }
}
