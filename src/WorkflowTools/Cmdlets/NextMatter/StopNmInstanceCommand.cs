using System;
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
    /// Completed and aborted instances stay as they are: a piped instance whose Status is Completed or Aborted is not
    /// sent, with a warning that says so (Next Matter itself would answer as if it had aborted it). A bare id is sent
    /// as it is. -WhatIf sends nothing.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Stop, "NmInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NmBulkResult))]
    public sealed class StopNmInstanceCommand : NmBulkInstanceCmdlet
    {
        internal override NmBulkOperation Operation => NmBulkOperation.Abort;

        /// <summary>The Status of a piped instance or CSV row; a finished one is not sent.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public object? Status { get; set; }

        internal override bool Confirm(string target)
        {
            var status = Status is PSObject pso ? pso.BaseObject : Status;
            if (status is NmInstanceStatus known ? known == NmInstanceStatus.Completed || known == NmInstanceStatus.Aborted
                : status is string text && Enum.TryParse(text.Trim(), true, out NmInstanceStatus parsed) && (parsed == NmInstanceStatus.Completed || parsed == NmInstanceStatus.Aborted))
            {
                WriteWarning($"The {target} is already {status}; it was not aborted.");
                return false;
            }

            return ShouldProcess(target, "Abort");
        }
    }
}
