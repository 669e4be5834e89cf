using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace WorkflowTools.Sandbox;

/// <summary>Small JSON helpers shared by both APIs (System.Text.Json nodes, names written explicitly in snake_case).</summary>
internal static class SandboxJson
{
    public const string NextMatterPrefix = "/nextmatter/api/";
    public const string ProcessMakerApiPrefix = "/processmaker/api/";
    public const string ProcessMakerOAuthPrefix = "/processmaker/oauth/";

    public static ApiArea AreaOf(string path)
    {
        if (path.StartsWith(NextMatterPrefix, StringComparison.Ordinal) || path == "/nextmatter/api") return ApiArea.NextMatter;
        if (path.StartsWith(ProcessMakerApiPrefix, StringComparison.Ordinal) || path.StartsWith(ProcessMakerOAuthPrefix, StringComparison.Ordinal))
            return ApiArea.ProcessMaker;
        return ApiArea.None;
    }

    /// <summary>
    /// Next Matter (DRF) time: Python's isoformat() in UTC with "Z": microseconds only when not zero,
    /// e.g. 2026-01-05T09:00:00Z or 2026-01-05T09:00:03.640067Z.
    /// </summary>
    public static string Time(DateTimeOffset t)
    {
        var u = t.ToUniversalTime();
        var format = u.Ticks % TimeSpan.TicksPerSecond / 10 == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
        return u.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static JsonNode? Time(DateTimeOffset? t) => t is { } v ? JsonValue.Create(Time(v)) : null;

    /// <summary>ProcessMaker (Laravel) style time: ISO 8601 with offset, no fraction.</summary>
    public static string PmTime(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonNode? PmTime(DateTimeOffset? t) => t is { } v ? JsonValue.Create(PmTime(v)) : null;

    public static JsonArray ArrayOf<T>(IEnumerable<T> items, Func<T, JsonNode?> map)
    {
        var a = new JsonArray();
        foreach (var i in items) a.Add(map(i));
        return a;
    }

    public static JsonArray Strings(IEnumerable<string> items) => ArrayOf(items, s => JsonValue.Create(s));

    public static JsonArray Longs(IEnumerable<long> items) => ArrayOf(items, s => JsonValue.Create(s));

    public static IResult Json(int status, JsonNode? body) => new JsonResult(status, body);

    /// <summary>DRF-style field error: {"field":["message"]}.</summary>
    public static IResult FieldError(string field, string message) =>
        Json(400, new JsonObject { [field] = new JsonArray(message) });

    public static IResult Detail(int status, string detail) => Json(status, new JsonObject { ["detail"] = detail });

    /// <summary>Reads the request body as JSON. Returns (node, ok); an empty body is (null, true).</summary>
    public static async Task<(JsonNode? Node, bool Ok)> ReadBodyAsync(HttpContext context)
    {
        context.Request.Body.Position = 0;
        using var reader = new System.IO.StreamReader(context.Request.Body, Encoding.UTF8, false, 4096, leaveOpen: true);
        var text = await reader.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(text)) return (null, true);
        try
        {
            return (JsonNode.Parse(text), true);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    /// <summary>Absolute URL of the request's host, e.g. http://127.0.0.1:5080.</summary>
    public static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}";

    /// <summary>Write '+', '&amp;', '&lt;' and non-ASCII as themselves, like Django and Laravel do.</summary>
    public static readonly JsonSerializerOptions WriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a JSON node with a status code.</summary>
    private sealed class JsonResult : IResult
    {
        private readonly int _status;
        private readonly JsonNode? _body;

        public JsonResult(int status, JsonNode? body)
        {
            _status = status;
            _body = body;
        }

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = _status;
            httpContext.Response.ContentType = "application/json";
            var text = _body == null ? "null" : _body.ToJsonString(WriteOptions);
            await httpContext.Response.WriteAsync(text, Encoding.UTF8);
        }
    }
}

/// <summary>The default error bodies of each platform, used by faults, auth and fallbacks.</summary>
internal static class ErrorBodies
{
    public static JsonNode NextMatter(int status, string? message = null) => new JsonObject
    {
        ["detail"] = message ?? status switch
        {
            400 => "Bad request.",
            401 => "Invalid API key.",
            403 => "You do not have permission to perform this action.",
            404 => "Not found.",
            405 => "Method not allowed.",
            429 => "Request was throttled. Expected available in 1 seconds.",
            500 => "A server error occurred.",
            502 => "Bad gateway.",
            503 => "Service temporarily unavailable, try again later.",
            504 => "Gateway timeout.",
            _ => $"Error {status}.",
        },
    };

    public static JsonNode ProcessMaker(int status, string? message = null) => status switch
    {
        401 => new JsonObject { ["error"] = message ?? "Unauthenticated." },
        404 => new JsonObject { ["error"] = message ?? "Not Found" },
        _ => new JsonObject
        {
            ["message"] = message ?? status switch
            {
                403 => "This action is unauthorized.",
                429 => "Too Many Attempts.",
                500 => "Server Error",
                503 => "Service Unavailable",
                _ => $"Error {status}",
            },
        },
    };

    public static Task WriteAsync(HttpContext context, ApiArea area, int status, string? message = null)
    {
        if (status is 204 or 304 || status < 200)
        {
            context.Response.StatusCode = status; // these statuses carry no body
            return Task.CompletedTask;
        }
        var body = area == ApiArea.ProcessMaker ? ProcessMaker(status, message) : NextMatter(status, message);
        return SandboxJson.Json(status, body).ExecuteAsync(context);
    }
}

/// <summary>Route helpers.</summary>
internal static class Routes
{
    /// <summary>Wraps an async handler as a Delegate so minimal APIs write its IResult (a plain HttpContext→Task lambda would be taken as a RequestDelegate and the result dropped).</summary>
    public static Delegate H(Func<HttpContext, Task<IResult>> handler) => handler;
}
