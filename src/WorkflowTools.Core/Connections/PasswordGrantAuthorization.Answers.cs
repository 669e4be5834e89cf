using System;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.Connections
{
    // What a token endpoint's answer says: a token to keep (Accept), or a refusal to explain (TokenError). How the
    // request got there and back (timeouts, retries, a failed call) is the connection's ApiClient's, as for any call.
    internal sealed partial class PasswordGrantAuthorization
    {
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
