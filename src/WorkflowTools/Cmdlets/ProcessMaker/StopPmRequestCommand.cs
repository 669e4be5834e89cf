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
    /// the pipeline (the RequestId or Id property), so `Get-PmRequest -Status InProgress -Pmql '...' |
    /// Stop-PmRequest` cancels what a query found. Use -WhatIf to see what would be canceled without sending
    /// anything, and -Confirm to be asked for each. ProcessMaker lets only users with the process's cancel
    /// permission do this; a refusal is a PermissionDenied error for that request and the rest go on.
    /// -PassThru reads each request back after canceling it.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Stop, "PmRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmRequest))]
    public sealed class StopPmRequestCommand : PmCmdlet
    {
        /// <summary>The requests to cancel (also -Id; from the pipeline a RequestId property wins over Id, so piped tasks cancel their request).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateRange(1, long.MaxValue)]
        public long[] RequestId { get; set; } = System.Array.Empty<long>();

        /// <summary>Write each canceled request (read back from the server).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in RequestId)
            {
                if (!ShouldProcess($"request {id.ToString(CultureInfo.InvariantCulture)}", "Cancel"))
                {
                    continue;
                }

                try
                {
                    Run(async ct =>
                    {
                        await Api.CancelRequestAsync(id, ct).ConfigureAwait(false);
                        return true;
                    });
                    WriteVerbose($"Request {id} canceled.");
                    if (PassThru)
                    {
                        WriteObject(Run(ct => Api.GetRequestAsync(id, false, ct)));
                    }
                }
                catch (ApiException ex)
                {
                    WriteError(PmErrors.From(ex, id));
                }
            }
        }
    }
}
