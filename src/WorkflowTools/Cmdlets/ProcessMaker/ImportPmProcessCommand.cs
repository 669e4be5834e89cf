using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Imports a ProcessMaker process package, and writes the process.</summary>
    /// <remarks>
    /// Import-PmProcess uploads a version 2 package (Export-PmProcess, or ProcessMaker's Export button) to
    /// import/do-import, waits until the process answers, and writes it. The file is checked first: a file that is not
    /// a process package or a version 1 package is an InvalidInput error, and a password-protected package ("encrypted":
    /// true) without -Password is the error WorkflowTools.PasswordRequired; nothing is sent for either. A password that
    /// does not open the package is the error WorkflowTools.IncorrectPassword and nothing is imported. The password is
    /// sent only for an encrypted package, only in the upload's body, and never written to any stream, message, object
    /// or log. -Mode Update (ProcessMaker's default) updates the process this server already has from the same
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

        /// <summary>The password the package was exported with (Export-PmProcess -Password, or ProcessMaker's Export with a password), as a SecureString. Needed for a password-protected package; not sent for any other.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Password { get; set; }

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
                var (_, name, encrypted) = PmProcessPackageClient.ReadPackage(full, System.IO.Path.GetFileName(full));
                if (encrypted && Password == null)
                {
                    throw PmProcessPackageClient.PasswordRequired(System.IO.Path.GetFileName(full));
                }

                if (!encrypted && Password != null)
                {
                    WriteVerbose($"{System.IO.Path.GetFileName(full)} is not password-protected; -Password is not sent.");
                }

                if (!ShouldProcess(ActiveConnection.BaseUri.ToString(), $"Import process '{name}' from {System.IO.Path.GetFileName(full)} ({Mode})"))
                {
                    return;
                }

                var (mode, password) = (Mode, Password);
                WriteObject(Run(ct => new PmProcessPackageClient(Api).ImportAsync(full, mode, password, ct)));
            }
            catch (ApiException ex)
            {
                var errorId = PasswordErrorId(ex);
                var record = ErrorRecordFor(ex, Path, errorId);
                if (errorId != null)
                {
                    const string advice = "Pass -Password with the password the package was exported with, e.g. -Password (Read-Host -AsSecureString 'Package password').";
                    record.ErrorDetails = new ErrorDetails(ex.Message + " " + advice) { RecommendedAction = advice };
                }

                WriteError(record);
            }
        }

        /// <summary>The stable ErrorId of a password problem (none given for an encrypted package, or one that does not open it), or null.</summary>
        private static string? PasswordErrorId(ApiException ex)
        {
            switch (PmProcessPackageClient.PasswordProblemOf(ex))
            {
                case PmPackagePasswordProblem.Required: return "WorkflowTools.PasswordRequired";
                case PmPackagePasswordProblem.Incorrect: return "WorkflowTools.IncorrectPassword";
                default: return null;
            }
        }
    }
}
