using System.Management.Automation;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Changes a ProcessMaker environment variable: its value, description or name.</summary>
    /// <remarks>
    /// Set-PmEnvironmentVariable changes the variable given by -Id or -Name (piped Get-PmEnvironmentVariable rows
    /// bind by Id). ProcessMaker wants the name and the description in every change, so what you do not give is
    /// read from the variable first. -Value (SecureString or string) replaces the value; without it the value stays.
    /// The value is never shown anywhere. -NewName renames. -PassThru writes the changed variable. Needs the
    /// permission edit-environment_variables.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "PmEnvironmentVariable", DefaultParameterSetName = "ByName", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmEnvironmentVariable))]
    public sealed class SetPmEnvironmentVariableCommand : PmEnvironmentCmdlet
    {
        /// <summary>The variable's id (binds from piped variables).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long Id { get; set; }

        /// <summary>The variable's name.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The new value: a SecureString or a string. Never written anywhere.</summary>
        [Parameter(Position = 1)]
        [SecretValueTransformation]
        public SecureString? Value { get; set; }

        /// <summary>A new description.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Description { get; set; }

        /// <summary>A new name.</summary>
        [Parameter]
        [ValidatePattern("^[a-zA-Z][a-zA-Z_$0-9]*$")]
        public string? NewName { get; set; }

        /// <summary>Write the changed variable.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (Value == null && Description == null && NewName == null)
            {
                WriteError(ErrorRecords.InvalidArgument("Give -Value, -Description or -NewName: there is nothing to change.", ParameterSetName == "ById" ? (object)Id : Name));
                return;
            }

            if (!ShouldProcess(Target(Id, Name), Value != null ? "Change (the value too)" : "Change"))
            {
                return;
            }

            var (value, description, newName) = (Value, Description, NewName);
            Change(
                Id,
                Name,
                async (id, ct) =>
                {
                    var current = await Variables.GetAsync(id, ct).ConfigureAwait(false);
                    return await Variables.UpdateAsync(id, newName ?? current.Name ?? string.Empty, description ?? current.Description ?? string.Empty, value, ct).ConfigureAwait(false);
                },
                changed => $"Environment variable {changed.Name} changed{(value != null ? " (its value too)" : string.Empty)}.",
                PassThru);
        }
    }
}
