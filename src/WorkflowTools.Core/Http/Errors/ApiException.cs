using System;
using System.Collections.Generic;

namespace WorkflowTools.Http
{
    /// <summary>What kind of failure a call to a workflow service ended in.</summary>
    public enum ApiErrorKind
    {
        Unauthorized,
        Forbidden,
        NotFound,
        Validation,
        Conflict,
        RateLimited,
        ServerError,
        Network,
        Timeout,
        InvalidResponse,
        /// <summary>A state-changing request may or may not have been applied; it was not resent.</summary>
        OutcomeUnknown,
        InvalidInput,
        /// <summary>The request would have carried the connection's credentials outside its origin; nothing was sent.</summary>
        OriginRefused,
        /// <summary>The server's certificate was refused (TLS handshake): nothing was sent, and retrying will not help.</summary>
        Certificate,
        /// <summary>The answer was larger than the connection's -MaxResponseSize; reading stopped there.</summary>
        ResponseTooLarge,
    }

    /// <summary>
    /// A failed call to Next Matter or ProcessMaker, with what the server said in a form a person can read.
    /// Never carries request headers, so no secret can travel with it.
    /// </summary>
    public sealed class ApiException : Exception
    {
        public ApiException(ApiErrorKind kind, string message, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
        }

        public ApiErrorKind Kind { get; }

        /// <summary>HTTP status code, when the server answered at all.</summary>
        public int? StatusCode { get; internal set; }

        public string? Method { get; internal set; }

        /// <summary>Path and query of the request (no host, no secrets).</summary>
        public string? RequestPath { get; internal set; }

        /// <summary>The server's own message (detail / message / error), when it gave one.</summary>
        public string? Detail { get; internal set; }

        /// <summary>Validation errors by field (DRF field errors or Laravel <c>errors</c>).</summary>
        public IReadOnlyDictionary<string, string[]> FieldErrors { get; internal set; } = new Dictionary<string, string[]>();

        /// <summary>The first part of the response body, for the error record.</summary>
        public string? BodyExcerpt { get; internal set; }

        /// <summary>How many attempts were made before giving up.</summary>
        public int Attempts { get; internal set; } = 1;

        /// <summary>What was done to find out whether an ambiguous write was applied, and what was found.</summary>
        public string? Reconciliation { get; private set; }

        /// <summary>Ids of items that the ambiguous write may have created (found by the reconciliation check).</summary>
        public IReadOnlyList<long> PossibleMatches { get; private set; } = Array.Empty<long>();

        /// <summary>A copy of this error with the outcome of a reconciliation check added to its message.</summary>
        public ApiException WithReconciliation(string finding, IReadOnlyList<long>? matches = null)
        {
            return new ApiException(Kind, Message + " " + finding, InnerException)
            {
                StatusCode = StatusCode,
                Method = Method,
                RequestPath = RequestPath,
                Detail = Detail,
                FieldErrors = FieldErrors,
                BodyExcerpt = BodyExcerpt,
                Attempts = Attempts,
                Reconciliation = finding,
                PossibleMatches = matches ?? Array.Empty<long>(),
            };
        }

        /// <summary>A copy of this error with a hint for the user added to its message.</summary>
        internal ApiException WithHint(string hint)
        {
            var message = Message.TrimEnd();
            return new ApiException(Kind, message + (message.EndsWith(".", StringComparison.Ordinal) ? " " : ". ") + hint, InnerException)
            {
                StatusCode = StatusCode,
                Method = Method,
                RequestPath = RequestPath,
                Detail = Detail,
                FieldErrors = FieldErrors,
                BodyExcerpt = BodyExcerpt,
                Attempts = Attempts,
            };
        }

        /// <summary>Whether a state-changing request may have been applied by the server.</summary>
        public bool MayHaveBeenApplied => Kind == ApiErrorKind.OutcomeUnknown;
    }
}
