using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace WorkflowTools.Json
{
    /// <summary>Tolerant readers for response bodies: a missing or oddly typed field gives null, never an exception.</summary>
    internal static class JsonRead
    {
        public static JsonElement? Prop(this JsonElement element, string name)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null && value.ValueKind != JsonValueKind.Undefined)
            {
                return value;
            }

            return null;
        }

        public static string? Str(this JsonElement element, string name)
        {
            var value = element.Prop(name);
            return value == null ? null : Text(value.Value);
        }

        private static string? Text(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return value.GetString();
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return value.GetRawText();
                default:
                    return null;
            }
        }

        public static long? Long(this JsonElement element, string name)
        {
            var value = element.Prop(name);
            if (value == null)
            {
                return null;
            }

            if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetInt64(out var number))
            {
                return number;
            }

            if (value.Value.ValueKind == JsonValueKind.String && long.TryParse(value.Value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }

            return null;
        }

        public static double? Double(this JsonElement element, string name)
        {
            var value = element.Prop(name);
            if (value == null)
            {
                return null;
            }

            if (value.Value.ValueKind == JsonValueKind.Number)
            {
                return value.Value.GetDouble();
            }

            return value.Value.ValueKind == JsonValueKind.String && double.TryParse(value.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (double?)null;
        }

        /// <summary>A timestamp as a UTC <see cref="DateTime"/>.</summary>
        public static DateTime? Date(this JsonElement element, string name)
        {
            var value = element.Prop(name);
            if (value == null)
            {
                return null;
            }

            // ISO 8601 (what both APIs write) is read by the JSON reader's own parser, without a string: it
            // says whether the text had a zone. Without one the time is taken as UTC, as below.
            if (value.Value.ValueKind == JsonValueKind.String && value.Value.TryGetDateTime(out var iso))
            {
                switch (iso.Kind)
                {
                    case DateTimeKind.Utc:
                        return iso;
                    case DateTimeKind.Unspecified:
                        return DateTime.SpecifyKind(iso, DateTimeKind.Utc);
                    default:
                        // An offset other than Z: read it with the offset, not via local time.
                        if (value.Value.TryGetDateTimeOffset(out var withOffset))
                        {
                            return withOffset.UtcDateTime;
                        }

                        break;
                }
            }

            var text = Text(value.Value);
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed.UtcDateTime
                : (DateTime?)null;
        }

        public static string[] Strings(this JsonElement element, string name)
        {
            var value = element.Prop(name);
            if (value == null || value.Value.ValueKind != JsonValueKind.Array || value.Value.GetArrayLength() == 0)
            {
                return Array.Empty<string>();
            }

            var list = new List<string>(value.Value.GetArrayLength());
            foreach (var item in value.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    list.Add(item.GetString()!);
                }
                else if (item.ValueKind == JsonValueKind.Number)
                {
                    list.Add(item.GetRawText());
                }
                else if (item.ValueKind == JsonValueKind.Object && item.Str("name") is string tagName)
                {
                    list.Add(tagName);
                }
            }

            return list.ToArray();
        }

        public static long[] Longs(this JsonElement element, string name)
        {
            var value = element.Prop(name);
            if (value == null || value.Value.ValueKind != JsonValueKind.Array || value.Value.GetArrayLength() == 0)
            {
                return Array.Empty<long>();
            }

            var numbers = new long[value.Value.GetArrayLength()];
            var count = 0;
            foreach (var item in value.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var n))
                {
                    numbers[count++] = n;
                }
            }

            if (count < numbers.Length)
            {
                Array.Resize(ref numbers, count);
            }

            return numbers;
        }

        /// <summary>
        /// Converts JSON into plain .NET values: objects become case-insensitive <see cref="JsonData"/> tables,
        /// arrays object[], numbers long or double.
        /// </summary>
        public static object? ToPlain(this JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var table = new JsonData();
                    foreach (var property in element.EnumerateObject())
                    {
                        table[property.Name] = property.Value.ToPlain();
                    }

                    return table;
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (var item in element.EnumerateArray())
                    {
                        items.Add(item.ToPlain());
                    }

                    return items.ToArray();
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    if (element.TryGetInt64(out var integer))
                    {
                        return integer;
                    }

                    return element.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// A hashtable of values that came as a JSON object. Indexable like any PowerShell hashtable
    /// (<c>$r.Data.name</c>), and its text form is compact JSON, so <c>Export-Csv</c> writes a meaningful cell.
    /// </summary>
    [Serializable]
    public sealed class JsonData : Hashtable
    {
        public JsonData()
            : base(StringComparer.OrdinalIgnoreCase)
        {
        }

        private JsonData(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context)
            : base(info, context)
        {
        }

        public string ToJson() => System.Text.Encoding.UTF8.GetString(JsonBody.Serialize(this));

        public override string ToString() => ToJson();
    }
}
