using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>Strips PowerShell's wrappers so the core sees plain .NET values (hashtables, arrays, scalars).</summary>
    internal static class PsValues
    {
        public static object? ToPlain(object? value, int depth = 0)
        {
            if (depth > 40)
            {
                return value;
            }

            if (value is PSObject pso)
            {
                if (pso.BaseObject is PSCustomObject)
                {
                    var table = new Dictionary<string, object?>();
                    foreach (var property in pso.Properties)
                    {
                        table[property.Name] = ToPlain(property.Value, depth + 1);
                    }

                    return table;
                }

                value = pso.BaseObject;
            }

            switch (value)
            {
                case string _:
                    return value;
                case IDictionary dictionary:
                    // Kept in the caller's order, so the JSON body reads as it was written.
                    var copy = new System.Collections.Specialized.OrderedDictionary();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        copy[ToPlain(entry.Key, depth + 1) ?? string.Empty] = ToPlain(entry.Value, depth + 1);
                    }

                    return copy;
                case IEnumerable list:
                    var items = new List<object?>();
                    foreach (var item in list)
                    {
                        items.Add(ToPlain(item, depth + 1));
                    }

                    return items;
                default:
                    return value;
            }
        }

        /// <summary>Reads a positive id from whatever PowerShell hands over: a number, a numeric string, a wrapped value.</summary>
        public static bool TryPositiveId(object? value, out long id)
        {
            value = value is PSObject pso ? pso.BaseObject : value;
            id = 0;
            return value != null
                && long.TryParse(System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out id)
                && id > 0;
        }
    }
}
