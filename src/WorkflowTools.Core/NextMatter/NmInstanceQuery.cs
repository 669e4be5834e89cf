using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.NextMatter
{
    /// <summary>Sort keys of a workflow's instance list (Next Matter's <c>ordering</c> values).</summary>
    public enum NmInstanceSortBy
    {
        Name,
        StartedTime,
        LastUpdatedTime,
        Status,
        Priority,
        Progress,
        Deadline,
        EndedTime,
        TotalRuntime,
    }

    /// <summary>Every documented filter of <c>GET /processes/{id}/instances/</c>, typed.</summary>
    internal sealed class NmInstanceQuery
    {
        public TimeSpan? MinTotalRuntime { get; set; }
        public TimeSpan? MaxTotalRuntime { get; set; }
        public NmInstanceStatus? Status { get; set; }
        public string? Name { get; set; }
        public string[]? Tags { get; set; }
        public NmPriority? Priority { get; set; }
        public long? ActiveStepId { get; set; }
        public double? MinProgress { get; set; }
        public double? MaxProgress { get; set; }
        public DateTime? StartedAfter { get; set; }
        public DateTime? StartedBefore { get; set; }
        public DateTime? CompletedAfter { get; set; }
        public DateTime? CompletedBefore { get; set; }
        public DateTime? AbortedAfter { get; set; }
        public DateTime? AbortedBefore { get; set; }
        public DateTime? EndedAfter { get; set; }
        public DateTime? EndedBefore { get; set; }
        public DateTime? LastUpdatedAfter { get; set; }
        public DateTime? LastUpdatedBefore { get; set; }
        public DateTime? DeadlineAfter { get; set; }
        public DateTime? DeadlineBefore { get; set; }
        public DateTime? StepDeadlineAfter { get; set; }
        public DateTime? StepDeadlineBefore { get; set; }
        public long? LeadUserId { get; set; }
        public long[]? InstanceIds { get; set; }
        public string? Search { get; set; }
        public NmInstanceSortBy? SortBy { get; set; }
        public bool Descending { get; set; }

        /// <summary>
        /// Rows per request; null or 0 leaves Next Matter's default (100). <see cref="ToQuery"/> is the one place
        /// that bounds it (at most <see cref="MaxPageSize"/>); callers pass what they were given.
        /// </summary>
        public int? PageSize { get; set; }

        public bool IncludeValues { get; set; }

        public const int MaxPageSize = WorkflowTools.Connections.ConnectionDefaults.NextMatter.MaxPageSize;

        /// <summary>The query parameters exactly as Next Matter documents them.</summary>
        public QueryString ToQuery()
        {
            var q = new QueryString();
            if (MinTotalRuntime is TimeSpan min)
            {
                q.Add("total_runtime_min", NmDuration.Format(min));
            }

            if (MaxTotalRuntime is TimeSpan max)
            {
                q.Add("total_runtime_max", NmDuration.Format(max));
            }

            if (Status is NmInstanceStatus status && status != NmInstanceStatus.Unknown)
            {
                q.Add("status", status.ToString().ToLowerInvariant());
            }

            q.Add("name", string.IsNullOrEmpty(Name) ? null : Name);
            if (Tags != null && Tags.Length > 0)
            {
                q.Add("tags", string.Join(",", Tags));
            }

            if (Priority is NmPriority priority)
            {
                // Regular has no code of its own in the API; it cannot be filtered on.
                q.Add("priority", NmInstance.PriorityCode(priority));
            }

            q.Add("active_step_id", Invariant(ActiveStepId));
            q.Add("progress_min", Invariant(MinProgress));
            q.Add("progress_max", Invariant(MaxProgress));
            AddTime(q, "started_time", StartedAfter, StartedBefore);
            AddTime(q, "last_updated_time", LastUpdatedAfter, LastUpdatedBefore);
            AddTime(q, "deadline", DeadlineAfter, DeadlineBefore);
            AddTime(q, "step_deadline", StepDeadlineAfter, StepDeadlineBefore);
            AddTime(q, "aborted_time", AbortedAfter, AbortedBefore);
            AddTime(q, "completed_time", CompletedAfter, CompletedBefore);
            AddTime(q, "ended_time", EndedAfter, EndedBefore);
            q.Add("lead_user", Invariant(LeadUserId));
            if (InstanceIds != null && InstanceIds.Length > 0)
            {
                q.Add("instance_ids", string.Join(",", InstanceIds.Select(i => i.ToString(CultureInfo.InvariantCulture))));
            }

            q.Add("query", string.IsNullOrEmpty(Search) ? null : Search);
            if (SortBy is NmInstanceSortBy sort)
            {
                q.Add("ordering", (Descending ? "-" : string.Empty) + SortKey(sort));
            }

            if (PageSize is int size && size > 0)
            {
                // Next Matter documents "limit" (with "page"); page_size is DRF's usual name. Both name the same size.
                var text = Math.Min(MaxPageSize, size).ToString(CultureInfo.InvariantCulture);
                q.Add("limit", text);
                q.Add("page_size", text);
            }

            if (IncludeValues)
            {
                q.Add("inject_values", "true");
            }

            return q;
        }

        public static string SortKey(NmInstanceSortBy sort)
        {
            switch (sort)
            {
                case NmInstanceSortBy.StartedTime: return "started_time";
                case NmInstanceSortBy.LastUpdatedTime: return "last_updated_time";
                case NmInstanceSortBy.EndedTime: return "ended_time";
                case NmInstanceSortBy.TotalRuntime: return "total_runtime";
                default: return sort.ToString().ToLowerInvariant();
            }
        }

        private static void AddTime(QueryString q, string field, DateTime? after, DateTime? before)
        {
            if (after is DateTime a)
            {
                q.Add(field + "_after", JsonBody.FormatDate(a));
            }

            if (before is DateTime b)
            {
                q.Add(field + "_before", JsonBody.FormatDate(b));
            }
        }

        private static string? Invariant(long? value) => value?.ToString(CultureInfo.InvariantCulture);

        private static string? Invariant(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
    }
}
