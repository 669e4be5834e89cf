using System;
using System.Net;

namespace WorkflowTools.Connections
{
    /// <summary>
    /// What a user may tune when connecting; shared by both services. Starts from <see cref="ConnectionDefaults"/>
    /// (the timeouts from ProcessMaker's; Connect-NmService passes Next Matter's).
    /// </summary>
    internal sealed class ConnectionSettings
    {
        public int MaxRetries { get; set; } = ConnectionDefaults.MaxRetries;

        public TimeSpan Timeout { get; set; } = ConnectionDefaults.ProcessMaker.Timeout;

        public TimeSpan AttemptTimeout { get; set; } = ConnectionDefaults.ProcessMaker.AttemptTimeout;

        public TimeSpan RetryBaseDelay { get; set; } = ConnectionDefaults.RetryDelay;

        public TimeSpan MaxRetryDelay { get; set; } = ConnectionDefaults.MaxRetryDelay;

        /// <summary>Largest answer read, in bytes.</summary>
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
