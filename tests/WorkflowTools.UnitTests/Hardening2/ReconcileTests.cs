using System.Collections;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Concurrency;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.NextMatter;
using WorkflowTools.ProcessMaker;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests.Hardening2
{
    /// <summary>
    /// Issue 26 item 1: the check after an unknown outcome counts only objects that match what was sent, never one
    /// another input of the same run accounts for, and otherwise says it could not tell. Look-alike servers whose
    /// POST always fails with 500 (never applied) and whose listing shows what other callers created.
    /// </summary>
    public class ReconcileTests
    {
        private const string Claim = "most likely the one this call created";

        private static string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

        private static string PmRow(long id, long user, int days) =>
            $"{{\"id\":{id},\"process_id\":5,\"user_id\":{user},\"status\":\"ACTIVE\",\"name\":\"Leave\",\"initiated_at\":\"{Time(DateTime.UtcNow)}\",\"created_at\":\"{Time(DateTime.UtcNow)}\",\"data\":{{\"days\":{days}}}}}";

        private static Task<LookAlikeServer> PmServer(params string[] rows) =>
            LookAlikeServer.StartAsync((c, _) => c.Request.Method == "POST"
                ? LookAlikeServer.Json(c, "{\"message\":\"Server Error\"}", 500)
                : LookAlikeServer.Json(c, "{\"data\":[" + string.Join(",", rows) + "],\"meta\":{\"current_page\":1,\"last_page\":1}}"));

        private static PmClient Pm(LookAlikeServer server, string? token = null)
        {
            var now = DateTimeOffset.UtcNow;
            token ??= WorkflowTools.Sandbox.ProcessMakerStore.PassportLikeJwt(7, now, now.AddHours(1));
            var auth = new SecretAuthorization("Bearer", SecretAuthorization.FromPlainText(token));
            return new PmClient(new ApiClient(new ConnectionSettings { ServiceName = "ProcessMaker", BaseUri = new Uri(server.Root, "api/1.0/"), MaxRetries = 0 }, auth), auth);
        }

        private static Task<ApiException> Start(PmClient client, int days, CreateRun<PmStartSent>? run = null) =>
            Assert.ThrowsAsync<ApiException>(() => client.StartRequestAsync(5, "node_1", new Hashtable { ["days"] = days }, CancellationToken.None, run));

        [Fact]
        public async Task A_token_that_names_no_user_never_makes_another_callers_request_most_likely()
        {
            // Before: with a token that is not a JWT, anyone's request started since the send was "most likely" this call's.
            await using var server = await PmServer(PmRow(90, 8, 4));
            var ex = await Start(Pm(server, "opaque-token-not-a-jwt"), 3);

            Assert.Equal(ApiErrorKind.OutcomeUnknown, ex.Kind);
            Assert.DoesNotContain(Claim, ex.Message);
            Assert.Contains("could not tell whether it was created", ex.Message);
            Assert.Contains("none of them holds the data this call sent", ex.Message);
            Assert.Contains("90 (started", ex.Message);
            Assert.Equal(new long[] { 90 }, ex.PossibleMatches);
        }

        [Fact]
        public async Task A_request_with_the_data_sent_but_a_token_that_names_no_user_is_a_candidate_not_a_claim()
        {
            await using var server = await PmServer(PmRow(91, 8, 3));
            var ex = await Start(Pm(server, "opaque-token-not-a-jwt"), 3);
            Assert.DoesNotContain(Claim, ex.Message);
            Assert.Contains("this token does not say whose it is", ex.Message);
            Assert.Equal(new long[] { 91 }, ex.PossibleMatches);
        }

        [Fact]
        public async Task A_request_another_input_of_the_run_created_is_left_out()
        {
            await using var server = await PmServer(PmRow(92, 7, 3));
            var run = new CreateRun<PmStartSent>();
            run.Begin(new PmStartSent(5, "node_1", JsonBody.Serialize(new Hashtable { ["days"] = 3 }))).Created(92);

            var ex = await Start(Pm(server), 3, run);

            Assert.DoesNotContain(Claim, ex.Message);
            Assert.Contains("Checked: none found", ex.Message);
            Assert.Contains("1 more started then were created by other inputs of this run", ex.Message);
            Assert.Empty(ex.PossibleMatches);
        }

        [Fact]
        public async Task A_request_another_input_in_doubt_may_have_started_is_a_candidate_not_a_claim()
        {
            await using var server = await PmServer(PmRow(93, 7, 3));
            var run = new CreateRun<PmStartSent>();
            run.Begin(new PmStartSent(5, "node_2", JsonBody.Serialize(new Hashtable { ["days"] = 3 })));

            var ex = await Start(Pm(server), 3, run);

            Assert.DoesNotContain(Claim, ex.Message);
            Assert.Contains("but so does what 1 other input(s) of this run sent whose outcome is not known", ex.Message);
            Assert.Equal(new long[] { 93 }, ex.PossibleMatches);
        }

        [Fact]
        public async Task Only_the_request_holding_the_data_sent_is_claimed_when_the_token_names_its_user()
        {
            await using var server = await PmServer(PmRow(95, 7, 4), PmRow(94, 7, 3));
            var ex = await Start(Pm(server), 3);
            Assert.Contains(Claim, ex.Message);
            Assert.Equal(new long[] { 94 }, ex.PossibleMatches);
        }

        private static string NmRow(long id, string name, string tags) =>
            $"{{\"id\":{id},\"name\":\"{name}\",\"status\":\"running\",\"tags\":[{tags}],\"started_time\":\"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.ffffffZ}\"}}";

        private static async Task<(LookAlikeServer Server, NmConnection Connection)> Nm(params string[] rows)
        {
            var server = await LookAlikeServer.StartAsync((c, _) => c.Request.Method == "POST"
                ? LookAlikeServer.Json(c, "{\"detail\":\"gateway\"}", 500)
                : LookAlikeServer.Json(c, "{\"count\":" + rows.Length + ",\"next\":null,\"results\":[" + string.Join(",", rows) + "]}"));
            return (server, NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText("reconcile-key"), new ConnectionSettings { MaxRetries = 0 }));
        }

        [Fact]
        public async Task An_instance_with_the_name_but_other_tags_is_a_candidate_not_a_claim()
        {
            // Before: any instance of that name started since the send was "most likely" this call's.
            var (server, connection) = await Nm(NmRow(77, "Onboarding", "\"berlin\""));
            await using (server)
            using (connection)
            {
                var ex = await Assert.ThrowsAsync<ApiException>(() => connection.Client.CreateInstanceAsync(new NmNewInstance { ProcessId = 1, Name = "Onboarding", Tags = new[] { "paris" } }, CancellationToken.None));
                Assert.DoesNotContain(Claim, ex.Message);
                Assert.Contains("none of them has the tags this call sent", ex.Message);
                Assert.Equal(new long[] { 77 }, ex.PossibleMatches);
            }
        }

        [Fact]
        public async Task Inputs_of_one_run_with_one_name_never_claim_each_others_instance()
        {
            var (server, connection) = await Nm(NmRow(78, "Fixed", ""), NmRow(79, "Fixed", ""));
            await using (server)
            using (connection)
            {
                var run = new CreateRun<NmCreateSent>();
                run.Begin(new NmCreateSent(new NmNewInstance { ProcessId = 1, Name = "Fixed" })).Created(78);
                run.Begin(new NmCreateSent(new NmNewInstance { ProcessId = 1, Name = "Fixed" }));

                var ex = await Assert.ThrowsAsync<ApiException>(() => connection.Client.CreateInstanceAsync(new NmNewInstance { ProcessId = 1, Name = "Fixed" }, CancellationToken.None, run));

                Assert.DoesNotContain(Claim, ex.Message);
                Assert.Contains("could not tell whether it was created", ex.Message);
                Assert.Contains("1 other input(s) of this run sent the same", ex.Message);
                Assert.Equal(new long[] { 79 }, ex.PossibleMatches);
            }
        }
    }
}
