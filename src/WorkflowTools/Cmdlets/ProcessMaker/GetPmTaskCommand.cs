using System;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Gets ProcessMaker tasks: of a request, by status, assigned to you, or by id.</summary>
    /// <remarks>
    /// Get-PmTask lists tasks with ProcessMaker's filters, or fetches tasks by -Id; a number without a parameter
    /// name is a task id (`Get-PmTask 7`), as for Get-PmRequest and Get-NmInstance. Pipe requests into it
    /// (`Get-PmRequest -Id 5 | Get-PmTask`): each request's RequestId becomes the process_request_id filter.
    /// -Status takes a task status (Active, Closed, …; a completed task is Closed). -AssignedToMe lists the tasks
    /// of the user the connection's token belongs to: ProcessMaker's tokens (personal access and OAuth2 alike) are
    /// Passport JWTs whose sub claim is that user's id; when a token is not one (some proxies hand out their own),
    /// the command says so and you pass -UserId instead. As in ProcessMaker's own inbox, -AssignedToMe and -UserId
    /// also list the unclaimed self-service tasks that user may take (offered to one of the user's groups, or to the
    /// user): those have IsSelfService True and no UserId; Complete-PmTask completes one as it is, and
    /// `Where-Object { -not $_.IsSelfService }` keeps only the tasks already assigned. Listings stream page by page
    /// and support -First, -Skip and -IncludeTotalCount. Pipe the tasks into Complete-PmTask to complete them.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmTask", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(PmTask))]
    public sealed class GetPmTaskCommand : PmCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";
        private long? _me;

        /// <summary>Task ids to fetch one by one (the first unnamed argument: `Get-PmTask 7` reads task 7).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [Alias("TaskId")]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>Only tasks of this request (binds from the RequestId of piped requests). Always named: a bare number is a task id.</summary>
        [Parameter(ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long RequestId { get; set; }

        /// <summary>Only tasks with this status: Active, Closed, Failing, Completed, EventCatch, Triggered or Incoming.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [EnumArgument(typeof(PmTaskStatus), "Active", "Closed", "Failing", "Completed", "EventCatch", "Triggered", "Incoming")]
        [ValidateSet("Active", "Closed", "Failing", "Completed", "EventCatch", "Triggered", "Incoming", IgnoreCase = true)]
        public PmTaskStatus? Status { get; set; }

        /// <summary>Only tasks of the user the connection's token belongs to: assigned ones, and unclaimed self-service ones the user may take.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter AssignedToMe { get; set; }

        /// <summary>Only tasks of this user id: assigned ones, and unclaimed self-service ones of the user's groups.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long UserId { get; set; }

        /// <summary>Only tasks of this process.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(PmProcessIdCompleter))]
        public long ProcessId { get; set; }

        /// <summary>Only tasks at this BPMN element (node_2).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? ElementId { get; set; }

        /// <summary>ProcessMaker's free-text search (task and request names).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>A PMQL expression over tasks, e.g. 'element_name = "Approve"'.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Pmql { get; set; }

        /// <summary>Sort key (ProcessMaker sorts by last change unless told otherwise).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [EnumArgument(typeof(PmTaskSortBy))]
        public PmTaskSortBy? SortBy { get; set; }

        /// <summary>Sort in descending order (by Id when -SortBy is not given).</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Descending { get; set; }

        /// <summary>Rows per request, 1–1000 (ProcessMaker's default is 10).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; }

        /// <summary>Include the request data each task sees (a hashtable whose text form is JSON).</summary>
        [Parameter]
        public SwitchParameter IncludeData { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (AssignedToMe && UserId > 0)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("-AssignedToMe and -UserId exclude each other.", UserId));
            }

            if (AssignedToMe)
            {
                try
                {
                    _me = Run(ct => Api.GetCurrentUserIdAsync(ct));
                }
                catch (ApiException ex)
                {
                    ThrowTerminatingError(ErrorRecordFor(ex, null));
                }

                if (_me == null)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new InvalidOperationException("-AssignedToMe cannot tell whose token this is: it is not a ProcessMaker (Passport) JWT with a user id. Pass -UserId <your user id> instead."),
                        "WorkflowTools.UserUnknown",
                        ErrorCategory.InvalidOperation,
                        null));
                }

                WriteVerbose($"The connection's token belongs to user {_me}.");
            }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByIdSet)
            {
                WriteEach(Id, (id, ct) => Api.GetTaskAsync(id, IncludeData, ct));

                return;
            }

            var query = new PmTaskQuery
            {
                RequestId = RequestId > 0 ? RequestId : (long?)null,
                Status = Status,
                UserId = _me ?? (UserId > 0 ? UserId : (long?)null),
                ProcessId = ProcessId > 0 ? ProcessId : (long?)null,
                ElementId = ElementId,
                Filter = Filter,
                Pmql = Pmql,
                SortBy = SortBy,
                Descending = Descending,
                PageSize = PageSize > 0 ? PageSize : (int?)null,
                IncludeData = IncludeData,
            };

            var requestId = RequestId;
            var activity = requestId > 0 ? $"Listing tasks of request {requestId.ToString(CultureInfo.InvariantCulture)}" : "Listing tasks";
            WriteListing(activity, requestId > 0 ? requestId : (object?)Pmql ?? Filter, () => Api.ListTasksAsync(query));
        }
    }
}
