using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// Issue 17 item 2: a server that sends its headers and then stalls in the body. Every read is bounded
    /// by the attempt timeout, the total timeout and cancellation (Ctrl+C); a stalled answer to a write is
    /// OutcomeUnknown. Each path: http and https (HTTP/2 and HTTP/1.1),
    /// retries, parallel (bulk) calls and read-ahead pages.
    /// </summary>
    public class StalledBodyTests
    {
        /// <summary>Far beyond any timeout a test sets: reaching it means the call hung.</summary>
        private static readonly TimeSpan Hang = TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("WT_STALL_HANG_SECONDS"), out var s) ? s : 60);

        public enum Transport
        {
            Http,
            HttpsHttp2,
            HttpsHttp1,
        }

        private static async Task<LookAlikeServer> Start(Transport transport, Func<HttpContext, LookAlikeServer, Task> handler) =>
            await LookAlikeServer.StartAsync(handler, https: transport >= Transport.HttpsHttp2, protocols: transport == Transport.HttpsHttp1 ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2);

        private static NmConnection Connect(LookAlikeServer server, int maxRetries = 0, double attemptSeconds = 2, double totalSeconds = 30) =>
            NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText("stall.key"), new ConnectionSettings
            {
                MaxRetries = maxRetries,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                AttemptTimeout = TimeSpan.FromSeconds(attemptSeconds),
                Timeout = TimeSpan.FromSeconds(totalSeconds),
            }, server.Https ? server.TrustingHandler() : null);

        /// <summary>Awaits the call, failing the test (instead of hanging it) when it outlives <see cref="Hang"/>.</summary>
        private static async Task<Exception> Failure(Task task)
        {
            var finished = await Task.WhenAny(task, Task.Delay(Hang));
            Assert.True(finished == task, "the call hung on a stalled body");
            var error = await Record.ExceptionAsync(() => task);
            Assert.NotNull(error);
            return error!;
        }

        [Theory]
        [InlineData(Transport.Http)]
        [InlineData(Transport.HttpsHttp2)]
        [InlineData(Transport.HttpsHttp1)]
        public async Task A_read_whose_body_stalls_ends_with_the_attempt_timeout_on_every_attempt(Transport transport)
        {
            await using var server = await Start(transport, (c, s) => s.StallBody(c, 200, 1000, "{\"id\":1,"));
            using var connection = Connect(server, maxRetries: 1);

            var error = Assert.IsType<ApiException>(await Failure(connection.Client.GetInstanceAsync(1, false, CancellationToken.None)));

            Assert.Equal(ApiErrorKind.Timeout, error.Kind);
            Assert.Equal(2, error.Attempts);
            // At most two: a loaded machine may time an attempt out before the server logged it.
            Assert.InRange(server.Seen.Count, 1, 2);
        }

        [Theory]
        [InlineData(Transport.Http)]
        [InlineData(Transport.HttpsHttp2)]
        public async Task An_error_body_that_stalls_is_bounded_too(Transport transport)
        {
            await using var server = await Start(transport, (c, s) => s.StallBody(c, 503, 1000, "<html>"));
            using var connection = Connect(server, maxRetries: 1);

            var error = Assert.IsType<ApiException>(await Failure(connection.Client.GetInstanceAsync(1, false, CancellationToken.None)));

            Assert.Equal(ApiErrorKind.Timeout, error.Kind);
            Assert.Equal(2, error.Attempts);
        }

        [Theory]
        [InlineData(Transport.Http)]
        [InlineData(Transport.HttpsHttp2)]
        public async Task The_total_timeout_ends_a_stalled_body_shorter_than_the_attempt_timeout(Transport transport)
        {
            await using var server = await Start(transport, (c, s) => s.StallBody(c));
            using var connection = Connect(server, maxRetries: 3, attemptSeconds: 30, totalSeconds: 1);

            var error = Assert.IsType<ApiException>(await Failure(connection.Client.GetInstanceAsync(1, false, CancellationToken.None)));

            Assert.Equal(ApiErrorKind.Timeout, error.Kind);
            Assert.Contains("total timeout", error.Message);
        }

        [Theory]
        [InlineData(Transport.Http)]
        [InlineData(Transport.HttpsHttp2)]
        public async Task Cancelling_ends_a_stalled_body_at_once(Transport transport)
        {
            var headersSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var server = await Start(transport, async (c, s) =>
            {
                var stall = s.StallBody(c);
                headersSent.TrySetResult();
                await stall;
            });
            using var connection = Connect(server, attemptSeconds: 30, totalSeconds: 30);
            using var ctrlC = new CancellationTokenSource();

            var call = Task.Run(() => connection.Client.GetInstanceAsync(1, false, ctrlC.Token));
            await headersSent.Task.WaitAsync(Hang);
            ctrlC.Cancel();

            Assert.IsAssignableFrom<OperationCanceledException>(await Failure(call));
        }

        [Theory]
        [InlineData(Transport.Http)]
        [InlineData(Transport.HttpsHttp2)]
        public async Task A_create_whose_answer_stalls_is_outcome_unknown_and_sent_once(Transport transport)
        {
            await using var server = await Start(transport, (c, s) => c.Request.Method == "POST" ? s.StallBody(c, 201, 1000, "{\"id\":") : LookAlikeServer.Json(c, "{\"count\":0,\"next\":null,\"results\":[]}"));
            using var connection = Connect(server, maxRetries: 3);

            var error = Assert.IsType<ApiException>(await Failure(connection.Client.CreateInstanceAsync(new NmNewInstance { ProcessId = 1, Name = "stalled" }, CancellationToken.None)));

            Assert.Equal(ApiErrorKind.OutcomeUnknown, error.Kind);
            Assert.True(server.Seen.Count(r => r.Method == "POST") <= 1, "a create whose outcome is unknown was sent again");
        }

        [Theory]
        [InlineData(Transport.Http)]
        [InlineData(Transport.HttpsHttp2)]
        public async Task Parallel_calls_that_stall_each_end_with_their_timeout(Transport transport)
        {
            await using var server = await Start(transport, (c, s) => c.Request.Method == "POST" ? s.StallBody(c, 201, 1000, "{") : LookAlikeServer.Json(c, "{\"count\":0,\"next\":null,\"results\":[]}"));
            using var connection = Connect(server);

            var calls = Enumerable.Range(0, 6).Select(i => Task.Run(() => connection.Client.CreateInstanceAsync(new NmNewInstance { ProcessId = 1, Name = "bulk " + i }, CancellationToken.None))).ToArray();

            foreach (var call in calls)
            {
                Assert.Equal(ApiErrorKind.OutcomeUnknown, Assert.IsType<ApiException>(await Failure(call)).Kind);
            }

            Assert.True(server.Seen.Count(r => r.Method == "POST") <= 6, "a create whose outcome is unknown was sent again");
        }

        [Theory]
        [InlineData(Transport.Http, 200)]
        [InlineData(Transport.Http, 500)]
        [InlineData(Transport.HttpsHttp2, 500)]
        public async Task A_page_read_ahead_that_stalls_ends_the_listing_with_an_error(Transport transport, int status)
        {
            await using var server = await Start(transport, (c, s) =>
            {
                var page = c.Request.Query["page"].ToString();
                if (page == "3")
                {
                    return s.StallBody(c, status, 1000, "{\"results\":[");
                }

                var next = new Uri(s.Root, "api/processes/1/instances/?page=" + (page == "" ? "2" : "3")).AbsoluteUri;
                var rows = string.Join(",", Enumerable.Range(1, 20).Select(i => "{\"id\":" + i + ",\"name\":\"n\",\"status\":\"running\"}"));
                return LookAlikeServer.Json(c, "{\"count\":60,\"next\":\"" + next + "\",\"results\":[" + rows + "]}");
            });
            using var connection = Connect(server);

            var read = 0;
            var listing = Task.Run(async () =>
            {
                await foreach (var _ in connection.Client.ListInstancesAsync(1, new NmInstanceQuery()))
                {
                    read++;
                }

                return read;
            });

            var error = Assert.IsType<ApiException>(await Failure(listing));
            Assert.Equal(ApiErrorKind.Timeout, error.Kind);
            Assert.InRange(read, 20, 40);
        }
    }
}
