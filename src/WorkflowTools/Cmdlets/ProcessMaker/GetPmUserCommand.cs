using System;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Gets ProcessMaker users: by id, by user name, by status, or deleted ones.</summary>
    /// <remarks>
    /// Get-PmUser lists users (GET /users; it needs the view-users permission, or one of create-processes,
    /// edit-processes, create-projects, view-projects) or fetches users by -Id; a number without a parameter name is a
    /// user id (`Get-PmUser 7`), as for the other Get- cmdlets, and anyone may read their own user. Objects with a
    /// UserId property (tasks, requests, group members) can be piped in: `Get-PmTask 12 | Get-PmUser` reads the task's
    /// assignee. -UserName takes a wildcard pattern; without wildcards it matches the whole user name (any case).
    /// -Filter is ProcessMaker's own search (a part of the user name, first or last name, or e-mail). -Status keeps
    /// the users with that status. -Deleted lists the deleted users instead (GET /deleted_users): ProcessMaker deletes
    /// softly, and Restore-PmUser brings them back. Listings stream page by page and support -First, -Skip and
    /// -IncludeTotalCount. A user object never carries the password hash or the remember token, even when the server
    /// sends them, so `Get-PmUser | Export-Csv` writes no secret.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmUser", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(PmUser))]
    public sealed class GetPmUserCommand : PmCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";
        private const string ByUserIdSet = "ByUserId";

        /// <summary>User ids to fetch one by one (the first unnamed argument: `Get-PmUser 7` reads user 7).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>User ids from the UserId property of piped objects (tasks, requests, group members, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByUserIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] UserId { get; set; } = Array.Empty<long>();

        /// <summary>The user name; wildcards allowed. Without wildcards the whole user name must match (any case).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? UserName { get; set; }

        /// <summary>ProcessMaker's search: a part of the user name, first name, last name or e-mail.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>Only users with this status: Active, Inactive, OutOfOffice, Scheduled or Blocked.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [EnumArgument(typeof(PmUserStatus))]
        [ValidateSet("Active", "Inactive", "OutOfOffice", "Scheduled", "Blocked", IgnoreCase = true)]
        public PmUserStatus? Status { get; set; }

        /// <summary>List the deleted users instead of the live ones (needs view-users).</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Deleted { get; set; }

        /// <summary>Rows per request, 1–1000 (ProcessMaker's default is 10).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ListSet)
            {
                WriteEach(ParameterSetName == ByIdSet ? Id : UserId, Api.GetUserAsync);

                return;
            }

            if (Deleted && Status != null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("-Deleted and -Status exclude each other: deleted users are all Inactive, and ProcessMaker's deleted-users list has no status filter.", Status));
            }

            var pattern = UserName == null ? null : NamePattern.Of(UserName);
            var query = new PmUserQuery
            {
                Filter = Filter ?? (UserName == null ? null : NamePattern.LongestLiteral(UserName)),
                Status = Status,
                Deleted = Deleted,
                PageSize = PageSize > 0 ? PageSize : (int?)null,
            };
            WriteListing(
                Deleted ? "Listing deleted users" : "Listing users",
                (object?)UserName ?? Filter,
                () => Api.ListUsersAsync(query),
                where: user => pattern == null || pattern.IsMatch(user.UserName ?? string.Empty));
        }
    }
}
