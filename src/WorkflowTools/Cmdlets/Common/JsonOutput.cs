using System.Collections.Generic;
using System.Management.Automation;
using WorkflowTools.Json;
using WorkflowTools.Models;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Turns raw JSON answers (as <see cref="JsonTree"/> values) into objects PowerShell users work with: a
    /// top-level object becomes a PSCustomObject (so Select-Object, Format-Table and Export-Csv see its fields as
    /// properties); nested objects become <see cref="JsonData"/> (indexable, text form JSON) and nested arrays
    /// <see cref="ValueList{T}"/> (text form a;b), so no CSV cell reads System.Object[].
    /// </summary>
    internal static class JsonOutput
    {
        public static object? ToPowerShell(object? json)
        {
            if (!(json is JsonProperties properties))
            {
                return Nested(json);
            }

            var result = new PSObject();
            foreach (var property in properties)
            {
                result.Properties.Add(new PSNoteProperty(property.Key, Nested(property.Value)));
            }

            return result;
        }

        private static object? Nested(object? json)
        {
            switch (json)
            {
                case object?[] array:
                    var items = new List<object?>();
                    foreach (var item in array)
                    {
                        items.Add(Nested(item));
                    }

                    return new ValueList<object?>(items);
                case JsonProperties properties:
                    var table = new JsonData();
                    foreach (var property in properties)
                    {
                        table[property.Key] = Nested(property.Value);
                    }

                    return table;
                default:
                    return json;
            }
        }
    }
}
