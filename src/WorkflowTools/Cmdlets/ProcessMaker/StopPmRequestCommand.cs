using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Cancels ProcessMaker requests.</summary>
    /// <remarks>
    /// Stop-PmRequest cancels each request it is given (PUT /requests/{id} with status CANCELED): its open tasks
    /// close and it stays in the history with the status Canceled. It takes request ids or request objects from
    /// the pipeline (numbers, or the RequestId property of requests, tasks and CSV rows; an Id property is not
    /// used, so a piped process is never taken for a request), so `Get-PmRequest -Status InProgress -Pmql '...' |
    /// Stop-PmRequest` cancels what a query found. Use -WhatIf to see what would be canceled without sending
    /// anything, and -Confirm to be asked for each. ProcessMaker lets only users with the process's cancel
    /// permission do this; a refusal is a PermissionDenied error for that request and the rest go on.
    /// -PassThru reads each request back after canceling it.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Stop, "PmRequest", DefaultParameterSetName = "ById", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmRequest))]
    public sealed class StopPmRequestCommand : PmBulkCmdlet
    {
        /// <summary>The ids of the requests to cancel (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ById", ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        public long[] Id { get; set; } = System.Array.Empty<long>();

        /// <summary>Request ids from the RequestId property of piped objects (requests, tasks, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByRequestId", ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        public long[] RequestId { get; set; } = System.Array.Empty<long>();

        /// <summary>Write each canceled request (read back from the server).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in ParameterSetName == "ById" ? Id : RequestId)
            {
                if (!ShouldProcess($"request {id.ToString(CultureInfo.InvariantCulture)}", "Cancel"))
                {
                    continue;
                }

                var requestId = id;
                var passThru = PassThru.IsPresent;
                Enqueue(
                    requestId,
                    async ct =>
                    {
                        await Api.CancelRequestAsync(requestId, ct).ConfigureAwait(false);
                        return passThru ? await Api.GetRequestAsync(requestId, false, ct).ConfigureAwait(false) : null;
                    },
                    request =>
                    {
                        WriteVerbose($"Request {requestId} canceled.");
                        if (request != null)
                        {
                            WriteObject(request);
                        }
                    },
                    ex => WriteError(PmErrors.From(ex, requestId)));
            }
        }
    }
}
