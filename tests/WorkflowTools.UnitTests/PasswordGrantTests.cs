using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.Sandbox;

namespace WorkflowTools.UnitTests
{
    /// <summary>The OAuth2 password-grant token source against the sandbox's token endpoint, with a controlled clock.</summary>
    public class PasswordGrantTests : IAsyncLifetime
    {
        private SandboxServer _sandbox = null!;
        private ApiClient? _sender;
        private DateTimeOffset _now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions { OAuthTokenLifetime = TimeSpan.FromMinutes(10) });

        public async Task DisposeAsync()
        {
            _sender?.Dispose();
            await _sandbox.DisposeAsync();
        }

        private PasswordGrantAuthorization Create(string password = "admin")
        {
            var auth = new PasswordGrantAuthorization(
                new PasswordGrantCredentials(new Uri(_sandbox.ProcessMakerInstanceUri, "oauth/token"), "admin", SecretAuthorization.FromPlainText(password), ProcessMakerStore.OAuthClientId, SecretAuthorization.FromPlainText(ProcessMakerStore.OAuthClientSecret))
                {
                    Clock = () => _now,
                });
            _sender = new ApiClient(new ConnectionSettings { ServiceName = "ProcessMaker", BaseUri = new Uri(_sandbox.ProcessMakerInstanceUri, "api/1.0/") }, auth);
            auth.SendThrough(_sender);
            return auth;
        }

        private List<string> Grants() => _sandbox.Requests.All.Where(r => r.Path.EndsWith("/oauth/token")).OrderBy(r => r.Sequence)
            .Select(r => r.Body.Split('&').First(p => p.StartsWith("grant_type=")).Substring(11)).ToList();

        [Fact]
        public async Task Caches_the_token_and_renews_it_with_the_refresh_token_shortly_before_it_expires()
        {
            using var auth = Create();
            await auth.AuthenticateAsync(CancellationToken.None);
            var first = await auth.GetHeaderValueAsync(CancellationToken.None);
            Assert.Equal(first, await auth.GetHeaderValueAsync(CancellationToken.None));
            Assert.Equal(_now.AddMinutes(10), auth.ExpiresAt);

            _now = _now.AddSeconds(539); // 61 s before expiry: still the same token
            Assert.Equal(first, await auth.GetHeaderValueAsync(CancellationToken.None));
            _now = _now.AddSeconds(1); // inside the renewal margin (min(60 s, a tenth of the lifetime))
            var second = await auth.GetHeaderValueAsync(CancellationToken.None);
            Assert.NotEqual(first, second);
            Assert.StartsWith("Bearer ", second);
            Assert.Equal(new[] { "password", "refresh_token" }, Grants());
            Assert.Equal(1, auth.Renewals);
            Assert.Equal("Bearer [redacted]", auth.ToString());
        }

        [Fact]
        public async Task Concurrent_401s_renew_the_token_once()
        {
            using var auth = Create();
            await auth.AuthenticateAsync(CancellationToken.None);
            // The renewal takes 3 s, so every 401 arrives while it is under way (as with parallel calls), however loaded the machine.
            _sandbox.Faults.Add(new FaultRule { PathContains = "/oauth/token", Kind = FaultKind.Delay, Delay = TimeSpan.FromSeconds(3), Times = 1 });
            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => auth.TryRefreshAsync(CancellationToken.None)));
            Assert.All(results, Assert.True);
            Assert.Equal(new[] { "password", "refresh_token" }, Grants());
        }

        [Fact]
        public async Task Wrong_credentials_are_an_unauthorized_api_exception_without_the_password()
        {
            using var auth = Create("not-it-123");
            var ex = await Assert.ThrowsAsync<ApiException>(() => auth.AuthenticateAsync(CancellationToken.None));
            Assert.Equal(ApiErrorKind.Unauthorized, ex.Kind);
            Assert.Equal(400, ex.StatusCode);
            Assert.DoesNotContain("not-it-123", ex.Message);
            Assert.False(await auth.TryRefreshAsync(CancellationToken.None));
        }

        [Fact]
        public async Task A_throttled_token_endpoint_is_waited_for()
        {
            _sandbox.Faults.Add(new FaultRule { PathContains = "/oauth/token", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "0", Times = 1 });
            using var auth = Create();
            await auth.AuthenticateAsync(CancellationToken.None);
            Assert.Equal(new[] { 429, 200 }, _sandbox.Requests.All.Where(r => r.Path.EndsWith("/oauth/token")).OrderBy(r => r.Sequence).Select(r => r.StatusCode));
        }

        [Theory]
        [InlineData("0", 0)]
        [InlineData("3", 1)]
        public async Task A_token_wait_of_seconds_is_told_once_without_verbose(string retryAfter, int notices)
        {
            _sandbox.Faults.Add(new FaultRule { PathContains = "/oauth/token", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = retryAfter, Times = 1 });
            var trace = new NoticeTrace();
            ApiTrace.Current = trace;
            try
            {
                using var auth = Create();
                await auth.AuthenticateAsync(CancellationToken.None);
            }
            finally
            {
                ApiTrace.Current = null;
            }

            Assert.Equal(notices, trace.Notices.Count);
            Assert.All(trace.Notices, n => Assert.Equal("POST /processmaker/oauth/token failed (429); attempt 2 of 6 in 3.0 s. Still retrying; -Verbose shows every attempt.", n));
        }

        private sealed class NoticeTrace : IApiTrace, IApiTraceNotices
        {
            public List<string> Notices { get; } = new List<string>();

            public void Verbose(string message)
            {
            }

            public void Debug(string message)
            {
            }

            public void LongWait(string message) => Notices.Add(message);
        }
    }
}
