using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WorkflowTools.Http;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>What a security log listing asks for; turns into PM4's <c>pmql</c> and paging parameters.</summary>
    internal sealed class PmSecurityLogQuery
    {
        public long? UserId { get; set; }

        /// <summary>Event names (login, attempt, UserCreated…); several are ORed.</summary>
        public string[]? Events { get; set; }

        /// <summary>Entries at or after this UTC time.</summary>
        public DateTime? After { get; set; }

        /// <summary>Entries before this UTC time.</summary>
        public DateTime? Before { get; set; }

        public int? PageSize { get; set; }

        /// <summary>
        /// The PMQL: the conditions joined by AND, one conjunction per event joined by OR (PMQL's AND binds tighter,
        /// so no parentheses are needed). Times are compared as MySQL compares a datetime column with text:
        /// 'YYYY-MM-DD HH:MM:SS', in UTC.
        /// </summary>
        public string? Pmql()
        {
            var common = new List<string>();
            if (UserId is long user)
            {
                common.Add("user_id = " + user.ToString(CultureInfo.InvariantCulture));
            }

            if (After is DateTime after)
            {
                common.Add($"occurred_at >= \"{Sql(after)}\"");
            }

            if (Before is DateTime before)
            {
                common.Add($"occurred_at < \"{Sql(before)}\"");
            }

            var events = (Events ?? Array.Empty<string>()).Where(e => !string.IsNullOrWhiteSpace(e)).ToList();
            if (events.Count == 0)
            {
                return common.Count == 0 ? null : string.Join(" AND ", common);
            }

            return string.Join(" OR ", events.Select(e => string.Join(" AND ", new[] { $"event = \"{Escape(e)}\"" }.Concat(common))));
        }

        public QueryString ToQuery() => new QueryString()
            .Add("pmql", Pmql())
            .Add("order_by", "id")
            .Add("order_direction", "asc")
            .Add("per_page", PageSize is int size ? size.ToString(CultureInfo.InvariantCulture) : "100");

        private static string Sql(DateTime t) => (t.Kind == DateTimeKind.Unspecified ? t : t.ToUniversalTime()).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }

    /// <summary>ProcessMaker's security log (<c>GET security-logs</c>, PM4 4.15.6 SecurityLogController::index; needs view-security-logs).</summary>
    internal sealed class PmSecurityLogClient
    {
        private readonly PmClient _client;

        public PmSecurityLogClient(PmClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        public Listing<PmSecurityLogEntry> List(PmSecurityLogQuery query)
        {
            var api = _client.Http;
            var first = api.Resolve("security-logs" + query.ToQuery());
            return Listing.Of(first, async (uri, ct) =>
            {
                var response = await api.SendAsync(new ApiRequest("GET", uri) { PooledBody = true }, ct).ConfigureAwait(false);
                return LaravelPaging.ReadPage(response, uri, row =>
                {
                    Rows.RequireId(row);
                    return PmSecurityLogEntry.FromJson(row);
                });
            });
        }
    }
}
