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

// GET/PUT /tasks as PM4 4.15.6's TaskController (index through TaskControllerIndexMethods, show, update), its
// resource (Http/Resources/Task.php with TaskResourceIncludes) and ProcessRequestTokenPolicy.
internal sealed partial class ProcessMakerApi
{
    private static readonly string[] TaskIncludes = { "data", "user", "processRequest", "process", "draft" };

    private IResult ListTasks(HttpContext context)
    {
        var me = Me(context);
        var q = context.Request.Query;
        var includes = Includes(context);
        if (includes.Any(i => !TaskIncludes.Contains(i))) return ServerError(); // with() of an unknown relation
        IEnumerable<PmTask> rows = Store.Tasks;

        bool Long(string name, out long value) => long.TryParse(q[name].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        var filter = q["filter"].ToString();
        if (filter.Length > 0)
        {
            var like = "%" + filter + "%";
            rows = rows.Where(t => new[] { t.ElementName, t.Status, t.Id.ToString(CultureInfo.InvariantCulture), t.Request.Name, t.Request.Process.Name, t.Request.Data.ToJsonString() }
                .Any(text => PmqlEvaluator.SqlLike(text, like)));
        }
        if (Long("user_id", out var uid))
        {
            // applyUserIdFilter: that user's tasks, or unassigned self-service tasks of the user or the user's groups.
            // It reads the user's groups without checking the user exists: an unknown id is a PHP error, a 500.
            if (Store.FindUser(uid) is not { } filterUser) return ServerError();
            rows = rows.Where(t => Store.IsOwnOrSelfService(filterUser, t));
        }
        if (Long("process_request_id", out var rid)) rows = rows.Where(t => t.Request.Id == rid);
        // applyDefaultFiltering: a number compares with =, anything else with SQL LIKE (case-insensitive, % and _).
        rows = ColumnFilter(rows, q["process_id"].ToString(), t => t.Request.ProcessId.ToString(CultureInfo.InvariantCulture));
        rows = ColumnFilter(rows, q["status"].ToString(), t => t.Status);
        rows = ColumnFilter(rows, q["element_id"].ToString(), t => t.ElementId);
        rows = ColumnFilter(rows, q["element_name"].ToString(), t => t.ElementName);
        if (q["statusfilter"].ToString() is { Length: > 0 } statuses)
        {
            var wanted = statuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            rows = rows.Where(t => wanted.Contains(t.Status, StringComparer.OrdinalIgnoreCase));
        }
        var pmql = q["pmql"].ToString();
        if (pmql.Length > 0)
        {
            try { rows = rows.Where(PmqlEvaluator.Compile(PmqlParser.Parse(pmql), PmqlResources.Tasks(Store, me), Now)).ToList(); }
            // applyPmql calls abort() with its arguments reversed: a 500 "Server Error", not the 400 of /requests.
            catch (PmqlSyntaxException) { return ServerError(); }
            catch (PmqlMethodException) { return ServerError(); }
            catch (PmqlUnknownColumnException e) { return Json(422, new JsonObject { ["message"] = $"PMQL Is Invalid. Column not found: \"{e.Column}\"" }); }
        }
        if (AdvancedFilter.Parse(q["advanced_filter"].ToString()) is { } advanced) rows = rows.Where(t => advanced.All(c => c.Matches(TaskValue(t, c.Field))));
        // applyForCurrentUser: administrators and holders of view-all_requests see every task; anyone else their own
        // tasks and the unclaimed self-service tasks they may take.
        if (!Store.HasPermission(me, "view-all_requests")) rows = rows.Where(t => t.UserId == me.Id || Store.IsAvailableSelfService(me, t));
        var now = Now;
        // scopeOverdue: any non-empty overdue value keeps the tasks whose due_at has passed (whatever their status).
        if (q["overdue"].ToString().Length > 0) rows = rows.Where(t => t.DueAt < now);

        var sorted = SortTasks(rows.ToList(), q["order_by"].ToString() is { Length: > 0 } by ? by : "updated_at", q["order_direction"].ToString());
        var list = sorted.Select(t => (JsonNode)TaskJson(t, includes)).ToList();
        var result = (JsonObject)((PageResult)Page(context, list)).Body;
        // in_overdue: the tasks of this page whose due_at has passed.
        var pageIds = result["data"]!.AsArray().Select(r => (long)r!["id"]!).ToHashSet();
        result["meta"]!["in_overdue"] = sorted.Count(t => pageIds.Contains(t.Id) && t.DueAt < now);
        return Json(200, result);
    }

    private static IEnumerable<PmTask> ColumnFilter(IEnumerable<PmTask> rows, string value, Func<PmTask, string> column)
    {
        if (value.Length == 0) return rows;
        return decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? rows.Where(t => string.Equals(column(t), value, StringComparison.OrdinalIgnoreCase))
            : rows.Where(t => PmqlEvaluator.SqlLike(column(t), value));
    }

    /// <summary>applyColumnOrdering: a comma list; data.x, status (by its "In Progress" alias), process_requests.id/name, or a column.</summary>
    private static List<PmTask> SortTasks(List<PmTask> rows, string orderBy, string orderDirection)
    {
        var desc = orderDirection.Equals("desc", StringComparison.OrdinalIgnoreCase);
        IOrderedEnumerable<PmTask>? sorted = null;
        foreach (var column in orderBy.Split(','))
        {
            Func<PmTask, IComparable?>? key = column switch
            {
                "id" => t => t.Id,
                "element_name" => t => t.ElementName.ToLowerInvariant(),
                "element_id" => t => t.ElementId,
                "status" => t => t.Status == "ACTIVE" ? "In Progress" : t.Status,
                "due_at" => t => t.DueAt,
                "created_at" or "initiated_at" => t => t.CreatedAt,
                "updated_at" => t => t.UpdatedAt,
                "completed_at" => t => t.CompletedAt,
                "user_id" => t => t.UserId,
                "process_id" => t => t.Request.ProcessId,
                "process_request_id" or "process_requests.id" or "process_request.id" or "processRequests.id" => t => t.Request.Id,
                "process_requests.name" or "process_request.name" or "processRequests.name" => t => t.Request.Name.ToLowerInvariant(),
                _ when column.StartsWith("data.", StringComparison.Ordinal) => t => PmqlEvaluator.DataText(t.Request.Data, column[5..]),
                _ => null, // another table's column: not ordered
            };
            if (key == null) continue;
            sorted = sorted == null ? (desc ? rows.OrderByDescending(key, NullsFirst) : rows.OrderBy(key, NullsFirst))
                : desc ? sorted.ThenByDescending(key, NullsFirst) : sorted.ThenBy(key, NullsFirst);
        }
        return (sorted == null ? rows.AsEnumerable() : desc ? sorted.ThenByDescending(t => t.Id) : sorted.ThenBy(t => t.Id)).ToList();
    }

    private static object? TaskValue(PmTask t, string field) => field switch
    {
        "id" => t.Id,
        "status" => t.Status,
        "element_name" => t.ElementName,
        "element_id" => t.ElementId,
        "user_id" => t.UserId,
        "process_id" or "Process" => t.Request.ProcessId,
        "process_request_id" => t.Request.Id,
        "process_request.name" => t.Request.Name,
        _ when field.StartsWith("data.", StringComparison.Ordinal) => PmqlEvaluator.DataText(t.Request.Data, field[5..]),
        _ => null,
    };

    /// <summary>ProcessRequestTokenPolicy view/update: administrators, the assignee, the process manager, and whoever may take an unclaimed self-service task.</summary>
    private bool MayWorkOn(PmUser me, PmTask task) =>
        me.IsAdministrator || task.UserId == me.Id || (task.Request.Process.ManagerId is { } manager && manager == me.Id) || Store.CanSelfServe(me, task);

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
        if (!ok) return ServerError();
        var o = body as JsonObject ?? new JsonObject();
        // $request->input(): the body's value, else the query string's.
        string? Input(string key) => o[key] is JsonValue v ? v.ToString() : context.Request.Query[key].ToString() is { Length: > 0 } s ? s : null;
        if (Input("status") == "COMPLETED")
        {
            if (task.Status == "CLOSED") return Json(422, new JsonObject { ["message"] = "Task already closed" });
            if (o["data"] is not JsonObject data) return ServerError(); // sanitizeData($data['data']) of nothing: a PHP TypeError
            // An unclaimed self-service task may be completed by whoever may take it; it stays without a user.
            Store.CompleteTask(task, (JsonObject)Sanitize(data)!);
            var done = TaskJson(task, Includes(context));
            done["process_request"] = RequestJson(task.Request); // the refreshed task carries its loaded request
            return Json(200, done);
        }
        if (Input("user_id") is { } u && u != "0")
        {
            if (!long.TryParse(u, NumberStyles.Integer, CultureInfo.InvariantCulture, out var userId) || Store.FindUser(userId) == null)
                return Invalid(("user_id", "The selected user id is invalid."));
            // ProcessRequestToken::reassign: taking an unclaimed self-service task for oneself is a claim; anything
            // else needs reassignment rights, which the sandbox gives administrators only.
            var claim = task.IsSelfService && task.UserId == null && userId == me.Id;
            if (!claim && ReassignDenied(me, task) is { } denied) return Forbidden(denied);
            Store.Claim(task, userId);
            return Json(200, TaskJson(task, Array.Empty<string>()));
        }
        return Json(422, new JsonObject { ["message"] = "" }); // abort(422)
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
                    ["users"] = ArrayOf(who.Users, x => JsonValue.Create(x.ToString(CultureInfo.InvariantCulture))),
                    ["groups"] = ArrayOf(who.Groups, g => JsonValue.Create(g.ToString(CultureInfo.InvariantCulture))),
                }
                : new JsonArray(),
            ["due_at"] = PmTime(t.DueAt),
            ["completed_at"] = PmTime(t.CompletedAt),
            // The token opens when it is created; no risk date (riskchanges_at) is modelled.
            ["initiated_at"] = PmTime(t.CreatedAt),
            ["riskchanges_at"] = null,
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
        // includeDefinition: the BPMN element's attributes.
        if (includes.Contains("definition")) o["definition"] = new JsonObject { ["id"] = t.ElementId, ["name"] = t.ElementName, ["$type"] = "task" };
        // addCanViewParentRequest: false without a parent request (sub-processes are not modelled).
        o["can_view_parent_request"] = false;
        return o;
    }
}
