using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Imports a ProcessMaker process package, and writes the process.</summary>
    /// <remarks>
    /// Import-PmProcess uploads a version 2 package (Export-PmProcess, or ProcessMaker's Export button without a
    /// password) to import/do-import, waits until the process answers, and writes it. The file is checked first: a file
    /// that is not a process package, a version 1 package or a password-protected one is an InvalidInput error and
    /// nothing is sent. -Mode Update (ProcessMaker's default) updates the process this server already has from the same
    /// package, keeping its id, or creates it when there is none (the usual case when promoting from a test server);
    /// -Mode Copy always creates a new process. An import is never sent twice: when the answer is lost, look with
    /// Get-PmProcess first. Needs the permission import-processes. The variables the process reads are not part of
    /// the package: see Examples/PromoteProcess.ps1 for a promotion that checks them.
    /// </remarks>
    [Cmdlet(VerbsData.Import, "PmProcess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmProcess))]
    public sealed class ImportPmProcessCommand : PmCmdlet
    {
        /// <summary>The package file (binds from the FullName of piped files).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Update (default: the process from the same package is updated in place, or created) or Copy (always a new process).</summary>
        [Parameter]
        [EnumArgument(typeof(PmImportMode))]
        public PmImportMode Mode { get; set; } = PmImportMode.Update;

        protected override void ProcessRecord()
        {
            string full;
            try
            {
                full = SessionState.Path.GetResolvedProviderPathFromPSPath(Path, out var provider).Single();
                if (provider.Name != "FileSystem" || !File.Exists(full))
                {
                    throw new FileNotFoundException();
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is FileNotFoundException || ex is InvalidOperationException)
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"Cannot import '{Path}': no such file.", ex), "WorkflowTools.FileNotFound", ErrorCategory.ObjectNotFound, Path));
                return;
            }

            try
            {
                var (_, name, _) = PmProcessPackageClient.ReadPackage(full, System.IO.Path.GetFileName(full));
                if (!ShouldProcess(ActiveConnection.BaseUri.ToString(), $"Import process '{name}' from {System.IO.Path.GetFileName(full)} ({Mode})"))
                {
                    return;
                }

                var mode = Mode;
                WriteObject(Run(ct => new PmProcessPackageClient(Api).ImportAsync(full, mode, ct)));
            }
            catch (ApiException ex)
            {
                WriteError(ErrorRecordFor(ex, Path));
            }
        }
    }
}
