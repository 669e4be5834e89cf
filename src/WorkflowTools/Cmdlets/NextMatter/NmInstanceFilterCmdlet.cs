using System;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>
    /// The instance filters of Next Matter's listings as typed parameters, shared by Get-NmInstance and
    /// Get-NmFieldValue. Every filter belongs to the <c>ByProcess</c> parameter set.
    /// </summary>
    public abstract class NmInstanceFilterCmdlet : NmCmdlet
    {
        internal const string ByProcess = "ByProcess";

        /// <summary>Only instances that ran at least this long: a [TimeSpan] or Next Matter's duration text, where 00:50 is 50 seconds and '01 09:30' is 1 day 9 minutes 30 seconds.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [NmDurationTransformation]
        [ArgumentCompleter(typeof(NmDurationCompleter))]
        public TimeSpan? MinTotalRuntime { get; set; }

        /// <summary>Only instances that ran at most this long: a [TimeSpan] or Next Matter's duration text, where 00:50 is 50 seconds and '01 09:30' is 1 day 9 minutes 30 seconds.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [NmDurationTransformation]
        [ArgumentCompleter(typeof(NmDurationCompleter))]
        public TimeSpan? MaxTotalRuntime { get; set; }

        /// <summary>Only instances in this state: Running, Completed or Aborted.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [EnumArgument(typeof(NmInstanceStatus), "Running", "Completed", "Aborted")]
        [ValidateSet("Running", "Completed", "Aborted", IgnoreCase = true)]
        public NmInstanceStatus? Status { get; set; }

        /// <summary>Only instances whose name contains this text.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Only instances with any of these tags.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateNotNullOrEmpty]
        public string[]? Tag { get; set; }

        /// <summary>Only instances with this priority: High or VeryHigh.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [EnumArgument(typeof(NmPriority), "High", "VeryHigh")]
        [ValidateSet("High", "VeryHigh", IgnoreCase = true)]
        public NmPriority? Priority { get; set; }

        /// <summary>Only instances waiting on this step (the step is active).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long? ActiveStepId { get; set; }

        /// <summary>Only instances at least this far along, in percent (0–100).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateRange(0.0, 100.0)]
        public double? MinProgress { get; set; }

        /// <summary>Only instances at most this far along, in percent (0–100).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateRange(0.0, 100.0)]
        public double? MaxProgress { get; set; }

        /// <summary>Only instances started at or after this time (local times are converted to UTC).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? StartedAfter { get; set; }

        /// <summary>Only instances started at or before this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? StartedBefore { get; set; }

        /// <summary>Only instances completed at or after this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? CompletedAfter { get; set; }

        /// <summary>Only instances completed at or before this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? CompletedBefore { get; set; }

        /// <summary>Only instances aborted at or after this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? AbortedAfter { get; set; }

        /// <summary>Only instances aborted at or before this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? AbortedBefore { get; set; }

        /// <summary>Only instances that ended (completed or aborted) at or after this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? EndedAfter { get; set; }

        /// <summary>Only instances that ended (completed or aborted) at or before this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? EndedBefore { get; set; }

        /// <summary>Only instances changed at or after this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? LastUpdatedAfter { get; set; }

        /// <summary>Only instances changed at or before this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? LastUpdatedBefore { get; set; }

        /// <summary>Only instances due at or after this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? DeadlineAfter { get; set; }

        /// <summary>Only instances due at or before this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? DeadlineBefore { get; set; }

        /// <summary>Only instances with a step deadline at or after this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? StepDeadlineAfter { get; set; }

        /// <summary>Only instances with a step deadline at or before this time.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public DateTime? StepDeadlineBefore { get; set; }

        /// <summary>Only instances led by this user (Next Matter user id).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long? LeadUserId { get; set; }

        /// <summary>Free-text search, as the search box in Next Matter does it (Next Matter's query filter).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateNotNullOrEmpty]
        public string? Search { get; set; }

        /// <summary>Sort key: Name, StartedTime, LastUpdatedTime, Status, Priority, Progress, Deadline, EndedTime or TotalRuntime.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [EnumArgument(typeof(NmInstanceSortBy))]
        public NmInstanceSortBy? SortBy { get; set; }

        /// <summary>Sort in descending order (with -SortBy).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public SwitchParameter Descending { get; set; }

        /// <summary>Rows per request, 1–500 (Next Matter's default is 100). Does not limit the output; use -First for that.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateRange(1, NmInstanceQuery.MaxPageSize)]
        public int PageSize { get; set; }

        /// <summary>The filters as a query, built here in full (the cmdlets' own filters too), or null after writing an error for contradictory ones.</summary>
        internal NmInstanceQuery? BuildQuery(object target)
        {
            if (MinTotalRuntime is TimeSpan min && MaxTotalRuntime is TimeSpan max && min > max)
            {
                WriteError(ErrorRecords.InvalidArgument($"-MinTotalRuntime ({min}) is longer than -MaxTotalRuntime ({max}); no instance can match.", target));
                return null;
            }

            if (MinProgress is double low && MaxProgress is double high && low > high)
            {
                WriteError(ErrorRecords.InvalidArgument($"-MinProgress ({low}) is above -MaxProgress ({high}); no instance can match.", target));
                return null;
            }

            if (Descending && SortBy == null)
            {
                WriteError(ErrorRecords.InvalidArgument("-Descending needs -SortBy: say which key to sort on.", target));
                return null;
            }

            if (NmTags.Check(Tag, inFilter: true).Problem is string tagProblem)
            {
                WriteError(ErrorRecords.InvalidArgument(tagProblem, target));
                return null;
            }

            return new NmInstanceQuery
            {
                MinTotalRuntime = MinTotalRuntime,
                MaxTotalRuntime = MaxTotalRuntime,
                Status = Status,
                Name = Name,
                Tags = Tag,
                Priority = Priority,
                ActiveStepId = ActiveStepId,
                MinProgress = MinProgress,
                MaxProgress = MaxProgress,
                StartedAfter = StartedAfter,
                StartedBefore = StartedBefore,
                CompletedAfter = CompletedAfter,
                CompletedBefore = CompletedBefore,
                AbortedAfter = AbortedAfter,
                AbortedBefore = AbortedBefore,
                EndedAfter = EndedAfter,
                EndedBefore = EndedBefore,
                LastUpdatedAfter = LastUpdatedAfter,
                LastUpdatedBefore = LastUpdatedBefore,
                DeadlineAfter = DeadlineAfter,
                DeadlineBefore = DeadlineBefore,
                StepDeadlineAfter = StepDeadlineAfter,
                StepDeadlineBefore = StepDeadlineBefore,
                LeadUserId = LeadUserId,
                Search = Search,
                SortBy = SortBy,
                Descending = Descending,
                PageSize = PageSize,
                IncludeValues = IncludeValuesInQuery,
                InstanceIds = InstanceIdsInQuery,
            };
        }

        /// <summary>Get-NmInstance's -IncludeValues, which BuildQuery writes into the query with the shared filters.</summary>
        internal virtual bool IncludeValuesInQuery => false;

        /// <summary>Get-NmFieldValue's -InstanceId (each id once), which BuildQuery writes into the query with the shared filters.</summary>
        internal virtual long[]? InstanceIdsInQuery => null;
    }
}
