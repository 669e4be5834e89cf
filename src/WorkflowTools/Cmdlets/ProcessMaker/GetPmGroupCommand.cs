using System;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Gets ProcessMaker groups: by id, by name, or by status.</summary>
    /// <remarks>
    /// Get-PmGroup lists groups (GET /groups; it needs the view-groups permission, or one of create-processes,
    /// edit-processes, create-projects, view-projects) or fetches groups by -Id; a number without a parameter name is a
    /// group id (`Get-PmGroup 3`). Objects with a GroupId property (group members, CSV rows) can be piped in. -Name takes
    /// a wildcard pattern; without wildcards it matches the whole name (any case). -Filter is ProcessMaker's own search
    /// (a part of the name or description). Listings stream page by page and support -First, -Skip and
    /// -IncludeTotalCount. Pipe groups into Get-PmGroupMember to see who is in them.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmGroup", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(PmGroup))]
    public sealed class GetPmGroupCommand : PmCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";
        private const string ByGroupIdSet = "ByGroupId";

        /// <summary>Group ids to fetch one by one (the first unnamed argument: `Get-PmGroup 3` reads group 3).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>Group ids from the GroupId property of piped objects (group members, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByGroupIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] GroupId { get; set; } = Array.Empty<long>();

        /// <summary>The group name; wildcards allowed. Without wildcards the whole name must match (any case).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>ProcessMaker's search: a part of the name or the description.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>Only groups with this status: Active or Inactive.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [EnumArgument(typeof(PmGroupStatus))]
        [ValidateSet("Active", "Inactive", IgnoreCase = true)]
        public PmGroupStatus? Status { get; set; }

        /// <summary>Rows per request, 1–1000 (ProcessMaker's default is 10).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ListSet)
            {
                WriteEach(ParameterSetName == ByIdSet ? Id : GroupId, Api.GetGroupAsync);

                return;
            }

            var pattern = Name == null ? null : NamePattern.Of(Name);
            var query = new PmGroupQuery
            {
                Filter = Filter ?? (Name == null ? null : NamePattern.LongestLiteral(Name)),
                Status = Status,
                PageSize = PageSize > 0 ? PageSize : (int?)null,
            };
            WriteListing(
                "Listing groups",
                (object?)Name ?? Filter,
                () => Api.ListGroupsAsync(query),
                where: group => pattern == null || pattern.IsMatch(group.Name ?? string.Empty));
        }
    }
}
