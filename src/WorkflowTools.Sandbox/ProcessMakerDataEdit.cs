using System;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using static WorkflowTools.Sandbox.SandboxJson;

namespace WorkflowTools.Sandbox;

/// <summary>
/// ProcessMaker's request data edits (PUT /requests/{id} with only <c>data</c>), as PM4 4.15.6 does them:
/// ProcessRequestController::update, ProcessRequestPolicy::update/editData, Http/Kernel.php's middleware.
/// </summary>
/// <remarks>
/// Source over docs: the API reference describes PUT /requests/{id} as replacing the request's fields; the controller
/// merges <c>data</c> into the stored data with PHP's <c>array_merge</c> (top-level keys replaced, others kept) and
/// answers 204. The body goes through the global TrimStrings and ConvertEmptyStringsToNull middleware (strings
/// trimmed, "" becomes null, at every depth), but not through SanitizeInput's tag stripping: the controller lists
/// <c>data</c> in <c>$doNotSanitize</c>, and SanitizeInput::cleanValue passes the whole <c>data</c> array through
/// unchanged. So unlike a start, tags and <c>{{ }}</c> stay.
/// </remarks>
internal static class ProcessMakerDataEdit
{
    /// <summary>
    /// The data branch of PUT /requests/{id}: the body's keys must be exactly <c>data</c> (or <c>data</c> and
    /// <c>task_element_id</c>); null when they are not (the caller goes on with the other branches).
    /// </summary>
    public static IResult? TryUpdate(ProcessMakerStore store, PmUser me, PmRequest request, JsonObject body)
    {
        var keys = body.Select(kv => kv.Key).ToList();
        var dataOnly = keys.SequenceEqual(new[] { "data" }) || keys.SequenceEqual(new[] { "data", "task_element_id" });
        if (!dataOnly || body["data"] is not JsonObject data) return null;

        // ProcessRequestPolicy::editData: edit-task_data while the request is active, edit-request_data after.
        var permission = request.Status == "ACTIVE" ? "edit-task_data" : "edit-request_data";
        if (!store.HasPermission(me, permission))
            return Json(403, new JsonObject { ["message"] = "Not authorized to edit request data." });

        store.UpdateData(request, (JsonObject)Clean(data)!);
        return Results.StatusCode(204);
    }

    /// <summary>TrimStrings then ConvertEmptyStringsToNull, recursively; nothing else.</summary>
    internal static JsonNode? Clean(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var kv in o) copy[kv.Key] = Clean(kv.Value);
                return copy;
            case JsonArray a:
                var arr = new JsonArray();
                foreach (var x in a) arr.Add(Clean(x));
                return arr;
            case JsonValue v when v.TryGetValue<string>(out var s):
                s = s.Trim();
                return s.Length == 0 ? null : JsonValue.Create(s);
            default:
                return node?.DeepClone();
        }
    }
}
