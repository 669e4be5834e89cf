using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Deletes Next Matter instances, in bulk.</summary>
    /// <remarks>
    /// Deletes the given instances for good with Next Matter's bulk delete (POST instances/bulk/delete), up to
    /// -BatchSize ids per request, ids collected from -Id or the pipeline and sent once the input has ended (so a
    /// listing being piped in is read whole before anything disappears from it). Deleting cannot be undone, so the cmdlet
    /// asks for confirmation of each instance unless -Force (or -Confirm:$false) is given; -WhatIf shows what would
    /// be deleted and sends nothing. When Next Matter refuses a batch because of an id in it, the batch is sent
    /// again in halves until the refused id stands alone, so the others are still deleted and the refused one is
    /// reported with its id as the target.
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "NmInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(NmBulkResult))]
    public sealed class RemoveNmInstanceCommand : NmBulkInstanceCmdlet
    {
        /// <summary>Delete without asking for confirmation (for scheduled scripts); -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        internal override NmBulkOperation Operation => NmBulkOperation.Delete;

        internal override bool Confirm(long id, string target) => Forced.ShouldProcess(this, Force, target, "Delete");
    }
}
