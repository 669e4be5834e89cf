using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Restores archived ProcessMaker processes.</summary>
    /// <remarks>
    /// Restore-PmProcess makes each archived process active again (PUT /processes/{id}/restore) and writes it. Processes
    /// bind from the Id of piped rows, so `Get-PmProcess -Archived | Restore-PmProcess` restores them all; a piped
    /// request or task is refused. -WhatIf shows what would be restored. ProcessMaker answers an unknown id with a server
    /// error (500), reported as such. Needs the permission archive-processes.
    /// </remarks>
    [Cmdlet(VerbsData.Restore, "PmProcess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmProcess))]
    public sealed class RestorePmProcessCommand : PmCmdlet
    {
        /// <summary>The processes to restore (binds from the Id of piped processes).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(PmProcessIdCompleter))]
        public long[] Id { get; set; } = System.Array.Empty<long>();

        /// <summary>The piped object itself, bound from the pipeline: -Id comes from its Id property, and a piped request or task (Get-PmRequest or Get-PmTask output, or a CSV row of one, which has a RequestId), whose Id is not a process id, is refused with the error WorkflowTools.RequestNotProcess.</summary>
        [Parameter(ValueFromPipeline = true)]
        [PipedRow("Id", "RequestId")]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                if (PipedProcess.RefuseRequest(this, InputObject, id) || !ShouldProcess($"process {id.ToString(CultureInfo.InvariantCulture)}", "Restore"))
                {
                    continue;
                }

                try
                {
                    WriteObject(Run(ct => new PmProcessPackageClient(Api).RestoreAsync(id, ct)));
                }
                catch (ApiException ex)
                {
                    WriteError(ErrorRecordFor(ex, id));
                }
            }
        }
    }
}
