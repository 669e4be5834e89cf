using System;
using System.Globalization;
using System.Threading;
using Polly.Timeout;

namespace WorkflowTools.Http
{
    // How a failed call is told to the user: one ApiException per call, classified by what may have reached the
    // server (an attempt cut off after it was sent leaves a write's outcome unknown; anything else is a plain error).
    internal sealed partial class ApiClient
    {
        private Exception Translate(Exception exception, ApiRequest request, AttemptState state, CancellationToken cancellationToken)
        {
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                return exception;
            }

            if (exception is ApiException)
            {
                return exception;
            }

            string reason;
            if (exception is TimeoutRejectedException)
            {
                reason = state.InFlight || state.LastStatus == null
                    ? $"no answer within the total timeout of {Options.Timeout.TotalSeconds:0.#} s"
                    : $"the total timeout of {Options.Timeout.TotalSeconds:0.#} s ran out while waiting to retry after an answer of {state.LastStatus}{(state.LastStatus == 429 ? " (too many requests)" : string.Empty)}";
            }
            else
            {
                reason = RetryPolicy.Describe(exception);
            }

            // Classified by what reached the server: only an attempt cut off after it may have arrived
            // (sent, no complete answer) leaves a write's outcome unknown. A refused handshake, a failed
            // connect, a timeout while waiting between 429s are plain errors.
            if (!request.Idempotent && state.InFlight)
            {
                return OutcomeUnknown(request, state, reason, exception);
            }

            var certificate = RetryRules.IsCertificateFailure(exception);
            if (certificate)
            {
                reason = "the TLS handshake failed: " + reason;
            }

            var kind = exception is TimeoutRejectedException || exception is TimeoutException || (exception is RequestNotSentException notSent && notSent.TimedOut)
                ? (state.LastStatus == 429 && !state.InFlight ? ApiErrorKind.RateLimited : ApiErrorKind.Timeout)
                : certificate ? ApiErrorKind.Certificate : ApiErrorKind.Network;
            if (kind == ApiErrorKind.Network && RetryPolicy.SocketErrorOf(exception) != null)
            {
                // A refused or unresolved connection is most often a wrong URL or port: say which one was tried.
                reason += $" at {request.Uri.Host}:{request.Uri.Port.ToString(CultureInfo.InvariantCulture)} (check the host and port of the connection's base URI, and that the service runs there)";
            }

            return new ApiException(kind, $"{request.Method} {request.PathAndQuery} to {Options.ServiceName} failed after {state.Attempts} attempt(s): {reason}.", exception)
            {
                Method = request.Method,
                RequestPath = request.PathAndQuery,
                Attempts = state.Attempts,
            };
        }

        private ApiException OutcomeUnknown(ApiRequest request, AttemptState state, string reason, Exception inner)
        {
            var what = request.Operation ?? $"{request.Method} {request.PathAndQuery}";
            return new ApiException(
                ApiErrorKind.OutcomeUnknown,
                $"The outcome of '{what}' is unknown: {reason}. {Options.ServiceName} may or may not have applied it, so it was not sent again. Check before you retry it.",
                inner)
            {
                Method = request.Method,
                RequestPath = request.PathAndQuery,
                Attempts = state.Attempts,
                StatusCode = (inner as ApiException)?.StatusCode,
                BodyExcerpt = (inner as ApiException)?.BodyExcerpt,
                Detail = (inner as ApiException)?.Detail,
            };
        }
    }
}
