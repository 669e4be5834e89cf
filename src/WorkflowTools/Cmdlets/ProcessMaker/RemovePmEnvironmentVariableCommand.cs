using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Deletes ProcessMaker environment variables.</summary>
    /// <remarks>
    /// Remove-PmEnvironmentVariable deletes the variables given by -Name or -Id (piped Get-PmEnvironmentVariable rows
    /// bind by Id). Scripts that read a deleted variable get nothing, so it asks for confirmation (ConfirmImpact
    /// High): -Confirm:$false or -Force skips that in a scheduled script; -WhatIf shows what would go. -PassThru
    /// writes each deleted variable as it was. Needs the permission delete-environment_variables.
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "PmEnvironmentVariable", DefaultParameterSetName = "ByName", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PmEnvironmentVariable))]
    public sealed class RemovePmEnvironmentVariableCommand : PmEnvironmentCmdlet
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

        /// <summary>Delete without asking for confirmation (for scheduled scripts); -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each deleted variable (as it was).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!Forced.ShouldProcess(this, Force, Target(Id, Name), "Delete"))
            {
                return;
            }

            Change(
                Id,
                Name,
                async (id, ct) =>
                {
                    var current = await Variables.GetAsync(id, ct).ConfigureAwait(false);
                    await Variables.DeleteAsync(id, ct).ConfigureAwait(false);
                    return current;
                },
                removed => $"Environment variable {removed.Name} deleted.",
                PassThru);
        }
    }
}
