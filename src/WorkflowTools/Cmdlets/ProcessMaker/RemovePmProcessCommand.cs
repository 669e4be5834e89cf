using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Archives ProcessMaker processes (ProcessMaker's delete).</summary>
    /// <remarks>
    /// Remove-PmProcess archives each process it is given, as deleting one in ProcessMaker does (DELETE
    /// /processes/{id}: its status becomes ARCHIVED): nobody can start it any more, its requests stay, and
    /// Restore-PmProcess brings it back. Because running work depends on it, it asks for confirmation
    /// (ConfirmImpact High): -Force or -Confirm:$false skips that in a scheduled script, -WhatIf shows what would be
    /// archived. Processes bind from the Id of piped Get-PmProcess rows; a piped request or task is refused (its Id is
    /// not a process id). -PassThru writes each archived process read back. Needs the permission archive-processes.
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "PmProcess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PmProcess))]
    public sealed class RemovePmProcessCommand : PmCmdlet
    {
        /// <summary>The processes to archive (binds from the Id of piped processes).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(PmProcessIdCompleter))]
        public long[] Id { get; set; } = System.Array.Empty<long>();

        /// <summary>Archive without asking for confirmation (for scheduled scripts); -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each archived process, read back.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The piped object itself, bound from the pipeline: -Id comes from its Id property, and a piped request or task (Get-PmRequest or Get-PmTask output, or a CSV row of one, which has a RequestId), whose Id is not a process id, is refused with the error WorkflowTools.RequestNotProcess.</summary>
        [Parameter(ValueFromPipeline = true)]
        [PipedRow("Id", "RequestId")]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                if (PipedProcess.RefuseRequest(this, InputObject, id))
                {
                    continue;
                }

                var target = $"process {id.ToString(CultureInfo.InvariantCulture)}";
                if (!Forced.ShouldProcess(this, Force, target, "Archive"))
                {
                    continue;
                }

                var client = new PmProcessPackageClient(Api);
                try
                {
                    var passThru = PassThru.IsPresent;
                    var archived = Run(async ct =>
                    {
                        await client.ArchiveAsync(id, ct).ConfigureAwait(false);
                        return passThru ? await Api.GetProcessAsync(id, ct).ConfigureAwait(false) : null;
                    });
                    WriteVerbose($"Archived {target}.");
                    if (archived != null)
                    {
                        WriteObject(archived);
                    }
                }
                catch (ApiException ex)
                {
                    WriteError(ErrorRecordFor(ex, id));
                }
            }
        }
    }
}
