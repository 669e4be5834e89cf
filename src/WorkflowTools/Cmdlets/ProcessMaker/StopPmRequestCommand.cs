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
    /// -PassThru reads each request back after canceling it. A request that is already Completed or Canceled is left
    /// as it is, with a warning that says so. Piped requests are collected first and canceled once the
    /// input has ended: canceling takes a request out of an In Progress listing, and a listing still being read page
    /// by page would otherwise skip the requests that moved up into pages it already read.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Stop, "PmRequest", DefaultParameterSetName = "ById", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmRequest))]
    public sealed class StopPmRequestCommand : PmThrottledCmdlet
    {
        /// <summary>The ids of the requests to cancel (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ById", ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = System.Array.Empty<long>();

        /// <summary>Request ids from the RequestId property of piped objects (requests, tasks, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByRequestId", ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
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

                NowOrAfterInput(() => Cancel(id));
            }
        }

        private void Cancel(long requestId)
        {
            var passThru = PassThru.IsPresent;
            Enqueue(
                requestId,
                async ct =>
                {
                    // A finished request stays as it is: canceling a Completed one would rewrite its history.
                    var current = await Api.GetRequestAsync(requestId, false, ct).ConfigureAwait(false);
                    if (current.Status == PmRequestStatus.Completed || current.Status == PmRequestStatus.Canceled)
                    {
                        return new Outcome(current, null);
                    }

                    await Api.CancelRequestAsync(requestId, ct).ConfigureAwait(false);
                    return new Outcome(null, passThru ? await Api.GetRequestAsync(requestId, false, ct).ConfigureAwait(false) : null);
                },
                outcome =>
                {
                    if (outcome.Finished != null)
                    {
                        WriteWarning($"Request {requestId} is already {outcome.Finished.Status}; it was not canceled.");
                        return;
                    }

                    WriteVerbose($"Request {requestId} canceled.");
                    if (outcome.Canceled != null)
                    {
                        WriteObject(outcome.Canceled);
                    }
                },
                ex => WriteError(ErrorRecordFor(ex, requestId)));
        }

        private sealed class Outcome
        {
            public Outcome(PmRequest? finished, PmRequest? canceled)
            {
                Finished = finished;
                Canceled = canceled;
            }

            /// <summary>The request as read when it had already finished (nothing was sent).</summary>
            public PmRequest? Finished { get; }

            /// <summary>The canceled request read back (-PassThru).</summary>
            public PmRequest? Canceled { get; }
        }
    }
}
