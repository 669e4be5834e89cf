using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Sandbox.Pmql;
using static WorkflowTools.Sandbox.SandboxJson;

namespace WorkflowTools.Sandbox;

// GET /processes, /processes/{id}, /start_processes and POST /process_events/{id}, as PM4 4.15.6's ProcessController
// (index, show, startProcesses, triggerStartEvent) and the routes' middleware (can:view-processes, can:start) have them.
internal sealed partial class ProcessMakerApi
{
    private IResult ListProcesses(HttpContext context)
    {
        var me = Me(context);
        if (!Store.HasPermission(me, "view-processes")) return Forbidden();
        var q = context.Request.Query;
        var status = q["status"].ToString();
        // ProcessController::index: no status (or any other word, "active" too) = nonSystem()->notArchived(), i.e.
        // ACTIVE and INACTIVE; "archived" = archived(); "all" = active(), ACTIVE only.
        IEnumerable<PmProcess> rows = Store.Processes.Where(p => status == "archived" ? p.Status == "ARCHIVED"
            : status == "all" ? p.Status == "ACTIVE"
            : p.Status is "ACTIVE" or "INACTIVE");
        if (long.TryParse(q["category"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var category))
            rows = rows.Where(p => p.ProcessCategoryId == category);
        var filter = q["filter"].ToString();
        if (filter.Length > 0)
            rows = rows.Where(p => p.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || p.Description.Contains(filter, StringComparison.OrdinalIgnoreCase));
        var pmql = q["pmql"].ToString();
        if (pmql.Length > 0)
        {
            try { rows = rows.Where(PmqlEvaluator.Compile(PmqlParser.Parse(pmql), PmqlResources.Processes(), Now)).ToList(); }
            catch (PmqlSyntaxException) { return Json(400, new JsonObject { ["error"] = "PMQL error" }); }
            catch (PmqlUnknownColumnException) { return ServerError(); }
        }
        var list = SortProcesses(rows, q["order_by"].ToString() is { Length: > 0 } by ? by : "name", q["order_direction"].ToString())
            .Select(p => (JsonNode)ProcessRow(p, me, Includes(context))).ToList();
        return Page(context, list);
    }

    private IResult StartProcesses(HttpContext context)
    {
        var me = Me(context);
        var q = context.Request.Query;
        // ProcessController::startProcesses: ACTIVE processes of ACTIVE categories (a process without one is left
        // out by the join) that leave the user at least one manual start event; without_event_definitions=true
        // also drops those whose start events all carry an event definition (timer, message, signal, conditional).
        var withoutDefinitions = q["without_event_definitions"].ToString() == "true";
        var rows = Store.Processes.Where(p => p.Status == "ACTIVE" && Store.FindCategory(p.ProcessCategoryId) is { Status: "ACTIVE" })
            .Where(p =>
            {
                var events = Store.StartEventsFor(me, p);
                return events.Any(e => e.Startable) && (!withoutDefinitions || events.Any(e => e.Kind is "none" or "webentry"));
            });
        var filter = q["filter"].ToString();
        if (filter.Length > 0)
            rows = rows.Where(p => p.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || p.Description.Contains(filter, StringComparison.OrdinalIgnoreCase)
                || (Store.FindCategory(p.ProcessCategoryId)?.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false));
        var list = SortProcesses(rows, q["order_by"].ToString() is { Length: > 0 } by ? by : "name", q["order_direction"].ToString())
            .Select(p => (JsonNode)ProcessRow(p, me, Includes(context))).ToList();
        return Page(context, list);
    }

    /// <summary>order_by as a comma list of columns (category.name, user.firstname... included), each with its order_direction.</summary>
    private IEnumerable<PmProcess> SortProcesses(IEnumerable<PmProcess> rows, string orderBy, string orderDirection)
    {
        var directions = orderDirection.Split(',');
        var keys = orderBy.Split(',').Select((column, i) => (Key: ProcessKey(column.Trim()), Desc: i < directions.Length && directions[i].Trim().Equals("desc", StringComparison.OrdinalIgnoreCase)));
        IOrderedEnumerable<PmProcess>? sorted = null;
        foreach (var (key, desc) in keys)
            sorted = sorted == null ? (desc ? rows.OrderByDescending(key, NullsFirst) : rows.OrderBy(key, NullsFirst))
                : desc ? sorted.ThenByDescending(key, NullsFirst) : sorted.ThenBy(key, NullsFirst);
        return (sorted ?? rows.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)).ThenBy(p => p.Id);
    }

