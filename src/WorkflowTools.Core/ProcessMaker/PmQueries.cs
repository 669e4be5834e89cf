using System;
using System.Globalization;
using WorkflowTools.Http;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>The ordering and paging parameters every ProcessMaker listing shares.</summary>
    internal static class PmListing
    {
        /// <summary>order_by/order_direction (by id when only descending is asked), per_page and include=data.</summary>
        public static QueryString AddOrderAndPaging(QueryString query, string? orderBy, bool descending, int? pageSize, bool includeData)
        {
            if (orderBy != null)
            {
                query.Add("order_by", orderBy).Add("order_direction", descending ? "desc" : "asc");
            }
            else if (descending)
            {
                query.Add("order_by", "id").Add("order_direction", "desc");
            }

            return query
                .Add("per_page", pageSize?.ToString(CultureInfo.InvariantCulture))
                .Add("include", includeData ? "data" : null);
        }
    }

    /// <summary>What a process listing asks for (<c>processes</c> or <c>start_processes</c>); turns into ProcessMaker's query parameters.</summary>
    internal sealed class PmProcessQuery
    {
        /// <summary>ProcessMaker's free-text search.</summary>
        public string? Filter { get; set; }

        /// <summary>Archived processes instead of active ones.</summary>
        public bool Archived { get; set; }

        public int? PageSize { get; set; }

        /// <summary>Sorted by name (the server's own order otherwise).</summary>
        public bool SortByName { get; set; }

        public QueryString ToQuery() => new QueryString()
            .Add("filter", string.IsNullOrEmpty(Filter) ? null : Filter)
            .Add("status", Archived ? "archived" : null)
            .Add("per_page", PageSize?.ToString(CultureInfo.InvariantCulture))
            .Add("order_by", SortByName ? "name" : null);
    }

    /// <summary>What a request listing asks for; turns into ProcessMaker's query parameters.</summary>
    internal sealed class PmRequestQuery
    {
        public PmRequestListStatus Status { get; set; }

        public long? ProcessId { get; set; }

        public string? Filter { get; set; }

        public string? Pmql { get; set; }

        public PmRequestSortBy? SortBy { get; set; }

        public bool Descending { get; set; }

        public int? PageSize { get; set; }

        public bool IncludeData { get; set; }

        public QueryString ToQuery()
        {
            var query = new QueryString()
                .Add("type", PmWireNames.Of(Status))
                .Add("filter", string.IsNullOrEmpty(Filter) ? null : Filter)
                .Add("pmql", PmqlText.Combine(Conditions(), Pmql));
            return PmListing.AddOrderAndPaging(query, SortBy is PmRequestSortBy sort ? PmWireNames.Of(sort) : null, Descending, PageSize, IncludeData);
        }

        /// <summary>Our own PMQL: the statuses <c>type</c> cannot select, and the process.</summary>
        private string? Conditions()
        {
            var status = Status switch
            {
                PmRequestListStatus.Canceled => "status = \"CANCELED\"",
                PmRequestListStatus.Error => "status = \"ERROR\"",
                _ => null,
            };
            var process = ProcessId is long id ? "process_id = " + id.ToString(CultureInfo.InvariantCulture) : null;
            return status != null && process != null ? status + " AND " + process : status ?? process;
        }
    }

    /// <summary>What a task listing asks for; turns into ProcessMaker's query parameters.</summary>
    internal sealed class PmTaskQuery
    {
        public long? RequestId { get; set; }

        public PmTaskStatus? Status { get; set; }

        public long? UserId { get; set; }

        public long? ProcessId { get; set; }

        public string? ElementId { get; set; }

        public string? Filter { get; set; }

        public string? Pmql { get; set; }

        public PmTaskSortBy? SortBy { get; set; }

        public bool Descending { get; set; }

        public int? PageSize { get; set; }

        public bool IncludeData { get; set; }

        public QueryString ToQuery()
        {
            var query = new QueryString()
                .Add("process_request_id", RequestId?.ToString(CultureInfo.InvariantCulture))
                .Add("status", Status is PmTaskStatus s ? PmWireNames.Of(s) : null)
                .Add("user_id", UserId?.ToString(CultureInfo.InvariantCulture))
                .Add("process_id", ProcessId?.ToString(CultureInfo.InvariantCulture))
                .Add("element_id", string.IsNullOrEmpty(ElementId) ? null : ElementId)
                .Add("filter", string.IsNullOrEmpty(Filter) ? null : Filter)
                .Add("pmql", string.IsNullOrWhiteSpace(Pmql) ? null : Pmql!.Trim());
            return PmListing.AddOrderAndPaging(query, SortBy is PmTaskSortBy sort ? PmWireNames.Of(sort) : null, Descending, PageSize, IncludeData);
        }
    }

    /// <summary>
    /// Joins our PMQL conditions and the user's with AND, the user's always in brackets. ProcessMaker's grammar reads
    /// AND and OR with SQL precedence and needs no space around them ("x = 1OR y = 2" is an OR), so only brackets
    /// keep a user's OR from escaping our conditions; "a AND (b)" means the same as "a AND b" to ProcessMaker.
    /// </summary>
    internal static class PmqlText
    {
        public static string? Combine(string? ours, string? users)
        {
            var user = string.IsNullOrWhiteSpace(users) ? null : users!.Trim();
            if (ours == null)
            {
                return user;
            }

            if (user == null)
            {
                return ours;
            }

            return ours + " AND (" + user + ")";
        }
    }
}
