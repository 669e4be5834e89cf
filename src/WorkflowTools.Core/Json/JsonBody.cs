using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace WorkflowTools.Json
{
    /// <summary>
    /// Serialises plain .NET values (dictionaries, lists, strings, numbers, dates) into request bodies.
    /// Anything that has no faithful JSON form is refused before a request is built.
    /// </summary>
    internal static class JsonBody
    {
        private const int MaxDepth = 32;

        public static byte[] Serialize(object? value)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                Write(writer, value, 0, "$");
            }

            return stream.ToArray();
        }

        /// <summary>Checks that a value can become JSON; returns the reason when it cannot.</summary>
        public static bool TryValidate(object? value, out string? problem)
        {
            try
            {
                Serialize(value);
                problem = null;
                return true;
            }
            catch (ArgumentException ex)
            {
                problem = ex.Message;
                return false;
            }
        }

        /// <summary>The canonical form of a date on the wire: UTC, millisecond precision, Z suffix.</summary>
        public static string FormatDate(DateTime value)
        {
            var utc = value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Local).ToUniversalTime() : value.ToUniversalTime();
            return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        public static string FormatDate(DateTimeOffset value) =>
            value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        internal static void Write(Utf8JsonWriter writer, object? value, int depth, string path)
        {
            if (depth > MaxDepth)
            {
                throw new ArgumentException($"The value at {path} is nested more than {MaxDepth} levels deep (a value that refers to itself?).");
            }

            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return;
                case string s:
                    writer.WriteStringValue(s);
                    return;
                case char c:
                    writer.WriteStringValue(c.ToString());
                    return;
                case bool b:
                    writer.WriteBooleanValue(b);
                    return;
                case byte _:
                case sbyte _:
                case short _:
                case ushort _:
                case int _:
                case uint _:
                case long _:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    return;
                case ulong ul:
                    writer.WriteNumberValue(ul);
                    return;
                case float f:
                    WriteFloating(writer, f, path);
                    return;
                case double d:
                    WriteFloating(writer, d, path);
                    return;
                case decimal m:
                    writer.WriteNumberValue(m);
                    return;
                case DateTime dt:
                    writer.WriteStringValue(FormatDate(dt));
                    return;
                case DateTimeOffset dto:
                    writer.WriteStringValue(FormatDate(dto));
                    return;
                case Guid g:
                    writer.WriteStringValue(g.ToString());
                    return;
                case Uri u:
                    writer.WriteStringValue(u.ToString());
                    return;
                case Enum e:
                    writer.WriteStringValue(e.ToString());
                    return;
                case JsonElement element:
                    element.WriteTo(writer);
                    return;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture);
                        if (string.IsNullOrEmpty(key))
                        {
                            throw new ArgumentException($"The object at {path} has an empty key.");
                        }

                        writer.WritePropertyName(key);
                        Write(writer, entry.Value, depth + 1, path + "." + key);
                    }

                    writer.WriteEndObject();
                    return;
                case IEnumerable list:
                    writer.WriteStartArray();
                    var index = 0;
                    foreach (var item in list)
                    {
                        Write(writer, item, depth + 1, $"{path}[{index++}]");
                    }

                    writer.WriteEndArray();
                    return;
                default:
                    throw new ArgumentException($"The value at {path} is a {value.GetType().FullName}, which cannot be sent as JSON. Use strings, numbers, booleans, dates, arrays and hashtables.");
            }
        }

        private static void WriteFloating(Utf8JsonWriter writer, double value, string path)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                throw new ArgumentException($"The value at {path} is {value}, which JSON cannot carry.");
            }

            writer.WriteNumberValue(value);
        }
    }
}
