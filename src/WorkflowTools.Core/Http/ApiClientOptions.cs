using System;
using System.Net;
using WorkflowTools.Connections;

namespace WorkflowTools.Http
{
    /// <summary>Settings of one connection's HTTP pipeline. Fixed when the connection is made; defaults from <see cref="ConnectionDefaults"/>.</summary>
    internal sealed class ApiClientOptions
    {
        /// <summary>Name used in messages: "Next Matter" or "ProcessMaker".</summary>
        public string ServiceName { get; set; } = "service";

        /// <summary>Base URL with a trailing slash; relative paths resolve against it.</summary>
        public Uri BaseUri { get; set; } = new Uri("http://127.0.0.1/");

        /// <summary>Retries after the first attempt, for requests that certainly were not applied.</summary>
        public int MaxRetries { get; set; } = ConnectionDefaults.MaxRetries;

        /// <summary>Total time one call may take, all attempts and waits included.</summary>
        public TimeSpan Timeout { get; set; } = ConnectionDefaults.ProcessMaker.Timeout;

        /// <summary>Time one attempt may take.</summary>
        public TimeSpan AttemptTimeout { get; set; } = ConnectionDefaults.ProcessMaker.AttemptTimeout;

        /// <summary>First backoff delay; later ones grow exponentially, with jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = ConnectionDefaults.RetryDelay;

        /// <summary>Longest backoff between attempts (a server's Retry-After is honoured in full when it fits the call's time).</summary>
        public TimeSpan MaxRetryDelay { get; set; } = ConnectionDefaults.MaxRetryDelay;

        /// <summary>Client-side request budget; 0 = unlimited.</summary>
        public int RequestsPerMinute { get; set; }

        /// <summary>Client-side hourly budget; 0 = unlimited.</summary>
        public int RequestsPerHour { get; set; }

        /// <summary>The request budget shared with other processes that use the same key (Connect-NmService -ShareBudget); null: this connection's own only.</summary>
        public SharedPaceLedger? SharedBudget { get; set; }

        /// <summary>The pacer's time source; wall time when null (tests and simulations pass their own).</summary>
        public IPacerClock? PacerClock { get; set; }

        /// <summary>Largest answer read, in bytes; a larger one is an error, not a memory spike.</summary>
        public long MaxResponseBytes { get; set; } = ConnectionDefaults.MaxResponseSize;

        public IWebProxy? Proxy { get; set; }

        /// <summary>Added to a 404's message when the base URL does not look like the service's API root (a path missing).</summary>
        public string? NotFoundHint { get; set; }

        public string UserAgent { get; set; } = "WorkflowTools";
    }
}
