using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The django-filter style filters and DRF ordering of Next Matter's instance lists. All errors of one request
/// are reported together as {"field":["message"]}.
/// </summary>
internal static class NextMatterFilters
{
    private static readonly string[] TimeFields =
        { "started_time", "last_updated_time", "deadline", "step_deadline", "aborted_time", "completed_time", "ended_time" };

    private static readonly string[] OrderingFields =
        { "name", "started_time", "last_updated_time", "status", "priority", "progress", "deadline", "ended_time", "total_runtime" };

    private static readonly Regex IsoDateTime = new(
        @"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}(:?\d{2})?)?$", RegexOptions.CultureInvariant);

    /// <summary>Applies every filter in the query; returns the error body when a value is invalid.</summary>
    public static JsonObject? Apply(IQueryCollection query, DateTimeOffset now, ref IEnumerable<NmInstance> rows)
    {
        var errors = new JsonObject();
        void Error(string field, string message) => errors[field] = new JsonArray(message);
        string? Value(string name) => query.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[^1]) ? v[^1] : null;

        foreach (var (param, isMin) in new[] { ("total_runtime_min", true), ("total_runtime_max", false) })
        {
            var text = Value(param);
            if (text == null) continue;
            if (!DjangoDuration.TryParse(text, out var limit)) { Error(param, "Enter a valid duration."); continue; }
            rows = isMin ? rows.Where(i => i.TotalRuntime(now) >= limit) : rows.Where(i => i.TotalRuntime(now) <= limit);
        }

        if (Value("status") is { } status)
        {
            if (status is "running" or "completed" or "aborted") rows = rows.Where(i => i.Status == status);
            else Error("status", $"Select a valid choice. {status} is not one of the available choices.");
        }
        if (Value("priority") is { } priority)
        {
            if (priority is "V" or "H") rows = rows.Where(i => i.Priority == priority);
            else Error("priority", $"Select a valid choice. {priority} is not one of the available choices.");
        }
        if (Value("name") is { } name) rows = rows.Where(i => i.Name.Contains(name, StringComparison.OrdinalIgnoreCase));
        if (Value("query") is { } free)
            rows = rows.Where(i => i.Name.Contains(free, StringComparison.OrdinalIgnoreCase)
                || i.Id.ToString(CultureInfo.InvariantCulture) == free
                || i.Tags.Any(t => t.Contains(free, StringComparison.OrdinalIgnoreCase)));
        if (Value("tags") is { } tags)
        {
            var wanted = tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            rows = rows.Where(i => i.Tags.Any(t => wanted.Contains(t)));
        }
        if (Value("active_step_id") is { } step)
        {
            if (long.TryParse(step, NumberStyles.Integer, CultureInfo.InvariantCulture, out var sid)) rows = rows.Where(i => i.ActiveStepIds.Contains(sid));
            else Error("active_step_id", "Enter a number.");
        }
        if (Value("lead_user") is { } lead)
        {
            if (long.TryParse(lead, NumberStyles.Integer, CultureInfo.InvariantCulture, out var uid)) rows = rows.Where(i => i.CreatedByUserId == uid);
            else Error("lead_user", "Enter a number.");
        }
        foreach (var (param, isMin) in new[] { ("progress_min", true), ("progress_max", false) })
        {
            var v = Value(param);
            if (v == null) continue;
            if (!decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var p)) { Error(param, "Enter a number."); continue; }
            rows = isMin ? rows.Where(i => i.Progress >= p) : rows.Where(i => i.Progress <= p);
        }
        if (Value("instance_ids") is { } idList)
        {
            var ids = new HashSet<long>();
            var ok = true;
            foreach (var part in idList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)) ids.Add(id); else ok = false;
            if (ok) rows = rows.Where(i => ids.Contains(i.Id));
            else Error("instance_ids", "Enter a whole number.");
        }
        foreach (var field in TimeFields)
        {
            foreach (var (suffix, after) in new[] { ("_after", true), ("_before", false) })
            {
                var param = field + suffix;
                var v = Value(param);
                if (v == null) continue;
                if (!TryParseIso(v, out var t)) { Error(param, "Enter a valid date/time."); continue; }
                var f = field;
                rows = rows.Where(i => TimeOf(i, f) is { } x && (after ? x >= t : x <= t));
            }
        }

        if (errors.Count > 0) return errors;
        rows = Order(rows, Value("ordering"), now);
        return null;
    }

    public static bool TryParseIso(string text, out DateTimeOffset value)
    {
        value = default;
        return IsoDateTime.IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static DateTimeOffset? TimeOf(NmInstance i, string field) => field switch
    {
        "started_time" => i.StartedTime,
        "last_updated_time" => i.LastUpdatedTime,
        "deadline" => i.Deadline,
        "aborted_time" => i.AbortedTime,
        "completed_time" => i.CompletedTime,
        "ended_time" => i.EndedTime,
        _ => null, // step deadlines are not modelled: nothing matches
    };

    /// <summary>DRF OrderingFilter: comma-separated fields, '-' = descending, unknown fields ignored; id breaks ties.</summary>
    private static IEnumerable<NmInstance> Order(IEnumerable<NmInstance> rows, string? ordering, DateTimeOffset now)
    {
        var keys = (ordering ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(k => OrderingFields.Contains(k.TrimStart('-'))).ToList();
        IOrderedEnumerable<NmInstance>? ordered = null;
        foreach (var key in keys)
        {
            var desc = key.StartsWith('-');
            Func<NmInstance, IComparable?> sel = key.TrimStart('-') switch
            {
                "name" => i => i.Name,
                "started_time" => i => i.StartedTime,
                "last_updated_time" => i => i.LastUpdatedTime,
                "status" => i => i.Status,
                "priority" => i => i.Priority,
                "progress" => i => i.Progress,
                "deadline" => i => i.Deadline,
                "ended_time" => i => i.EndedTime,
                _ => i => i.TotalRuntime(now),
            };
            var comparer = Comparer<IComparable?>.Create((a, b) => a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.CompareTo(b));
            ordered = ordered == null
                ? (desc ? rows.OrderByDescending(sel, comparer) : rows.OrderBy(sel, comparer))
                : (desc ? ordered.ThenByDescending(sel, comparer) : ordered.ThenBy(sel, comparer));
        }
        // Without ordering keys the rows are already in id order (the store appends with growing ids).
        return ordered == null ? rows : ordered.ThenBy(i => i.Id);
    }
}
