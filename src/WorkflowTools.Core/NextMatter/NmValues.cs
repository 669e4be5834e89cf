using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using WorkflowTools.Json;
using WorkflowTools.Models;

namespace WorkflowTools.NextMatter
{
    /// <summary>
    /// Turns a stored form input object into the value a person reads. The documented shapes
    /// (text <c>{"inputValue":"x"}</c>, date <c>{"date":iso}</c>, dropdown <c>{"itemSelected":"x"}</c>,
    /// radio <c>{"inputValue":{"radioItemSelected":"x"}}</c>, checklist
    /// <c>{"inputValue":{"itemsChecked":[..]}}</c>, multi-value dropdown <c>{"itemsSelected":[..]}</c>) become a string, a UTC date or a list that reads
    /// <c>a;b</c>; number <c>{"numberValue":n,…}</c> becomes n, URL <c>{"url":{"url":u}}</c> becomes u, a decision its
    /// label or action; anything else (address, file, table) stays the object it is.
    /// </summary>
    internal static class NmValues
    {
        private static readonly string[] Decisions = { "complete", "return", "skip_forward", "decline" };

        /// <summary>
        /// The value as a person reads it. With the field's <paramref name="kind"/> (from the form definition) the
        /// documented shape of that type is read: a number field's <c>numberValue</c>, a URL field's <c>url.url</c>,
        /// a decision's <c>label</c> (else its <c>action</c>). Without it, the shape alone decides.
        /// </summary>
        public static object? Simplify(object? plain, NmFieldKind? kind)
        {
            if (plain is JsonData table)
            {
                switch (kind)
                {
                    case NmFieldKind.Number when table.ContainsKey("numberValue"):
                        return table["numberValue"];
                    case NmFieldKind.Url when table["url"] is JsonData link && link.ContainsKey("url"):
                        return link["url"];
                    case NmFieldKind.Url when table["url"] is string text:
                        return text;
                    case NmFieldKind.Decision when table.ContainsKey("action"):
                        return table["label"] is string label && label.Length > 0 ? label : table["action"];
                }
            }

            return Simplify(plain);
        }

        public static object? Simplify(object? plain)
        {
            switch (plain)
            {
                case null:
                    return null;
                case JsonData table:
                    return SimplifyObject(table);
                case object[] list:
                    return new ValueList<object?>(list.Select(Simplify));
                default:
                    return plain;
            }
        }

        private static object? SimplifyObject(JsonData table)
        {
            if (table.ContainsKey("numberValue") && table.Keys.Cast<string>().All(k => k == "numberValue" || k == "formattedValue"))
            {
                return table["numberValue"];
            }

            if (table.Count == 1 && table["url"] is JsonData link && link.Count == 1 && link["url"] is string url)
            {
                return url;
            }

            if (table["action"] is string decision && Array.IndexOf(Decisions, decision) >= 0
                && table.Keys.Cast<string>().All(k => k == "action" || k == "comment" || k == "label" || k == "returnToStep"))
            {
                return table["label"] is string label && label.Length > 0 ? label : decision;
            }

            if (table.Count == 1 && table.ContainsKey("date") && table["date"] is string text)
            {
                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
                    ? date.UtcDateTime
                    : (object)text;
            }

            if (table.Count == 1 && table.ContainsKey("itemSelected"))
            {
                return Simplify(table["itemSelected"]);
            }

            if (table.Count == 1 && table["itemsSelected"] is IEnumerable selected && !(selected is string))
            {
                return new ValueList<string>(selected.Cast<object?>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture) ?? string.Empty));
            }

            if (table.Count == 1 && table.ContainsKey("inputValue"))
            {
                var inner = table["inputValue"];
                if (inner is JsonData choice)
                {
                    if (choice.Count == 1 && choice.ContainsKey("radioItemSelected"))
                    {
                        return Simplify(choice["radioItemSelected"]);
                    }

                    if (choice.Count == 1 && choice.ContainsKey("itemSelected"))
                    {
                        return Simplify(choice["itemSelected"]);
                    }

                    if (choice.ContainsKey("itemsChecked") && choice.Keys.Cast<string>().All(k => k == "itemsChecked" || string.Equals(k, "itemsNotChecked", StringComparison.OrdinalIgnoreCase)))
                    {
                        var checkedItems = choice["itemsChecked"] as IEnumerable;
                        return new ValueList<string>(checkedItems == null || checkedItems is string
                            ? Array.Empty<string>()
                            : checkedItems.Cast<object?>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture) ?? string.Empty));
                    }

                    return choice;
                }

                return Simplify(inner);
            }

            return table;
        }
    }
}
