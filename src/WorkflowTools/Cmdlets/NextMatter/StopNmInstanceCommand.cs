using System.Management.Automation;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Aborts running Next Matter instances, in bulk.</summary>
    /// <remarks>
    /// Collects the instance ids that reach it (from -Id or the pipeline, e.g. the output of Get-NmInstance), asks
    /// ShouldProcess for each, and, once the input has ended, aborts them with Next Matter's bulk abort (POST
    /// instances/bulk/abort), up to -BatchSize ids per request. Waiting for the end of the input keeps a listing
    /// that is filtered on the status (Get-NmInstance -Status Running) from shifting under its own paging. When Next
    /// Matter refuses a batch because of an id in it (unknown, not yours), the batch is sent again in halves until
    /// the refused id stands alone, so the others are still aborted and the refused one is reported as an error
    /// with its id as the target.
    /// Completed and aborted instances stay as they are. -WhatIf sends nothing.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Stop, "NmInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NmBulkResult))]
    public sealed class StopNmInstanceCommand : NmBulkInstanceCmdlet
    {
        internal override NmBulkOperation Operation => NmBulkOperation.Abort;

        internal override bool Confirm(string target) => ShouldProcess(target, "Abort");
    }
}
