using System;

namespace WorkflowTools.Connections
{
    /// <summary>
    /// Every default and limit of a connection, in one place: the Connect-* parameters start from these (so
    /// their help shows them), <see cref="ConnectionSettings"/> and the HTTP core's options start from these,
    /// and token requests follow the same retry settings. Where the two services differ, each has its own
    /// values below.
    /// </summary>
    internal static class ConnectionDefaults
    {
        /// <summary>Retries after the first attempt, for requests that certainly were not applied (or are safe to repeat).</summary>
        public const int MaxRetries = 5;

        /// <summary>The largest -MaxRetries accepted.</summary>
        public const int MaxRetriesLimit = 20;

        /// <summary>The first wait before a retry; later ones double, with jitter.</summary>
        public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

        /// <summary>The longest -RetryDelay accepted.</summary>
        public static readonly TimeSpan RetryDelayLimit = TimeSpan.FromMinutes(5);

        /// <summary>The longest backoff between attempts. A server's Retry-After is not cut: it is honoured when it ends within the call's remaining total time.</summary>
        public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);

        /// <summary>The shortest -Timeout and -AttemptTimeout accepted (the retry pipeline's own minimum).</summary>
        public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

        /// <summary>The longest -Timeout and -AttemptTimeout accepted.</summary>
        public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

        /// <summary>The largest answer read, in bytes: a larger one is an error that names this limit, not a memory spike.</summary>
        public const long MaxResponseSize = 256L * 1024 * 1024;

        /// <summary>The smallest -MaxResponseSize accepted (an error body must still fit).</summary>
        public const long MinResponseSizeLimit = 64L * 1024;

        /// <summary>The largest -MaxResponseSize accepted: an answer is read into one buffer, and an array holds at most this.</summary>
        public const long MaxResponseSizeLimit = 1L << 30;

        /// <summary>An OAuth access token is renewed this long before it expires (at most a tenth of its lifetime).</summary>
        public static readonly TimeSpan TokenRenewBefore = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Next Matter: every endpoint has a 60-second server-side limit (a large filtered listing may end in
        /// 504), and the documented rate limit is 100 requests a minute and fewer than 3000 an hour.
        /// </summary>
        internal static class NextMatter
        {
            /// <summary>Room for one full-length attempt, a 504 and the retries after it.</summary>
            public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

            /// <summary>Longer than the server's own 60 s, so a slow answer is the server's to give.</summary>
            public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(75);

            /// <summary>The documented per-minute limit.</summary>
            public const int RequestsPerMinute = 100;

            /// <summary>Under the documented "fewer than 3000 requests per hour", with a margin for clock skew.</summary>
            public const int RequestsPerHour = 2950;

            /// <summary>The largest page a listing asks for.</summary>
            public const int MaxPageSize = 500;
        }

        /// <summary>ProcessMaker 4: self-hosted, no documented rate limit.</summary>
        internal static class ProcessMaker
        {
            public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(100);

            public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

            /// <summary>No client-side limit: the instance's own throttling (429) is honoured.</summary>
            public const int RequestsPerMinute = 0;

            public const int RequestsPerHour = 0;
        }
    }
}
