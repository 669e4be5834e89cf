using System.Collections.Generic;
using System.Management.Automation;
using System.Text.Json;
using WorkflowTools.Json;
using WorkflowTools.Models;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Turns raw JSON answers into objects PowerShell users work with: a top-level object becomes a
    /// PSCustomObject (so Select-Object, Format-Table and Export-Csv see its fields as properties); nested
    /// objects become <see cref="JsonData"/> (indexable, text form JSON) and nested arrays
    /// <see cref="ValueList{T}"/> (text form a;b), so no CSV cell reads System.Object[].
    /// </summary>
    internal static class JsonOutput
    {
        public static object? ToPowerShell(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return Nested(element);
            }

            var result = new PSObject();
            foreach (var property in element.EnumerateObject())
            {
                result.Properties.Add(new PSNoteProperty(property.Name, Nested(property.Value)));
            }

            return result;
        }

        private static object? Nested(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (var item in element.EnumerateArray())
                    {
                        items.Add(Nested(item));
                    }

                    return new ValueList<object?>(items);
                case JsonValueKind.Object:
                    var table = new JsonData();
                    foreach (var property in element.EnumerateObject())
                    {
                        table[property.Name] = Nested(property.Value);
                    }

                    return table;
                default:
                    return element.ToPlain();
            }
        }
    }
}
