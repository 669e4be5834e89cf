using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Sandbox.Pmql;
using static WorkflowTools.Sandbox.SandboxJson;

namespace WorkflowTools.Sandbox;

// GET/PUT/DELETE /requests as PM4 4.15.6's ProcessRequestController (index, show, update, destroy), its resource
// (Http/Resources/ProcessRequests.php) and ProcessRequestPolicy (view via ForUserScope, update, editData, destroy).
internal sealed partial class ProcessMakerApi
{
    /// <summary>The "alpha_spaces" rule of the request name (ProcessMakerServiceProvider).</summary>
    private static readonly Regex AlphaSpaces = new(@"^[\p{L}\s\-_\d\.']+$", RegexOptions.CultureInvariant);

    private IResult ListRequests(HttpContext context)
    {
        var me = Me(context);
        var q = context.Request.Query;
        IEnumerable<PmRequest> rows = Store.Requests;
        switch (q["type"].ToString())
        {
            // started_me is the user's requests with the notCompleted scope: neither COMPLETED nor CANCELED.
            case "started_me": rows = rows.Where(r => r.UserId == me.Id && r.Status is not ("COMPLETED" or "CANCELED")); break;
            case "in_progress": rows = rows.Where(r => r.Status == "ACTIVE"); break;
            case "completed": rows = rows.Where(r => r.Status == "COMPLETED"); break;
            // type=all empties the query's where clauses, the forUser scope's included: every request, for anyone.
            case "all": break;
        }
        if (q["type"].ToString() != "all") rows = rows.Where(r => Store.CanSeeRequest(me, r));
        var filter = q["filter"].ToString();
        if (filter.Length > 0)
        {
            var like = "%" + filter + "%";
            rows = rows.Where(r => new[] { r.Name, r.Status, r.Id.ToString(CultureInfo.InvariantCulture), r.Data.ToJsonString() }.Any(t => PmqlEvaluator.SqlLike(t, like)));
        }
        if (AdvancedFilter.Parse(q["advanced_filter"].ToString()) is { } advanced) rows = rows.Where(r => advanced.All(c => c.Matches(RequestValue(r, c.Field))));
        var pmql = q["pmql"].ToString();
        if (pmql.Length > 0)
        {
            try { rows = rows.Where(PmqlEvaluator.Compile(PmqlParser.Parse(pmql), PmqlResources.Requests(Store), Now)).ToList(); }
            catch (PmqlSyntaxException) { return Json(400, new JsonObject { ["message"] = "Your PMQL contains invalid syntax." }); }
            catch (PmqlMethodException e) { return Json(400, new JsonObject { ["message"] = e.Message, ["field"] = e.Field }); }
            catch (PmqlUnknownColumnException) { return ServerError(); } // the controller rethrows the QueryException
        }
        var orderBy = q["order_by"].ToString() is { Length: > 0 } by ? by : "name";
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
            // order_by=data.x is data->x: the JSON value at that path.
            _ when orderBy.StartsWith("data.", StringComparison.Ordinal) => r => PmqlEvaluator.DataText(r.Data, orderBy[5..]),
            _ => r => r.Name.ToLowerInvariant(),
        };
        var includes = Includes(context);
        var list = Sort(rows, key, Direction(context), r => r.Id).Select(r => (JsonNode)RequestJson(r, includes)).ToList();
        return Page(context, list);
    }

    /// <summary>A request's value for an advanced_filter field: a column, or data.x.</summary>
    private static object? RequestValue(PmRequest r, string field) => field switch
    {
        "id" => r.Id,
        "status" => r.Status,
        "name" => r.Name,
        "process_id" => r.ProcessId,
        "user_id" => r.UserId,
        "Process" => r.ProcessId,
        _ when field.StartsWith("data.", StringComparison.Ordinal) => PmqlEvaluator.DataText(r.Data, field[5..]),
        _ => null,
    };

    private IResult GetRequest(HttpContext context, long id)
    {
        var me = Me(context);
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        if (!Store.CanSeeRequest(me, request)) return Forbidden();
        return Json(200, RequestJson(request, Includes(context)));
    }

    private async Task<IResult> UpdateRequest(HttpContext context, long id)
    {
        var me = Me(context);
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        // The route's can:update,request (ProcessRequestPolicy::update) comes first.
        if (!Store.MayUpdate(me, request)) return Forbidden();
        var (body, ok) = await ReadBodyAsync(context);
        var o = ok && body is JsonObject b ? b : new JsonObject();
        var status = o["status"] is JsonValue sv && sv.TryGetValue<string>(out var st) ? st : null;
        if (status == "CANCELED")
        {
            // Cancel rights come from the process (ProcessVersionPolicy::cancel), not from being the requester.
            if (!Store.CanCancel(me, request)) return Forbidden("Not authorized to cancel this request.");
            Store.Cancel(request);
            return Results.StatusCode(204);
        }
        if (status == "COMPLETED")
        {
            if (!me.IsAdministrator) return Forbidden("Not authorized to complete this request.");
            if (request.Status != "ERROR") return Invalid(("status", "Only requests with status: ERROR can be manually completed"));
            Store.CompleteFromError(request);
            return Results.StatusCode(204);
        }
        var keys = o.Select(kv => kv.Key).ToArray();
        if (keys.SequenceEqual(new[] { "data" }) || keys.SequenceEqual(new[] { "data", "task_element_id" }))
        {
            if (!Store.CanEditData(me, request)) return Forbidden("Not authorized to edit request data.");
            if (o["data"] is not JsonObject data) return ServerError(); // array_merge with a non-array: a PHP TypeError
            // ProcessRequestController lists data in doNotSanitize: trimmed by the global middleware, tags kept.
            // Source over docs: the API reference says PUT replaces the request's fields; the controller array_merges
            // data into the stored data (top-level keys replaced, the others kept) and answers 204.
            Store.UpdateData(request, (JsonObject)Sanitize(data, trim: true, stripTags: false)!);
            return Results.StatusCode(204);
        }
        // Anything else is validated against ProcessRequest::rules and written as given.
        var errors = new List<(string, string)>();
        var name = o["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n : null;
        if (o["name"] == null) errors.Add(("name", "The name field is required."));
        else if (name == null) errors.Add(("name", "The name must be a string."));
        else if (name.Length > 100) errors.Add(("name", "The name may not be greater than 100 characters."));
        else if (!AlphaSpaces.IsMatch(name)) errors.Add(("name", "The name may only contain letters and spaces."));
        if (o["data"] == null) errors.Add(("data", "The data field is required."));
        if (status != null && status is not ("ACTIVE" or "COMPLETED" or "ERROR" or "CANCELED")) errors.Add(("status", "The selected status is invalid."));
        else if (o["status"] != null && status == null) errors.Add(("status", "The selected status is invalid."));
        var processId = o["process_id"] is JsonValue pv && pv.TryGetValue<long>(out var pid) ? pid : (long?)null;
        if (o["process_id"] == null) errors.Add(("process_id", "The process id field is required."));
        else if (processId == null || Store.FindProcess(processId.Value) == null) errors.Add(("process_id", "The selected process id is invalid."));
        if (errors.Count > 0) return Invalid(errors.ToArray());
        Store.Fill(request, name!, o["data"] is JsonObject d ? (JsonObject)Sanitize(d, trim: true, stripTags: false)! : new JsonObject(), status);
        return Results.StatusCode(204);
    }

    private IResult DeleteRequest(HttpContext context, long id)
    {
        var me = Me(context);
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        // ProcessRequestPolicy::destroy: administrators and the requester.
        if (!me.IsAdministrator && request.UserId != me.Id) return Forbidden();
        Store.Delete(request);
        return Results.StatusCode(204);
    }

    private JsonObject RequestJson(PmRequest r, IReadOnlyCollection<string>? includes = null)
    {
        includes ??= Array.Empty<string>();
        var o = new JsonObject
        {
            ["id"] = r.Id,
            ["process_id"] = r.ProcessId,
            ["process_collaboration_id"] = null,
            ["user_id"] = r.UserId,
            ["participant_id"] = null,
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
            o["active_tasks"] = ArrayOf(Store.TasksOf(r).Where(t => t.Status == "ACTIVE"), t => TaskJson(t, Array.Empty<string>()));
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
}
