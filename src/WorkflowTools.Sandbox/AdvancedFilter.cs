using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowTools.Sandbox.Pmql;

namespace WorkflowTools.Sandbox;

/// <summary>
/// One condition of PM4's <c>advanced_filter</c> parameter (ProcessMaker/Filters/BaseFilter.php): a JSON array of
/// <c>{"subject":{"type":"Field","value":"data.foo"},"operator":"=","value":"bar"}</c>, all of which must hold. The
/// sandbox reads subjects of type Field (a column, <c>data.x</c>, <c>process_request.name</c>) and Process (the
/// process id), with the operators = != &lt; &gt; &lt;= &gt;= contains starts_with in between; other subjects and
/// operators match nothing.
/// </summary>
internal sealed record AdvancedFilter(string Field, string Operator, JsonNode? Value)
{
    /// <summary>The conditions of a parameter value; null when it is empty or not a JSON array of objects.</summary>
    public static IReadOnlyList<AdvancedFilter>? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        JsonNode? root;
        try { root = JsonNode.Parse(text); }
        catch (JsonException) { return null; }
        if (root is not JsonArray items) return null;
        var list = new List<AdvancedFilter>();
        foreach (var item in items.OfType<JsonObject>())
        {
            var type = item["subject"]?["type"]?.ToString();
            var field = type == "Field" ? item["subject"]?["value"]?.ToString() ?? "" : type ?? "";
            list.Add(new AdvancedFilter(field, item["operator"]?.ToString() ?? "=", item["value"]?.DeepClone()));
        }
        return list;
    }

    /// <summary>Whether a row's value for <see cref="Field"/> passes.</summary>
    public bool Matches(object? actual)
    {
        if (actual == null) return false;
        string Text(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "";
        object Literal(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var l) ? l : n is JsonValue d && d.TryGetValue<double>(out var x) ? x : Text(n);
        switch (Operator)
        {
            case "contains": return PmqlEvaluator.SqlLike(Convert.ToString(actual, CultureInfo.InvariantCulture) ?? "", "%" + Text(Value) + "%");
            case "starts_with": return PmqlEvaluator.SqlLike(Convert.ToString(actual, CultureInfo.InvariantCulture) ?? "", Text(Value) + "%");
            case "in": return Value is JsonArray a && a.Any(v => PmqlEvaluator.Compare<object>(x => x, "=", Literal(v), false)(actual));
            case "between":
                return Value is JsonArray { Count: 2 } b && PmqlEvaluator.Compare<object>(x => x, ">=", Literal(b[0]), false)(actual)
                    && PmqlEvaluator.Compare<object>(x => x, "<=", Literal(b[1]), false)(actual);
            case "=" or "!=" or "<" or ">" or "<=" or ">=":
                return PmqlEvaluator.Compare<object>(x => x, Operator, Literal(Value), false)(actual);
            default: return false;
        }
    }
}
