using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Creates ProcessMaker groups.</summary>
    /// <remarks>
    /// New-PmGroup creates a group (POST /groups, which needs the create-groups permission) and writes it. The name must
    /// be unique (any case) and may hold letters, digits, spaces and - _ . ' only; a name ProcessMaker refuses is an
    /// error naming the rule. The fields bind from the pipeline by name, so `Import-Csv groups.csv | New-PmGroup`
    /// creates one group per row. A create is never sent twice after an ambiguous failure. Add members with
    /// Add-PmGroupMember.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "PmGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(PmGroup))]
    public sealed class NewPmGroupCommand : PmThrottledCmdlet
    {
        /// <summary>The group's name (unique; letters, digits, spaces and - _ . ').</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateLength(1, 255)]
        public string Name { get; set; } = string.Empty;

        /// <summary>What the group is for.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Description { get; set; }

        /// <summary>Active (the default) or Inactive.</summary>
        [Parameter]
        [EnumArgument(typeof(PmGroupStatus))]
        [ValidateSet("Active", "Inactive", IgnoreCase = true)]
        public PmGroupStatus? Status { get; set; }

        protected override void ProcessRecord()
        {
            var name = Name;
            var description = string.IsNullOrEmpty(Description) ? null : Description;
            var status = Status;
            if (!ShouldProcess($"group '{name}'", "Create"))
            {
                return;
            }

            Enqueue(name, ct => Api.CreateGroupAsync(name, description, status, ct), WriteObject, ex => WriteError(ErrorRecordFor(ex, name)));
        }
    }
}
