using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Attaches a file to a ProcessMaker request.</summary>
    /// <remarks>
    /// Add-PmRequestFile uploads the file at -Path to the request (a multipart upload, streamed from disk: memory
    /// stays small whatever the file's size) and writes the new file's row. -DataName names the request variable the
    /// file belongs to (ProcessMaker's default is the file's name); an earlier file of the request with the same data
    /// name is replaced, as ProcessMaker does. ProcessMaker refuses files above its upload limit (256 MB unless the
    /// server sets MEDIA_MAX_FILE_SIZE) with a Validation error, and a PDF that contains JavaScript. An upload is never
    /// sent twice: when the answer is lost, look with Get-PmRequestFile before you try again. Requests bind from the
    /// RequestId property of piped objects. Uploading needs you to be the requester, a participant or an administrator.
    /// </remarks>
    [Cmdlet(VerbsCommon.Add, "PmRequestFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(PmRequestFile))]
    public sealed class AddPmRequestFileCommand : PmCmdlet
    {
        /// <summary>The request to attach the file to (binds from the RequestId property of piped objects).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long RequestId { get; set; }

        /// <summary>The file to upload.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The request variable the file belongs to (default: the file's name, as ProcessMaker does).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DataName { get; set; }

        protected override void ProcessRecord()
        {
            string full;
            try
            {
                full = SessionState.Path.GetResolvedProviderPathFromPSPath(Path, out var provider).Single();
                if (provider.Name != "FileSystem" || !File.Exists(full))
                {
                    throw new FileNotFoundException($"'{Path}' is not a file.");
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is FileNotFoundException || ex is InvalidOperationException)
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"Cannot upload '{Path}': no such file.", ex), "WorkflowTools.FileNotFound", ErrorCategory.ObjectNotFound, Path));
                return;
            }

            var requestId = RequestId;
            var dataName = DataName;
            if (!ShouldProcess($"request {requestId}", $"Attach {System.IO.Path.GetFileName(full)} ({new FileInfo(full).Length} bytes){(dataName == null ? string.Empty : " as " + dataName)}"))
            {
                return;
            }

            var client = new PmRequestFileClient(Api);
            try
            {
                var added = Run(async ct =>
                {
                    var id = await client.UploadAsync(requestId, full, dataName, ct).ConfigureAwait(false);
                    var files = await client.ListAsync(requestId, ct).ConfigureAwait(false);
                    return files.FirstOrDefault(f => f.Id == id) ?? new PmRequestFile { Id = id, RequestId = requestId, Name = System.IO.Path.GetFileName(full), DataName = dataName };
                });
                WriteObject(added);
            }
            catch (ApiException ex)
            {
                WriteError(ErrorRecordFor(ex, requestId));
            }
        }
    }
}
