using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using static WorkflowTools.Sandbox.SandboxJson;
using static WorkflowTools.Sandbox.Routes;

namespace WorkflowTools.Sandbox;

/// <summary>Routes of the Next Matter API under <c>/nextmatter/api/</c> (Django/DRF behaviour: APPEND_SLASH redirects, HTML 404 for unknown routes, {"detail"} errors).</summary>
internal sealed partial class NextMatterApi
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 500;
    private static readonly Regex ProcessUrl = new(@"^https?://[^/]+(/.*)?/processes/(?<id>[0-9]+)/$", RegexOptions.CultureInvariant);

    private readonly SandboxServer _server;
    private NextMatterStore Store => _server.NextMatter;
    private DateTimeOffset Now => _server.Clock.Now;

    public NextMatterApi(SandboxServer server) => _server = server;

    public void Map(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/nextmatter/api");
        g.AddEndpointFilter(async (ctx, next) => AppendSlash(ctx.HttpContext) ?? Authenticate(ctx.HttpContext) ?? await next(ctx));

        g.MapPost("/instances/", H(CreateInstance));
        g.MapGet("/instances/{id:long}/", (HttpContext c, long id) => GetInstance(c, id));
        g.MapPut("/instances/{id:long}/", (HttpContext c, long id) => UpdateInstance(c, id, partial: false));
        g.MapPatch("/instances/{id:long}/", (HttpContext c, long id) => UpdateInstance(c, id, partial: true));
        g.MapPost("/instances/{id:long}/complete_step/", (HttpContext c, long id) => CompleteStep(c, id));
        g.MapPost("/instances/bulk/abort", H(c => Bulk(c, abort: true)));
        g.MapPost("/instances/bulk/delete", H(c => Bulk(c, abort: false)));
        g.MapGet("/processes/", (HttpContext c) => ListProcesses(c));
        g.MapGet("/processes/{pid:long}/", (HttpContext c, long pid) => GetProcess(c, pid));
        g.MapGet("/processes/{pid:long}/instances/", (HttpContext c, long pid) => ListInstances(c, pid));
        g.MapGet("/v2/processes/{pid:long}/instances/", (HttpContext c, long pid) => ListInstancesV2(c, pid));
        g.MapGet("/processes/{pid:long}/steps/{sid:long}/actions/{aid:long}/", (HttpContext c, long pid, long sid, long aid) => ActionValues(c, pid, sid, aid));
        app.Map("/nextmatter/api/{**rest}", (HttpContext c) => Fallback(c));
    }

    // ---------- Django's URL handling ----------

    /// <summary>
    /// Django's CommonMiddleware with APPEND_SLASH, before any view (so before authentication): a path without its
    /// trailing slash whose slashed form is a route is redirected there with 301, query kept. In production Django
    /// does so for every method, so a POST arrives at the new address as a GET and fails. The bulk routes are
    /// documented without the slash and are served as they are.
    /// </summary>
    private static IResult? AppendSlash(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.EndsWith('/') || path.Contains("/instances/bulk/", StringComparison.Ordinal)) return null;
        context.Response.Headers.Location = Origin(context.Request) + path + "/" + context.Request.QueryString.Value;
        return Results.StatusCode(301);
    }

    /// <summary>Django's production 404 page for a path no route matches (an HTML page, not DRF's JSON).</summary>
    private static IResult HtmlNotFound(HttpContext context) => Results.Content(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n",
        "text/html; charset=utf-8", Encoding.UTF8, 404);

    // ---------- auth ----------

    private IResult? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Api-Key ", StringComparison.OrdinalIgnoreCase) || header.Length <= 8)
            return Unauthorized(context, "Authentication credentials were not provided.");
        var key = Store.Authenticate(header[8..].Trim());
        if (key == null) return Unauthorized(context, "Invalid API key.");
        context.Items[ContextKeys.User] = key.UserId;
        return null;
    }

    private static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Api-Key";
        return Detail(401, detail);
    }

    private static long UserOf(HttpContext c) => (long)c.Items[ContextKeys.User]!;

    // ---------- instances ----------

    private async Task<IResult> CreateInstance(HttpContext context)
    {
        var (o, bodyError) = await ReadObjectAsync(context);
        if (bodyError != null) return bodyError;

        var errors = new JsonObject();
        NmProcess? process = null;
        var processNode = o["process"];
        if (processNode == null) errors["process"] = new JsonArray("This field is required.");
        else if (processNode is not JsonValue pv || !pv.TryGetValue<string>(out var url))
            errors["process"] = new JsonArray($"Incorrect type. Expected URL string, received {TypeName(processNode)}.");
        else
        {
            var m = ProcessUrl.Match(url);
            process = m.Success && long.TryParse(m.Groups["id"].Value, out var pid) ? Store.FindProcess(pid) : null;
            if (process == null) errors["process"] = new JsonArray("Invalid hyperlink - Object does not exist.");
        }

        var fields = ValidateEditable(o, errors);
        var name = fields.Name;
        if (process != null && process.AutoNamed && !string.IsNullOrEmpty(name))
            errors["name"] = new JsonArray("This workflow names its instances automatically; name must be empty.");

        var assignments = new Dictionary<long, long>();
        if (o["step_assignments"] is { } sa)
        {
            if (sa is not JsonArray list) errors["step_assignments"] = new JsonArray($"Expected a list of items but got type \"{TypeName(sa)}\".");
            else
                foreach (var item in list)
                {
                    if (item is not JsonObject a || !TryLong(a["step_id"], out var stepId) || !TryLong(a["user_id"], out var userId))
                    { errors["step_assignments"] = new JsonArray("Each item needs integer step_id and user_id."); break; }
                    if (process != null && process.Steps.All(s => s.Id != stepId))
                    { errors["step_assignments"] = new JsonArray($"Step {stepId} does not belong to this workflow."); break; }
                    if (!Store.UserExists(userId))
                    { errors["step_assignments"] = new JsonArray($"Invalid pk \"{userId}\" - object does not exist."); break; }
                    assignments[stepId] = userId;
                }
        }
        if (errors.Count > 0) return Json(400, errors);

        var seq = context.Items[ContextKeys.Sequence] as long?;
        var instance = Store.CreateFromApi(process!, name, fields.Deadline, fields.Priority, fields.Tags ?? System.Array.Empty<string>(), assignments, UserOf(context), seq);
        context.Response.Headers.Location = InstanceUrl(context, instance.Id);
        return Json(201, InstanceDetail(context, instance, false, false));
    }

    private sealed record EditableFields(string? Name, bool HasName, DateTimeOffset? Deadline, bool HasDeadline, string? Priority, bool HasPriority, string[]? Tags);

    /// <summary>name, deadline, priority, tags: the writable fields shared by create and update.</summary>
    private static EditableFields ValidateEditable(JsonObject o, JsonObject errors)
    {
        string? name = null;
        if (o["name"] is { } n)
        {
            if (n is not JsonValue nv || !nv.TryGetValue<string>(out name)) errors["name"] = new JsonArray("Not a valid string.");
            else if (name.Length > 255) errors["name"] = new JsonArray("Ensure this field has no more than 255 characters.");
        }
        DateTimeOffset? deadline = null;
        if (o["deadline"] is { } d)
        {
            if (d is JsonValue dv && dv.TryGetValue<string>(out var ds) && NextMatterFilters.TryParseIso(ds, out var dt)) deadline = dt;
            else errors["deadline"] = new JsonArray("Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].");
        }
        string? priority = null;
        if (o["priority"] is { } p)
        {
            var text = p is JsonValue pv && pv.TryGetValue<string>(out var ps) ? ps : p.ToJsonString();
            // The documented choices are V and H; regular is null or the field left out. DRF's ChoiceField
            // refuses anything else, the empty string included.
            if (text is "V" or "H") priority = text;
            else errors["priority"] = new JsonArray($"\"{text}\" is not a valid choice.");
        }
        string[]? tags = null;
        if (o["tags"] is { } t)
        {
            if (t is not JsonArray ta) errors["tags"] = new JsonArray($"Expected a list of items but got type \"{TypeName(t)}\".");
            else if (ta.Any(x => x is not JsonValue xv || !xv.TryGetValue<string>(out _))) errors["tags"] = new JsonArray("Not a valid string.");
            else tags = ta.Select(x => x!.GetValue<string>()).ToArray();
        }
        return new EditableFields(name, o.ContainsKey("name"), deadline, o.ContainsKey("deadline"), priority, o.ContainsKey("priority"), tags);
    }

    private IResult GetInstance(HttpContext context, long id)
    {
        var instance = Store.FindInstance(id);
        if (instance == null) return Detail(404, "Not found.");
        var q = context.Request.Query;
        return Json(200, InstanceDetail(context, instance, IsTrue(q["inject_values"]), IsTrue(q["steps_time_frame"])));
    }

    private async Task<IResult> UpdateInstance(HttpContext context, long id, bool partial)
    {
        var instance = Store.FindInstance(id);
        if (instance == null) return Detail(404, "Not found.");
        var (o, bodyError) = await ReadObjectAsync(context);
        if (bodyError != null) return bodyError;
        var errors = new JsonObject();
        if (o["process"] is { } pn)
        {
            var m = pn is JsonValue pv && pv.TryGetValue<string>(out var url) ? ProcessUrl.Match(url) : Match.Empty;
            if (!m.Success || m.Groups["id"].Value != instance.ProcessId.ToString(CultureInfo.InvariantCulture))
                errors["process"] = new JsonArray("Invalid hyperlink - Object does not exist.");
        }
        var f = ValidateEditable(o, errors);
        if (errors.Count > 0) return Json(400, errors);
        Store.Update(instance, i =>
        {
            if (f.HasName || !partial) i.Name = string.IsNullOrEmpty(f.Name) ? i.Name : f.Name;
            if (f.HasDeadline || !partial) i.Deadline = f.Deadline;
            if (f.HasPriority || !partial) i.Priority = f.Priority;
            if (f.Tags != null || !partial) i.Tags = f.Tags ?? System.Array.Empty<string>();
        });
        return Json(200, InstanceDetail(context, instance, false, false));
    }

    private async Task<IResult> CompleteStep(HttpContext context, long id)
    {
        var instance = Store.FindInstance(id);
        if (instance == null) return Detail(404, "Not found.");
        var (o, bodyError) = await ReadObjectAsync(context);
        if (bodyError != null) return bodyError;

        var errors = new JsonObject();
        long stepId = 0;
        if (o["step_id"] == null) errors["step_id"] = new JsonArray("This field is required.");
        else if (!TryLong(o["step_id"], out stepId)) errors["step_id"] = new JsonArray("A valid integer is required.");
        var actions = new List<(long, JsonNode?)>();
        if (o["actions"] == null) errors["actions"] = new JsonArray("This field is required.");
        else if (o["actions"] is not JsonArray list) errors["actions"] = new JsonArray($"Expected a list of items but got type \"{TypeName(o["actions"]!)}\".");
        else
            foreach (var item in list)
            {
                if (item is not JsonObject a || !TryLong(a["action_id"], out var actionId) || !a.ContainsKey("input_object"))
                { errors["actions"] = new JsonArray("Each action needs an integer action_id and an input_object."); break; }
                actions.Add((actionId, a["input_object"]));
            }
        if (errors.Count > 0) return Json(400, errors);

        var failure = Store.CompleteStep(instance, UserOf(context), stepId, actions);
        if (failure is { } f) return Json(f.Status, f.Body);
        return Json(200, InstanceDetail(context, instance, false, false));
    }

    private async Task<IResult> Bulk(HttpContext context, bool abort)
    {
        var (o, bodyError) = await ReadObjectAsync(context);
        if (bodyError != null) return bodyError;
        var idsNode = o["ids"];
        if (idsNode == null) return FieldError("ids", "This field is required.");
        if (idsNode is not JsonArray arr) return FieldError("ids", $"Expected a list of items but got type \"{TypeName(idsNode)}\".");
        var ids = new List<long>();
        foreach (var x in arr)
        {
            if (!TryLong(x, out var id)) return FieldError("ids", "A valid integer is required.");
            ids.Add(id);
        }
        if (ids.Count == 0) return FieldError("ids", "This list may not be empty.");
        var user = UserOf(context);
        if (user != NextMatterStore.BotUserId)
            foreach (var id in ids)
                if (Store.FindInstance(id) is { } i && i.CreatedByUserId != user)
                    return Detail(403, "You do not have permission to perform this action.");
        var missing = abort ? Store.Abort(ids) : Store.Delete(ids);
        if (missing.Count > 0) return Detail(404, "Not found.");
        return abort ? Json(201, new JsonObject { ["ids"] = Longs(ids) }) : Results.StatusCode(204);
    }

    // ---------- processes and lists ----------

    private IResult ListProcesses(HttpContext context)
    {
        var rows = Store.Processes.OrderBy(p => p.Id).Select(p => (JsonNode)ProcessDetail(context, p)).ToList();
        return Paginate(context, rows.Count, (skip, take) => rows.Skip(skip).Take(take));
    }

    private IResult GetProcess(HttpContext context, long pid)
    {
        var process = Store.FindProcess(pid);
        return process == null ? Detail(404, "Not found.") : Json(200, ProcessDetail(context, process));
    }

    private IResult ListInstances(HttpContext context, long pid)
    {
        if (Store.FindProcess(pid) == null) return Detail(404, "Not found.");
        var now = Now;
        IEnumerable<NmInstance> rows = Store.InstancesOf(pid);
        lock (Store.Gate) // rows are read while other requests may complete steps
        {
            var error = NextMatterFilters.Apply(context.Request.Query, now, ref rows);
            if (error != null) return Json(400, error);
            var list = rows.ToList();
            return Paginate(context, list.Count, (skip, take) => list.Skip(skip).Take(take).Select(i => (JsonNode)ListRow(context, i, now)).ToList());
        }
    }

    /// <summary>v2: DRF cursor pagination ordered by id; rows {id, name, status, public_url}.</summary>
    private IResult ListInstancesV2(HttpContext context, long pid)
    {
        if (Store.FindProcess(pid) == null) return Detail(404, "Not found.");
        IEnumerable<NmInstance> rows = Store.InstancesOf(pid);
        var query = new QueryCollection(context.Request.Query.Where(kv => kv.Key != "ordering").ToDictionary(kv => kv.Key, kv => kv.Value));
        List<NmInstance> list;
        lock (Store.Gate)
        {
            var error = NextMatterFilters.Apply(query, Now, ref rows);
            if (error != null) return Json(400, error);
            list = rows.OrderBy(i => i.Id).ToList();
        }
        var size = PageSize(context);

        var reverse = false;
        long? position = null;
        if (context.Request.Query["cursor"] is { Count: > 0 } c && c[0] is { Length: > 0 } cursor)
        {
            if (!TryDecodeCursor(cursor, out reverse, out var p)) return Detail(404, "Invalid cursor");
            position = p;
        }
        List<NmInstance> page;
        if (!reverse)
            page = list.Where(i => position == null || i.Id > position).Take(size).ToList();
        else
        {
            var before = list.Where(i => i.Id < position).ToList();
            page = before.Skip(Math.Max(0, before.Count - size)).ToList();
        }
        var hasNext = page.Count > 0 && list.Any(i => i.Id > page[^1].Id);
        var hasPrevious = page.Count > 0 && list.Any(i => i.Id < page[0].Id);
        var result = new JsonObject
        {
            ["next"] = hasNext ? WithQuery(context, "cursor", EncodeCursor(false, page[^1].Id)) : null,
            ["previous"] = hasPrevious ? WithQuery(context, "cursor", EncodeCursor(true, page[0].Id)) : null,
            ["results"] = ArrayOf(page, i => new JsonObject
            {
                ["id"] = i.Id, ["name"] = i.Name, ["status"] = i.Status, ["public_url"] = null,
            }),
        };
        return Json(200, result);
    }

    private IResult ActionValues(HttpContext context, long pid, long sid, long aid)
    {
        var process = Store.FindProcess(pid);
        var step = process?.Steps.FirstOrDefault(s => s.Id == sid);
        var action = step?.Actions.FirstOrDefault(a => a.Id == aid);
        if (action == null) return Detail(404, "Not found.");
        IEnumerable<NmInstance> rows = Store.InstancesOf(pid);
        lock (Store.Gate)
        {
            var error = NextMatterFilters.Apply(context.Request.Query, Now, ref rows);
            if (error != null) return Json(400, error);
            var list = rows.ToList();
            return Paginate(context, list.Count, (skip, take) => list.Skip(skip).Take(take).Select(i => (JsonNode)new JsonObject
            {
                ["value"] = i.Values.TryGetValue(aid, out var v) ? v?.DeepClone() : null,
                ["instance_id"] = i.Id,
                ["instance_name"] = i.Name,
                ["settings"] = ActionSettings(action),
            }).ToList());
        }
    }

    // ---------- small helpers ----------

    /// <summary>DRF request parsing: JSON only (415 otherwise), parse errors 400, non-objects 400.</summary>
    private static async Task<(JsonObject Body, IResult? Error)> ReadObjectAsync(HttpContext context)
    {
        var (body, ok) = await ReadBodyAsync(context);
        var type = context.Request.ContentType;
        if (body != null || !ok)
        {
            var media = (type ?? "").Split(';')[0].Trim();
            if (media.Length > 0 && !media.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                return (new JsonObject(), Detail(415, $"Unsupported media type \"{type}\" in request."));
        }
        if (!ok) return (new JsonObject(), Detail(400, "JSON parse error - Expecting value: line 1 column 1 (char 0)"));
        if (body is not JsonObject o) return (new JsonObject(), body == null ? null : NonObject(body));
        return (o, null);
    }

    /// <summary>Known paths and their methods, so a wrong method gets DRF's 405 rather than 404.</summary>
    private static readonly (Regex Path, string Allow)[] KnownRoutes =
    {
        (new Regex(@"^/nextmatter/api/instances/?$"), "POST, OPTIONS"),
        (new Regex(@"^/nextmatter/api/instances/[0-9]+/?$"), "GET, PUT, PATCH, HEAD, OPTIONS"),
        (new Regex(@"^/nextmatter/api/instances/[0-9]+/complete_step/?$"), "POST, OPTIONS"),
        (new Regex(@"^/nextmatter/api/instances/bulk/(abort|delete)/?$"), "POST, OPTIONS"),
        (new Regex(@"^/nextmatter/api/(v2/)?processes/([0-9]+/(instances/|steps/[0-9]+/actions/[0-9]+/?)?)?$"), "GET, HEAD, OPTIONS"),
    };

    private IResult Fallback(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        foreach (var (pattern, allow) in KnownRoutes)
        {
            if (!pattern.IsMatch(path)) continue;
            if (AppendSlash(context) is { } redirect) return redirect;
            if (Authenticate(context) is { } denied) return denied;
            context.Response.Headers.Allow = allow;
            return Detail(405, $"Method \"{context.Request.Method}\" not allowed.");
        }
        return HtmlNotFound(context);
    }

    private static IResult NonObject(JsonNode? body) => Json(400, new JsonObject
    {
        ["non_field_errors"] = new JsonArray($"Invalid data. Expected a dictionary, but got {(body == null ? "NoneType" : TypeName(body))}."),
    });

    private static string TypeName(JsonNode node) => node switch
    {
        JsonArray => "list",
        JsonObject => "dict",
        JsonValue v when v.TryGetValue<string>(out _) => "str",
        JsonValue v when v.TryGetValue<bool>(out _) => "bool",
        JsonValue v when v.TryGetValue<long>(out _) => "int",
        _ => "float",
    };

    private static bool TryLong(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue<long>(out value)) return true;
        return v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues v) =>
        v.Count > 0 && (v[0] is "true" or "True" or "1");
}
