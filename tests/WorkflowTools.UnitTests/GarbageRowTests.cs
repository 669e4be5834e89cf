using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.ProcessMaker;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// Issue 17 item 12: listing rows that are garbage (not objects, no usable id) never become objects a piped Stop
    /// or Complete would act on; each is reported with its page, position and a redacted excerpt. A missing status
    /// is Unknown, never Running/Active. Against look-alike servers on loopback.
    /// </summary>
    public class GarbageRowTests
    {
        private const string Key = "garbage.Secret-Key-98765";
        private const string Token = "garbage-Secret-Token-4321";

        // A row that echoes the key, so the excerpt must be redacted.
        private const string Rows = "[1, 2, {\"id\":3}, {\"name\":\"no id, key " + Key + "\"}, {\"id\":\"abc\",\"status\":\"running\"}, {\"id\":0}, \"text\", null]";

        private static NmClient Nm(LookAlikeServer server) =>
            NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText(Key), new ConnectionSettings { MaxRetries = 0 }).Client;

        private static PmClient Pm(LookAlikeServer server) =>
            new PmClient(new ApiClient(
                new ConnectionSettings { ServiceName = "ProcessMaker", BaseUri = new Uri(server.Root, "api/1.0/"), MaxRetries = 0 },
                new SecretAuthorization("Bearer", SecretAuthorization.FromPlainText(Token))));

        /// <summary>Reads a listing as WriteListing does: the items, and after every step the rows it skipped.</summary>
        private static async Task<(List<T> Items, List<ApiException> Invalid)> Drain<T>(Listing<T> listing)
        {
            var items = new List<T>();
            var invalid = new List<ApiException>();
            await using var e = listing.GetAsyncEnumerator(CancellationToken.None);
            while (true)
            {
                var more = await e.MoveNextAsync();
                invalid.AddRange(e.TakeInvalidRows());
                if (!more)
                {
                    break;
                }

                items.Add(e.Current);
            }

            return (items, invalid);
        }

        private static void AssertReported(List<ApiException> invalid, int page, string secret)
        {
            // 1, 2, {"name":…}, {"id":"abc"}, {"id":0}, "text", null: seven rows, each in its place
            Assert.Equal(new[] { 1, 2, 4, 5, 6, 7, 8 }.Select(p => $"Row {p} of page {page}"), invalid.Select(x => x.Message.Substring(0, x.Message.IndexOf(" of the", StringComparison.Ordinal))));
            Assert.All(invalid, x => Assert.Equal(ApiErrorKind.InvalidResponse, x.Kind));
            Assert.Contains("it is a number, not an object", invalid[0].Message);
            Assert.Contains("it has no id", invalid[2].Message);
            Assert.Contains("its id (\"abc\") is not a positive whole number", invalid[3].Message);
            Assert.Contains("its id (0) is not a positive whole number", invalid[4].Message);
            Assert.Contains("it is a string, not an object", invalid[5].Message);
            Assert.Contains("it is null, not an object", invalid[6].Message);
            Assert.All(invalid, x => Assert.DoesNotContain(secret, x.Message + x.BodyExcerpt));
            Assert.Contains(SecretRedactor.Mark, invalid[2].Message);
        }

        [Fact]
        public async Task Nm_instance_listing_reports_garbage_rows_and_hands_out_only_real_instances()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, "{\"count\":8,\"next\":null,\"results\":" + Rows + "}"));
            var (items, invalid) = await Drain(Nm(server).ListInstancesAsync(7, new NmInstanceQuery()));
            var only = Assert.Single(items);
            Assert.Equal(3, only.Id);
            Assert.Equal(NmInstanceStatus.Unknown, only.Status); // no status, nothing to derive one from
            AssertReported(invalid, 1, Key);
        }

        [Fact]
        public async Task Nm_instance_listing_with_values_never_reads_the_detail_of_a_garbage_row()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => c.Request.Path.Value!.Contains("/instances/3/", StringComparison.Ordinal)
                ? LookAlikeServer.Json(c, "{\"id\":3,\"status\":\"running\"}")
                : LookAlikeServer.Json(c, "{\"count\":8,\"next\":null,\"results\":" + Rows + "}"));
            var (items, invalid) = await Drain(Nm(server).ListInstancesAsync(7, new NmInstanceQuery { IncludeValues = true }));
            Assert.Equal(3, Assert.Single(items).Id);
            Assert.Equal(7, invalid.Count);
            Assert.DoesNotContain(server.Seen, r => r.PathAndQuery.Contains("/instances/0/", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Nm_field_values_without_an_instance_are_reported()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c,
                "{\"count\":3,\"next\":null,\"results\":[{\"instance_id\":5,\"value\":{\"inputValue\":\"a\"}},{\"value\":{\"inputValue\":\"b\"}},7]}"));
            var (items, invalid) = await Drain(Nm(server).ListFieldValuesAsync(7, 42, 123, new NmInstanceQuery()));
            Assert.Equal(5, Assert.Single(items).InstanceId);
            Assert.Equal(2, invalid.Count);
            Assert.Contains("Row 2 of page 1 of the listing was skipped: it has no instance_id", invalid[0].Message);
        }

        [Fact]
        public async Task Nm_process_steps_and_fields_without_an_id_are_left_out_and_reported()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c,
                "{\"id\":7,\"name\":\"W\",\"steps\":[1,{\"name\":\"no id\"},{\"id\":42,\"name\":\"S\",\"actions\":[{\"name\":\"field, key " + Key + "\"},{\"id\":123,\"name\":\"F\"}]}]}"));
            var process = await Nm(server).GetProcessAsync(7, CancellationToken.None);
            var step = Assert.Single(process.Steps);
            Assert.Equal(42, step.Id);
            Assert.Equal(123, Assert.Single(step.Actions).Id);
            Assert.Equal(new[] { "Step 1 of workflow 7 was left out: it is a number, not an object", "Step 2 of workflow 7 was left out: it has no id", "Field 1 of step 42 of workflow 7 was left out: it has no id" },
                process.LeftOut.Select(x => x.Message.Substring(0, x.Message.IndexOf(". It reads", StringComparison.Ordinal))));
            Assert.All(process.LeftOut, x => Assert.DoesNotContain(Key, x.Message));
        }

        [Fact]
        public async Task Nm_instance_detail_without_a_status_or_times_is_unknown_and_without_an_id_is_an_error()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, c.Request.Path.Value!.Contains("/5/", StringComparison.Ordinal) ? "{\"id\":5,\"name\":\"x\"}" : "{\"id\":0,\"name\":\"x\"}"));
            var client = Nm(server);
            Assert.Equal(NmInstanceStatus.Unknown, (await client.GetInstanceAsync(5, false, CancellationToken.None)).Status);
            var error = await Assert.ThrowsAsync<ApiException>(() => client.GetInstanceAsync(6, false, CancellationToken.None));
            Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        }

        [Theory]
        [InlineData("requests")]
        [InlineData("tasks")]
        [InlineData("processes")]
        public async Task Pm_listings_report_garbage_rows_and_a_missing_status_is_unknown(string what)
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c,
                "{\"data\":" + Rows.Replace(Key, Token) + ",\"meta\":{\"current_page\":1,\"last_page\":1,\"total\":8}}"));
            var client = Pm(server);
            List<ApiException> invalid;
            switch (what)
            {
                case "requests":
                    var requests = await Drain(client.ListRequestsAsync(new PmRequestQuery()));
                    Assert.Equal(PmRequestStatus.Unknown, Assert.Single(requests.Items).Status);
                    invalid = requests.Invalid;
                    break;
                case "tasks":
                    var tasks = await Drain(client.ListTasksAsync(new PmTaskQuery()));
                    Assert.Equal(PmTaskStatus.Unknown, Assert.Single(tasks.Items).Status);
                    invalid = tasks.Invalid;
                    break;
                default:
                    var processes = await Drain(client.ListProcessesAsync(new PmProcessQuery()));
                    Assert.Equal(PmProcessStatus.Unknown, Assert.Single(processes.Items).Status);
                    invalid = processes.Invalid;
                    break;
            }

            AssertReported(invalid, 1, Token);
        }

        [Fact]
        public async Task The_position_counts_across_pages()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, c.Request.QueryString.Value!.Contains("page=2", StringComparison.Ordinal)
                ? "{\"data\":[{\"id\":4,\"status\":\"ACTIVE\"},{\"status\":\"ACTIVE\"}],\"meta\":{\"current_page\":2,\"last_page\":2,\"total\":4}}"
                : "{\"data\":[{\"id\":1,\"status\":\"ACTIVE\"},{\"id\":2,\"status\":\"ACTIVE\"}],\"meta\":{\"current_page\":1,\"last_page\":2,\"total\":4}}"));
            var (items, invalid) = await Drain(Pm(server).ListRequestsAsync(new PmRequestQuery()));
            Assert.Equal(new long[] { 1, 2, 4 }, items.Select(r => r.Id));
            Assert.StartsWith("Row 2 of page 2 of the listing was skipped: it has no id", Assert.Single(invalid).Message);
        }

        [Theory]
        [InlineData("requests/5", "{\"id\":0,\"status\":\"ACTIVE\"}")]
        [InlineData("tasks/5", "{\"status\":\"ACTIVE\"}")]
        [InlineData("processes/5", "{\"name\":\"no id\",\"status\":\"ACTIVE\"}")]
        public async Task Pm_single_reads_without_a_usable_id_are_errors(string path, string body)
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, body));
            var client = Pm(server);
            Func<Task> read = path.StartsWith("requests", StringComparison.Ordinal) ? () => client.GetRequestAsync(5, false, CancellationToken.None)
                : path.StartsWith("tasks", StringComparison.Ordinal) ? () => client.GetTaskAsync(5, false, CancellationToken.None)
                : () => client.GetProcessAsync(5, CancellationToken.None);
            var error = await Assert.ThrowsAsync<ApiException>(read);
            Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("positive id", error.Message);
        }
    }
}
