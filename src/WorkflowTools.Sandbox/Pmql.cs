using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkflowTools.Sandbox;

/// <summary>
/// A small subset of ProcessMaker's PMQL: <c>field op value</c> comparisons joined by AND / OR (AND binds tighter),
/// ops = != &lt; &gt; &lt;= &gt;= LIKE (with % wildcards), values "quoted" or numbers. No parentheses, no functions.
/// </summary>
internal static class Pmql
{
    /// <summary>A row lookup: field name → value (string, number or null); unknown fields fall back to request data.</summary>
    public delegate object? FieldLookup(string field);

    private static readonly Regex Token = new(
        "\\G\\s*(?:(?<str>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*')|(?<op><=|>=|!=|=|<|>)|(?<word>[A-Za-z_][A-Za-z0-9_.]*)|(?<num>-?[0-9]+(?:\\.[0-9]+)?))",
        RegexOptions.CultureInvariant);

    internal sealed record Comparison(string Field, string Op, object Value);

    /// <summary>Parses; returns null on a syntax error. The result is OR-of-ANDs.</summary>
    public static List<List<Comparison>>? Parse(string text)
    {
        var tokens = new List<(string Kind, string Text)>();
        var pos = 0;
        while (pos < text.Length)
        {
            if (text[pos..].Trim().Length == 0) break;
            var m = Token.Match(text, pos);
            if (!m.Success) return null;
            var kind = m.Groups["str"].Success ? "str" : m.Groups["op"].Success ? "op" : m.Groups["word"].Success ? "word" : "num";
            tokens.Add((kind, m.Groups[kind].Value));
            pos = m.Index + m.Length;
        }
        var result = new List<List<Comparison>> { new() };
        var i = 0;
        while (true)
        {
            if (i + 3 > tokens.Count) return null;
            var (fk, field) = tokens[i];
            var (ok, op) = tokens[i + 1];
            var (vk, value) = tokens[i + 2];
            if (fk != "word") return null;
            if (ok == "word" && op.Equals("like", StringComparison.OrdinalIgnoreCase)) op = "LIKE";
            else if (ok != "op") return null;
            object v = vk switch
            {
                "str" => Unquote(value),
                "num" => decimal.Parse(value, CultureInfo.InvariantCulture),
                _ => null!,
            };
            if (v == null) return null;
            result[^1].Add(new Comparison(field.ToLowerInvariant(), op, v));
            i += 3;
            if (i == tokens.Count) return result;
            var joiner = tokens[i];
            if (joiner.Kind != "word") return null;
            if (joiner.Text.Equals("and", StringComparison.OrdinalIgnoreCase)) { }
            else if (joiner.Text.Equals("or", StringComparison.OrdinalIgnoreCase)) result.Add(new List<Comparison>());
            else return null;
            i++;
        }
    }

    private static string Unquote(string s)
    {
        var inner = s[1..^1];
        var sb = new StringBuilder();
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length) i++;
            sb.Append(inner[i]);
        }
        return sb.ToString();
    }

    /// <summary>Evaluates a parsed query against one row.</summary>
    public static bool Matches(List<List<Comparison>> query, FieldLookup lookup)
    {
        foreach (var conjunction in query)
        {
            var all = true;
            foreach (var c in conjunction)
                if (!Compare(lookup(c.Field), c.Op, c.Value)) { all = false; break; }
            if (all) return true;
        }
        return false;
    }

    private static bool Compare(object? actual, string op, object expected)
    {
        if (actual is JsonNode node) actual = node is JsonValue jv ? (jv.TryGetValue<decimal>(out var d) ? d : jv.ToString()) : node.ToJsonString();
        if (actual == null) return op == "!=";
        int cmp;
        if (expected is decimal e && TryNumber(actual, out var a)) cmp = a.CompareTo(e);
        else
        {
            var left = Convert.ToString(actual, CultureInfo.InvariantCulture) ?? "";
            var right = Convert.ToString(expected, CultureInfo.InvariantCulture) ?? "";
            if (op == "LIKE")
                return Regex.IsMatch(left, "^" + Regex.Escape(right).Replace("%", ".*").Replace("_", ".") + "$", RegexOptions.IgnoreCase);
            cmp = string.Compare(left, right, StringComparison.OrdinalIgnoreCase);
        }
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
    }

    private static bool TryNumber(object value, out decimal number)
    {
        switch (value)
        {
            case decimal d: number = d; return true;
            case long l: number = l; return true;
            case int n: number = n; return true;
            case string s: return decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out number);
            default: number = 0; return false;
        }
    }
}
