using System.Collections;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests.ProcessMaker
{
    /// <summary>
    /// Issue 17 item 15: a start whose answer was cut short (the POST reached the server) is checked the way
    /// New-NmInstance checks a create: requests of that process started by this token's user after the send count,
    /// older ones do not, and "none found" is said honestly. Never resent. Look-alike servers on loopback.
    /// </summary>
    public class PmStartReconcileTests
    {
        private const long Me = 7;

        private static string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

        private static string Row(long id, long user, DateTime started, int days = 3) =>
            $"{{\"id\":{id},\"process_id\":5,\"user_id\":{user},\"status\":\"ACTIVE\",\"name\":\"Leave\",\"initiated_at\":\"{Time(started)}\",\"created_at\":\"{Time(started)}\",\"data\":{{\"days\":{days},\"_request\":{{\"id\":{id}}}}}}}";

        /// <summary>Answers the start with the first half of a 201 body; the request list with <paramref name="rows"/> (newest first).</summary>
        private static Task<LookAlikeServer> Server(Func<string> rows) =>
            LookAlikeServer.StartAsync(async (c, _) =>
            {
                if (c.Request.Method == "POST")
                {
                    var body = Row(42, Me, DateTime.UtcNow);
                    c.Response.StatusCode = 201;
                    c.Response.ContentType = "application/json";
                    await c.Response.WriteAsync(body.Substring(0, body.Length / 2));
                    return;
                }

                await LookAlikeServer.Json(c, "{\"data\":[" + rows() + "],\"meta\":{\"current_page\":1,\"last_page\":1}}");
            });

        private static PmClient Client(LookAlikeServer server)
        {
            var now = DateTimeOffset.UtcNow;
            var token = WorkflowTools.Sandbox.ProcessMakerStore.PassportLikeJwt(Me, now, now.AddHours(1));
            var auth = new SecretAuthorization("Bearer", SecretAuthorization.FromPlainText(token));
            return new PmClient(new ApiClient(new ConnectionSettings { ServiceName = "ProcessMaker", BaseUri = new Uri(server.Root, "api/1.0/"), MaxRetries = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(1) }, auth), auth);
        }

        private static Task<ApiException> Start(PmClient client) =>
            Assert.ThrowsAsync<ApiException>(() => client.StartRequestAsync(5, "node_1", new Hashtable { ["days"] = 3 }, CancellationToken.None));

        [Fact]
        public async Task A_cut_answer_names_the_request_started_by_this_user_after_the_send()
        {
            // newest first: another user's start just now, ours, then one of ours from an hour ago
            await using var server = await Server(() => string.Join(",", Row(43, 8, DateTime.UtcNow), Row(42, Me, DateTime.UtcNow), Row(30, Me, DateTime.UtcNow.AddHours(-1))));
            var ex = await Start(Client(server));

            Assert.Equal(ApiErrorKind.InvalidResponse, ex.Kind);
            Assert.Contains("The server accepted the request, so the request was most likely created.", ex.Message);
            Assert.Contains("process 5 has 1 request(s) started by you (user 7) since", ex.Message);
            Assert.Contains("that hold the data this call sent", ex.Message);
            Assert.Contains("42 (started", ex.Message);
            Assert.Contains("it is most likely the one this call created", ex.Message);
            Assert.Equal(new long[] { 42 }, ex.PossibleMatches);
            Assert.Single(server.Seen, r => r.Method == "POST"); // never resent
            var list = Assert.Single(server.Seen, r => r.Method == "GET");
            Assert.Contains("pmql=process_id%20%3D%205", list.PathAndQuery);
            Assert.Contains("order_by=id&order_direction=desc", list.PathAndQuery);
            Assert.Contains("include=data", list.PathAndQuery);
        }

        [Fact]
        public async Task Only_older_requests_mean_none_found_said_honestly()
        {
            await using var server = await Server(() => Row(30, Me, DateTime.UtcNow.AddHours(-1)));
            var ex = await Start(Client(server));
            Assert.Contains("Checked: none found - process 5 has no request started by you (user 7) since", ex.Message);
            Assert.Contains("requests started before the request was sent exist; they are not this call's", ex.Message);
            Assert.Contains("so it was most likely not created", ex.Message);
            Assert.Empty(ex.PossibleMatches);
            Assert.DoesNotContain("30 (started", ex.Message);
        }

        [Fact]
        public async Task A_failed_check_says_so()
        {
            await using var server = await LookAlikeServer.StartAsync(async (c, _) =>
            {
                if (c.Request.Method == "POST")
                {
                    c.Response.StatusCode = 201;
                    await c.Response.WriteAsync("{\"id\":4");
                    return;
                }

                await LookAlikeServer.Json(c, "{\"message\":\"This action is unauthorized.\"}", 403);
            });
            var ex = await Start(Client(server));
            Assert.Contains("The server accepted the request", ex.Message);
            Assert.Contains("It could not be checked either", ex.Message);
            Assert.Single(server.Seen, r => r.Method == "POST");
        }
    }
}
