using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkflowTools.Sandbox.Pmql;

/// <summary>
/// What one resource (requests, tasks) offers a PMQL query, after PM4's ExtendedPMQL::handle: a field alias renames
/// a field to a column, a value alias turns <c>field op value</c> into its own condition, anything else is a column
/// (unknown: an SQL error) or a <c>data.</c> path into the request's JSON data.
/// </summary>
internal sealed class PmqlResource<T>
{
    /// <summary>Real columns → value (long, double, string, DateTimeOffset or null).</summary>
    public Dictionary<string, Func<T, object?>> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>fieldAlias&lt;Name&gt;: alias (any case) → column.</summary>
    public Dictionary<string, string> FieldAliases { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>valueAlias&lt;Name&gt;: alias (any case) → (operator, value) → condition; may throw <see cref="PmqlMethodException"/>.</summary>
    public Dictionary<string, Func<string, object, Func<T, bool>>> ValueAliases { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The request data of a row (for <c>data.a.b[0]</c>).</summary>
    public Func<T, JsonObject>? Data { get; init; }
}

/// <summary>Turns a parsed PMQL tree into a row predicate, with MySQL's comparison rules where they matter.</summary>
internal static class PmqlEvaluator
{
    private static readonly Regex DatePattern = new(@"^\d{4}\D\d{1,2}\D\d{1,2}( \d{1,2}:\d{2}:\d{2})?$", RegexOptions.CultureInvariant);

    /// <summary>Builds the predicate; alias lookups (e.g. a requester's username) happen now, as in PM4.</summary>
    /// <exception cref="PmqlMethodException">A value alias refused its value.</exception>
    /// <exception cref="PmqlUnknownColumnException">A field is neither an alias nor a column.</exception>
    public static Func<T, bool> Compile<T>(PmqlGroup tree, PmqlResource<T> resource, DateTimeOffset now) => Group(tree, resource, now);

    private static Func<T, bool> Group<T>(PmqlGroup g, PmqlResource<T> r, DateTimeOffset now)
    {
        // where(a)->orWhere(b)->where(c) is SQL "a OR b AND c": OR-separated runs of ANDs.
        var runs = new List<List<Func<T, bool>>> { new() };
        for (var i = 0; i < g.Items.Count; i++)
        {
            if (i > 0 && g.Items[i].Logical == "OR") runs.Add(new List<Func<T, bool>>());
            runs[^1].Add(g.Items[i] switch
            {
                PmqlGroup inner => Group(inner, r, now),
                PmqlComparison c => Comparison(c, r, now),
                _ => throw new InvalidOperationException(),
            });
        }
        return row => runs.Any(run => run.All(p => p(row)));
    }

    private static Func<T, bool> Comparison<T>(PmqlComparison c, PmqlResource<T> r, DateTimeOffset now)
    {
        var value = ParseValue(c.Value, now);
        if (c.Field is PmqlColumn column)
        {
            if (r.FieldAliases.TryGetValue(column.Name, out var real)) return Compare(Column(r, real), c.Operator, value, caseSensitive: false);
            if (r.ValueAliases.TryGetValue(column.Name, out var alias))
            {
                // IN / NOT IN with an alias: one "=" condition per value, OR-ed (IN) or all negated (NOT IN).
                if (value is IReadOnlyList<object> list)
                {
                    var each = list.Select(v => alias("=", v)).ToList();
                    return c.Operator == "IN" ? row => each.Any(p => p(row)) : row => !each.Any(p => p(row));
                }
                return alias(c.Operator, value);
            }
        }
        return Compare(Operand(c.Field, r, now), c.Operator, value, caseSensitive: c.Field is PmqlJsonField);
    }

    private static Func<T, object?> Column<T>(PmqlResource<T> r, string name) =>
        r.Columns.TryGetValue(name, out var get) ? get : throw new PmqlUnknownColumnException(name);

    private static Func<T, object?> Operand<T>(PmqlField field, PmqlResource<T> r, DateTimeOffset now)
    {
        switch (field)
        {
            case PmqlColumn c:
                return Column(r, c.Name);
            case PmqlJsonField j when j.Path.StartsWith("data.", StringComparison.OrdinalIgnoreCase) && r.Data != null:
                var path = j.Path[5..];
                return row => DataText(r.Data(row), path);
            case PmqlJsonField j:
                throw new PmqlUnknownColumnException(j.Path.Split('.')[0]);
            case PmqlCast cast:
                var inner = Operand(cast.Field, r, now);
                return cast.Type == "number" ? row => ToNumber(inner(row)) : row => Text(inner(row));
            case PmqlFunction f:
                var args = f.Arguments.Select(a => a is PmqlField af ? Operand(af, r, now) : (Func<T, object?>)(_ => ParseValue((PmqlValue)a, now))).ToList();
                return Function(f.Name, args);
            default:
                throw new InvalidOperationException();
        }
    }

    /// <summary>The SQL functions a sandbox query may call; others are an unknown function (an SQL error, like a bad column).</summary>
    private static Func<T, object?> Function<T>(string name, List<Func<T, object?>> args)
    {
        object? Arg(T row, int i) => i < args.Count ? args[i](row) : null;
        return name.ToLowerInvariant() switch
        {
            "lower" or "lcase" => row => Text(Arg(row, 0))?.ToLowerInvariant(),
            "upper" or "ucase" => row => Text(Arg(row, 0))?.ToUpperInvariant(),
            "trim" => row => Text(Arg(row, 0))?.Trim(),
            "length" or "char_length" => row => Text(Arg(row, 0)) is { } t ? (object)(long)t.Length : null,
            "concat" => row => args.Select(a => Text(a(row))).Any(t => t == null) ? null : string.Concat(args.Select(a => Text(a(row)))),
            "date" => row => AsDate(Arg(row, 0)) is { } d ? new DateTimeOffset(d.UtcDateTime.Date, TimeSpan.Zero) : null,
            "year" => row => AsDate(Arg(row, 0)) is { } d ? (long)d.UtcDateTime.Year : null,
            "month" => row => AsDate(Arg(row, 0)) is { } d ? (long)d.UtcDateTime.Month : null,
            "day" => row => AsDate(Arg(row, 0)) is { } d ? (long)d.UtcDateTime.Day : null,
            _ => throw new PmqlUnknownColumnException(name + "()"),
        };
    }

    /// <summary>ExtendedPMQL::parseValue: NOW intervals and date-like strings become times; lists stay lists.</summary>
    internal static object ParseValue(PmqlValue value, DateTimeOffset now) => value switch
    {
        PmqlInterval i => i.From(now),
        PmqlList l => l.Values,
        PmqlLiteral { Value: string s } when s.Length > 1 && DatePattern.IsMatch(s) && AsDate(s) is { } d => d,
        PmqlLiteral l => l.Value,
        _ => throw new InvalidOperationException(),
    };

    /// <summary>A comparison with SQL's rules: NULL matches nothing; numbers compare as numbers; LIKE has % and _.</summary>
    internal static Func<T, bool> Compare<T>(Func<T, object?> left, string op, object right, bool caseSensitive) => row =>
    {
        var actual = left(row);
        if (actual == null) return false;
        if (right is IReadOnlyList<object> list)
        {
            var found = list.Any(v => Order(actual, v, caseSensitive) == 0);
            return op == "IN" ? found : !found;
        }
        if (op == "LIKE") return Like(Text(actual) ?? "", Text(right) ?? "", caseSensitive);
        var cmp = Order(actual, right, caseSensitive);
        return op switch
        {
            "=" => cmp == 0,
            "!=" => cmp != 0,
            "<" => cmp < 0,
            ">" => cmp > 0,
            "<=" => cmp <= 0,
            ">=" => cmp >= 0,
            _ => false,
        };
    };

    private static int Order(object actual, object expected, bool caseSensitive)
    {
        if (expected is DateTimeOffset when || actual is DateTimeOffset)
        {
            var a = AsDate(actual);
            var e = AsDate(expected);
            if (a != null && e != null) return a.Value.CompareTo(e.Value);
        }
        if (IsNumber(expected) || IsNumber(actual)) return ToNumber(actual)!.Value.CompareTo(ToNumber(expected)!.Value);
        return string.Compare(Text(actual), Text(expected), caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsNumber(object? o) => o is long or int or double or decimal;

    /// <summary>MySQL's string-to-number: the leading number of the text, 0 when there is none.</summary>
    private static double? ToNumber(object? o) => o switch
    {
        null => null,
        long l => l,
        int i => i,
        double d => d,
        decimal m => (double)m,
        DateTimeOffset t => double.Parse(t.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        _ => Regex.Match(Text(o)!.TrimStart(), @"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?") is { Success: true } m
            ? double.Parse(m.Value, CultureInfo.InvariantCulture) : 0,
    };

    private static string? Text(object? o) => o switch
    {
        null => null,
        string s => s,
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => o.ToString(),
    };

    private static DateTimeOffset? AsDate(object? o) => o switch
    {
        DateTimeOffset t => t,
        string s when DateTimeOffset.TryParse(s.Replace('/', '-'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => t,
        _ => null,
    };

    private static bool Like(string text, string pattern, bool caseSensitive)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '\\' && i + 1 < pattern.Length) sb.Append(Regex.Escape(pattern[++i].ToString()));
            else if (ch == '%') sb.Append(".*");
            else if (ch == '_') sb.Append('.');
            else sb.Append(Regex.Escape(ch.ToString()));
        }
        sb.Append('$');
        return Regex.IsMatch(text, sb.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase));
    }

    /// <summary>
    /// <c>LEFT(data-&gt;&gt;"$.a.b[0]", 255)</c> (pmql's MySqlGrammar): the unquoted JSON text at the path, null when
    /// the path is missing, "null" for a JSON null.
    /// </summary>
    internal static string? DataText(JsonObject data, string path)
    {
        JsonNode? node = data;
        foreach (var part in path.Split('.'))
        {
            var m = Regex.Match(part, @"^(\w+)(?:\[(\d+)\])?$");
            if (!m.Success || node is not JsonObject o || !o.TryGetPropertyValue(m.Groups[1].Value, out node)) return null;
            if (m.Groups[2].Success)
            {
                var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                if (node is not JsonArray a || index >= a.Count) return null;
                node = a[index];
            }
        }
        var text = node == null ? "null" : node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
        return text.Length > 255 ? text[..255] : text;
    }

    /// <summary>LIKE with SQL's wildcards, for the listing filters that PM4 compares with LIKE.</summary>
    internal static bool SqlLike(string text, string pattern) => Like(text, pattern, caseSensitive: false);
}
