using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The sandbox's own control endpoints under <c>/_sandbox/</c>, for the module's sandbox cmdlets and for tests
/// in any language: health, the request log, fault rules, the clock, reset and shutdown. They are not part of either
/// fake API: no API key but the sandbox's control token (<see cref="SandboxAccess"/>, checked for every path under
/// <c>/_sandbox</c> before routing, so a route added here later is covered too), no faults, latency or rate limit, and
/// they are left out of the request log they serve. A POST must say <c>Content-Type: application/json</c>, which
/// a web page cannot send to another origin without asking first.
/// </summary>
internal sealed class SandboxControlApi
{
    /// <summary>Path prefix of the control endpoints.</summary>
    public const string Prefix = "/_sandbox/";

    private readonly SandboxServer _server;

    public SandboxControlApi(SandboxServer server) => _server = server;

    public void Map(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/_sandbox");
        g.MapGet("/health", () => Json(200, Health()));
        g.MapGet("/requests", (HttpContext c) => Requests(c));
        g.MapDelete("/requests", () => { _server.Requests.Clear(); return Results.StatusCode(204); });
        g.MapGet("/faults", () => Json(200, Faults()));
        g.MapPost("/faults", (Delegate)AddFaultAsync);
        g.MapDelete("/faults", () => { _server.Faults.Clear(); return Results.StatusCode(204); });
        g.MapGet("/clock", () => Json(200, new JsonObject { ["now"] = Iso(_server.Clock.Now) }));
        g.MapPost("/clock", (Delegate)ClockAsync);
        g.MapPost("/shutdown", (Delegate)ShutdownAsync);
        g.MapPost("/reset", (Delegate)ResetAsync);
    }

    private JsonObject Health() => new()
    {
        ["status"] = "ok",
        ["processId"] = Environment.ProcessId,
        ["nextMatter"] = _server.NextMatterBaseUri.ToString(),
        ["processMaker"] = _server.ProcessMakerInstanceUri.ToString(),
        ["processMakerApi"] = _server.ProcessMakerBaseUri.ToString(),
        ["clock"] = Iso(_server.Clock.Now),
        ["seed"] = _server.Options.SeedSource,
    };

