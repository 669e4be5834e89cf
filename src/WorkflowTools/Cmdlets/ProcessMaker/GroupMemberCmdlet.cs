using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>
    /// The parameters Add-PmGroupMember and Remove-PmGroupMember share: a group, and users or groups as members. The
    /// members bind from piped objects by property name (UserId of users and group members, MemberGroupId of group
    /// members); a group-member row has only one of the two, so neither is validated by PowerShell: ProcessRecord
    /// checks that the item names at least one member, before any request.
    /// </summary>
    public abstract class PmGroupMemberCmdlet : PmThrottledCmdlet
    {
        /// <summary>The group (binds from the GroupId of piped groups and group members when not given).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long GroupId { get; set; }

        /// <summary>Users to add or remove (binds from the UserId of piped users, group members and CSV rows).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[]? UserId { get; set; }

        /// <summary>Groups to add or remove as members of the group (nested groups; binds from the MemberGroupId of piped group members).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[]? MemberGroupId { get; set; }

        /// <summary>Write each membership (PmGroupMember) the command added or removed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>This item's members, or null after writing an error (bad input fails before any request).</summary>
        private protected List<(PmMemberType Type, long Id)>? Members()
        {
            var members = (UserId ?? Array.Empty<long>()).Select(id => (PmMemberType.User, id))
                .Concat((MemberGroupId ?? Array.Empty<long>()).Select(id => (PmMemberType.Group, id))).Distinct().ToList();
            if (members.Count == 0)
            {
                WriteError(ErrorRecords.InvalidArgument($"Name the members of group {GroupId.ToString(CultureInfo.InvariantCulture)} with -UserId or -MemberGroupId (or pipe users or group members in).", GroupId));
                return null;
            }

            foreach (var (type, id) in members)
            {
                if (id <= 0)
                {
                    WriteError(ErrorRecords.InvalidArgument($"{id} is not a {(type == PmMemberType.User ? "user" : "group")} id: ids are positive numbers.", id));
                    return null;
                }
            }

            if (members.Any(m => m.Item1 == PmMemberType.Group && m.Item2 == GroupId))
            {
                WriteError(ErrorRecords.InvalidArgument($"Group {GroupId.ToString(CultureInfo.InvariantCulture)} cannot be a member of itself.", GroupId));
                return null;
            }

            return members;
        }

        private protected static string Describe(PmMemberType type, long id) =>
            $"{(type == PmMemberType.User ? "user" : "group")} {id.ToString(CultureInfo.InvariantCulture)}";
    }
}
