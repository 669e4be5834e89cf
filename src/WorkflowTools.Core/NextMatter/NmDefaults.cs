using System;

namespace WorkflowTools.NextMatter
{
    /// <summary>
    /// Connection defaults that follow from Next Matter's documented limits: every endpoint has a 60-second
    /// server-side limit (a large filtered listing may end in 504), and the rate limit is 100 requests a minute
    /// and fewer than 3000 an hour.
    /// </summary>
    internal static class NmDefaults
    {
        /// <summary>One attempt may take longer than the server's own 60 s, so a slow answer is the server's to give.</summary>
        public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(75);

        /// <summary>Room for one full-length attempt, a 504 and the retries after it.</summary>
        public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

        /// <summary>The documented per-minute limit.</summary>
        public const int RequestsPerMinute = 100;

        /// <summary>Under the documented "fewer than 3000 requests per hour", with a margin for clock skew.</summary>
        public const int RequestsPerHour = 2950;
    }
}
