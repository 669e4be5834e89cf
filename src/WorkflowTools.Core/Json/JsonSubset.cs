using System;
using System.Linq;
using System.Text.Json;

namespace WorkflowTools.Json
{
    /// <summary>
    /// Whether a stored value holds what was sent: every property sent is there with an equal value (the store
    /// may hold more properties); arrays match item by item. Strings compare after the input cleaning servers
    /// do on the way in (surrounding white space trimmed, an empty string stored as null); numbers by value.
    /// </summary>
    internal static class JsonSubset
    {
        public static bool Holds(JsonElement stored, JsonElement sent)
        {
            switch (sent.ValueKind)
            {
                case JsonValueKind.Object:
                    if (stored.ValueKind != JsonValueKind.Object)
                    {
                        return false;
                    }

                    foreach (var property in sent.EnumerateObject())
                    {
                        if (!stored.TryGetProperty(property.Name, out var value))
                        {
                            if (IsEmpty(property.Value))
                            {
                                continue;
                            }

                            return false;
                        }

                        if (!Holds(value, property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Array:
                    if (stored.ValueKind != JsonValueKind.Array || stored.GetArrayLength() != sent.GetArrayLength())
                    {
                        return false;
                    }

                    return stored.EnumerateArray().Zip(sent.EnumerateArray(), (a, b) => Holds(a, b)).All(x => x);
                case JsonValueKind.String:
                    var text = sent.GetString()!.Trim();
                    if (text.Length == 0)
                    {
                        return IsEmpty(stored);
                    }

                    return stored.ValueKind == JsonValueKind.String && string.Equals(stored.GetString()!.Trim(), text, StringComparison.Ordinal);
                case JsonValueKind.Number:
                    if (stored.ValueKind != JsonValueKind.Number)
                    {
                        return false;
                    }

                    if (sent.TryGetDecimal(out var a) && stored.TryGetDecimal(out var b))
                    {
                        return a == b;
                    }

                    return sent.GetDouble().Equals(stored.GetDouble());
                case JsonValueKind.Null:
                    return IsEmpty(stored);
                default:
                    return stored.ValueKind == sent.ValueKind;
            }
        }

        private static bool IsEmpty(JsonElement value) =>
            value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length == 0);
    }
}
