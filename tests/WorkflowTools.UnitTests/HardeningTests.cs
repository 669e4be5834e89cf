using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// Issue 17 items 3, 4, 7, 8, 9, 14 and 15, each against a look-alike server on loopback that does
    /// what an attacker (or a broken proxy) would.
    /// </summary>
    public class HardeningTests
    {
        private const string Key = "hard.Secret-Key-1234";

        private static NmConnection Connect(LookAlikeServer server, int maxRetries = 0, double totalSeconds = 20, string key = Key) =>
            NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText(key), new ConnectionSettings
            {
                MaxRetries = maxRetries,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                AttemptTimeout = TimeSpan.FromSeconds(10),
                Timeout = TimeSpan.FromSeconds(totalSeconds),
            });

        private static string Echo(HttpContext c) => c.Request.Headers.Authorization.ToString();

        private sealed class Lines : IApiTrace
        {
            public readonly List<string> All = new List<string>();

            public void Verbose(string message) => All.Add(message);

            public void Debug(string message) => All.Add(message);
        }

        // ---- item 3: control characters and non-ASCII never reach a header ----

        [Theory]
        [InlineData("abc\r\nX-Injected: yes")]
        [InlineData("abc\r\n\r\nDELETE /api/instances/1/ HTTP/1.1\r\nHost: x\r\n\r\n")]
        [InlineData("abc\ndef")]
        [InlineData("k\u00e9y")]
        [InlineData("key\u0000")]
        public async Task A_key_with_a_control_or_non_ascii_character_is_refused_at_connect(string key)
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, "{}"));
            var error = Assert.Throws<CredentialFormatException>(() => Connect(server, key: key));
            Assert.Contains("API key contains", error.Message);
            Assert.DoesNotContain("abc", error.Message);
            Assert.Empty(server.Seen);
        }

        [Fact]
        public async Task An_access_token_with_crlf_from_the_token_endpoint_is_refused_and_never_sent()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => c.Request.Path.StartsWithSegments("/oauth/token")
                ? LookAlikeServer.Json(c, "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"tok\\r\\nX-Injected: yes\"}")
                : LookAlikeServer.Json(c, "{\"data\":[]}"));

            var error = await Assert.ThrowsAsync<ApiException>(() => PmConnection.ConnectWithPasswordGrantAsync(
                server.Root, "admin", SecretAuthorization.FromPlainText("pw"), "1", SecretAuthorization.FromPlainText("client-secret"), new ConnectionSettings { MaxRetries = 0 }, CancellationToken.None));

            Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("carriage return", error.Message);
            Assert.DoesNotContain(server.Seen, r => !r.PathAndQuery.StartsWith("/oauth/token", StringComparison.Ordinal));
            Assert.DoesNotContain(server.Seen, r => r.Headers.ContainsKey("X-Injected"));
        }

        [Fact]
        public async Task A_header_that_turns_bad_later_is_a_plain_error_with_nothing_sent()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, "{\"id\":1}", 201));
            using var api = new ApiClient(new ConnectionSettings { BaseUri = new Uri(server.Root, "api/"), MaxRetries = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(1) }, new BadHeader());

            var write = await Assert.ThrowsAsync<ApiException>(() => api.SendAsync(new ApiRequest("POST", api.Resolve("instances/"), new byte[] { (byte)'{', (byte)'}' }, idempotent: false), CancellationToken.None));
            var read = await Assert.ThrowsAsync<ApiException>(() => api.SendAsync(new ApiRequest("GET", api.Resolve("instances/1/")), CancellationToken.None));

            Assert.Equal(ApiErrorKind.InvalidInput, write.Kind);
            Assert.Equal(ApiErrorKind.InvalidInput, read.Kind);
            Assert.Equal(1, read.Attempts);
            Assert.Empty(server.Seen);
        }

        private sealed class BadHeader : IAuthorizationSource
        {
            public string RedactedHeaderValue => "Bearer [redacted]";

            public Task<string> GetHeaderValueAsync(CancellationToken cancellationToken) => Task.FromResult("Bearer t\u00f6ken");

            public Task<bool> TryRefreshAsync(CancellationToken cancellationToken) => Task.FromResult(false);
        }

        // ---- item 4: a secret a server echoes is never shown ----

        [Theory]
        [InlineData(401, "application/json", "{{\"detail\":\"Invalid header: {0}\"}}")]
        [InlineData(400, "application/json", "{{\"authorization\":[\"{0} is not valid\"],\"raw\":\"{1}\"}}")]
        [InlineData(429, "text/html", "<html><body><h1>Slow down</h1><pre>Authorization: {0}</pre></body></html>")]
        [InlineData(500, "text/html", "<html><body>Internal error; request headers: Authorization={1}</body></html>")]
        public async Task An_error_body_that_echoes_the_key_shows_it_nowhere(int status, string contentType, string template)
        {
            var body = string.Format(template, "Api-Key " + Key, Uri.EscapeDataString(Key));
            await using var server = await LookAlikeServer.StartAsync((c, _) =>
            {
                c.Response.StatusCode = status;
                c.Response.ContentType = contentType;
                return c.Response.WriteAsync(body);
            });
            using var connection = Connect(server);
            var trace = new Lines();
            ApiTrace.Current = trace;
            try
            {
                var read = await Assert.ThrowsAsync<ApiException>(() => connection.Client.GetInstanceAsync(1, false, CancellationToken.None));
                var write = await Assert.ThrowsAsync<ApiException>(() => connection.Client.CreateInstanceAsync(new NmNewInstance { ProcessId = 1 }, CancellationToken.None));
                foreach (var error in new[] { read, write })
                {
                    for (Exception? e = error; e != null; e = e.InnerException)
                    {
                        Assert.DoesNotContain(Key, e.Message);
                        if (e is ApiException api)
                        {
                            Assert.DoesNotContain(Key, api.BodyExcerpt ?? string.Empty);
                            Assert.DoesNotContain(Key, api.Detail ?? string.Empty);
                            Assert.DoesNotContain(Key, string.Join(" ", api.FieldErrors.SelectMany(f => f.Value)));
                        }
                    }
                }

                Assert.Contains("[redacted]", read.Message);
            }
            finally
            {
                ApiTrace.Current = null;
            }

            Assert.NotEmpty(trace.All);
            Assert.DoesNotContain(trace.All, l => l.Contains(Key) || l.Contains(Uri.EscapeDataString(Key)));
            Assert.Contains(server.Seen, r => r.Authorization == "Api-Key " + Key);
        }

        [Fact]
        public async Task A_token_endpoint_that_echoes_the_form_shows_no_secret()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) =>
            {
                var form = server_body(c);
                return LookAlikeServer.Json(c, "{\"message\":\"bad request: " + form + "\"}", 400);
            });

            var error = await Assert.ThrowsAsync<ApiException>(() => PmConnection.ConnectWithPasswordGrantAsync(
                server.Root, "admin", SecretAuthorization.FromPlainText("P4ss word!"), "1", SecretAuthorization.FromPlainText("Client-S3cret"), new ConnectionSettings { MaxRetries = 0 }, CancellationToken.None));

            Assert.Contains("bad request", error.Message);
            foreach (var secret in new[] { "P4ss", "Client-S3cret", "P4ss+word", "P4ss%20word" })
            {
                Assert.DoesNotContain(secret, error.Message);
                Assert.DoesNotContain(secret, error.Detail ?? string.Empty);
            }
        }

        private static string server_body(HttpContext c) => c.Request.Method == "POST" ? "client_id=1&client_secret=Client-S3cret&username=admin&password=P4ss+word%21" : string.Empty;

        [Fact]
        public void The_redactor_takes_out_held_secrets_in_every_form_and_whatever_follows_a_scheme()
        {
            var redactor = new SecretRedactor(new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText("a/b+c=d")));
            var text = redactor.Redact("raw a/b+c=d, encoded " + Uri.EscapeDataString("a/b+c=d") + ", other Bearer eyJhbGciOi.xyz, form password=hunter2&x=1");
            Assert.DoesNotContain("a/b+c=d", text);
            Assert.DoesNotContain(Uri.EscapeDataString("a/b+c=d"), text);
            Assert.DoesNotContain("eyJhbGciOi", text);
            Assert.DoesNotContain("hunter2", text);
            Assert.Contains("x=1", text);
        }

        // ---- item 7: the OutcomeUnknown lookup counts only instances started after the request ----

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task The_lookup_after_an_unknown_create_ignores_instances_that_were_there_before(bool createdNow)
        {
            var old = DateTime.UtcNow.AddHours(-3).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ");
            await using var server = await LookAlikeServer.StartAsync((c, _) =>
            {
                if (c.Request.Method == "POST")
                {
                    return LookAlikeServer.Json(c, "{\"detail\":\"gateway\"}", 500);
                }

                var rows = new List<string>();
                if (createdNow)
                {
                    rows.Add("{\"id\":77,\"name\":\"dup\",\"status\":\"running\",\"started_time\":\"" + DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ") + "\"}");
                }

                rows.Add("{\"id\":5,\"name\":\"dup\",\"status\":\"running\",\"started_time\":\"" + old + "\"}");
                return LookAlikeServer.Json(c, "{\"count\":" + rows.Count + ",\"next\":null,\"results\":[" + string.Join(",", rows) + "]}");
            });
            using var connection = Connect(server);

            var error = await Assert.ThrowsAsync<ApiException>(() => connection.Client.CreateInstanceAsync(new NmNewInstance { ProcessId = 1, Name = "dup" }, CancellationToken.None));

            Assert.Equal(ApiErrorKind.OutcomeUnknown, error.Kind);
            if (createdNow)
            {
                Assert.Equal(new long[] { 77 }, error.PossibleMatches);
                Assert.Contains("most likely the one this call created", error.Message);
            }
            else
            {
                Assert.Empty(error.PossibleMatches);
                Assert.Contains("none found", error.Message);
                Assert.DoesNotContain("most likely the one this call created", error.Message);
            }
        }

        // ---- items 8 and 9: classify by what reached the server; Retry-After garbage is absent ----

        [Theory]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("soon")]
        public async Task A_garbage_retry_after_is_absent_and_a_write_refused_with_429_is_no_outcome_unknown(string retryAfter)
        {
            // Before: 'NaN' parsed as a number and TimeSpan.FromSeconds threw, which made the create OutcomeUnknown.
            Assert.Null(RetryRules.ParseRetryAfter(retryAfter, DateTimeOffset.UtcNow));
            await using var server = await LookAlikeServer.StartAsync((c, _) =>
            {
                c.Response.Headers["Retry-After"] = retryAfter;
                return LookAlikeServer.Json(c, "{\"detail\":\"slow down\"}", 429);
            });
            using var once = Connect(server, maxRetries: 0);

            var write = await Assert.ThrowsAsync<ApiException>(() => once.Client.CreateInstanceAsync(new NmNewInstance { ProcessId = 1, Name = "x" }, CancellationToken.None));

            Assert.Equal(ApiErrorKind.RateLimited, write.Kind);
            Assert.Single(server.Seen);
        }

        [Fact]
        public async Task A_429_whose_wait_outlasts_the_total_timeout_is_a_rate_limit_error_not_outcome_unknown()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) =>
            {
                c.Response.Headers["Retry-After"] = "30";
                return LookAlikeServer.Json(c, "{\"detail\":\"slow down\"}", 429);
            });
            using var connection = Connect(server, maxRetries: 5, totalSeconds: 1);

            var error = await Assert.ThrowsAsync<ApiException>(() => connection.Client.CreateInstanceAsync(new NmNewInstance { ProcessId = 1, Name = "x" }, CancellationToken.None));

            // The server's 30 s do not fit the call's 1 s: not waited for (RetryAfterTests), the 429 is the answer.
            Assert.Equal(ApiErrorKind.RateLimited, error.Kind);
            Assert.Contains("429", error.Message);
            Assert.Contains("slow down", error.Message);
            Assert.DoesNotContain("no answer", error.Message);
        }

        // ---- item 14: a huge expires_in is clamped, never blamed on the URL ----

        [Fact]
        public async Task A_huge_expires_in_is_clamped()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, "{\"token_type\":\"Bearer\",\"expires_in\":9223372036854775807,\"access_token\":\"eyJ.abc.def\",\"refresh_token\":\"r1\"}"));

            using var connection = await PmConnection.ConnectWithPasswordGrantAsync(
                server.Root, "admin", SecretAuthorization.FromPlainText("pw"), "1", SecretAuthorization.FromPlainText("client-secret"), new ConnectionSettings { MaxRetries = 0 }, CancellationToken.None);

            Assert.NotNull(connection.TokenExpiresAt);
            Assert.InRange(connection.TokenExpiresAt!.Value, DateTime.UtcNow.AddDays(300), DateTime.UtcNow.AddDays(400));
        }

        // ---- item 15: messages that say what happened ----

        [Fact]
        public async Task A_redirect_error_names_its_location_and_a_closed_connection_says_so()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) =>
            {
                c.Response.StatusCode = 302;
                c.Response.Headers.Location = "https://login.example.invalid/sso?next=/api/";
                return Task.CompletedTask;
            });
            var connection = Connect(server);

            var redirect = await Assert.ThrowsAsync<ApiException>(() => connection.Client.GetInstanceAsync(1, false, CancellationToken.None));
            Assert.Contains("redirect to https://login.example.invalid/sso", redirect.Message);

            connection.Dispose();
            var closed = await Assert.ThrowsAsync<ApiException>(() => connection.Client.GetInstanceAsync(1, false, CancellationToken.None));
            Assert.Contains("connection was closed", closed.Message);
            Assert.Single(server.Seen);
        }
    }
}
