using System;
using System.Management.Automation;
using WorkflowTools.Http;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Turns failures into ErrorRecords with a stable ErrorId, a category and the offending input as
    /// target. ErrorIds: <c>WorkflowTools.&lt;Kind&gt;</c> for API failures (Unauthorized, Forbidden,
    /// NotFound, Validation, RateLimited, ServerError, Network, Timeout, InvalidResponse, OutcomeUnknown, OriginRefused, Certificate),
    /// plus the cmdlets' own ids for bad input (InvalidArgument…), NotConnected, and InvalidRow for a listing row (or a
    /// step or field of a workflow) that could not become an object.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception exception, object? target, string? errorId = null)
        {
            if (exception is ApiException api)
            {
                var record = new ErrorRecord(api, errorId ?? "WorkflowTools." + api.Kind, CategoryFor(api.Kind), target);
                var advice = AdviceFor(api);
                if (advice != null)
                {
                    record.ErrorDetails = new ErrorDetails(api.Message) { RecommendedAction = advice };
                }

                return record;
            }

            if (exception is ArgumentException || exception is FormatException)
            {
                return new ErrorRecord(exception, errorId ?? "WorkflowTools.InvalidArgument", ErrorCategory.InvalidArgument, target);
            }

            return new ErrorRecord(exception, errorId ?? "WorkflowTools.Failed", ErrorCategory.NotSpecified, target);
        }

        public static ErrorRecord InvalidArgument(string message, object? target, string errorId = "WorkflowTools.InvalidArgument") =>
            new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

        public static ErrorCategory CategoryFor(ApiErrorKind kind)
        {
            switch (kind)
            {
                case ApiErrorKind.Unauthorized: return ErrorCategory.AuthenticationError;
                case ApiErrorKind.Forbidden: return ErrorCategory.PermissionDenied;
                case ApiErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case ApiErrorKind.Validation: return ErrorCategory.InvalidData;
                case ApiErrorKind.InvalidInput: return ErrorCategory.InvalidArgument;
                case ApiErrorKind.Conflict: return ErrorCategory.ResourceExists;
                case ApiErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case ApiErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
                case ApiErrorKind.Network: return ErrorCategory.ConnectionError;
                case ApiErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case ApiErrorKind.InvalidResponse: return ErrorCategory.InvalidResult;
                case ApiErrorKind.OutcomeUnknown: return ErrorCategory.OperationStopped;
                case ApiErrorKind.OriginRefused: return ErrorCategory.SecurityError;
                case ApiErrorKind.Certificate: return ErrorCategory.SecurityError;
                case ApiErrorKind.ResponseTooLarge: return ErrorCategory.LimitsExceeded;
                default: return ErrorCategory.NotSpecified;
            }
        }

        private static string? AdviceFor(ApiException api)
        {
            switch (api.Kind)
            {
                case ApiErrorKind.Unauthorized:
                    return "Check that the key or token is valid and not expired, then connect again (Connect-NmService / Connect-PmServer).";
                case ApiErrorKind.Forbidden:
                    return "The credential's user lacks permission for this item; use a user who owns it, or ask an administrator.";
                case ApiErrorKind.RateLimited:
                    return "Lower -RequestsPerMinute on the connection or -ThrottleLimit, or raise -MaxRetries.";
                case ApiErrorKind.Certificate:
                    return "The server's certificate was not accepted: check the URL, the system clock and the certificate chain (a proxy that inspects TLS needs its root certificate trusted). Retrying will not help.";
                case ApiErrorKind.OriginRefused:
                    return "Give a path relative to the connection's base URL; a listing whose next link leaves it is a server or proxy misconfiguration to report.";
                case ApiErrorKind.ResponseTooLarge:
                    return "Ask for less (a smaller -PageSize, fewer fields), or connect again with a larger -MaxResponseSize (Connect-NmService / Connect-PmServer, at most 1 GB).";
                case ApiErrorKind.OutcomeUnknown:
                    return "Look for the item (Get-NmInstance / Get-PmRequest) before sending it again; it may already exist.";
                case ApiErrorKind.Network:
                case ApiErrorKind.Timeout:
                case ApiErrorKind.ServerError:
                    return "The service or the network failed; try again later or raise -MaxRetries / -Timeout on Connect-*.";
                default:
                    return null;
            }
        }
    }
}