    /// <summary><c>?after=N</c>: only requests with a higher sequence number.</summary>
    private IResult Requests(HttpContext c)
    {
        long after = 0;
        if (c.Request.Query.TryGetValue("after", out var a) && !long.TryParse(a.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out after))
            return Problem(400, "after must be a request sequence number.");
        var rows = new JsonArray();
        foreach (var r in _server.Requests.All.Where(r => r.Sequence > after && !r.Path.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(r => r.Sequence))
        {
            rows.Add(new JsonObject
            {
                ["sequence"] = r.Sequence,
                ["time"] = Iso(r.Time),
                ["method"] = r.Method,
                ["path"] = r.Path,
                ["query"] = r.Query,
                ["body"] = r.Body,
                ["status"] = r.StatusCode,
            });
        }
        return Json(200, rows);
    }

    private JsonArray Faults()
    {
        var rows = new JsonArray();
        var n = 0;
        foreach (var rule in _server.Faults.Rules)
            rows.Add(new JsonObject { ["index"] = ++n, ["spec"] = FaultSpec.Format(rule), ["hits"] = rule.Hits, ["spent"] = rule.Hits >= rule.Times });
        return rows;
    }

    /// <summary>Body: <c>{"spec": "kind=status,status=429"}</c> or the same keys as properties.</summary>
    private async Task<IResult> AddFaultAsync(HttpContext c)
    {
        var (body, error) = await ReadAsync(c);
        if (error != null) return error;
        FaultRule rule;
        try
        {
            rule = body!.TryGetPropertyValue("spec", out var spec) && body.Count == 1
                ? FaultSpec.Parse(spec?.GetValue<string>() ?? "")
                : FaultSpec.FromJson(body);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return Problem(400, e.Message);
        }
        _server.Faults.Add(rule);
        return Json(201, new JsonObject { ["index"] = _server.Faults.Rules.Count, ["spec"] = FaultSpec.Format(rule) });
    }

    /// <summary>Body: <c>{"advance": "1 00:00:00"}</c> (a duration, may be negative with a leading '-') or <c>{"set": "2026-01-05T09:00:00Z"}</c>.</summary>
    private async Task<IResult> ClockAsync(HttpContext c)
    {
        var (body, error) = await ReadAsync(c);
        if (error != null) return error;
        var advance = body!["advance"] is JsonValue av && av.TryGetValue<string>(out var a) ? a : null;
        var set = body["set"] is JsonValue sv && sv.TryGetValue<string>(out var s) ? s : null;
        if ((advance == null) == (set == null)) return Problem(400, "give either advance (a duration such as \"1 00:00:00\") or set (an ISO 8601 time).");
        if (advance != null)
        {
            var negative = advance.StartsWith('-');
            if (!SeedDocument.TryParseDuration(negative ? advance[1..] : advance, out var by))
                return Problem(400, $"advance: '{advance}' is not a duration (\"1 00:00:00\" is a day, \"02:00:00\" two hours, or ISO 8601 \"P1D\").");
            // Compared without adding, so no value overflows: the clock stays within its range.
            var now = _server.Clock.Now;
            if (negative ? by > now - SandboxClock.Earliest : by > SandboxClock.Latest - now)
                return Problem(400, $"advance: '{advance}' would move the clock past {(negative ? "1970-01-01" : "2999-12-31 23:59:59")} UTC; the clock stays between 1970-01-01 and 2999-12-31 23:59:59 UTC.");
            _server.Clock.Advance(negative ? -by : by);
        }
        else
        {
            if (!DateTimeOffset.TryParse(set, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                return Problem(400, $"set: '{set}' is not an ISO 8601 time.");
            if (!SandboxClock.InRange(at))
                return Problem(400, $"set: '{set}' is outside the clock's range, 1970-01-01 to 2999-12-31 23:59:59 UTC.");
            _server.Clock.Set(at);
        }
        return Json(200, new JsonObject { ["now"] = Iso(_server.Clock.Now) });
    }

    /// <summary>Body: <c>{}</c>. Data, request log, faults, clock and rate limits back to the start (<see cref="SandboxServer.Reset"/>).</summary>
    private async Task<IResult> ResetAsync(HttpContext c)
    {
        var (body, error) = await ReadAsync(c);
        if (error != null) return error;
        if (body!.Count > 0) return Problem(400, "reset takes no options: send {}.");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _server.Reset();
        return Json(200, new JsonObject
        {
            ["now"] = Iso(_server.Clock.Now),
            ["seed"] = _server.Options.SeedSource,
            ["milliseconds"] = Math.Round(watch.Elapsed.TotalMilliseconds, 1),
        });
    }

    private async Task<IResult> ShutdownAsync(HttpContext c)
    {
        var (_, error) = await ReadAsync(c);
        if (error != null) return error;
        // Answer first; the host stops once this response is written.
        c.Response.OnCompleted(() => { _server.RequestStop(); return Task.CompletedTask; });
        return Json(202, new JsonObject { ["status"] = "stopping" });
    }

    private static async Task<(JsonObject? Body, IResult? Error)> ReadAsync(HttpContext c)
    {
        if (c.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            return (null, Problem(415, "send Content-Type: application/json."));
        try
        {
            var node = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted);
            return node is JsonObject o ? (o, null) : (null, Problem(400, "the body must be a JSON object."));
        }
        catch (System.Text.Json.JsonException e)
        {
            return (null, Problem(400, "the body is not valid JSON: " + e.Message));
        }
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static IResult Problem(int status, string message) => Json(status, new JsonObject { ["error"] = message });

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static IResult Json(int status, JsonNode body) =>
        Results.Content(body.ToJsonString(Readable), "application/json", System.Text.Encoding.UTF8, status);
}
