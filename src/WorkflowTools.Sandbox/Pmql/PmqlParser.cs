using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace WorkflowTools.Sandbox.Pmql;

/// <summary>
/// A hand-written PEG parser that follows ProcessMaker's grammar/pmql.pegjs rule for rule, ordered choices and all,
/// so the sandbox accepts and refuses what PM4 does. Consequences of that grammar worth knowing: whitespace is
/// optional almost everywhere; strings are "double-quoted" only and keep their backslashes; <c>==</c> and <c>&lt;&gt;</c>
/// are listed after <c>=</c> and <c>&lt;</c>, which always win, so neither ever parses; <c>NOW -2 DAY</c> parses but
/// <c>NOW - 2 DAY</c> does not (the number follows the sign directly); a list is <c>[1, 2]</c> with no space before a
/// comma; AND and OR are read left to right and evaluated with SQL precedence (AND first), as Eloquent's
/// where/orWhere chain is.
/// </summary>
internal sealed class PmqlParser
{
    private static readonly string[] BinaryOperators = { "<=", ">=", "<", ">", "=", "==", "!=", "<>" };
    private static readonly string[] IntervalUnits = { "DAY", "HOUR", "MINUTE", "SECOND" };

    private readonly string _s;
    private int _p;

    private PmqlParser(string text) => _s = text;

    /// <summary>Parses a whole query.</summary>
    /// <exception cref="PmqlSyntaxException">It does not parse to the end.</exception>
    public static PmqlGroup Parse(string text)
    {
        var parser = new PmqlParser(text);
        var tree = parser.FullExpression();
        if (tree == null || parser._p != text.Length)
            throw new PmqlSyntaxException($"Syntax error at position {parser._p}.");
        return tree;
    }

    // fullExpression = logicExpression logicExpressionRest*
    private PmqlGroup? FullExpression()
    {
        var start = _p;
        var first = LogicExpression();
        if (first == null) { _p = start; return null; }
        var items = new List<PmqlExpression> { first };
        while (true)
        {
            var at = _p;
            // logicExpressionRest = group_operator _ logicExpression
            var op = Keyword("AND") ? "AND" : Keyword("OR") ? "OR" : null;
            if (op == null) break;
            Ws();
            var next = LogicExpression();
            if (next == null) { _p = at; break; }
            items.Add(next with { Logical = op });
        }
        return new PmqlGroup(items);
    }

    // logicExpression = _ "(" _ fullExpression _ ")" _  /  field _ (binary_operator _ value / binary_array_operator _ array_value) _
    private PmqlExpression? LogicExpression()
    {
        var start = _p;
        Ws();
        if (Char('('))
        {
            Ws();
            var inner = FullExpression();
            if (inner != null)
            {
                Ws();
                if (Char(')')) { Ws(); return inner; }
            }
        }
        _p = start;
        var field = Field();
        if (field == null) { _p = start; return null; }
        Ws();
        var afterField = _p;
        if (BinaryOperator() is { } op)
        {
            Ws();
            if (Value() is { } value) { Ws(); return new PmqlComparison(field, op, value); }
        }
        _p = afterField;
        if (ArrayOperator() is { } arrayOp)
        {
            Ws();
            if (ArrayValue() is { } list) { Ws(); return new PmqlComparison(field, arrayOp, list); }
        }
        _p = start;
        return null;
    }

    // field = whitespace ( "CAST"i "(" field _ "AS"i _ name ")"  /  name "(" function_args ")"  /  nested_field  /  column_name )
    private PmqlField? Field()
    {
        var start = _p;
        Ws();
        var afterWs = _p;
        if (Keyword("CAST") && Char('('))
        {
            var inner = Field();
            if (inner != null)
            {
                Ws();
                if (Keyword("AS"))
                {
                    Ws();
                    if (Name() is { } type && Char(')'))
                    {
                        // Cast::mapType runs in the parser's action: an unknown type is a syntax error.
                        if (type is not ("number" or "text"))
                            throw new PmqlSyntaxException("Unsupported cast type. Casts must be of type: number, text.");
                        return new PmqlCast(inner, type);
                    }
                }
            }
        }
        _p = afterWs;
        if (Name() is { } fn && Char('('))
        {
            var args = FunctionArgs();
            if (Char(')')) return new PmqlFunction(fn, args);
        }
        _p = afterWs;
        if (NestedField() is { } path) return new PmqlJsonField(path);
        _p = afterWs;
        if (Name() is { } column) return new PmqlColumn(column);
        _p = start;
        return null;
    }

    // function_args = (value / field / interval_expr) ("," ...)*  /  _
    private List<object> FunctionArgs()
    {
        var args = new List<object>();
        var start = _p;
        var first = FunctionArg();
        if (first == null) { _p = start; Ws(); return args; }
        args.Add(first);
        while (true)
        {
            var at = _p;
            Ws();
            if (!Char(',')) { _p = at; break; }
            Ws();
            var next = FunctionArg();
            if (next == null) { _p = at; break; }
            args.Add(next);
        }
        return args;
    }

    private object? FunctionArg()
    {
        var start = _p;
        if (Value() is { } v) return v;
        _p = start;
        if (Field() is { } f) return f;
        _p = start;
        return Interval();
    }

    // nested_field = name "." nested_element ; nested_element = (name "[" digit+ "]" / name) ("." nested_element)*
    private string? NestedField()
    {
        var start = _p;
        if (Name() is not { } head || !Char('.')) { _p = start; return null; }
        var element = NestedElement();
        if (element == null) { _p = start; return null; }
        return head + "." + element;
    }

