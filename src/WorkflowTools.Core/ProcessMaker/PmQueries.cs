using System;
using System.Globalization;
using System.Text.RegularExpressions;
using WorkflowTools.Http;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>What a request listing asks for; turns into ProcessMaker's query parameters.</summary>
    public sealed class PmRequestQuery
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
                .Add("pmql", PmqlText.Combine(ProcessId is long id ? "process_id = " + id.ToString(CultureInfo.InvariantCulture) : null, Pmql));
            if (SortBy is PmRequestSortBy sort)
            {
                query.Add("order_by", PmWireNames.Of(sort)).Add("order_direction", Descending ? "desc" : "asc");
            }
            else if (Descending)
            {
                query.Add("order_by", "id").Add("order_direction", "desc");
            }

            return query
                .Add("per_page", PageSize?.ToString(CultureInfo.InvariantCulture))
                .Add("include", IncludeData ? "data" : null);
        }
    }

    /// <summary>What a task listing asks for; turns into ProcessMaker's query parameters.</summary>
    public sealed class PmTaskQuery
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
            if (SortBy is PmTaskSortBy sort)
            {
                query.Add("order_by", PmWireNames.Of(sort)).Add("order_direction", Descending ? "desc" : "asc");
            }
            else if (Descending)
            {
                query.Add("order_by", "id").Add("order_direction", "desc");
            }

            return query
                .Add("per_page", PageSize?.ToString(CultureInfo.InvariantCulture))
                .Add("include", IncludeData ? "data" : null);
        }
    }

    /// <summary>Joins PMQL conditions with AND, bracketing a user's expression only when it has an OR of its own.</summary>
    public static class PmqlText
    {
        private static readonly Regex QuotedText = new Regex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", RegexOptions.CultureInvariant);
        private static readonly Regex OrWord = new Regex("\\bOR\\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

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

            return ours + " AND " + (HasTopLevelOr(user) ? "(" + user + ")" : user);
        }

        private static bool HasTopLevelOr(string pmql) => OrWord.IsMatch(QuotedText.Replace(pmql, "\"\""));
    }
}
