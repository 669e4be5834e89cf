using System;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Renames ProcessMaker groups, changes their description or status.</summary>
    /// <remarks>
    /// Set-PmGroup changes the fields it is given and keeps the others (PUT /groups/{id}, which needs the edit-groups
    /// permission; the current group is read first, since ProcessMaker wants the name every time). Groups come by -Id or
    /// from the pipeline (the GroupId of groups, group members, CSV rows); piped groups are collected first and changed
    /// once the input has ended, so `Get-PmGroup -Status Active | Set-PmGroup -Status Inactive` changes every group the
    /// listing found. Members are changed with Add-PmGroupMember and Remove-PmGroupMember. It writes nothing unless
    /// -PassThru asks for each group as read back.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "PmGroup", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmGroup))]
    public sealed class SetPmGroupCommand : PmThrottledCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ByGroupIdSet = "ByGroupId";
        /// <summary>The groups to change (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The groups to change, from the GroupId property of piped objects.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByGroupIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] GroupId { get; set; } = Array.Empty<long>();

        /// <summary>A new name (unique; letters, digits, spaces and - _ . ').</summary>
        [Parameter]
        [ValidateLength(1, 255)]
        public string? NewName { get; set; }

        /// <summary>A new description.</summary>
        [Parameter]
        public string? Description { get; set; }

        /// <summary>Active or Inactive.</summary>
        [Parameter]
        [EnumArgument(typeof(PmGroupStatus))]
        [ValidateSet("Active", "Inactive", IgnoreCase = true)]
        public PmGroupStatus? Status { get; set; }

        /// <summary>Write each changed group (read back from the server).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in ParameterSetName == ByIdSet ? Id : GroupId)
            {
                if (!ShouldProcess($"group {id.ToString(CultureInfo.InvariantCulture)}", "Set"))
                {
                    continue;
                }

                NowOrAfterInput(() => Change(id));
            }
        }

        private void Change(long id)
        {
            var name = NewName;
            var description = Description;
            var status = Status;
            var passThru = PassThru.IsPresent;
            Enqueue(
                id,
                async ct =>
                {
                    await Api.UpdateGroupAsync(id, name, description, status, ct).ConfigureAwait(false);
                    return passThru ? await Api.GetGroupAsync(id, ct).ConfigureAwait(false) : null;
                },
                group =>
                {
                    WriteVerbose($"Group {id} changed.");
                    if (group != null)
                    {
                        WriteObject(group);
                    }
                },
                ex => WriteError(ErrorRecordFor(ex, id)));
        }
    }
}