    private string? NestedElement()
    {
        var start = _p;
        var sb = new StringBuilder();
        if (Name() is not { } name) { _p = start; return null; }
        sb.Append(name);
        var beforeBracket = _p;
        if (Char('[') && Digits() is { } index && Char(']')) sb.Append('[').Append(index).Append(']');
        else _p = beforeBracket;
        while (true)
        {
            var at = _p;
            if (!Char('.')) break;
            var next = NestedElement();
            if (next == null) { _p = at; break; }
            sb.Append('.').Append(next);
        }
        return sb.ToString();
    }

    // value = whitespace (interval_expr / literal_value)
    private PmqlValue? Value()
    {
        var start = _p;
        Ws();
        if (Interval() is { } interval) return interval;
        if (Literal() is { } literal) return new PmqlLiteral(literal);
        _p = start;
        return null;
    }

    // interval_expr = "NOW"i whitespace ("-" / "+") number whitespace interval_type  /  "NOW"i
    private PmqlInterval? Interval()
    {
        var start = _p;
        if (!Keyword("NOW")) return null;
        var afterNow = _p;
        Ws();
        var sign = Char('-') ? "-" : Char('+') ? "+" : null;
        if (sign != null && Number() is { } n)
        {
            Ws();
            foreach (var unit in IntervalUnits)
                if (Keyword(unit))
                    return new PmqlInterval((sign == "-" ? -1 : 1) * Convert.ToDouble(n, CultureInfo.InvariantCulture), unit);
        }
        _p = afterNow;
        return start == afterNow ? null : new PmqlInterval(0, "NOW");
    }

    // array_value = whitespace "[" _ comma_separated_literals+ _ "]"
    private PmqlList? ArrayValue()
    {
        var start = _p;
        Ws();
        if (!Char('[')) { _p = start; return null; }
        Ws();
        var values = new List<object>();
        while (true)
        {
            // comma_separated_literals = literal_value "," _ comma_separated_literals / literal_value
            var at = _p;
            if (Literal() is not { } v) { _p = at; break; }
            values.Add(v);
            var afterValue = _p;
            if (Char(',')) { Ws(); continue; }
            _p = afterValue;
        }
        Ws();
        if (values.Count == 0 || !Char(']')) { _p = start; return null; }
        return new PmqlList(values);
    }

    private object? Literal()
    {
        var start = _p;
        if (Number() is { } n) return n;
        _p = start;
        if (!Char('"')) return null;
        var sb = new StringBuilder();
        while (_p < _s.Length && _s[_p] != '"')
        {
            // escape_char = "\\" . : both characters stay in the value (Processor::flatstr keeps them).
            if (_s[_p] == '\\' && _p + 1 < _s.Length) { sb.Append(_s, _p, 2); _p += 2; }
            else sb.Append(_s[_p++]);
        }
        if (!Char('"')) { _p = start; return null; }
        return sb.ToString();
    }

    // number = "-"? int frac? exp? ; int = "0" / [1-9][0-9]*
    private object? Number()
    {
        var start = _p;
        Char('-');
        if (Char('0')) { }
        else if (_p < _s.Length && _s[_p] is >= '1' and <= '9') { while (_p < _s.Length && char.IsAsciiDigit(_s[_p])) _p++; }
        else { _p = start; return null; }
        var isInt = true;
        var beforeFrac = _p;
        if (Char('.') && Digits() != null) isInt = false; else _p = beforeFrac;
        var beforeExp = _p;
        if (_p < _s.Length && _s[_p] is 'e' or 'E')
        {
            _p++;
            if (!Char('-')) Char('+');
            if (Digits() != null) isInt = false; else _p = beforeExp;
        }
        var text = _s[start.._p];
        // The grammar's action: floatval when the text has a ".", intval otherwise (intval("1e3") is 1).
        if (text.Contains('.')) return double.Parse(text, CultureInfo.InvariantCulture);
        if (!isInt) text = text[..text.IndexOfAny(new[] { 'e', 'E' })];
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : (object)double.Parse(text, CultureInfo.InvariantCulture);
    }

    private string? BinaryOperator()
    {
        foreach (var op in BinaryOperators)
            if (string.CompareOrdinal(_s, _p, op, 0, op.Length) == 0) { _p += op.Length; return op; }
        return Keyword("LIKE") ? "LIKE" : null;
    }

    private string? ArrayOperator() => Keyword("IN") ? "IN" : Keyword("NOT IN") ? "NOT IN" : null;

    private string? Name()
    {
        var start = _p;
        while (_p < _s.Length && (char.IsAsciiLetterOrDigit(_s[_p]) || _s[_p] == '_')) _p++;
        return _p > start ? _s[start.._p] : null;
    }

    private string? Digits()
    {
        var start = _p;
        while (_p < _s.Length && char.IsAsciiDigit(_s[_p])) _p++;
        return _p > start ? _s[start.._p] : null;
    }

    /// <summary>A case-insensitive literal (the grammar's <c>"AND"i</c>), with no word boundary, as in the grammar.</summary>
    private bool Keyword(string word)
    {
        if (_p + word.Length > _s.Length || string.Compare(_s, _p, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) != 0) return false;
        _p += word.Length;
        return true;
    }

    private bool Char(char c)
    {
        if (_p < _s.Length && _s[_p] == c) { _p++; return true; }
        return false;
    }

    private void Ws()
    {
        while (_p < _s.Length && _s[_p] is ' ' or '\t' or '\n' or '\r') _p++;
    }
}
