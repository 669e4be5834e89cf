using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static WorkflowTools.Sandbox.SandboxJson;
using static WorkflowTools.Sandbox.Routes;

namespace WorkflowTools.Sandbox;

/// <summary>Routes of the ProcessMaker 4 API under <c>/processmaker/api/1.0/</c> (Laravel behaviour) and the OAuth token endpoint.</summary>
internal sealed class ProcessMakerApi
{
    private static readonly Regex HtmlTag = new("<[^>]*>", RegexOptions.CultureInvariant);
    private static readonly string[] TaskIncludes = { "data", "user", "processRequest", "process", "draft" };

    private readonly SandboxServer _server;
    private ProcessMakerStore Store => _server.ProcessMaker;
    private DateTimeOffset Now => _server.Clock.Now;

    public ProcessMakerApi(SandboxServer server) => _server = server;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/processmaker/oauth/token", H(OAuthToken));

        var g = app.MapGroup("/processmaker/api/1.0");
        g.AddEndpointFilter(async (ctx, next) => Authenticate(ctx.HttpContext) ?? await next(ctx));
        g.MapGet("/processes", (HttpContext c) => ListProcesses(c));
        g.MapGet("/processes/{id:long}", (HttpContext c, long id) => GetProcess(c, id));
        g.MapGet("/start_processes", (HttpContext c) => StartProcesses(c));
        g.MapPost("/process_events/{id:long}", (HttpContext c, long id) => StartRequest(c, id));
        g.MapGet("/requests", (HttpContext c) => ListRequests(c));
        g.MapGet("/requests/{id:long}", (HttpContext c, long id) => GetRequest(c, id));
        g.MapPut("/requests/{id:long}", (HttpContext c, long id) => UpdateRequest(c, id));
        g.MapDelete("/requests/{id:long}", (HttpContext c, long id) => DeleteRequest(c, id));
        g.MapGet("/tasks", (HttpContext c) => ListTasks(c));
        g.MapGet("/tasks/{id:long}", (HttpContext c, long id) => GetTask(c, id));
        g.MapPut("/tasks/{id:long}", (HttpContext c, long id) => UpdateTask(c, id));
        g.MapGet("/users/{id:long}", (HttpContext c, long id) => Store.FindUser(id) is { } u ? Json(200, UserJson(u)) : NotFound());
        app.Map("/processmaker/api/{**rest}", () => NotFound());
    }

    // ---------- auth ----------

    private IResult? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        var t = token.Length == 0 ? null : Store.Authenticate(token);
        if (t == null) return Json(401, ErrorBodies.ProcessMaker(401));
        context.Items[ContextKeys.User] = Store.FindUser(t.UserId!.Value)!;
        return null;
    }

    private static PmUser Me(HttpContext c) => (PmUser)c.Items[ContextKeys.User]!;
    private static IResult NotFound() => Json(404, ErrorBodies.ProcessMaker(404));
    private static IResult Forbidden(string message = "This action is unauthorized.") => Json(403, new JsonObject { ["message"] = message });
    private static IResult ServerError() => Json(500, ErrorBodies.ProcessMaker(500));

    /// <summary>Laravel validation error: message = first error (+ " (and N more errors)").</summary>
    private static IResult Invalid(params (string Field, string Message)[] errors)
    {
        var message = errors[0].Message + (errors.Length > 1 ? $" (and {errors.Length - 1} more error{(errors.Length > 2 ? "s" : "")})" : "");
        var e = new JsonObject();
        foreach (var (f, m) in errors) e[f] = new JsonArray(m);
        return Json(422, new JsonObject { ["message"] = message, ["errors"] = e });
    }

    // ---------- processes ----------

    private IResult ListProcesses(HttpContext context)
    {
        var me = Me(context);
        if (!me.IsAdministrator) return Forbidden();
        var q = context.Request.Query;
        var status = q["status"].ToString();
        // PM4: no status = ACTIVE and INACTIVE; status=all means ACTIVE only; status=archived the archived ones.
        IEnumerable<PmProcess> rows = Store.Processes.Where(p => status == "archived" ? p.Status == "ARCHIVED"
            : status == "all" || status == "active" ? p.Status == "ACTIVE"
            : p.Status is "ACTIVE" or "INACTIVE");
        return ProcessPage(context, rows, me);
    }

    private IResult StartProcesses(HttpContext context)
    {
        var me = Me(context);
        var rows = Store.Processes.Where(p => p.Status == "ACTIVE" && p.StartEvents.Any(e => e.Startable));
        return ProcessPage(context, rows, me);
    }

    private IResult ProcessPage(HttpContext context, IEnumerable<PmProcess> rows, PmUser me)
    {
        var q = context.Request.Query;
        var filter = q["filter"].ToString();
        if (filter.Length > 0)
            rows = rows.Where(p => p.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || p.Description.Contains(filter, StringComparison.OrdinalIgnoreCase));
        var (orderBy, direction) = Ordering(context, "name");
        Func<PmProcess, IComparable?> key = orderBy switch
        {
            "id" => p => p.Id,
            "status" => p => p.Status,
            "created_at" or "updated_at" => p => p.CreatedAt,
            "description" => p => p.Description,
            _ => p => p.Name,
        };
        var list = Sort(rows, key, direction, p => p.Id).Select(p =>
        {
            // PM4 (ProcessController::index): "events" = the start events the user is assigned to (an admin: all,
            // timers included), "startEvents" = those minus timer and web-entry events.
            var o = ProcessJson(p);
            o["events"] = ArrayOf(p.StartEvents, e => StartEventJson(p, e));
            o["startEvents"] = ArrayOf(p.StartEvents.Where(e => e.Startable), e => StartEventJson(p, e));
            return (JsonNode)o;
        }).ToList();
        return Page(context, list, filter, orderBy, direction);
    }

    private IResult GetProcess(HttpContext context, long id)
    {
        if (!Me(context).IsAdministrator) return Forbidden(); // needs view-processes, like the list
        var process = Store.FindProcess(id);
        if (process == null) return Results.StatusCode(204);
        var o = ProcessJson(process);
        if (Includes(context).Contains("events"))
            o["events"] = ArrayOf(process.StartEvents, e => StartEventJson(process, e)); // getStartEvents(true): no timer filter
        return Json(200, o);
    }

    // ---------- start a request ----------

    private async Task<IResult> StartRequest(HttpContext context, long id)
    {
        var me = Me(context);
        var process = Store.FindProcess(id);
        if (process == null) return NotFound();
        var eventId = context.Request.Query["event"].ToString();
        // PM4's start controller does not look at the process status (the route's permission check does not either).
        var start = process.StartEvents.FirstOrDefault(e => e.Id == eventId && e.Startable);
        if (start == null) return me.IsAdministrator ? NotFound() : Forbidden();

        var (body, ok) = await ReadBodyAsync(context);
        if (!ok || (body != null && body is not JsonObject))
            return Invalid(("data", "The data field must be an array."));
        var data = (JsonObject)Sanitize(body ?? new JsonObject(), start: true)!;
        var seq = context.Items[ContextKeys.Sequence] as long?;
        var request = Store.Start(process, start, me.Id, data, seq);
        return Json(201, RequestJson(request));
    }

    /// <summary>
    /// ProcessMaker's input cleaning, recursively. A start goes through Laravel's TrimStrings and
    /// ConvertEmptyStringsToNull middleware; task completion reads the raw body, so its strings stay as sent (an
    /// empty string stays ""). Both strip HTML tags and remove mustache braces (SanitizeHelper).
    /// </summary>
    private static JsonNode? Sanitize(JsonNode? node, bool start = false)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var kv in o) copy[kv.Key] = Sanitize(kv.Value, start);
                return copy;
            case JsonArray a:
                var arr = new JsonArray();
                foreach (var x in a) arr.Add(Sanitize(x, start));
                return arr;
            case JsonValue v when v.TryGetValue<string>(out var s):
                if (start) s = s.Trim();
                if (start && s.Length == 0) return null;
                return JsonValue.Create(HtmlTag.Replace(s, "").Replace("{{", "").Replace("}}", ""));
            default:
                return node?.DeepClone();
        }
    }

    // ---------- requests ----------

    private IResult ListRequests(HttpContext context)
    {
        var me = Me(context);
        var q = context.Request.Query;
        IEnumerable<PmRequest> rows = Store.Requests;
        if (!me.IsAdministrator) rows = rows.Where(r => Store.IsParticipant(r, me.Id));
        switch (q["type"].ToString())
        {
            // PM4's started_me is the user's requests with the notCompleted scope: neither COMPLETED nor CANCELED.
            case "started_me": rows = rows.Where(r => r.UserId == me.Id && r.Status is not ("COMPLETED" or "CANCELED")); break;
            case "in_progress": rows = rows.Where(r => r.Status == "ACTIVE"); break;
            case "completed": rows = rows.Where(r => r.Status == "COMPLETED"); break;
        }
        var filter = q["filter"].ToString();
        if (filter.Length > 0)
            rows = rows.Where(r => r.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || r.Status.Contains(filter, StringComparison.OrdinalIgnoreCase)
                || r.Id.ToString(CultureInfo.InvariantCulture) == filter);
        var pmql = q["pmql"].ToString();
        if (pmql.Trim().Length > 0)
        {
            var parsed = Pmql.Parse(pmql);
            if (parsed == null) return Json(400, new JsonObject { ["message"] = "Your PMQL contains invalid syntax." });
            rows = rows.Where(r => Pmql.Matches(parsed, f => RequestField(r, f))).ToList();
        }
        var (orderBy, direction) = Ordering(context, "name");
        Func<PmRequest, IComparable?> key = orderBy switch
        {
            "id" => r => r.Id,
            "status" => r => r.Status,
            "process_id" => r => r.ProcessId,
            "user_id" => r => r.UserId,
            "initiated_at" => r => r.InitiatedAt,
            "completed_at" => r => r.CompletedAt,
            "created_at" => r => r.CreatedAt,
            "updated_at" => r => r.UpdatedAt,
            _ => r => r.Name,
        };
        var includes = Includes(context);
        var list = Sort(rows, key, direction, r => r.Id).Select(r => (JsonNode)RequestJson(r, includes)).ToList();
        return Page(context, list, filter, orderBy, direction);
    }

    private static object? RequestField(PmRequest r, string field) => field switch
    {
        "id" => r.Id,
        "status" => r.Status,
        "process_id" => r.ProcessId,
        "user_id" or "requester" => r.UserId,
        "name" or "request" => r.Name,
        "initiated_at" => PmTime(r.InitiatedAt),
        "completed_at" => r.CompletedAt is { } c ? PmTime(c) : null,
        "created_at" => PmTime(r.CreatedAt),
        "updated_at" => PmTime(r.UpdatedAt),
        _ => r.Data[field.StartsWith("data.", StringComparison.Ordinal) ? field[5..] : field],
    };

    private IResult GetRequest(HttpContext context, long id)
    {
        var me = Me(context);
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        if (!me.IsAdministrator && !Store.IsParticipant(request, me.Id)) return Forbidden();
        return Json(200, RequestJson(request, Includes(context)));
    }

    private async Task<IResult> UpdateRequest(HttpContext context, long id)
    {
        var me = Me(context);
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        var (body, ok) = await ReadBodyAsync(context);
        if (!ok || body is not JsonObject o) return Invalid(("status", "The status field is required when data is not present."));
        // The route's own check (ProcessRequestPolicy::update) comes first: the requester, or whoever may cancel.
        if (!me.IsAdministrator && request.UserId != me.Id && !Store.CanCancel(me, request)) return Forbidden();
        if (o["status"] is { } s)
        {
            if (s.ToString() != "CANCELED") return Invalid(("status", "The selected status is invalid."));
            // ProcessRequestController::update: cancel rights come from the process (its cancel users and groups,
            // its manager when allowed), not from being the requester.
            if (!Store.CanCancel(me, request)) return Forbidden("Not authorized to cancel this request.");
            Store.Cancel(request);
            return Results.StatusCode(204);
        }
        if (ProcessMakerDataEdit.TryUpdate(Store, me, request, o) is { } edited) return edited;
        return Invalid(("status", "The status field is required when data is not present."));
    }

    private IResult DeleteRequest(HttpContext context, long id)
    {
        var me = Me(context);
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        if (!me.IsAdministrator && request.UserId != me.Id) return Forbidden();
        Store.Delete(request);
        return Results.StatusCode(204);
    }

    // ---------- tasks ----------

    private IResult ListTasks(HttpContext context)
    {
        var me = Me(context);
        var q = context.Request.Query;
        var includes = Includes(context);
        if (includes.Any(i => !TaskIncludes.Contains(i))) return ServerError();
        IEnumerable<PmTask> rows = Store.Tasks;
        // TaskControllerIndexMethods::applyForCurrentUser: a non-administrator sees their own tasks and the
        // unclaimed self-service tasks they may take.
        if (!me.IsAdministrator) rows = rows.Where(t => t.UserId == me.Id || Store.IsAvailableSelfService(me, t));

        bool Long(string name, out long value) => long.TryParse(q[name].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        if (Long("process_request_id", out var rid)) rows = rows.Where(t => t.Request.Id == rid);
        if (Long("user_id", out var uid))
        {
            // applyUserIdFilter: that user's tasks, or unassigned self-service tasks of the user or the user's groups.
            // It reads the user's groups without checking the user exists: an unknown id is a PHP error, a 500.
            if (Store.FindUser(uid) is not { } filterUser) return ServerError();
            rows = rows.Where(t => Store.IsOwnOrSelfService(filterUser, t));
        }
        if (Long("process_id", out var pid)) rows = rows.Where(t => t.Request.ProcessId == pid);
        if (q["status"].ToString() is { Length: > 0 } status) rows = rows.Where(t => t.Status == status);
        if (q["element_id"].ToString() is { Length: > 0 } element) rows = rows.Where(t => t.ElementId == element);
        if (q["element_name"].ToString() is { Length: > 0 } elementName) rows = rows.Where(t => t.ElementName == elementName);
        if (q["statusfilter"].ToString() is { Length: > 0 } statuses)
        {
            var wanted = statuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            rows = rows.Where(t => wanted.Contains(t.Status, StringComparer.OrdinalIgnoreCase));
        }
        var overdueAt = Now;
        if (q["overdue"].ToString() is "true" or "1") rows = rows.Where(t => t.Status == "ACTIVE" && t.DueAt < overdueAt);
        var filter = q["filter"].ToString();
        if (filter.Length > 0)
            rows = rows.Where(t => t.ElementName.Contains(filter, StringComparison.OrdinalIgnoreCase) || t.Request.Name.Contains(filter, StringComparison.OrdinalIgnoreCase));
        var pmql = q["pmql"].ToString();
        if (pmql.Trim().Length > 0)
        {
            var parsed = Pmql.Parse(pmql);
            // PM4's TaskController aborts with its arguments reversed: a 500 "Server Error", not the 400 of /requests.
            if (parsed == null) return Json(500, new JsonObject { ["message"] = "Server Error" });
            rows = rows.Where(t => Pmql.Matches(parsed, f => TaskField(t, f))).ToList();
        }
        var (orderBy, direction) = Ordering(context, "updated_at");
        Func<PmTask, IComparable?> key = orderBy switch
        {
            "id" => t => t.Id,
            "element_name" => t => t.ElementName,
            "status" => t => t.Status,
            "due_at" => t => t.DueAt,
            "created_at" => t => t.CreatedAt,
            "completed_at" => t => t.CompletedAt,
            "process_request_id" => t => t.Request.Id,
            _ => t => t.UpdatedAt,
        };
        var now = Now;
        var all = rows.ToList();
        var list = Sort(all, key, direction, t => t.Id).Select(t => (JsonNode)TaskJson(t, includes)).ToList();
        var result = (JsonObject)((PageResult)Page(context, list, filter, orderBy, direction)).Body;
        result["meta"]!["in_overdue"] = all.Count(t => t.Status == "ACTIVE" && t.DueAt < now);
        return Json(200, result);
    }

    /// <summary>ProcessRequestTokenPolicy view/update: administrators, the assignee, and whoever may take an unclaimed self-service task.</summary>
    private bool MayWorkOn(PmUser me, PmTask task) =>
        me.IsAdministrator || task.UserId == me.Id || (task.Request.Process.ManagerId is { } manager && manager == me.Id) || Store.CanSelfServe(me, task);

    private static object? TaskField(PmTask t, string field) => field switch
    {
        "id" => t.Id,
        "status" => t.Status,
        "user_id" => t.UserId,
        "process_id" => t.Request.ProcessId,
        "process_request_id" or "request" => t.Request.Id,
        "element_id" => t.ElementId,
        "element_name" or "task" => t.ElementName,
        "due_at" => t.DueAt is { } d ? PmTime(d) : null,
        _ => t.Request.Data[field.StartsWith("data.", StringComparison.Ordinal) ? field[5..] : field],
    };

    private IResult GetTask(HttpContext context, long id)
    {
        var me = Me(context);
        var task = Store.FindTask(id);
        if (task == null) return NotFound();
        if (!MayWorkOn(me, task)) return Forbidden();
        return Json(200, TaskJson(task, Includes(context)));
    }

    private async Task<IResult> UpdateTask(HttpContext context, long id)
    {
        var me = Me(context);
        var task = Store.FindTask(id);
        if (task == null) return NotFound();
        if (!MayWorkOn(me, task)) return Forbidden();
        var (body, ok) = await ReadBodyAsync(context);
        if (!ok || body is not JsonObject o) return ServerError();
        if (o["status"]?.ToString() == "COMPLETED")
        {
            if (task.Status == "CLOSED") return Json(422, new JsonObject { ["message"] = "Task already closed" });
            if (o["data"] is not JsonObject data) return ServerError(); // PM merges a missing data array: a PHP TypeError
            // An unclaimed self-service task may be completed by whoever may take it; it stays without a user.
            Store.CompleteTask(task, (JsonObject)Sanitize(data)!);
            return Json(200, TaskJson(task, System.Array.Empty<string>()));
        }
        if (o["user_id"] is { } u && long.TryParse(u.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var userId))
        {
            if (Store.FindUser(userId) == null) return Invalid(("user_id", "The selected user id is invalid."));
            // ProcessRequestToken::reassign: taking an unclaimed self-service task for oneself is a claim; anything
            // else needs reassignment rights, which the sandbox gives administrators only.
            var claim = task.IsSelfService && task.UserId == null && userId == me.Id;
            if (!claim && !me.IsAdministrator) return Forbidden("Not authorized to reassign this task");
            Store.Claim(task, userId);
            return Json(200, TaskJson(task, System.Array.Empty<string>()));
        }
        return Invalid(("status", "The selected status is invalid."));
    }

    // ---------- OAuth ----------

    private async Task<IResult> OAuthToken(HttpContext context)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.Request.HasFormContentType)
            foreach (var kv in await context.Request.ReadFormAsync()) form[kv.Key] = kv.Value.ToString();
        else if ((await ReadBodyAsync(context)).Node is JsonObject o)
            foreach (var kv in o) form[kv.Key] = kv.Value?.ToString() ?? "";
        string Get(string k) => form.TryGetValue(k, out var v) ? v : "";

        static IResult OAuthError(int status, string error, string description) => Json(status, new JsonObject
        {
            ["error"] = error, ["error_description"] = description, ["message"] = description,
        });

        var grant = Get("grant_type");
        if (grant is not ("password" or "refresh_token" or "client_credentials"))
            return OAuthError(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.");
        if (Get("client_id") != ProcessMakerStore.OAuthClientId || Get("client_secret") != ProcessMakerStore.OAuthClientSecret)
            return OAuthError(401, "invalid_client", "Client authentication failed");

        long? userId;
        if (grant == "password")
        {
            var user = Store.CheckPassword(Get("username"), Get("password"));
            // PM4's SecurityLogger writes 'attempt' for a failed login and 'login' for a successful one (no data either way).
            Store.RecordSecurityEvent(user?.Id, user == null ? "attempt" : "login");
            if (user == null) return OAuthError(400, "invalid_grant", "The user credentials were incorrect.");
            userId = user.Id;
        }
        else if (grant == "refresh_token")
        {
            userId = Store.Redeem(Get("refresh_token"));
            if (userId == null) return OAuthError(400, "invalid_grant", "The refresh token is invalid.");
        }
        else userId = null; // client credentials: a token without a user, which the API rejects with 401

        var (access, refresh, expiresIn) = Store.Issue(userId);
        var result = new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = expiresIn, ["access_token"] = access };
        if (refresh != null) result["refresh_token"] = refresh;
        return Json(200, result);
    }

    // ---------- paging and ordering ----------

    private static (string OrderBy, string Direction) Ordering(HttpContext context, string defaultField)
    {
        var q = context.Request.Query;
        var by = q["order_by"].ToString();
        var dir = q["order_direction"].ToString().ToLowerInvariant();
        return (by.Length == 0 ? defaultField : by, dir == "desc" ? "desc" : "asc");
    }

    private static IEnumerable<T> Sort<T>(IEnumerable<T> rows, Func<T, IComparable?> key, string direction, Func<T, long> id)
    {
        var comparer = Comparer<IComparable?>.Create((a, b) => a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.CompareTo(b));
        return direction == "desc" ? rows.OrderByDescending(key, comparer).ThenByDescending(id) : rows.OrderBy(key, comparer).ThenBy(id);
    }

    private static string[] Includes(HttpContext context) =>
        context.Request.Query["include"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Result that keeps the JSON body reachable (for /tasks, which adds meta.in_overdue).</summary>
    private sealed class PageResult : IResult
    {
        public PageResult(JsonObject body) => Body = body;
        public JsonObject Body { get; }
        public Task ExecuteAsync(HttpContext httpContext) => Json(200, Body).ExecuteAsync(httpContext);
    }

    /// <summary>ProcessMaker collection: {data, meta{filter, sort_by, sort_order, count, total_pages, current_page, from, to, last_page, per_page, total, path, links}}.</summary>
    private static IResult Page(HttpContext context, List<JsonNode> all, string filter, string sortBy, string sortOrder)
    {
        var q = context.Request.Query;
        var perPage = int.TryParse(q["per_page"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pp) && pp > 0 ? pp : 10;
        var page = int.TryParse(q["page"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var total = all.Count;
        var lastPage = Math.Max(1, (total + perPage - 1) / perPage);
        var items = all.Skip((page - 1) * perPage).Take(perPage).ToList();
        var path = Origin(context.Request) + context.Request.Path.Value;
        string PageUrl(int n) => $"{path}?page={n}";

        var links = new JsonArray { new JsonObject { ["url"] = page > 1 ? PageUrl(page - 1) : null, ["label"] = "&laquo; Previous", ["active"] = false } };
        foreach (var n in Enumerable.Range(1, lastPage).Where(n => lastPage <= 12 || n <= 2 || n > lastPage - 2 || Math.Abs(n - page) <= 3))
        {
            if (links.Count > 1 && links[^1]!["label"]!.ToString() is var prev && int.TryParse(prev, out var pn) && n > pn + 1)
                links.Add(new JsonObject { ["url"] = null, ["label"] = "...", ["active"] = false });
            links.Add(new JsonObject { ["url"] = PageUrl(n), ["label"] = n.ToString(CultureInfo.InvariantCulture), ["active"] = n == page });
        }
        links.Add(new JsonObject { ["url"] = page < lastPage ? PageUrl(page + 1) : null, ["label"] = "Next &raquo;", ["active"] = false });

        var meta = new JsonObject
        {
            ["filter"] = filter,
            ["sort_by"] = sortBy,
            ["sort_order"] = sortOrder,
            ["count"] = items.Count,
            ["total_pages"] = lastPage,
            ["current_page"] = page,
            ["from"] = items.Count > 0 ? (page - 1) * perPage + 1 : null,
            ["to"] = items.Count > 0 ? (page - 1) * perPage + items.Count : null,
            ["last_page"] = lastPage,
            ["per_page"] = perPage,
            ["total"] = total,
            ["path"] = path,
            ["links"] = links,
        };
        return new PageResult(new JsonObject { ["data"] = new JsonArray(items.ToArray()), ["meta"] = meta });
    }

    // ---------- representations ----------

    private static JsonObject ProcessJson(PmProcess p)
    {
        var o = new JsonObject
        {
            ["id"] = p.Id,
            ["process_category_id"] = p.ProcessCategoryId,
            ["user_id"] = ProcessMakerStore.AdminUserId,
            ["description"] = p.Description,
            ["name"] = p.Name,
            ["status"] = p.Status,
            ["is_valid"] = 1,
            ["created_at"] = PmTime(p.CreatedAt),
            ["updated_at"] = PmTime(p.CreatedAt),
            ["start_events"] = ArrayOf(p.StartEvents, e => StartEventJson(p, e)),
            // Http/Resources/Process.php always adds manager_id. Who else may cancel (cancel_request) is not part of the resource.
            ["manager_id"] = p.ManagerId,
        };
        // The manager and whether the manager may cancel live in the process's properties column (a seed's raw
        // properties are merged into it).
        if (p.ManagerId != null || p.ManagerCanCancel)
            o["properties"] = new JsonObject { ["manager_id"] = p.ManagerId, ["manager_can_cancel_request"] = p.ManagerCanCancel };
        return SeedRaw.Merge(p.Raw, o);
    }

    private static JsonObject StartEventJson(PmProcess p, PmStartEvent e)
    {
        var definitions = new JsonArray();
        if (e.Kind is "timer" or "message" or "signal" or "conditional")
        {
            var d = new JsonObject { ["$type"] = e.Kind + "EventDefinition", ["id"] = e.Id + "_definition" };
            if (e.Kind == "timer") d["timeCycle"] = new JsonObject { ["$type"] = "timeCycle", ["body"] = "R/2026-01-01T02:00:00Z/P1D" };
            definitions.Add(d);
        }
        var config = e.Kind == "webentry" ? "{\"web_entry\":{\"mode\":\"ANONYMOUS\"}}" : "{}";
        return new JsonObject
        {
            ["id"] = e.Id,
            ["name"] = e.Name,
            ["config"] = config,
            ["assignment"] = "user",
            ["assignedUsers"] = "1,2",
            ["eventDefinitions"] = definitions,
            ["ownerProcessId"] = "ProcessId",
            ["ownerProcessName"] = p.Name,
        };
    }

    private JsonObject RequestJson(PmRequest r, IReadOnlyCollection<string>? includes = null)
    {
        includes ??= System.Array.Empty<string>();
        var o = new JsonObject
        {
            ["id"] = r.Id,
            ["process_id"] = r.ProcessId,
            ["user_id"] = r.UserId,
            ["callable_id"] = "ProcessId",
            ["status"] = r.Status,
            ["name"] = r.Name,
            ["initiated_at"] = PmTime(r.InitiatedAt),
            ["completed_at"] = PmTime(r.CompletedAt),
            ["created_at"] = PmTime(r.CreatedAt),
            ["updated_at"] = PmTime(r.UpdatedAt),
            ["process_version_id"] = r.Process.ProcessVersionId,
        };
        if (includes.Contains("data")) o["data"] = VisibleData(r);
        if (includes.Contains("process")) o["process"] = ProcessJson(r.Process);
        if (includes.Contains("user")) o["user"] = Store.FindUser(r.UserId) is { } u ? UserJson(u) : null;
        if (includes.Contains("participants") || includes.Contains("assigned"))
        {
            var ids = Store.TasksOf(r).Where(t => t.UserId != null).Select(t => t.UserId!.Value).Prepend(r.UserId).Distinct();
            o["participants"] = ArrayOf(ids.Select(Store.FindUser).Where(u => u != null), u => UserJson(u!));
        }
        if (includes.Contains("activeTasks"))
            o["active_tasks"] = ArrayOf(Store.TasksOf(r).Where(t => t.Status == "ACTIVE"), t => TaskJson(t, System.Array.Empty<string>()));
        if (includes.Contains("summary"))
            o["summary"] = ArrayOf(VisibleData(r), kv => new JsonObject { ["key"] = kv.Key, ["value"] = kv.Value?.DeepClone(), ["type"] = kv.Value?.GetValueKind().ToString().ToLowerInvariant() ?? "null" });
        return o;
    }

    private JsonObject VisibleData(PmRequest r)
    {
        lock (Store.Gate)
        {
            var d = new JsonObject();
            foreach (var kv in r.Data)
                if (!kv.Key.StartsWith('_')) d[kv.Key] = kv.Value?.DeepClone();
            return d;
        }
    }

    private JsonObject TaskJson(PmTask t, IReadOnlyCollection<string> includes)
    {
        var o = new JsonObject
        {
            ["id"] = t.Id,
            ["element_id"] = t.ElementId,
            ["element_name"] = t.ElementName,
            ["element_type"] = "task",
            ["status"] = t.Status,
            ["user_id"] = t.UserId,
            ["process_id"] = t.Request.ProcessId,
            ["process_request_id"] = t.Request.Id,
            ["is_self_service"] = t.IsSelfService ? 1 : 0,
            // An ordinary task's self_service_groups is PHP's empty array, written []; a self-service task's names
            // its users and groups as strings.
            ["self_service_groups"] = t.SelfServiceGroups is { } who
                ? new JsonObject
                {
                    ["users"] = ArrayOf(who.Users, u => JsonValue.Create(u.ToString(CultureInfo.InvariantCulture))),
                    ["groups"] = ArrayOf(who.Groups, g => JsonValue.Create(g.ToString(CultureInfo.InvariantCulture))),
                }
                : new JsonArray(),
            ["due_at"] = PmTime(t.DueAt),
            ["completed_at"] = PmTime(t.CompletedAt),
            ["created_at"] = PmTime(t.CreatedAt),
            ["updated_at"] = PmTime(t.UpdatedAt),
        };
        if (includes.Contains("data"))
        {
            // DataManager::getData: the request's data plus magic variables such as _user (the task's user).
            var data = VisibleData(t.Request);
            data["_user"] = t.UserId is { } assignee && Store.FindUser(assignee) is { } assigned ? UserJson(assigned) : null;
            o["data"] = data;
        }
        if (includes.Contains("user")) o["user"] = t.UserId is { } uid && Store.FindUser(uid) is { } u ? UserJson(u) : null;
        if (includes.Contains("processRequest")) o["process_request"] = RequestJson(t.Request);
        if (includes.Contains("process")) o["process"] = ProcessJson(t.Request.Process);
        if (includes.Contains("draft")) o["draft"] = null;
        return o;
    }

    private static JsonObject UserJson(PmUser u) => new()
    {
        ["id"] = u.Id,
        ["username"] = u.Username,
        ["firstname"] = u.Firstname,
        ["lastname"] = u.Lastname,
        ["fullname"] = $"{u.Firstname} {u.Lastname}",
        ["email"] = u.Email,
        ["is_administrator"] = u.IsAdministrator,
        ["status"] = "ACTIVE",
    };
}
