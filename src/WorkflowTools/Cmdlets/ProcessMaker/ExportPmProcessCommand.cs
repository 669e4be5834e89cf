using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
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
    /// Writes the file's FileInfo. Needs the permission export-processes.
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

        /// <summary>Overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Bound only from the RequestId of a piped request or task: its Id is not a process id, so nothing is exported for it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public object? RequestId { get; set; }

        protected override void ProcessRecord()
        {
            if (PipedProcess.RefuseRequest(this, RequestId, Id))
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

            var (id, force) = (Id, Force.IsPresent);
            try
            {
                var bytes = Run(ct => new PmProcessPackageClient(Api).ExportAsync(id, target, force, ct));
                WriteVerbose($"Exported {label} to {target} ({bytes} bytes).");
                WriteObject(new FileInfo(target));
            }
            catch (ApiException ex)
            {
                WriteError(PmErrors.From(ex, id));
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
        public static bool RefuseRequest(PSCmdlet cmdlet, object? requestId, long id)
        {
            if (requestId == null)
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
