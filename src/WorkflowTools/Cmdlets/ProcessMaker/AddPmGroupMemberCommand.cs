using System.Globalization;
using System.Management.Automation;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Adds users, or groups, to a ProcessMaker group.</summary>
    /// <remarks>
    /// Add-PmGroupMember puts each user (-UserId) or group (-MemberGroupId, a nested group: its users then hold the
    /// outer group's permissions too) into the group -GroupId (POST /group_members, which needs the edit-groups
    /// permission). Pipe users in: `Get-PmUser -Filter '@example.com' | Add-PmGroupMember -GroupId 3`. A member that is
    /// already in the group is left as it is, with a verbose message (ProcessMaker answers the same as for a new one).
    /// An unknown group or member is a NotFound error. -ThrottleLimit adds several at a time. It writes nothing unless
    /// -PassThru asks for each new membership.
    /// </remarks>
    [Cmdlet(VerbsCommon.Add, "PmGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmGroupMember))]
    public sealed class AddPmGroupMemberCommand : PmGroupMemberCmdlet
    {
        protected override void ProcessRecord()
        {
            var members = Members();
            if (members == null)
            {
                return;
            }

            var groupId = GroupId;
            var passThru = PassThru.IsPresent;
            foreach (var (type, id) in members)
            {
                var what = Describe(type, id);
                if (!ShouldProcess($"group {groupId.ToString(CultureInfo.InvariantCulture)}", $"Add {what}"))
                {
                    continue;
                }

                Enqueue(
                    what,
                    ct => Api.AddGroupMemberAsync(groupId, id, type, passThru, ct),
                    row =>
                    {
                        if (row == null)
                        {
                            WriteVerbose($"{what} is already in group {groupId}; nothing changed.");
                            return;
                        }

                        WriteVerbose($"{what} added to group {groupId}.");
                        if (passThru)
                        {
                            WriteObject(row);
                        }
                    },
                    ex => WriteError(ErrorRecordFor(ex, id)));
            }
        }
    }
}
