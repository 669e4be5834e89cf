using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Takes users, or groups, out of a ProcessMaker group.</summary>
    /// <remarks>
    /// Remove-PmGroupMember takes each user (-UserId) or group (-MemberGroupId) out of the group -GroupId: it finds the
    /// membership in the group's member list (which needs view-groups) and deletes it (DELETE /group_members/{id},
    /// which needs edit-groups). The user or group itself stays. A member that is not in the group is left alone with a
    /// warning. Rows of Get-PmGroupMember pipe in (`Get-PmGroupMember -UserId 12 | Remove-PmGroupMember` takes user 12
    /// out of every group); piped rows are collected first and removed once the input has ended, since removing changes
    /// the listing being read. It asks for confirmation (high impact) unless -Confirm:$false or -Force. -PassThru
    /// writes each membership removed.
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "PmGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PmGroupMember))]
    public sealed class RemovePmGroupMemberCommand : PmGroupMemberCmdlet
    {
        /// <summary>Remove without asking for confirmation (for scheduled scripts); -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var members = Members();
            if (members == null)
            {
                return;
            }

            var groupId = GroupId;
            foreach (var (type, id) in members)
            {
                if (!Forced.ShouldProcess(this, Force, $"group {GroupId.ToString(CultureInfo.InvariantCulture)}", $"Remove {Describe(type, id)}"))
                {
                    continue;
                }

                NowOrAfterInput(() => Remove(groupId, type, id));
            }
        }

        private void Remove(long groupId, PmMemberType type, long id)
        {
            var what = Describe(type, id);
            var passThru = PassThru.IsPresent;
            Enqueue(
                what,
                async ct => await Api.RemoveGroupMemberAsync(groupId, id, type, ct).ConfigureAwait(false),
                removed =>
                {
                    if (removed == null)
                    {
                        WriteWarning($"{what} is not a member of group {groupId}; nothing was removed.");
                        return;
                    }

                    WriteVerbose($"{what} removed from group {groupId}.");
                    if (passThru)
                    {
                        WriteObject(removed);
                    }
                },
                ex => WriteError(ErrorRecordFor(ex, id)));
        }
    }
}
