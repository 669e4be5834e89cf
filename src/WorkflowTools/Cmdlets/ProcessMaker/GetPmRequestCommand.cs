using System;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Gets ProcessMaker requests by id, or lists them with ProcessMaker's filters.</summary>
    /// <remarks>
    /// Get-PmRequest fetches requests by -Id (numbers may come from the pipeline) or by the RequestId property of
    /// piped objects, so tasks piped in give their request; an object's Id property is deliberately not used, as a
    /// piped process or task would otherwise be read as a request id. Without ids it lists the requests you may see.
    ///
    /// -Status takes the values requests show in their Status property: Active, Completed, Canceled or Error
    /// (InProgress, ProcessMaker's name for Active, still works). Active and Completed map to ProcessMaker's type
    /// parameter (in_progress, completed); Canceled and Error, which type cannot select, to the PMQL condition
    /// status = "CANCELED" or status = "ERROR", combined with -Pmql. StartedByMe is ProcessMaker's started_me: the
    /// requests you started that are neither completed nor canceled (for all of them use
    /// -Pmql 'requester = "your user name"'). All (the default) sends no type, which is the only reliable
    /// "everything" for users who are not administrators.
    ///
    /// -ProcessId narrows to one process (as PMQL process_id = N), -Filter is ProcessMaker's free-text search and -Pmql any PMQL expression; they combine.
    /// -IncludeData adds each request's data as a hashtable property whose text form is JSON, so Export-Csv
    /// writes a readable cell. Listings stream page by page as they arrive and support -First, -Skip and
    /// -IncludeTotalCount; `Select-Object -First 5` stops the paging at once.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmRequest", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(PmRequest))]
    public sealed class GetPmRequestCommand : PmCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";
        private const string ByRequestIdSet = "ByRequestId";

        /// <summary>Request ids to fetch one by one (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>Request ids from the RequestId property of piped objects (requests, tasks, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByRequestIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] RequestId { get; set; } = Array.Empty<long>();

        /// <summary>Which requests: a status as requests show it (Active, Completed, Canceled or Error; InProgress is taken as Active), StartedByMe (yours still open: ProcessMaker leaves out completed and canceled ones) or All (the default: everything you may see).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [EnumArgument(typeof(PmRequestListStatus), "All", "Active", "Completed", "Canceled", "Error", "StartedByMe", Aliases = new[] { "InProgress=Active" })]
        [ValidateSet("All", "Active", "Completed", "Canceled", "Error", "StartedByMe", IgnoreCase = true)]
        public PmRequestListStatus Status { get; set; } = PmRequestListStatus.All;

        /// <summary>Only requests of this process.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(PmProcessIdCompleter))]
        public long ProcessId { get; set; }

        /// <summary>ProcessMaker's free-text search (request name, status, id).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>A PMQL expression, e.g. 'status = "ACTIVE" AND data.amount > 500'.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Pmql { get; set; }

        /// <summary>Sort key (ProcessMaker sorts by name unless told otherwise).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [EnumArgument(typeof(PmRequestSortBy))]
        public PmRequestSortBy? SortBy { get; set; }

        /// <summary>Sort in descending order (by Id when -SortBy is not given).</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Descending { get; set; }

        /// <summary>Rows per request, 1–1000 (ProcessMaker's default is 10).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; }

        /// <summary>Include each request's data (a hashtable whose text form is JSON).</summary>
        [Parameter]
        public SwitchParameter IncludeData { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ListSet)
            {
                WriteEach(ParameterSetName == ByIdSet ? Id : RequestId, (id, ct) => Api.GetRequestAsync(id, IncludeData, ct));

                return;
            }

            var query = new PmRequestQuery
            {
                Status = Status,
                ProcessId = ProcessId > 0 ? ProcessId : (long?)null,
                Filter = Filter,
                Pmql = Pmql,
                SortBy = SortBy,
                Descending = Descending,
                PageSize = PageSize > 0 ? PageSize : (int?)null,
                IncludeData = IncludeData,
            };

            var activity = ProcessId > 0 ? $"Listing requests of process {ProcessId.ToString(CultureInfo.InvariantCulture)}" : "Listing requests";
            WriteListing(activity, Pmql ?? Filter ?? (object)Status, () => Api.ListRequestsAsync(query));
        }
    }
}
