using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Deletes files attached to ProcessMaker requests.</summary>
    /// <remarks>
    /// Remove-PmRequestFile deletes each file given by -RequestId and -FileId, or piped from Get-PmRequestFile (whose
    /// rows carry both). A piped request is never taken for a file: only a FileId property binds. A deleted file
    /// cannot be brought back, so it asks for confirmation (ConfirmImpact High): -Force or -Confirm:$false skips that
    /// in a scheduled script, and -WhatIf shows what would go. -PassThru writes each deleted file's row. A file id
    /// ProcessMaker does not know is an error (ProcessMaker answers 400 for it, 404 for another request's file).
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "PmRequestFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PmRequestFile))]
    public sealed class RemovePmRequestFileCommand : PmCmdlet
    {
        /// <summary>The request the file belongs to (binds from piped file rows).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long RequestId { get; set; }

        /// <summary>The file's id (binds from the FileId property of piped Get-PmRequestFile rows).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long FileId { get; set; }

        /// <summary>Delete without asking for confirmation (for scheduled scripts); -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each deleted file's row (as it was).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var (requestId, fileId) = (RequestId, FileId);
            var target = $"file {fileId.ToString(CultureInfo.InvariantCulture)} of request {requestId.ToString(CultureInfo.InvariantCulture)}";
            if (!Forced.ShouldProcess(this, Force, target, "Delete"))
            {
                return;
            }

            var client = new PmRequestFileClient(Api);
            try
            {
                var removed = Run(async ct =>
                {
                    PmRequestFile? row = null;
                    if (PassThru)
                    {
                        foreach (var file in await client.ListAsync(requestId, ct).ConfigureAwait(false))
                        {
                            row = file.Id == fileId ? file : row;
                        }
                    }

                    await client.DeleteAsync(requestId, fileId, ct).ConfigureAwait(false);
                    return row;
                });
                WriteVerbose($"Deleted {target}.");
                if (removed != null)
                {
                    WriteObject(removed);
                }
            }
            catch (ApiException ex)
            {
                WriteError(ErrorRecordFor(ex, target));
            }
        }
    }
}
