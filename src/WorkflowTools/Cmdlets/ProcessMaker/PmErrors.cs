using System;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>ProcessMaker-specific shaping of error records: validation errors list every field.</summary>
    internal static class PmErrors
    {
        public static ErrorRecord From(Exception exception, object? target, string? errorId = null)
        {
            var record = ErrorRecords.From(exception, target, errorId);
            if (exception is ApiException api && api.Kind == ApiErrorKind.Validation && api.FieldErrors.Count > 0)
            {
                var lines = api.FieldErrors.Select(f => $"  {f.Key}: {string.Join(" ", f.Value)}");
                var text = $"ProcessMaker rejected {api.Method} {api.RequestPath} ({api.StatusCode}); invalid field{(api.FieldErrors.Count > 1 ? "s" : string.Empty)}:" + Environment.NewLine + string.Join(Environment.NewLine, lines);
                record.ErrorDetails = new ErrorDetails(text) { RecommendedAction = "Correct the named field" + (api.FieldErrors.Count > 1 ? "s" : string.Empty) + " and send it again." };
            }

            return record;
        }
    }
}
