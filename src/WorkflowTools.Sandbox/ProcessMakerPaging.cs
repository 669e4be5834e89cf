using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using static WorkflowTools.Sandbox.SandboxJson;

namespace WorkflowTools.Sandbox;

/// <summary>Helpers the sandbox's data and lifecycle routes share: PM4's collection page, errors, the signed-in user.</summary>
internal static class PmRoutes
{
    /// <summary>The user the authentication filter (<see cref="ProcessMakerApi.Authenticate"/>) found.</summary>
    public static PmUser Me(HttpContext c) => (PmUser)c.Items[ContextKeys.User]!;

    /// <summary>A route's <c>can:</c> middleware: null when the signed-in user holds <paramref name="permission"/>, else 403.</summary>
    public static IResult? Guard(HttpContext c, ProcessMakerStore store, string permission) => store.HasPermission(Me(c), permission) ? null : Forbidden();

    /// <summary>The API fallback's 404 (<c>{"error":"Not Found"}</c>).</summary>
    public static IResult NotFound() => Json(404, ErrorBodies.ProcessMaker(404));

    /// <summary>A refused <c>can:</c> middleware check.</summary>
    public static IResult Forbidden(string message = "This action is unauthorized.") => Json(403, new JsonObject { ["message"] = message });

    /// <summary>Laravel's validation answer: message = first error (+ " (and N more errors)"), errors by field.</summary>
    public static IResult Invalid(IReadOnlyList<(string Field, string Message)> errors)
    {
        var message = errors[0].Message + (errors.Count > 1 ? $" (and {errors.Count - 1} more error{(errors.Count > 2 ? "s" : "")})" : "");
        var e = new JsonObject();
        foreach (var (f, m) in errors)
        {
            if (e[f] is JsonArray list) list.Add(m);
            else e[f] = new JsonArray(m);
        }

        return Json(422, new JsonObject { ["message"] = message, ["errors"] = e });
    }

    /// <summary>A string input after TrimStrings and ConvertEmptyStringsToNull (null when absent or blank).</summary>
    public static string? Input(JsonObject? body, string key) =>
        body?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? (s.Trim().Length == 0 ? null : s.Trim()) : body?[key] is JsonValue n ? n.ToJsonString() : null;

    /// <summary>PM4's collection: {data, meta{filter, sort_by, sort_order, count, total_pages, current_page, from, to, last_page, per_page, total, path}}.</summary>
    public static IResult Page(HttpContext context, IReadOnlyList<JsonNode> all)
    {
        var q = context.Request.Query;
        var perPage = int.TryParse(q["per_page"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pp) && pp > 0 ? pp : 10;
        var page = int.TryParse(q["page"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var total = all.Count;
        var lastPage = Math.Max(1, (total + perPage - 1) / perPage);
        var items = all.Skip((page - 1) * perPage).Take(perPage).Select(n => n.DeepClone()).ToArray();
        var meta = new JsonObject
        {
            ["filter"] = q["filter"].ToString(),
            ["sort_by"] = q["order_by"].ToString(),
            ["sort_order"] = q["order_direction"].ToString(),
            ["count"] = items.Length,
            ["total_pages"] = lastPage,
            ["current_page"] = page,
            ["from"] = items.Length > 0 ? (page - 1) * perPage + 1 : null,
            ["to"] = items.Length > 0 ? (page - 1) * perPage + items.Length : null,
            ["last_page"] = lastPage,
            ["per_page"] = perPage,
            ["total"] = total,
            ["path"] = Origin(context.Request) + context.Request.Path.Value,
        };
        return Json(200, new JsonObject { ["data"] = new JsonArray(items), ["meta"] = meta });
    }
}
