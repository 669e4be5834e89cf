using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.Connections
{
    /// <summary>
    /// Bearer tokens from ProcessMaker's OAuth2 endpoint (Laravel Passport), password grant. The access
    /// token is cached; shortly before it expires, and after a 401, it is renewed with the refresh_token
    /// grant, or by asking again with the password when there is no usable refresh token. Secrets and
    /// tokens never reach a message: traces say only what happened ("access token refreshed").
    /// </summary>
    internal sealed partial class PasswordGrantAuthorization : IAuthorizationSource, ISecretHolder, IDisposable
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
    }
}
