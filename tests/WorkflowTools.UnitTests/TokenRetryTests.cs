using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// Token requests follow the connection's one retry policy (<see cref="RetryPolicy"/>): its -MaxRetries and
    /// backoff, and what may be resent. A password grant is safe to repeat; a refresh_token grant, which spends the
    /// refresh token, is resent only when it certainly was not applied, then the password grant takes over.
    /// </summary>
    public class TokenRetryTests : IDisposable
    {
        private static readonly string Token = "{\"token_type\":\"Bearer\",\"expires_in\":600,\"access_token\":\"eyJ.access.1\",\"refresh_token\":\"refresh-1\"}";

        /// <summary>The grant of the request being answered (the server has read its body already).</summary>
        private static string GrantOf(LookAlikeServer server) =>
            server.Seen.Last().Body.Split('&').First(p => p.StartsWith("grant_type=", StringComparison.Ordinal)).Substring(11);

        private readonly List<ApiClient> _senders = new List<ApiClient>();

        public void Dispose() => _senders.ForEach(s => s.Dispose());

        private PasswordGrantAuthorization Create(LookAlikeServer server, int maxRetries)
        {
            var auth = new PasswordGrantAuthorization(
                new PasswordGrantCredentials(new Uri(server.Root, "oauth/token"), "admin", SecretAuthorization.FromPlainText("pw"), "1", SecretAuthorization.FromPlainText("client-secret")));
            var sender = new ApiClient(
                new ConnectionSettings { ServiceName = "ProcessMaker", BaseUri = new Uri(server.Root, "api/1.0/"), AttemptTimeout = TimeSpan.FromSeconds(30), MaxRetries = maxRetries, Timeout = TimeSpan.FromSeconds(60), RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromSeconds(1) },
                auth);
            _senders.Add(sender);
            auth.SendThrough(sender);
            return auth;
        }

        [Theory]
        [InlineData(0, 1)]
        [InlineData(4, 3)]
        public async Task A_password_grant_answered_503_is_retried_as_often_as_the_connection_allows(int maxRetries, int expectedRequests)
        {
            var answered = 0;
            await using var server = await LookAlikeServer.StartAsync((c, _) =>
                Interlocked.Increment(ref answered) <= 2 ? LookAlikeServer.Json(c, "{\"message\":\"down\"}", 503) : LookAlikeServer.Json(c, Token));
            using var auth = Create(server, maxRetries);

            var error = await Record.ExceptionAsync(() => auth.AuthenticateAsync(CancellationToken.None));

            Assert.Equal(expectedRequests, auth.TokenRequests);
            if (maxRetries == 0)
            {
                Assert.Equal(503, Assert.IsType<ApiException>(error).StatusCode);
            }
            else
            {
                Assert.Null(error);
                Assert.StartsWith("Bearer eyJ.access.1", await auth.GetHeaderValueAsync(CancellationToken.None));
            }
        }

        [Fact]
        public async Task A_refresh_grant_cut_off_after_it_was_sent_is_not_resent_and_the_password_grant_takes_over()
        {
            var grants = new ConcurrentQueue<string>();
            await using var server = await LookAlikeServer.StartAsync(async (c, s) =>
            {
                var grant = GrantOf(s);
                grants.Enqueue(grant);
                if (grant == "refresh_token")
                {
                    // The server read the request (and may have spent the refresh token), then the connection broke.
                    c.Abort();
                    return;
                }

                await LookAlikeServer.Json(c, Token);
            });
            using var auth = Create(server, maxRetries: 5);
            await auth.AuthenticateAsync(CancellationToken.None);

            Assert.True(await auth.TryRefreshAsync(CancellationToken.None));

            Assert.Equal(new[] { "password", "refresh_token", "password" }, grants.ToArray());
        }

        [Fact]
        public async Task A_throttled_refresh_grant_was_not_applied_and_is_sent_again()
        {
            var grants = new ConcurrentQueue<string>();
            var throttled = 0;
            await using var server = await LookAlikeServer.StartAsync(async (c, s) =>
            {
                var grant = GrantOf(s);
                grants.Enqueue(grant);
                if (grant == "refresh_token" && Interlocked.Increment(ref throttled) == 1)
                {
                    c.Response.Headers["Retry-After"] = "0";
                    await LookAlikeServer.Json(c, "{\"message\":\"slow down\"}", 429);
                    return;
                }

                await LookAlikeServer.Json(c, Token);
            });
            using var auth = Create(server, maxRetries: 5);
            await auth.AuthenticateAsync(CancellationToken.None);

            Assert.True(await auth.TryRefreshAsync(CancellationToken.None));

            Assert.Equal(new[] { "password", "refresh_token", "refresh_token" }, grants.ToArray());
        }
    }
}
