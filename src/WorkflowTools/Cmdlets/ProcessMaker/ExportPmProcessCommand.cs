using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Exports a ProcessMaker process as a package file.</summary>
    /// <remarks>
    /// Export-PmProcess asks ProcessMaker for the process's export package (version 2, the format ProcessMaker's own
    /// Export button writes, with the process's screens and scripts) and streams it to -Path, through a temporary
    /// file that takes the name only once complete and checked to be a package. Import-PmProcess reads it on another
    /// server. An existing file is kept unless -Force. Processes bind from the Id of piped Get-PmProcess rows.
    /// With -Password the package is encrypted by ProcessMaker (the file says "encrypted": true) and Import-PmProcess
    /// needs the same password; the password is sent only in the request's body and never written to any stream,
    /// message, object or log. Writes the file's FileInfo. Needs the permission export-processes.
    /// </remarks>
    [Cmdlet(VerbsData.Export, "PmProcess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportPmProcessCommand : PmCmdlet
    {
        /// <summary>The process to export (binds from the Id of piped processes).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(PmProcessIdCompleter))]
        public long Id { get; set; }

        /// <summary>The package file to write (a .json file).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Protect the package with this password (a SecureString, Read-Host -AsSecureString): ProcessMaker encrypts it, and importing it needs the same password. Not empty, and not the single character 0, which ProcessMaker takes as no password.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Password { get; set; }

        /// <summary>Overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The piped object itself, bound from the pipeline: -Id comes from its Id property, and a piped request or task (Get-PmRequest or Get-PmTask output, or a CSV row of one, which has a RequestId), whose Id is not a process id, is refused with the error WorkflowTools.RequestNotProcess.</summary>
        [Parameter(ValueFromPipeline = true)]
        [PipedRow("Id", "RequestId")]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            if (PipedProcess.RefuseRequest(this, InputObject, Id))
            {
                return;
            }

            var target = GetUnresolvedProviderPathFromPSPath(Path);
            var label = $"process {Id.ToString(CultureInfo.InvariantCulture)}";
            if (File.Exists(target) && !Force)
            {
                WriteError(new ErrorRecord(new IOException($"'{target}' exists; {label} was not exported. Use -Force to overwrite it."), "WorkflowTools.FileExists", ErrorCategory.ResourceExists, Id));
                return;
            }

            if (!ShouldProcess(target, $"Export {label}"))
            {
                return;
            }

            var (id, force, password) = (Id, Force.IsPresent, Password);
            try
            {
                var bytes = Run(ct => new PmProcessPackageClient(Api).ExportAsync(id, target, force, password, ct));
                WriteVerbose($"Exported {label} to {target} ({bytes} bytes{(password != null ? ", password-protected" : string.Empty)}).");
                WriteObject(new FileInfo(target));
            }
            catch (ApiException ex)
            {
                WriteError(ErrorRecordFor(ex, id));
            }
            catch (IOException ex)
            {
                WriteError(new ErrorRecord(ex, "WorkflowTools.FileExists", ErrorCategory.ResourceExists, id));
            }
        }
    }

    /// <summary>Refuses a piped request or task where a process is expected (their Id is not a process id).</summary>
    internal static class PipedProcess
    {
        /// <summary>
        /// Whether the piped row is a request or a task: a <see cref="PmRequest"/> or <see cref="PmTask"/> by its type,
        /// a CSV row of one by its RequestId column, which no process row has.
        /// </summary>
        public static bool IsRequestOrTask(PSObject? row) =>
            row?.BaseObject is PmRequest || row?.BaseObject is PmTask || PipedRow.Has(row, nameof(PmTask.RequestId));

        /// <summary>Writes the error for a piped request or task, and says whether it did (then nothing is sent for it).</summary>
        public static bool RefuseRequest(PSCmdlet cmdlet, PSObject? row, long id)
        {
            if (!IsRequestOrTask(row))
            {
                return false;
            }

            cmdlet.WriteError(ErrorRecords.InvalidArgument(
                $"{cmdlet.MyInvocation.MyCommand.Name} acts on processes, and a request or task was piped (its Id {id.ToString(CultureInfo.InvariantCulture)} is not a process id), so nothing was sent for it. Pipe Get-PmProcess output, or give -Id the request's ProcessId.",
                id,
                "WorkflowTools.RequestNotProcess"));
            return true;
        }
    }
}
