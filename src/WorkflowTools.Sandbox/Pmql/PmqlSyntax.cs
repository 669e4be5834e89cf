using System;
using System.Collections.Generic;

namespace WorkflowTools.Sandbox.Pmql;

// The tree ProcessMaker's PMQL parser (github.com/ProcessMaker/pmql, grammar/pmql.pegjs) builds: a collection of
// expressions joined by AND/OR (each remembers the operator before it), parenthesised sub-collections, and
// comparisons of a field (column, data.a.b[0], CAST(field AS type), name(args)) with a value (number, "string",
// NOW [+-n unit], or a [list] for IN / NOT IN).

/// <summary>Any PMQL expression.</summary>
internal abstract record PmqlExpression
{
    /// <summary>"AND" or "OR": how this expression joins the one before it (the first one's is ignored).</summary>
    public string Logical { get; init; } = "AND";
}

/// <summary>A parenthesised (or the whole) expression list.</summary>
internal sealed record PmqlGroup(IReadOnlyList<PmqlExpression> Items) : PmqlExpression;

/// <summary><c>field op value</c>; op is one of &lt;= &gt;= &lt; &gt; = != LIKE IN "NOT IN" (upper case).</summary>
internal sealed record PmqlComparison(PmqlField Field, string Operator, PmqlValue Value) : PmqlExpression;

/// <summary>The left side of a comparison.</summary>
internal abstract record PmqlField;

/// <summary>A plain name: a column or an alias of the resource.</summary>
internal sealed record PmqlColumn(string Name) : PmqlField;

/// <summary>A dotted path such as <c>data.customer.orders[0].name</c>.</summary>
internal sealed record PmqlJsonField(string Path) : PmqlField;

/// <summary><c>CAST(field AS number|text)</c> (the only two types PMQL maps).</summary>
internal sealed record PmqlCast(PmqlField Field, string Type) : PmqlField;

/// <summary>A function call such as <c>lower(name)</c>; arguments are fields or values.</summary>
internal sealed record PmqlFunction(string Name, IReadOnlyList<object> Arguments) : PmqlField;

/// <summary>The right side of a comparison.</summary>
internal abstract record PmqlValue;

/// <summary>A number (long or double) or a string (its backslash escapes kept, as PMQL keeps them).</summary>
internal sealed record PmqlLiteral(object Value) : PmqlValue;

/// <summary><c>NOW</c>, or <c>NOW -2 DAY</c> / <c>NOW +1 HOUR</c> (DAY, HOUR, MINUTE, SECOND).</summary>
internal sealed record PmqlInterval(double Amount, string Unit) : PmqlValue
{
    public DateTimeOffset From(DateTimeOffset now) => Unit switch
    {
        "DAY" => now.AddDays(Amount),
        "HOUR" => now.AddHours(Amount),
        "MINUTE" => now.AddMinutes(Amount),
        "SECOND" => now.AddSeconds(Amount),
        _ => now,
    };
}

/// <summary>A <c>[1, "a"]</c> list for IN / NOT IN.</summary>
internal sealed record PmqlList(IReadOnlyList<object> Values) : PmqlValue;

/// <summary>The query does not parse (PM4's <c>ProcessMaker\Query\SyntaxError</c>).</summary>
internal sealed class PmqlSyntaxException : Exception
{
    public PmqlSyntaxException(string message) : base(message) { }
}

/// <summary>A value alias refused its value (PM4's <c>PmqlMethodException</c>, e.g. an unknown requester username).</summary>
internal sealed class PmqlMethodException : Exception
{
    public PmqlMethodException(string field, string message) : base(message) => Field = field;
    public string Field { get; }
}

/// <summary>The query names a column the resource does not have (MySQL's "Unknown column" when PM4 runs it).</summary>
internal sealed class PmqlUnknownColumnException : Exception
{
    public PmqlUnknownColumnException(string column) : base($"Unknown column '{column}' in 'where clause'") => Column = column;
    public string Column { get; }
}
