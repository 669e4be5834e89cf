using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>One problem found in a seed file: where it is (line, JSON path) and what is wrong.</summary>
/// <param name="Line">1-based line of the value (or of the syntax error).</param>
/// <param name="Path">JSON path such as <c>nextMatter.processes[0].steps[1].fields[2].type</c>; "" for the document.</param>
/// <param name="Message">What is wrong and what is accepted.</param>
public sealed record SeedError(int Line, string Path, string Message)
{
    /// <summary><c>line 12, nextMatter.processes[0].name: ...</c></summary>
    public override string ToString() => Path.Length == 0 ? $"line {Line}: {Message}" : $"line {Line}, {Path}: {Message}";
}

/// <summary>A seed file that cannot be loaded; <see cref="Errors"/> lists every problem found.</summary>
public sealed class SeedFileException : Exception
{
    /// <summary>Create from the problems found in <paramref name="source"/>.</summary>
    public SeedFileException(string source, IReadOnlyList<SeedError> errors)
        : base($"{source}: {errors.Count} problem(s) in the seed file:" + Environment.NewLine + string.Join(Environment.NewLine, Describe(source, errors)))
    {
        Source_ = source;
        Errors = errors;
    }

    /// <summary>File name (or "seed") the errors refer to.</summary>
    public string Source_ { get; }

    /// <summary>Every problem, in document order.</summary>
    public IReadOnlyList<SeedError> Errors { get; }

    private static IEnumerable<string> Describe(string source, IReadOnlyList<SeedError> errors)
    {
        foreach (var e in errors) yield return $"  {source}:{e}";
    }
}

/// <summary>
/// Parses JSON into <see cref="JsonNode"/>s while remembering the line every node starts on, so the seed
/// validator can name the line of a bad value (System.Text.Json's nodes do not keep positions).
/// Comments and trailing commas are allowed: seed files are written by hand.
/// </summary>
internal sealed class LineTrackedJson
{
    private readonly ConditionalWeakTable<JsonNode, Box> _lines = new();
    private readonly List<int> _lineStarts = new() { 0 };

    private sealed class Box
    {
        public int Line;
    }

    public JsonNode? Root { get; private set; }

    /// <summary>Line of a node; <paramref name="fallback"/> for null (JSON null has no node).</summary>
    public int LineOf(JsonNode? node, int fallback) => node != null && _lines.TryGetValue(node, out var b) ? b.Line : fallback;

    /// <summary>Parses <paramref name="utf8"/>; a syntax error becomes a <see cref="SeedError"/> with its line.</summary>
    public static LineTrackedJson Parse(byte[] utf8, out SeedError? syntaxError)
    {
        var doc = new LineTrackedJson();
        syntaxError = null;
        var start = utf8.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        for (var i = start; i < utf8.Length; i++)
            if (utf8[i] == (byte)'\n') doc._lineStarts.Add(i + 1);
        var reader = new Utf8JsonReader(utf8.AsSpan(start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (utf8.AsSpan(start).Trim(" \t\r\n"u8).IsEmpty)
        {
            syntaxError = new SeedError(1, "", "The file is empty; a seed is a JSON object (see workflowtools-sandbox-seed.schema.json).");
            return doc;
        }
        try
        {
            reader.Read();
            doc.Root = doc.ReadValue(ref reader, start);
            if (reader.Read()) syntaxError = new SeedError(doc.Line(reader.TokenStartIndex + start), "", "Unexpected text after the end of the JSON document.");
        }
        catch (JsonException e)
        {
            syntaxError = new SeedError((int)(e.LineNumber ?? 0) + 1, "", doc.Root != null
                ? "Unexpected text after the end of the JSON document."
                : "Not valid JSON: " + Trim(e.Message));
        }
        return doc;
    }

    private static string Trim(string message)
    {
        // System.Text.Json appends " LineNumber: n | BytePositionInLine: m."; the line is reported separately.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private int Line(long offset)
    {
        var index = _lineStarts.BinarySearch((int)offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    private JsonNode? ReadValue(ref Utf8JsonReader reader, int start)
    {
        var line = Line(reader.TokenStartIndex + start);
        JsonNode? node;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var o = new JsonObject();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    var nameLine = Line(reader.TokenStartIndex + start);
                    reader.Read();
                    var value = ReadValue(ref reader, start);
                    if (o.ContainsKey(name)) throw new JsonException($"Property \"{name}\" is given twice (line {nameLine}).", null, nameLine - 1, null);
                    o[name] = value;
                }
                node = o;
                break;
            case JsonTokenType.StartArray:
                var a = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    a.Add(ReadValue(ref reader, start));
                node = a;
                break;
            case JsonTokenType.String:
                node = JsonValue.Create(reader.GetString());
                break;
            case JsonTokenType.Number:
                node = reader.TryGetInt64(out var l) ? JsonValue.Create(l) : JsonValue.Create(reader.GetDouble());
                break;
            case JsonTokenType.True:
                node = JsonValue.Create(true);
                break;
            case JsonTokenType.False:
                node = JsonValue.Create(false);
                break;
            default:
                node = null;
                break;
        }
        if (node != null) _lines.Add(node, new Box { Line = line });
        return node;
    }
}
