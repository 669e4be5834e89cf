using System;
using System.Collections.Generic;
using System.Text.Json;

namespace WorkflowTools.Json
{
    /// <summary>
    /// JSON as plain .NET values, for the cmdlets, which never handle a System.Text.Json type themselves (that
    /// library is one of the core's isolated dependencies): an object is a <see cref="JsonProperties"/> list in
    /// the server's order, an array an <c>object?[]</c>, a string, number or boolean its .NET value, null null.
    /// </summary>
    internal static class JsonTree
    {
        public static object? From(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var properties = new JsonProperties();
                    foreach (var property in element.EnumerateObject())
                    {
                        properties.Add(new KeyValuePair<string, object?>(property.Name, From(property.Value)));
                    }

                    return properties;
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (var item in element.EnumerateArray())
                    {
                        items.Add(From(item));
                    }

                    return items.ToArray();
                default:
                    return element.ToPlain();
            }
        }

        /// <summary>The tree of a JSON body; false when the body is not JSON.</summary>
        public static bool TryParse(ReadOnlyMemory<byte> body, out object? tree)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                tree = From(doc.RootElement);
                return true;
            }
            catch (JsonException)
            {
                tree = null;
                return false;
            }
        }

        /// <summary>Why <paramref name="text"/> is not JSON, or null when it is.</summary>
        public static string? SyntaxProblem(string text)
        {
            try
            {
                using (JsonDocument.Parse(text))
                {
                    return null;
                }
            }
            catch (JsonException ex)
            {
                return ex.Message;
            }
        }

        /// <summary>JSON text as a request body that <see cref="JsonBody.Serialize"/> writes unchanged; throws <see cref="ArgumentException"/> with the syntax problem.</summary>
        public static object ParseBody(string text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                return doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new ArgumentException(ex.Message, ex);
            }
        }
    }

    /// <summary>A JSON object's properties in the order they came (a name the server repeats stays repeated).</summary>
    internal sealed class JsonProperties : List<KeyValuePair<string, object?>>
    {
    }
}