    private Func<PmProcess, IComparable?> ProcessKey(string column) => column switch
    {
        "id" or "processes.id" => p => p.Id,
        "status" or "processes.status" => p => p.Status,
        "created_at" or "updated_at" or "processes.created_at" or "processes.updated_at" => p => p.CreatedAt,
        "description" or "processes.description" => p => p.Description.ToLowerInvariant(),
        "process_category_id" => p => p.ProcessCategoryId,
        "category.name" => p => Store.FindCategory(p.ProcessCategoryId)?.Name.ToLowerInvariant(),
        _ => p => p.Name.ToLowerInvariant(),
    };

    /// <summary>A listing row: the resource plus "events" (the user's start events, ProcessEvents) and "startEvents" (those a person can start).</summary>
    private JsonObject ProcessRow(PmProcess p, PmUser me, IReadOnlyCollection<string> includes)
    {
        var o = ProcessJson(p, includes);
        var events = Store.StartEventsFor(me, p);
        o["events"] = ArrayOf(events, e => StartEventJson(p, e));
        o["startEvents"] = ArrayOf(events.Where(e => e.Startable), e => StartEventJson(p, e));
        return o;
    }

    private IResult GetProcess(HttpContext context, long id)
    {
        var me = Me(context);
        if (!Store.HasPermission(me, "view-processes")) return Forbidden();
        var process = Store.FindProcess(id);
        if (process == null) return Results.StatusCode(204);
        var includes = Includes(context);
        var o = ProcessJson(process, includes);
        if (includes.Contains("events")) o["events"] = ArrayOf(Store.StartEventsFor(me, process), e => StartEventJson(process, e));
        return Json(200, o);
    }

    private async Task<IResult> StartRequest(HttpContext context, long id)
    {
        var me = Me(context);
        var process = Store.FindProcess(id);
        if (process == null) return NotFound();
        var eventId = context.Request.Query["event"].ToString();
        // The route's can:start,process (ProcessPolicy::start) runs before the controller looks at the event.
        if (!Store.CanStart(me, process, eventId)) return Forbidden();
        // PM4's start controller does not look at the process status.
        var start = process.StartEvents.FirstOrDefault(e => e.Id == eventId && e.Startable);
        if (start == null) return NotFound();

        var (body, ok) = await ReadBodyAsync(context);
        if (!ok || (body != null && body is not JsonObject))
            return Invalid(("data", "The data field must be an array."));
        var data = (JsonObject)Sanitize(body ?? new JsonObject(), trim: true)!;
        var seq = context.Items[ContextKeys.Sequence] as long?;
        var request = Store.Start(process, start, me.Id, data, seq);
        return Json(201, RequestJson(request));
    }

    private JsonObject ProcessJson(PmProcess p, IReadOnlyCollection<string>? includes = null)
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
        if (includes != null && includes.Contains("category"))
            o["category"] = Store.FindCategory(p.ProcessCategoryId) is { } c
                ? new JsonObject { ["id"] = c.Id, ["name"] = c.Name, ["status"] = c.Status, ["is_system"] = false }
                : null;
        if (includes != null && includes.Contains("user")) o["user"] = Store.FindUser(ProcessMakerStore.AdminUserId) is { } u ? UserJson(u) : null;
        return SeedRaw.Merge(p.Raw, o);
    }

    /// <summary>A start event as Process::getUpdatedStartEvents gives it: its BPMN attributes, assignment included.</summary>
    private static JsonObject StartEventJson(PmProcess p, PmStartEvent e)
    {
        var definitions = new JsonArray();
        if (e.Kind is "timer" or "message" or "signal" or "conditional")
        {
            var d = new JsonObject { ["$type"] = e.Kind + "EventDefinition", ["id"] = e.Id + "_definition" };
            if (e.Kind == "timer") d["timeCycle"] = new JsonObject { ["$type"] = "timeCycle", ["body"] = "R/2026-01-01T02:00:00Z/P1D" };
            definitions.Add(d);
        }
        var o = new JsonObject
        {
            ["id"] = e.Id,
            ["name"] = e.Name,
            ["config"] = e.Kind == "webentry" ? "{\"web_entry\":{\"mode\":\"ANONYMOUS\"}}" : "{}",
        };
        // pm:assignment / pm:assignedUsers / pm:assignedGroups as written in the BPMN (absent when not assigned).
        if (e.ProcessManager) o["assignment"] = "process_manager";
        else if (e.AssignedUsers.Count > 0) o["assignment"] = "user";
        else if (e.AssignedGroups.Count > 0) o["assignment"] = "group";
        if (e.AssignedUsers.Count > 0) o["assignedUsers"] = string.Join(",", e.AssignedUsers);
        if (e.AssignedGroups.Count > 0) o["assignedGroups"] = string.Join(",", e.AssignedGroups);
        o["eventDefinitions"] = definitions;
        o["ownerProcessId"] = "ProcessId";
        o["ownerProcessName"] = p.Name;
        return o;
    }
}
