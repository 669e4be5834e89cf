using System;
using System.Collections.Generic;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Gets the members of ProcessMaker groups, or the groups a user or group is in.</summary>
    /// <remarks>
    /// Get-PmGroupMember -GroupId lists the users and the subgroups of each group (GET /groups/{id}/users and
    /// /groups/{id}/groups, which need the view-groups permission); -MemberType keeps only users or only groups. Pipe
    /// groups in: `Get-PmGroup | Get-PmGroupMember` answers "who is in which group" as one flat row per membership.
    /// -UserId lists the groups a user is a direct member of, -MemberGroupId those a group is in (GET /group_members).
    /// ProcessMaker shows other users' memberships only to administrators: for anyone else -UserId answers only for
    /// their own user. Nested groups are not expanded: a row is one direct membership. Each row names the group, the
    /// member and the membership's own id; rows pipe into Remove-PmGroupMember. The rows are written once all are read,
    /// with -First, -Skip and -IncludeTotalCount over all of them.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmGroupMember", DefaultParameterSetName = ByGroupSet, SupportsPaging = true)]
    [OutputType(typeof(PmGroupMember))]
    public sealed class GetPmGroupMemberCommand : PmCmdlet
    {
        private const string ByGroupSet = "ByGroup";
        private const string ByUserSet = "ByUser";
        private const string ByMemberGroupSet = "ByMemberGroup";
        private readonly List<object?> _rows = new List<object?>();

        /// <summary>The groups whose members to list (binds from the GroupId of piped groups).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByGroupSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] GroupId { get; set; } = Array.Empty<long>();

        /// <summary>Only users (User) or only subgroups (Group); both when not given.</summary>
        [Parameter(ParameterSetName = ByGroupSet)]
        [EnumArgument(typeof(PmMemberType))]
        public PmMemberType? MemberType { get; set; }

        /// <summary>List the groups this user is a direct member of.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByUserSet)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long UserId { get; set; }

        /// <summary>List the groups this group is a direct member of.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByMemberGroupSet)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long MemberGroupId { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ByGroupSet)
            {
                var type = ParameterSetName == ByUserSet ? PmMemberType.User : PmMemberType.Group;
                var id = type == PmMemberType.User ? UserId : MemberGroupId;
                try
                {
                    var (rows, me) = Run(async ct =>
                    {
                        var name = await NameOfAsync(type, id, ct).ConfigureAwait(false);
                        var found = await Api.ListMembershipsOfAsync(id, type, name, ct).ConfigureAwait(false);
                        return (found, found.Count == 0 && type == PmMemberType.User ? await Api.GetCurrentUserIdAsync(ct).ConfigureAwait(false) : null);
                    });
                    if (rows.Count == 0 && type == PmMemberType.User && me != id)
                    {
                        WriteWarning($"No group lists user {id}. ProcessMaker shows other users' memberships only to administrators: if you are not one, use `Get-PmGroup | Get-PmGroupMember -MemberType User | Where-Object MemberId -eq {id}` (needs view-groups).");
                    }

                    _rows.AddRange(rows);
                }
                catch (ApiException ex)
                {
                    WriteError(ErrorRecordFor(ex, id));
                }

                return;
            }

            foreach (var groupId in GroupId)
            {
                try
                {
                    var type = MemberType;
                    _rows.AddRange(Run(ct => Api.ListAllGroupMembersAsync(groupId, type, ct)));
                }

                catch (ApiException ex)
                {
                    WriteError(ErrorRecordFor(ex, groupId));
                }
            }
        }

        protected override void EndProcessing()
        {
            WriteAnswerItems(_rows);
            base.EndProcessing();
        }

        /// <summary>The member's name for the rows (group_members rows carry only the group's); null when it cannot be read.</summary>
        private async System.Threading.Tasks.Task<string?> NameOfAsync(PmMemberType type, long id, System.Threading.CancellationToken ct)
        {
            try
            {
                return type == PmMemberType.User
                    ? (await Api.GetUserAsync(id, ct).ConfigureAwait(false)).UserName
                    : (await Api.GetGroupAsync(id, ct).ConfigureAwait(false)).Name;
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.Forbidden)
            {
                return null;
            }
        }
    }
}
