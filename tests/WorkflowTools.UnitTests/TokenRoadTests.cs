using System.Collections.Concurrent;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// A password-grant connection sends its token requests on the same road as its API calls: one HttpClient (so one
    /// handler sees both), no Authorization header on the token POST, and neither the form nor the token answer in
    /// any trace line.
    /// </summary>
    public class TokenRoadTests
    {
        private const string Password = "Road-P4ssword";
        private const string ClientSecret = "Road-Client-S3cret";
        private const string AccessToken = "eyJ.road-access.1";
        private const string RefreshToken = "road-refresh-token-1";

        private static Task Answer(Microsoft.AspNetCore.Http.HttpContext c) => c.Request.Path.StartsWithSegments("/oauth/token")
            ? LookAlikeServer.Json(c, "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"" + AccessToken + "\",\"refresh_token\":\"" + RefreshToken + "\"}")
            : LookAlikeServer.Json(c, "{\"id\":7,\"name\":\"Onboarding\",\"status\":\"ACTIVE\"}");

        [Fact]
        public async Task Token_and_api_requests_go_through_the_connections_one_handler()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => Answer(c));
            var handler = new CountingHandler(new HttpClientHandler { AllowAutoRedirect = false });

            using var connection = await PmConnection.ConnectWithPasswordGrantAsync(
                server.Root, "admin", SecretAuthorization.FromPlainText(Password), "1", SecretAuthorization.FromPlainText(ClientSecret), new ConnectionSettings { MaxRetries = 0 }, CancellationToken.None, handler);
            await connection.Client.GetProcessAsync(7, CancellationToken.None);

            Assert.Equal(new[] { "POST /oauth/token", "GET /api/1.0/processes/7" }, handler.Sent.Select(s => s.Substring(0, s.IndexOf('?') < 0 ? s.Length : s.IndexOf('?'))).ToArray());
            var seen = server.Seen.ToArray();
            Assert.Null(seen[0].Authorization);
            Assert.Contains("grant_type=password", seen[0].Body);
            Assert.Equal("Bearer " + AccessToken, seen[1].Authorization);
        }

        [Fact]
        public async Task No_trace_line_shows_the_form_or_the_tokens()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => Answer(c));
            var trace = new Lines();
            ApiTrace.Current = trace;
            try
            {
                using var connection = await PmConnection.ConnectWithPasswordGrantAsync(
                    server.Root, "admin", SecretAuthorization.FromPlainText(Password), "1", SecretAuthorization.FromPlainText(ClientSecret), new ConnectionSettings { MaxRetries = 0 }, CancellationToken.None);
                await connection.Client.GetProcessAsync(7, CancellationToken.None);
            }
            finally
            {
                ApiTrace.Current = null;
            }

            Assert.Contains(trace.All, l => l.StartsWith("Request POST ", StringComparison.Ordinal) && l.Contains("/oauth/token"));
            Assert.Contains(trace.All, l => l.StartsWith("Response 200", StringComparison.Ordinal));
            foreach (var secret in new[] { Password, ClientSecret, AccessToken, RefreshToken, "road-access", "road-refresh" })
            {
                Assert.DoesNotContain(trace.All, l => l.Contains(secret));
            }

            Assert.DoesNotContain(trace.All, l => l.Contains("/oauth/token") && l.Contains("Authorization"));
        }

        private sealed class CountingHandler : DelegatingHandler
        {
            public CountingHandler(HttpMessageHandler inner)
                : base(inner)
            {
            }

            public ConcurrentQueue<string> Sent { get; } = new ConcurrentQueue<string>();

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Sent.Enqueue(request.Method.Method + " " + request.RequestUri!.PathAndQuery);
                return base.SendAsync(request, cancellationToken);
            }
        }

        private sealed class Lines : IApiTrace
        {
            public ConcurrentQueue<string> All { get; } = new ConcurrentQueue<string>();

            public void Verbose(string message) => All.Enqueue(message);

            public void Debug(string message) => All.Enqueue(message);
        }
    }
}
