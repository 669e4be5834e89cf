using System.Management.Automation;
using System.Text.RegularExpressions;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>Connect-PmServer in both forms, Get-PmConnection, Disconnect-PmServer, and token renewal.</summary>
    public class PmConnectionTests : IClassFixture<SandboxFixture>
    {
        private const string OpsPassword = "S3cr3t-Pa55-for-ops!";
        private readonly SandboxFixture _f;

        public PmConnectionTests(SandboxFixture fixture)
        {
            _f = fixture;
            _f.Sandbox.ProcessMaker.AddUser(new PmUser(7, "ops", "Ops", "Robot", true, OpsPassword));
        }

        private PsSession OAuthSession(string user = "ops", string password = OpsPassword, string? baseUri = null, string extra = "")
        {
            var s = new PsSession();
            s.Set("cred", new PSCredential(user, PsSession.Secure(password)));
            s.Set("secret", PsSession.Secure(ProcessMakerStore.OAuthClientSecret));
            s.Run($"Connect-PmServer -BaseUri '{baseUri ?? _f.Sandbox.ProcessMakerInstanceUri.ToString()}' -Credential $cred -ClientId '{ProcessMakerStore.OAuthClientId}' -ClientSecret $secret {extra}").ThrowIfFailed();
            return s;
        }

        /// <summary>Every token the sandbox saw in an Authorization header or handed out (refresh tokens are in form bodies).</summary>
        // The access tokens the sandbox saw (its request log keeps the Authorization header, and logs a refresh
        // token's form field as [redacted]: the refresh tokens themselves are checked by their "pm-refresh-" prefix).
        private List<string> TokensSeen() =>
            _f.Sandbox.Requests.All.Select(r => r.Headers.TryGetValue("Authorization", out var h) ? h : "")
                .Where(h => h.StartsWith("Bearer ", StringComparison.Ordinal)).Select(h => h.Substring(7))
                .Distinct().ToList();

        [Fact]
        public void The_password_grant_asks_for_a_token_at_once_and_uses_it_as_a_bearer_token()
        {
            var mark = _f.Mark();
            using var s = OAuthSession(extra: "-Verbose -Debug");
            var token = Assert.Single(_f.RequestsSince(mark));
            Assert.Equal("POST", token.Method);
            Assert.Equal("/processmaker/oauth/token", token.Path);
            Assert.StartsWith("application/x-www-form-urlencoded", token.Headers["Content-Type"]);
            Assert.Contains("grant_type=password", token.Body);
            Assert.Contains("username=ops", token.Body);
            Assert.Contains("client_id=" + ProcessMakerStore.OAuthClientId, token.Body);
            Assert.Equal(200, token.StatusCode);

            var connection = s.Run("Get-PmConnection").Single();
            Assert.Equal("OAuth2 password grant", connection.P<string>("AuthenticationMethod"));
            Assert.Equal("ops", connection.P<string>("UserName"));
            Assert.Equal(new Uri(_f.Sandbox.ProcessMakerBaseUri.ToString()), connection.P<Uri>("BaseUri"));
            Assert.Equal(DateTimeKind.Utc, connection.P<DateTime>("TokenExpiresAt").Kind);

            mark = _f.Mark();
            var process = s.Run("Get-PmProcess -Id 1").Single();
            Assert.Equal("Onboarding", process.P<string>("Name"));
            var get = Assert.Single(_f.RequestsSince(mark));
            Assert.StartsWith("Bearer ey", get.Headers["Authorization"]);
            Assert.Equal(200, get.StatusCode);
        }

        [Fact]
        public void No_password_secret_or_token_reaches_any_stream()
        {
            using var s = new PsSession();
            s.Set("cred", new PSCredential("ops", PsSession.Secure(OpsPassword)));
            s.Set("secret", PsSession.Secure(ProcessMakerStore.OAuthClientSecret));
            var all = new List<PsResult>
            {
                s.Run($"Connect-PmServer -BaseUri '{_f.Sandbox.ProcessMakerInstanceUri}' -Credential $cred -ClientId {ProcessMakerStore.OAuthClientId} -ClientSecret $secret -PassThru -Verbose -Debug"),
                s.Run("Get-PmConnection | Format-List * | Out-String"),
                s.Run("Get-PmRequest -PageSize 5 -First 6 -Verbose -Debug"),
                s.Run("Invoke-PmApi -Path 'users/7' -Verbose -Debug"),
            };
            _f.Sandbox.Clock.Advance(TimeSpan.FromHours(2));
            all.Add(s.Run("Get-PmTask -First 2 -Verbose -Debug"));
            _f.Sandbox.Clock.Advance(TimeSpan.FromDays(40));
            all.Add(s.Run("Get-PmTask -First 2 -Verbose -Debug"));
            _f.Settle();

            foreach (var r in all)
            {
                r.ThrowIfFailed();
            }

            var text = string.Join("\n", all.Select(r => r.AllText()));
            Assert.Contains("token refreshed", text);
            Assert.DoesNotContain(OpsPassword, text);
            Assert.DoesNotContain(ProcessMakerStore.OAuthClientSecret, text);
            Assert.DoesNotContain("pm-refresh-", text);
            var tokens = TokensSeen();
            Assert.True(tokens.Count >= 3, "expected the first token, a refreshed one and a re-requested one");
            foreach (var token in tokens)
            {
                Assert.DoesNotContain(token, text);
            }
        }

        [Fact]
        public void Token_expiry_during_a_long_listing_is_handled_without_the_user_noticing()
        {
            using var s = OAuthSession();
            s.Set("clock", _f.Sandbox.Clock);
            var expected = _f.Sandbox.ProcessMaker.Requests.Count;
            var mark = _f.Mark();

            // The token expires (sandbox clock) while the first item of page 2 is in the pipeline, before page 3 is asked for.
            var result = s.Run("$n = 0; Get-PmRequest -PageSize 3 -SortBy Id | ForEach-Object { $n++; if ($n -eq 4) { $clock.Advance([TimeSpan]::FromHours(2)) }; $_ }");
            result.ThrowIfFailed();
            Assert.Empty(result.Warnings);
            Assert.Equal(expected, result.Output.Count);
            Assert.Equal(result.Output.Select(o => o.P<long>("Id")).OrderBy(i => i), result.Output.Select(o => o.P<long>("Id")));

            var wire = _f.RequestsSince(mark);
            var refused = Assert.Single(wire, r => r.StatusCode == 401);
            var renewal = Assert.Single(wire, r => r.Path == "/processmaker/oauth/token");
            Assert.Contains("grant_type=refresh_token", renewal.Body);
            Assert.True(renewal.Sequence > refused.Sequence);
            var retried = wire.Where(r => r.Sequence > renewal.Sequence && r.Path.EndsWith("/requests")).First();
            Assert.Equal(refused.Query, retried.Query);
            Assert.Equal(200, retried.StatusCode);
            Assert.NotEqual(refused.Headers["Authorization"], retried.Headers["Authorization"]);
        }

        [Fact]
        public void When_the_refresh_token_is_no_longer_valid_the_password_is_asked_again()
        {
            using var s = OAuthSession();
            _f.Sandbox.Clock.Advance(TimeSpan.FromDays(31)); // past the refresh token's 30 days as well
            var mark = _f.Mark();
            var result = s.Run("Get-PmProcess -Id 2 -Verbose");
            Assert.Equal("Purchase request", result.Single().P<string>("Name"));
            var grants = _f.RequestsSince(mark).Where(r => r.Path == "/processmaker/oauth/token").ToList();
            Assert.Equal(2, grants.Count);
            Assert.Contains("grant_type=refresh_token", grants[0].Body);
            Assert.Equal(400, grants[0].StatusCode);
            Assert.Contains("grant_type=password", grants[1].Body);
            Assert.Equal(200, grants[1].StatusCode);
        }

        [Fact]
        public async Task The_token_is_renewed_before_it_expires_so_no_call_is_refused()
        {
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { OAuthTokenLifetime = TimeSpan.FromSeconds(1) });
            using var s = new PsSession();
            s.Set("cred", new PSCredential("admin", PsSession.Secure("admin")));
            s.Set("secret", PsSession.Secure(ProcessMakerStore.OAuthClientSecret));
            s.Run($"Connect-PmServer -BaseUri '{sandbox.ProcessMakerBaseUri}' -Credential $cred -ClientId {ProcessMakerStore.OAuthClientId} -ClientSecret $secret").ThrowIfFailed();
            await Task.Delay(TimeSpan.FromMilliseconds(1100));

            var result = s.Run("Get-PmProcess -Id 1 -Debug");
            result.Single();
            Assert.Contains(result.Debug, d => d.Contains("token refreshed"));
            var wire = sandbox.Requests.All.OrderBy(r => r.Sequence).ToList();
            Assert.DoesNotContain(wire, r => r.StatusCode == 401);
            Assert.Equal(new[] { "password", "refresh_token" }, wire.Where(r => r.Path.EndsWith("/oauth/token")).Select(r => Regex.Match(r.Body, "grant_type=([a-z_]+)").Groups[1].Value));
            Assert.EndsWith("/processes/1", wire.Last().Path);
        }

        [Fact]
        public void Wrong_credentials_fail_at_connect_with_a_clear_error_and_no_connection()
        {
            using var s = new PsSession();
            s.Set("cred", new PSCredential("ops", PsSession.Secure("not-the-password-xyz")));
            s.Set("secret", PsSession.Secure(ProcessMakerStore.OAuthClientSecret));
            var result = s.Run($"Connect-PmServer -BaseUri '{_f.Sandbox.ProcessMakerInstanceUri}' -Credential $cred -ClientId {ProcessMakerStore.OAuthClientId} -ClientSecret $secret");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("WorkflowTools.AuthenticationFailed,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("user name or password", error.Exception.Message);
            Assert.DoesNotContain("not-the-password-xyz", result.AllText());
            Assert.Empty(s.Run("Get-PmConnection").Output);

            s.Set("bad", PsSession.Secure("wrong-client-secret"));
            s.Set("cred", new PSCredential("ops", PsSession.Secure(OpsPassword)));
            var client = s.Run($"Connect-PmServer -BaseUri '{_f.Sandbox.ProcessMakerInstanceUri}' -Credential $cred -ClientId {ProcessMakerStore.OAuthClientId} -ClientSecret $bad");
            var clientError = Assert.Single(client.AllErrors);
            Assert.Contains("client id or client secret", clientError.Exception.Message);
            Assert.DoesNotContain("wrong-client-secret", client.AllText());
        }

        [Fact]
        public void The_client_secret_can_come_from_the_environment_and_is_required()
        {
            using var s = new PsSession();
            s.Set("cred", new PSCredential("ops", PsSession.Secure(OpsPassword)));
            var missing = s.Run($"Connect-PmServer -BaseUri '{_f.Sandbox.ProcessMakerInstanceUri}' -Credential $cred -ClientId x");
            Assert.StartsWith("WorkflowTools.NoCredential,", Assert.Single(missing.AllErrors).FullyQualifiedErrorId);

            s.Run($"$env:PROCESSMAKER_CLIENT_SECRET = '{ProcessMakerStore.OAuthClientSecret}'; try {{ Connect-PmServer -BaseUri '{_f.Sandbox.ProcessMakerBaseUri}' -Credential $cred -ClientId {ProcessMakerStore.OAuthClientId} }} finally {{ Remove-Item Env:PROCESSMAKER_CLIENT_SECRET }}").ThrowIfFailed();
            var connection = s.Run("Get-PmConnection").Single();
            Assert.Contains("PROCESSMAKER_CLIENT_SECRET", connection.P<string>("CredentialSource"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("api/1.0")]
        [InlineData("api/1.0/")]
        public void The_instance_url_works_with_or_without_the_api_prefix(string suffix)
        {
            using var s = new PsSession();
            s.Set("t", PsSession.Secure(_f.Sandbox.ProcessMakerToken));
            var connection = s.Run($"Connect-PmServer '{_f.Sandbox.ProcessMakerInstanceUri}{suffix}' $t -PassThru").Single();
            Assert.Equal(_f.Sandbox.ProcessMakerBaseUri, connection.P<Uri>("BaseUri"));
            Assert.Equal("Access token", connection.P<string>("AuthenticationMethod"));
            Assert.Equal("Onboarding", s.Run("Get-PmProcess -Id 1").Single().P<string>("Name"));

            using var o = OAuthSession(baseUri: _f.Sandbox.ProcessMakerInstanceUri + suffix);
            Assert.Equal("Onboarding", o.Run("Get-PmProcess -Id 1").Single().P<string>("Name"));
        }

        [Fact]
        public void Get_and_Disconnect_PmServer_show_and_forget_the_session_connection()
        {
            using var s = new PsSession();
            Assert.Empty(s.Run("Get-PmConnection").Output);
            Assert.Contains(s.Run("Disconnect-PmServer -Verbose").Verbose, v => v.Contains("no ProcessMaker connection"));
            s.ConnectTo(_f.Sandbox);
            var connection = s.Run("Get-PmConnection").Single();
            Assert.Equal("WorkflowTools.Connections.PmConnection", connection.TypeName());
            Assert.Equal("parameter", connection.P<string>("CredentialSource"));
            Assert.DoesNotContain(_f.Sandbox.ProcessMakerToken, s.Run("Get-PmConnection | Format-Table | Out-String").Single().ToString());
            s.Run("Disconnect-PmServer").ThrowIfFailed();
            Assert.Empty(s.Run("Get-PmConnection").Output);
            Assert.StartsWith("WorkflowTools.NotConnected,", Assert.Single(s.Run("Get-PmRequest").AllErrors).FullyQualifiedErrorId);
        }
    }
}
