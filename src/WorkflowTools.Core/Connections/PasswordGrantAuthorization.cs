using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.Connections
{
    /// <summary>
    /// Where and as whom a ProcessMaker OAuth2 password grant asks for tokens: the grant's credentials only. How the
    /// token requests are sent (timeouts, retries, answer size, proxy) is the connection's, through its one
    /// <see cref="ApiClient"/>.
    /// </summary>
    internal sealed class PasswordGrantCredentials
    {
        public PasswordGrantCredentials(Uri tokenEndpoint, string userName, SecureString password, string clientId, SecureString clientSecret)
        {
            TokenEndpoint = tokenEndpoint ?? throw new ArgumentNullException(nameof(tokenEndpoint));
            UserName = string.IsNullOrWhiteSpace(userName) ? throw new ArgumentException("A user name is required for the password grant.") : userName;
            Password = (password ?? throw new ArgumentNullException(nameof(password))).Copy();
            Password.MakeReadOnly();
            ClientId = string.IsNullOrWhiteSpace(clientId) ? throw new ArgumentException("A client id is required for the password grant.") : clientId;
            ClientSecret = (clientSecret ?? throw new ArgumentNullException(nameof(clientSecret))).Copy();
            ClientSecret.MakeReadOnly();
        }

        /// <summary><c>&lt;instance&gt;/oauth/token</c>.</summary>
        public Uri TokenEndpoint { get; }

        /// <summary>The ProcessMaker user name (not the e-mail address).</summary>
        public string UserName { get; }

        internal SecureString Password { get; }

        public string ClientId { get; }

        internal SecureString ClientSecret { get; }

        /// <summary>Renew this long before the access token expires (capped at a tenth of its lifetime).</summary>
        public TimeSpan RenewBefore { get; set; } = ConnectionDefaults.TokenRenewBefore;

        /// <summary>The clock used to decide expiry (tests replace it).</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;
    }

    /// <summary>
    /// Bearer tokens from ProcessMaker's OAuth2 endpoint (Laravel Passport), password grant. The access
    /// token is cached; shortly before it expires, and after a 401, it is renewed with the refresh_token
    /// grant, or by asking again with the password when there is no usable refresh token. Secrets and
    /// tokens never reach a message: traces say only what happened ("access token refreshed").
    /// </summary>
    internal sealed class PasswordGrantAuthorization : IAuthorizationSource, ISecretHolder, IDisposable
    {
        private const long MaxLifetimeSeconds = 366L * 24 * 3600;

        private readonly PasswordGrantCredentials _credentials;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private ApiClient? _sender;

        private SecureString? _accessToken;
        private SecureString? _refreshToken;
        private DateTimeOffset? _expiresAt;
        private DateTimeOffset _obtainedAt;
        private int _renewals;
        private int _tokenRequests;
        private int _generation;

        public PasswordGrantAuthorization(PasswordGrantCredentials credentials)
        {
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        }

        /// <summary>
        /// The connection whose HTTP core sends the token requests (the one that asks this source for its header):
        /// one HttpClient, one retry policy, one failure translation for API and token requests alike.
        /// </summary>
        public void SendThrough(ApiClient sender) => _sender = sender ?? throw new ArgumentNullException(nameof(sender));

        public string UserName => _credentials.UserName;

        public string ClientId => _credentials.ClientId;

        public Uri TokenEndpoint => _credentials.TokenEndpoint;

        /// <summary>When the current access token expires (UTC), if the server said.</summary>
        public DateTimeOffset? ExpiresAt => _expiresAt;

        /// <summary>How many times the token was renewed after the first one.</summary>
        public int Renewals => _renewals;

        /// <summary>How many requests were sent to the token endpoint.</summary>
        public int TokenRequests => _tokenRequests;

        public string RedactedHeaderValue => "Bearer [redacted]";

        public void AddSecretsTo(ICollection<string> secrets)
        {
            secrets.Add(SecretAuthorization.Reveal(_credentials.Password));
            secrets.Add(SecretAuthorization.Reveal(_credentials.ClientSecret));
            var access = _accessToken;
            var refresh = _refreshToken;
            if (access != null)
            {
                secrets.Add(SecretAuthorization.Reveal(access));
            }

            if (refresh != null)
            {
                secrets.Add(SecretAuthorization.Reveal(refresh));
            }
        }

        public override string ToString() => RedactedHeaderValue;

        /// <summary>Gets the first token; fails with an <see cref="ApiException"/> when the credentials are refused.</summary>
        public async Task AuthenticateAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await RequestAsync(PasswordForm(), "password", cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task<string> GetHeaderValueAsync(CancellationToken cancellationToken)
        {
            if (_accessToken == null || ExpiresSoon())
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (_accessToken == null)
                    {
                        await RequestAsync(PasswordForm(), "password", cancellationToken).ConfigureAwait(false);
                    }
                    else if (ExpiresSoon())
                    {
                        ApiTrace.Verbose("The ProcessMaker access token is about to expire; renewing it.");
                        await RenewAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }

            return "Bearer " + SecretAuthorization.Reveal(_accessToken!);
        }

        public async Task<bool> TryRefreshAsync(CancellationToken cancellationToken)
        {
            var generation = Volatile.Read(ref _generation);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (Volatile.Read(ref _generation) != generation)
                {
                    // Another call renewed the token while this one waited; the 401 was for the old one.
                    return true;
                }

                await RenewAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ApiException ex)
            {
                ApiTrace.Verbose("Renewing the ProcessMaker access token failed: " + ex.Message);
                return false;
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose()
        {
            _accessToken?.Dispose();
            _refreshToken?.Dispose();
        }

        private bool ExpiresSoon()
        {
            if (_expiresAt is not DateTimeOffset expires)
            {
                return false;
            }

            var lifetime = expires - _obtainedAt;
            var margin = TimeSpan.FromTicks(Math.Min(_credentials.RenewBefore.Ticks, Math.Max(0, lifetime.Ticks / 10)));
            return _credentials.Clock() >= expires - margin;
        }

        /// <summary>Refresh-token grant when a refresh token is held; the password grant otherwise or when that is refused.</summary>
        private async Task RenewAsync(CancellationToken cancellationToken)
        {
            if (_refreshToken != null)
            {
                try
                {
                    await RequestAsync(RefreshForm(), "refresh_token", cancellationToken).ConfigureAwait(false);
                    _renewals++;
                    return;
                }
                catch (ApiException ex) when (ex.StatusCode == 400 || ex.StatusCode == 401)
                {
                    ApiTrace.Verbose("The refresh token was refused; asking for a new token with the password.");
                }
                catch (ApiException ex) when (ex.StatusCode == null ? ex.Kind == ApiErrorKind.Timeout || ex.Kind == ApiErrorKind.Network || ex.Kind == ApiErrorKind.OutcomeUnknown : ex.StatusCode >= 500)
                {
                    // No complete answer, or a gateway's: the server may have spent the refresh token (Passport revokes
                    // it when it issues the new pair), so it is not sent again; the password grant is safe to repeat.
                    ApiTrace.Verbose("The refresh token request may or may not have been applied; asking for a new token with the password.");
                    _refreshToken?.Dispose();
                    _refreshToken = null;
                }
            }

            await RequestAsync(PasswordForm(), "password", cancellationToken).ConfigureAwait(false);
            _renewals++;
        }

        private List<KeyValuePair<string, string>> PasswordForm() => new List<KeyValuePair<string, string>>
        {
            new KeyValuePair<string, string>("grant_type", "password"),
            new KeyValuePair<string, string>("client_id", _credentials.ClientId),
            new KeyValuePair<string, string>("client_secret", SecretAuthorization.Reveal(_credentials.ClientSecret)),
            new KeyValuePair<string, string>("username", _credentials.UserName),
            new KeyValuePair<string, string>("password", SecretAuthorization.Reveal(_credentials.Password)),
        };

        private List<KeyValuePair<string, string>> RefreshForm() => new List<KeyValuePair<string, string>>
        {
            new KeyValuePair<string, string>("grant_type", "refresh_token"),
            new KeyValuePair<string, string>("client_id", _credentials.ClientId),
            new KeyValuePair<string, string>("client_secret", SecretAuthorization.Reveal(_credentials.ClientSecret)),
            new KeyValuePair<string, string>("refresh_token", SecretAuthorization.Reveal(_refreshToken!)),
        };

        /// <summary>
        /// One token request, sent by the connection's HTTP core (<see cref="ApiClient.SendAsync"/>) as a
        /// <see cref="ApiRequest.TokenRequest"/>: a secret form body, no Authorization header, no pacing; the same
        /// per-attempt timeout, retry policy and failure translation as every API call. Caller holds the gate.
        /// </summary>
        /// <remarks>
        /// A password grant only issues a token: repeated after an ambiguous failure, it at worst leaves an
        /// unused token that expires on its own, so it is retried like a read (429, 502/503/504, resets,
        /// timeouts). A refresh_token grant spends the refresh token (Passport revokes it when it issues the
        /// new pair), so it is resent only when it certainly was not applied (429, or no connection made);
        /// <see cref="RenewAsync"/> then falls back to the password grant.
        /// </remarks>
        private async Task RequestAsync(List<KeyValuePair<string, string>> form, string grant, CancellationToken cancellationToken)
        {
            var sender = _sender ?? throw new InvalidOperationException("The token source was not given its connection (SendThrough).");
            var request = new ApiRequest("POST", _credentials.TokenEndpoint, idempotent: grant == "password")
            {
                TokenRequest = true,
                SecretBody = true,
                Content = () => new FormUrlEncodedContent(form),
                Operation = $"the OAuth2 {grant} grant",
            };
            ApiTrace.Debug($"OAuth2 {grant} grant for user '{_credentials.UserName}', client '{_credentials.ClientId}' (credentials redacted)");
            ApiResponse answer;
            try
            {
                answer = await sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex)
            {
                _tokenRequests += ex.Attempts;
                throw;
            }

            using (answer)
            {
                _tokenRequests += answer.Attempts;
                if (answer.StatusCode < 200 || answer.StatusCode >= 300)
                {
                    throw TokenError(answer, grant);
                }

                Accept(answer.Body, answer.StatusCode, answer.ContentType, grant);
            }
        }

        private void Accept(byte[] body, int status, string? contentType, string grant)
        {
            var path = _credentials.TokenEndpoint.AbsolutePath;
            string? access;
            string? refresh;
            long? expiresIn;
            try
            {
                using var doc = JsonDocument.Parse(body);
                access = doc.RootElement.Str("access_token");
                refresh = doc.RootElement.Str("refresh_token");
                expiresIn = doc.RootElement.Long("expires_in");
            }
            catch (JsonException)
            {
                access = null;
                refresh = null;
                expiresIn = null;
            }

            if (string.IsNullOrEmpty(access))
            {
                // Never quote the body: it may hold a token.
                throw new ApiException(ApiErrorKind.InvalidResponse, $"ProcessMaker's token endpoint answered {status} ({contentType ?? "no content type"}) without an access token. Check the instance URL.")
                {
                    StatusCode = status,
                    Method = "POST",
                    RequestPath = path,
                };
            }

            if (HeaderRules.Problem(access!) is string problem)
            {
                // A token that ends a header line would add headers (or a whole request) to every later call.
                throw new ApiException(ApiErrorKind.InvalidResponse, $"ProcessMaker's token endpoint answered an access token that contains {problem}, which cannot go into a header; it was not used.")
                {
                    StatusCode = status,
                    Method = "POST",
                    RequestPath = path,
                };
            }

            var now = _credentials.Clock();
            _accessToken?.Dispose();
            _accessToken = SecretAuthorization.FromPlainText(access!);
            if (!string.IsNullOrEmpty(refresh))
            {
                _refreshToken?.Dispose();
                _refreshToken = SecretAuthorization.FromPlainText(refresh!);
            }
            else if (grant == "refresh_token")
            {
                // Passport rotates refresh tokens; without a new one the old one is spent.
                _refreshToken?.Dispose();
                _refreshToken = null;
            }

            _obtainedAt = now;
            Interlocked.Increment(ref _generation);
            // A lifetime beyond a year is taken as a year: the date arithmetic stays in range, and the token
            // is renewed after a 401 anyway.
            _expiresAt = expiresIn is long seconds && seconds > 0 ? now.AddSeconds(Math.Min(seconds, MaxLifetimeSeconds)) : (DateTimeOffset?)null;
            var until = _expiresAt is DateTimeOffset e ? "valid until " + e.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "no expiry given";
            ApiTrace.Debug(grant == "refresh_token"
                ? $"ProcessMaker access token refreshed (refresh_token grant), {until}."
                : $"ProcessMaker access token obtained (password grant for '{_credentials.UserName}'), {until}.");
        }

        private ApiException TokenError(ApiResponse answer, string grant)
        {
            var path = _credentials.TokenEndpoint.AbsolutePath;
            var (status, reason, body, contentType) = (answer.StatusCode, answer.ReasonPhrase, answer.Body, answer.ContentType);
            string? error = null;
            string? description = null;
            try
            {
                using var doc = JsonDocument.Parse(body);
                error = doc.RootElement.Str("error");
                description = doc.RootElement.Str("error_description") ?? doc.RootElement.Str("message");
            }
            catch (JsonException)
            {
            }

            ApiErrorKind kind;
            string advice;
            if (error == "invalid_client")
            {
                kind = ApiErrorKind.Unauthorized;
                advice = "the client id or client secret is wrong";
            }
            else if (error == "invalid_grant")
            {
                kind = ApiErrorKind.Unauthorized;
                advice = grant == "password" ? "the user name or password is wrong (use the ProcessMaker user name, not the e-mail address)" : "the refresh token is no longer valid";
            }
            else if (error == "unsupported_grant_type" || error == "invalid_request")
            {
                kind = ApiErrorKind.InvalidInput;
                advice = "the OAuth client does not allow the password grant";
            }
            else
            {
                kind = status == 404 ? ApiErrorKind.NotFound : ApiErrorKind.Unauthorized;
                if (status >= 500 || status == 429)
                {
                    kind = ApiErrorKind.ServerError;
                }

                advice = status == 404 ? "no token endpoint at this address; check the instance URL" : "the token request was refused";
            }

            // The endpoint may echo the form (client_secret=…&password=…): nothing it says is shown unredacted.
            var redactor = new SecretRedactor(this);
            var said = redactor.Redact(description ?? error ?? ApiErrorParser.Excerpt(ApiErrorParser.SafeDecode(body), contentType));
            return new ApiException(kind, $"ProcessMaker refused the OAuth2 {grant} grant ({status}{(string.IsNullOrEmpty(reason) ? string.Empty : " " + reason)}): {advice}. Server said: {said}")
            {
                StatusCode = status,
                Method = "POST",
                RequestPath = path,
                Detail = redactor.Redact(description ?? error),
                Attempts = answer.Attempts,
            };
        }
    }
}
