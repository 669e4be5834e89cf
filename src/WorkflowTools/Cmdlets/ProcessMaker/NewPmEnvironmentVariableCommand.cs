using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Creates a ProcessMaker environment variable.</summary>
    /// <remarks>
    /// New-PmEnvironmentVariable creates a variable from -Name (a letter, then letters, digits, _ or $), -Description
    /// (ProcessMaker requires one) and -Value, a SecureString or a string. The value is sent once and never shown:
    /// not in -Verbose or -Debug output, not in errors, not on the object written (ProcessMaker never returns it).
    /// ProcessMaker trims the value, and stores an empty one as nothing. A name already taken is a Validation error
    /// naming the field. Not sent twice when the answer is lost: look with Get-PmEnvironmentVariable first. Needs the
    /// permission create-environment_variables.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "PmEnvironmentVariable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(PmEnvironmentVariable))]
    public sealed class NewPmEnvironmentVariableCommand : PmEnvironmentCmdlet
    {
        /// <summary>The variable's name: a letter, then letters, digits, _ or $ (as scripts refer to it).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^[a-zA-Z][a-zA-Z_$0-9]*$")]
        public string Name { get; set; } = string.Empty;

        /// <summary>The value: a SecureString (Read-Host -AsSecureString, Get-Secret) or a string. Never written anywhere.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [SecretValueTransformation]
        public SecureString Value { get; set; } = new SecureString();

        /// <summary>What the variable is for (ProcessMaker requires a description).</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Description { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            if (!ShouldProcess($"environment variable {Name}", "Create"))
            {
                return;
            }

            var name = Name;
            var description = Description;
            var value = Value;
            try
            {
                WriteObject(Run(ct => Variables.CreateAsync(name, description, value, ct)));
            }
            catch (ApiException ex)
            {
                WriteError(ErrorRecordFor(ex, name));
            }
        }
    }
}
