using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Downloads files attached to ProcessMaker requests.</summary>
    /// <remarks>
    /// Save-PmRequestFile downloads each file given by -RequestId and -FileId, or piped from Get-PmRequestFile, to
    /// -Destination: a folder (one that exists, or a path ending in a separator, which is created), where each file
    /// keeps its name, or a file name for a single file. The download streams to disk (memory stays small whatever
    /// the size) into a temporary file that takes the real name only once complete. A name the server sends is only
    /// a name: any folder part, "..", or a character a file system refuses is removed, so nothing is written outside
    /// the destination folder; two files with the same name in one run are told apart by their id. An existing file
    /// is not overwritten unless -Force; that is a WorkflowTools.FileExists error for it, and the others go on. Writes
    /// the FileInfo of each file saved. -WhatIf shows where each would go.
    /// </remarks>
    [Cmdlet(VerbsData.Save, "PmRequestFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SavePmRequestFileCommand : PmCmdlet
    {
        /// <summary>The request the file belongs to (binds from piped file rows).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long RequestId { get; set; }

        /// <summary>The file's id (binds from the FileId property of piped Get-PmRequestFile rows).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long FileId { get; set; }

        /// <summary>The piped object itself, bound from the pipeline: -RequestId and -FileId come from its properties, and the Name of a piped file row (Get-PmRequestFile output) is the file's name as the server gave it, which saves a listing call.</summary>
        [Parameter(ValueFromPipeline = true)]
        [PipedRow("RequestId", "FileId", "Name")]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public PSObject? InputObject { get; set; }

        /// <summary>A folder (existing, or ending in a separator to be created) or, for one file, a file name.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = string.Empty;

        /// <summary>Overwrite files that already exist.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private string _target = string.Empty;
        private bool _isFolder;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _target = GetUnresolvedProviderPathFromPSPath(Destination);
            var endsInSeparator = Destination.EndsWith("/", StringComparison.Ordinal) || Destination.EndsWith("\\", StringComparison.Ordinal);
            _isFolder = Directory.Exists(_target) || endsInSeparator;
            var parent = _isFolder ? null : System.IO.Path.GetDirectoryName(_target);
            if (!_isFolder && !string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
            {
                ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException($"The folder of '{Destination}' does not exist. Give an existing folder, a path ending in a separator (to create it), or a file name in an existing folder."), "WorkflowTools.FolderNotFound", ErrorCategory.ObjectNotFound, Destination));
            }
        }

        protected override void ProcessRecord()
        {
            var piped = PipedRow.Value(InputObject, "Name");
            var (requestId, fileId, name) = (RequestId, FileId, piped == null ? null : LanguagePrimitives.ConvertTo<string>(piped));
            var label = $"file {fileId.ToString(CultureInfo.InvariantCulture)} of request {requestId.ToString(CultureInfo.InvariantCulture)}";
            var client = new PmRequestFileClient(Api);
            try
            {
                if (name == null && _isFolder)
                {
                    name = Run(ct => client.ListAsync(requestId, ct)).FirstOrDefault(f => f.Id == fileId)?.Name;
                }

                var path = PathFor(fileId, name);
                if (path == null)
                {
                    WriteError(new ErrorRecord(new IOException($"'{_target}' is a file name, and this run already saved a file there; give a folder to save several files."), "WorkflowTools.FileExists", ErrorCategory.ResourceExists, label));
                    return;
                }

                if (File.Exists(path) && !Force)
                {
                    WriteError(new ErrorRecord(new IOException($"'{path}' exists; {label} was not saved. Use -Force to overwrite it."), "WorkflowTools.FileExists", ErrorCategory.ResourceExists, label));
                    return;
                }

                if (!ShouldProcess(path, $"Save {label}"))
                {
                    return;
                }

                if (_isFolder)
                {
                    Directory.CreateDirectory(_target);
                }

                var force = Force.IsPresent;
                var bytes = Run(ct => client.DownloadAsync(requestId, fileId, path, force, ct));
                _written.Add(path);
                WriteVerbose($"Saved {label} to {path} ({bytes} bytes).");
                WriteObject(new FileInfo(path));
            }
            catch (ApiException ex)
            {
                WriteError(ErrorRecordFor(ex, label));
            }
            catch (IOException ex)
            {
                WriteError(new ErrorRecord(ex, "WorkflowTools.FileExists", ErrorCategory.ResourceExists, label));
            }
            catch (UnauthorizedAccessException ex)
            {
                WriteError(new ErrorRecord(ex, "WorkflowTools.FileAccessDenied", ErrorCategory.PermissionDenied, label));
            }
        }

        /// <summary>Where this file goes: inside the folder under its cleaned name (told apart by id on a clash), or the file name given; null when a file name was already used.</summary>
        private string? PathFor(long fileId, string? serverName)
        {
            if (!_isFolder)
            {
                return _written.Contains(_target) ? null : _target;
            }

            var id = fileId.ToString(CultureInfo.InvariantCulture);
            var name = SafeFileName.From(serverName, "file-" + id);
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(_target, name));
            if (_written.Contains(path))
            {
                path = System.IO.Path.GetFullPath(System.IO.Path.Combine(_target, System.IO.Path.GetFileNameWithoutExtension(name) + " (" + id + ")" + System.IO.Path.GetExtension(name)));
            }

            // SafeFileName leaves one plain name; this is the last guard that nothing lands outside the folder.
            var folder = System.IO.Path.GetFullPath(_target).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
            if (!path.StartsWith(folder, StringComparison.Ordinal))
            {
                throw new IOException($"The server's file name '{serverName}' would leave '{_target}'; file {id} was not saved.");
            }

            return path;
        }
    }
}
