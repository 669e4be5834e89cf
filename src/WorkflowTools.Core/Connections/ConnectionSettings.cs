using System;
using System.Net;
using WorkflowTools.Http;

namespace WorkflowTools.Connections
{
    /// <summary>
    /// The one options type of a connection, shared by both services: what a user may tune when connecting (the
    /// <c>Connect-*</c> parameters), and where and how the connection's HTTP core (<see cref="ApiClient"/>, its
    /// retry policy, its pacer, the OAuth token requests it sends) works. Starts from <see cref="ConnectionDefaults"/>
    /// (the timeouts from ProcessMaker's; Connect-NmService passes Next Matter's). Fixed once the connection is made.
    /// </summary>
    internal sealed class ConnectionSettings
    {
        /// <summary>Retries after the first attempt, for requests that certainly were not applied.</summary>
        public int MaxRetries { get; set; } = ConnectionDefaults.MaxRetries;

        /// <summary>Total time one call may take, all attempts and waits included; zero or infinite for none.</summary>
        public TimeSpan Timeout { get; set; } = ConnectionDefaults.ProcessMaker.Timeout;

        /// <summary>Time one attempt may take.</summary>
        public TimeSpan AttemptTimeout { get; set; } = ConnectionDefaults.ProcessMaker.AttemptTimeout;

        /// <summary>First backoff delay; later ones grow exponentially, with jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = ConnectionDefaults.RetryDelay;

        /// <summary>Longest backoff between attempts (a server's Retry-After is honoured in full when it fits the call's time).</summary>
        public TimeSpan MaxRetryDelay { get; set; } = ConnectionDefaults.MaxRetryDelay;

        /// <summary>Largest answer read, in bytes; a larger one is an error, not a memory spike.</summary>
        public long MaxResponseSize { get; set; } = ConnectionDefaults.MaxResponseSize;

        /// <summary>Client-side request budget; 0 = no limit.</summary>
        public int RequestsPerMinute { get; set; }

        /// <summary>Client-side hourly budget; 0 = no limit.</summary>
        public int RequestsPerHour { get; set; }

        /// <summary>Share the request budget with every process on this machine that uses the same key against the same service.</summary>
        public bool ShareBudget { get; set; }

        /// <summary>The shared budget's folder; null: the user's local application data (tests set their own).</summary>
        public string? SharedBudgetFolder { get; set; }

        public IWebProxy? Proxy { get; set; }

        /// <summary>Allow plain http:// to a host that is not this machine.</summary>
        public bool AllowInsecureHttp { get; set; }

        /// <summary>Where the credential came from ("parameter", "environment variable NEXTMATTER_API_KEY", …).</summary>
        public string CredentialSource { get; set; } = "parameter";

        // Set by the connection (ServiceConnection.CreateClient) or a test that builds an ApiClient itself.

        /// <summary>Name used in messages: "Next Matter" or "ProcessMaker".</summary>
        public string ServiceName { get; set; } = "service";

        /// <summary>Base URL with a trailing slash; relative paths resolve against it.</summary>
        public Uri BaseUri { get; set; } = new Uri("http://127.0.0.1/");

        /// <summary>Added to a 404's message when the base URL does not look like the service's API root (a path missing).</summary>
        public string? NotFoundHint { get; set; }

        public string UserAgent { get; set; } = "WorkflowTools";

        /// <summary>The request budget shared with other processes that use the same key (<see cref="ShareBudget"/>); null: this connection's own only.</summary>
        public SharedPaceLedger? SharedBudget { get; set; }

        /// <summary>The pacer's time source; wall time when null (tests and simulations pass their own).</summary>
        public IPacerClock? PacerClock { get; set; }

        /// <summary>
        /// A copy for one connection's HTTP core: this service, this base URL; one attempt never longer than the whole call.
        /// </summary>
        internal ConnectionSettings For(string service, Uri baseUri, string? notFoundHint)
        {
            var copy = (ConnectionSettings)MemberwiseClone();
            copy.ServiceName = service;
            copy.BaseUri = baseUri;
            copy.NotFoundHint = notFoundHint;
            copy.AttemptTimeout = AttemptTimeout < Timeout ? AttemptTimeout : Timeout;
            copy.UserAgent = "WorkflowTools/" + typeof(ConnectionSettings).Assembly.GetName().Version?.ToString(3);
            return copy;
        }
    }

    /// <summary>Checks and normalises the base URL a user gives.</summary>
    internal static class BaseUriRules
    {
        /// <summary>
        /// Absolute http(s) only; http only to a loopback host unless explicitly allowed; always ends with '/'.
        /// </summary>
        public static Uri Normalize(Uri uri, bool allowInsecureHttp)
        {
            if (uri == null || !uri.IsAbsoluteUri)
            {
                throw new ArgumentException($"'{uri}' is not an absolute URL. Give the full address, such as https://core.nextmatter.com/api/.");
            }

            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            {
                throw new ArgumentException($"'{uri}' uses '{uri.Scheme}:'; only https:// (or http:// to this machine) is accepted.");
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new ArgumentException("A base URL must not carry a user name or password; use the credential parameters.");
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback && !allowInsecureHttp)
            {
                throw new ArgumentException($"'{uri.GetLeftPart(UriPartial.Authority)}' is plain http:// to another machine: credentials would cross the network unencrypted. Use https://, or pass -AllowInsecureHttp if you really mean it.");
            }

            var builder = new UriBuilder(uri) { Query = string.Empty, Fragment = string.Empty };
            if (!builder.Path.EndsWith("/", StringComparison.Ordinal))
            {
                builder.Path += "/";
            }

            return builder.Uri;
        }

        /// <summary>ProcessMaker: accept the instance URL with or without <c>/api/1.0</c>.</summary>
        public static Uri NormalizeProcessMaker(Uri uri, bool allowInsecureHttp)
        {
            var normalized = Normalize(uri, allowInsecureHttp);
            var path = normalized.AbsolutePath;
            if (path.EndsWith("/api/1.0/", StringComparison.OrdinalIgnoreCase))
            {
                return normalized;
            }

            if (path.EndsWith("/api/", StringComparison.OrdinalIgnoreCase))
            {
                return new Uri(normalized, "1.0/");
            }

            return new Uri(normalized, "api/1.0/");
        }
    }
}
