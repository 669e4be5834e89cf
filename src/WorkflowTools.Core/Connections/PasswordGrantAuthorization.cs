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
        public TimeSpan RenewBefore { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Time one token request may take.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Attempts per token request when the endpoint is throttled (429/503) or unreachable.</summary>
        public int MaxAttempts { get; set; } = 3;

        /// <summary>Longest Retry-After honoured.</summary>
        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

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

        /// <summary>One token request, retried when throttled or unreachable. Caller holds the gate.</summary>
        private async Task RequestAsync(List<KeyValuePair<string, string>> form, string grant, CancellationToken cancellationToken)
        {
            var path = _settings.TokenEndpoint.AbsolutePath;
            var waited = TimeSpan.Zero;
            var noticed = false;

            // As for API calls: once the waits add up to a few seconds, say so once without -Verbose.
            void NoticeWait(TimeSpan wait, string what, int attempt)
            {
                waited += wait;
                if (!noticed && waited >= ApiClient.LongWaitNotice)
                {
                    noticed = true;
                    ApiTrace.LongWait($"POST {path} failed ({what}); attempt {attempt + 1} of {_settings.MaxAttempts} in {wait.TotalSeconds:0.0} s. Still retrying; -Verbose shows every attempt.");
                }
            }

            for (var attempt = 1; ; attempt++)
            {
                using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptCts.CancelAfter(_settings.Timeout);
                using var message = new HttpRequestMessage(HttpMethod.Post, _settings.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
                ApiTrace.Debug($"Request POST {path} (OAuth2 {grant} grant for user '{_settings.UserName}', client '{_settings.ClientId}'; credentials redacted)");
                int status;
                byte[] body;
                string? contentType;
                string? reason;
                TimeSpan? retryAfter = null;
                _tokenRequests++;
                try
                {
                    using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptCts.Token).ConfigureAwait(false);
                    body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    reason = response.ReasonPhrase;
                    contentType = response.Content.Headers.ContentType?.MediaType;
                    if (response.Headers.TryGetValues("Retry-After", out var values))
                    {
                        foreach (var value in values)
                        {
                            retryAfter = RetryRules.ParseRetryAfter(value, DateTimeOffset.UtcNow);
                            break;
                        }
                    }
                }
                catch (Exception ex) when ((ex is HttpRequestException || ex is System.IO.IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)) && attempt < _settings.MaxAttempts)
                {
                    ApiTrace.Verbose($"POST {path} failed ({ex.GetType().Name}); trying again.");
                    NoticeWait(TimeSpan.FromSeconds(attempt), ex is HttpRequestException http && http.InnerException is System.Net.Sockets.SocketException socket ? "network error: " + socket.SocketErrorCode : ex.GetType().Name, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is System.IO.IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    throw new ApiException(ex is OperationCanceledException ? ApiErrorKind.Timeout : ApiErrorKind.Network, $"ProcessMaker's token endpoint {_settings.TokenEndpoint.GetLeftPart(UriPartial.Path)} did not answer: {ex.Message}", ex)
                    {
                        Method = "POST",
                        RequestPath = path,
                        Attempts = attempt,
                    };
                }

                ApiTrace.Verbose($"POST {path} → {status}");
                if ((status == 429 || status == 503) && attempt < _settings.MaxAttempts)
                {
                    var wait = retryAfter ?? TimeSpan.FromSeconds(attempt);
                    if (wait > _settings.MaxRetryDelay)
                    {
                        wait = _settings.MaxRetryDelay;
                    }

                    ApiTrace.Verbose($"The token endpoint answered {status}; waiting {wait.TotalSeconds:0.#} s.");
                    NoticeWait(wait, status.ToString(System.Globalization.CultureInfo.InvariantCulture), attempt);
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (status < 200 || status >= 300)
                {
                    throw TokenError(status, reason, body, contentType, grant, attempt);
                }

                Accept(body, status, contentType, grant);
                return;
            }
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
