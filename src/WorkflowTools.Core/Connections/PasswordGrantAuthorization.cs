using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Timeout;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.Connections
{
    /// <summary>Where and as whom a ProcessMaker OAuth2 password grant asks for tokens.</summary>
    internal sealed class PasswordGrantSettings
    {
        public PasswordGrantSettings(Uri tokenEndpoint, string userName, SecureString password, string clientId, SecureString clientSecret)
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

        /// <summary>Time one attempt of a token request may take.</summary>
        public TimeSpan AttemptTimeout { get; set; } = ConnectionDefaults.ProcessMaker.AttemptTimeout;

        /// <summary>The connection's retry settings; token requests follow the same policy as every other request.</summary>
        public RetrySettings Retry { get; set; } = new RetrySettings
        {
            MaxRetries = ConnectionDefaults.MaxRetries,
            Timeout = ConnectionDefaults.ProcessMaker.Timeout,
            RetryBaseDelay = ConnectionDefaults.RetryDelay,
            MaxRetryDelay = ConnectionDefaults.MaxRetryDelay,
        };

        /// <summary>Largest token answer read, in bytes.</summary>
        public long MaxResponseBytes { get; set; } = ConnectionDefaults.MaxResponseSize;

        public IWebProxy? Proxy { get; set; }

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

        private readonly PasswordGrantSettings _settings;
        private readonly HttpClient _http;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly ResiliencePipeline<TokenAnswer> _pipeline;

        private SecureString? _accessToken;
        private SecureString? _refreshToken;
        private DateTimeOffset? _expiresAt;
        private DateTimeOffset _obtainedAt;
        private int _renewals;
        private int _tokenRequests;
        private int _generation;

        public PasswordGrantAuthorization(PasswordGrantSettings settings, string userAgent, HttpMessageHandler? handler = null)
        {
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            if (handler == null)
            {
                var own = new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate };
                if (settings.Proxy != null)
                {
                    own.Proxy = settings.Proxy;
                    own.UseProxy = true;
                }

                handler = own;
            }

            _http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
            _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var path = settings.TokenEndpoint.AbsolutePath;
            _pipeline = RetryPolicy.Build<TokenAnswer>(settings.Retry, _ => $"POST {path}");
        }

        public string UserName => _settings.UserName;

        public string ClientId => _settings.ClientId;

        public Uri TokenEndpoint => _settings.TokenEndpoint;

        /// <summary>When the current access token expires (UTC), if the server said.</summary>
        public DateTimeOffset? ExpiresAt => _expiresAt;

        /// <summary>How many times the token was renewed after the first one.</summary>
        public int Renewals => _renewals;

        /// <summary>How many requests were sent to the token endpoint.</summary>
        public int TokenRequests => _tokenRequests;

        public string RedactedHeaderValue => "Bearer [redacted]";

        public void AddSecretsTo(ICollection<string> secrets)
        {
            secrets.Add(SecretAuthorization.Reveal(_settings.Password));
            secrets.Add(SecretAuthorization.Reveal(_settings.ClientSecret));
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
            _http.Dispose();
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
            var margin = TimeSpan.FromTicks(Math.Min(_settings.RenewBefore.Ticks, Math.Max(0, lifetime.Ticks / 10)));
            return _settings.Clock() >= expires - margin;
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
                catch (ApiException ex) when (ex.StatusCode == null ? ex.Kind == ApiErrorKind.Timeout || ex.Kind == ApiErrorKind.Network : ex.StatusCode >= 500)
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
            new KeyValuePair<string, string>("client_id", _settings.ClientId),
            new KeyValuePair<string, string>("client_secret", SecretAuthorization.Reveal(_settings.ClientSecret)),
            new KeyValuePair<string, string>("username", _settings.UserName),
            new KeyValuePair<string, string>("password", SecretAuthorization.Reveal(_settings.Password)),
        };

        private List<KeyValuePair<string, string>> RefreshForm() => new List<KeyValuePair<string, string>>
        {
            new KeyValuePair<string, string>("grant_type", "refresh_token"),
            new KeyValuePair<string, string>("client_id", _settings.ClientId),
            new KeyValuePair<string, string>("client_secret", SecretAuthorization.Reveal(_settings.ClientSecret)),
            new KeyValuePair<string, string>("refresh_token", SecretAuthorization.Reveal(_refreshToken!)),
        };

        /// <summary>
        /// One token request through the connection's retry policy (<see cref="RetryPolicy"/>). Caller holds the gate.
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
            var path = _settings.TokenEndpoint.AbsolutePath;
            var call = new TokenCall(form, grant);
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(RetryPolicy.Idempotent, grant == "password");
            RetryPolicy.MarkStart(context);
            Outcome<TokenAnswer> outcome;
            try
            {
                outcome = await _pipeline.ExecuteOutcomeAsync(
                    static async (ctx, state) =>
                    {
                        try
                        {
                            return Outcome.FromResult(await state.Self.AttemptAsync(state.Call, ctx.CancellationToken).ConfigureAwait(false));
                        }
                        catch (Exception ex)
                        {
                            return Outcome.FromException<TokenAnswer>(ex);
                        }
                    },
                    context,
                    (Self: this, Call: call)).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            if (outcome.Exception is Exception failure)
            {
                if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested || failure is ApiException)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
                }

                var certificate = RetryRules.IsCertificateFailure(failure);
                var kind = failure is TimeoutRejectedException || failure is TimeoutException ? ApiErrorKind.Timeout : certificate ? ApiErrorKind.Certificate : ApiErrorKind.Network;
                var reason = failure is TimeoutRejectedException
                    ? $"no answer within the total timeout of {_settings.Retry.Timeout.TotalSeconds:0.#} s"
                    : (certificate ? "the TLS handshake failed: " : string.Empty) + failure.Message.TrimEnd('.') + (failure is HttpRequestException && failure.InnerException != null ? $" ({failure.InnerException.Message.TrimEnd('.')})" : string.Empty);
                throw new ApiException(kind, $"ProcessMaker's token endpoint {_settings.TokenEndpoint.GetLeftPart(UriPartial.Path)} did not answer after {call.Attempts} attempt(s): {reason}.", failure)
                {
                    Method = "POST",
                    RequestPath = path,
                    Attempts = call.Attempts,
                };
            }

            var answer = outcome.Result!;
            if (answer.StatusCode < 200 || answer.StatusCode >= 300)
            {
                throw TokenError(answer.StatusCode, answer.Reason, answer.Body, answer.ContentType, grant, call.Attempts);
            }

            Accept(answer.Body, answer.StatusCode, answer.ContentType, grant);
        }

        /// <summary>One attempt: the POST and its whole answer, every byte under the attempt timeout and the call's token.</summary>
        private async Task<TokenAnswer> AttemptAsync(TokenCall call, CancellationToken cancellationToken)
        {
            var path = _settings.TokenEndpoint.AbsolutePath;
            call.Attempts++;
            _tokenRequests++;
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCts.CancelAfter(_settings.AttemptTimeout);
            using var message = new HttpRequestMessage(HttpMethod.Post, _settings.TokenEndpoint) { Content = new FormUrlEncodedContent(call.Form) };
            ApiTrace.Debug($"Request POST {path} (OAuth2 {call.Grant} grant for user '{_settings.UserName}', client '{_settings.ClientId}'; credentials redacted)");
            try
            {
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token).ConfigureAwait(false);
                var request = new ApiRequest("POST", _settings.TokenEndpoint, idempotent: call.Grant == "password");
                var (body, _, _) = await BodyReader.ReadAsync(response, false, _settings.MaxResponseBytes, request, "ProcessMaker", attemptCts.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                ApiTrace.Verbose($"POST {path} → {status}");
                return new TokenAnswer(status, response.ReasonPhrase, body, response.Content.Headers.ContentType?.MediaType, RetryRules.RetryAfterOf(response));
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException) && !(ex is ApiException))
            {
                // Cut off by Ctrl+C or the total timeout (a disposed stream says so as an I/O error).
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception ex) when (attemptCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested && !(ex is ApiException))
            {
                ApiTrace.Verbose($"POST {path} → no answer within {_settings.AttemptTimeout.TotalSeconds:0.#} s");
                throw new TimeoutException($"No answer within {_settings.AttemptTimeout.TotalSeconds:0.#} s.");
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is System.IO.IOException)
            {
                ApiTrace.Verbose($"POST {path} failed ({ex.GetType().Name}).");
                throw;
            }
        }

        /// <summary>One token request's form and grant, and how many attempts it took.</summary>
        private sealed class TokenCall
        {
            public TokenCall(List<KeyValuePair<string, string>> form, string grant)
            {
                Form = form;
                Grant = grant;
            }

            public List<KeyValuePair<string, string>> Form { get; }

            public string Grant { get; }

            public int Attempts { get; set; }
        }

        /// <summary>A token endpoint's complete answer.</summary>
        private sealed class TokenAnswer : IAttemptAnswer
        {
            public TokenAnswer(int statusCode, string? reason, byte[] body, string? contentType, TimeSpan? retryAfter)
            {
                StatusCode = statusCode;
                Reason = reason;
                Body = body;
                ContentType = contentType;
                RetryAfter = retryAfter;
            }

            public int StatusCode { get; }

            public string? Reason { get; }

            public byte[] Body { get; }

            public string? ContentType { get; }

            public TimeSpan? RetryAfter { get; }
        }

        private void Accept(byte[] body, int status, string? contentType, string grant)
        {
            var path = _settings.TokenEndpoint.AbsolutePath;
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

            var now = _settings.Clock();
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
                : $"ProcessMaker access token obtained (password grant for '{_settings.UserName}'), {until}.");
        }

        private ApiException TokenError(int status, string? reason, byte[] body, string? contentType, string grant, int attempts)
        {
            var path = _settings.TokenEndpoint.AbsolutePath;
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
                Attempts = attempts,
            };
        }
    }
}
