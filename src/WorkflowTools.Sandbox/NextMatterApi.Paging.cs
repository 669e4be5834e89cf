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

// Next Matter's pagination in the sandbox: page size, page and cursor links (DRF's PageNumberPagination and CursorPagination).
internal sealed partial class NextMatterApi
{
    // ---------- pagination ----------

    private static int PageSize(HttpContext context)
    {
        // "limit" is the documented name; page_size (DRF's usual page_size_query_param) is read when it is absent.
        var text = context.Request.Query["limit"].ToString();
        if (text.Length == 0) text = context.Request.Query["page_size"].ToString();
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? Math.Min(n, MaxPageSize) : DefaultPageSize;
    }

    /// <summary>DRF PageNumberPagination: {count, next, previous, results}; bad page → 404 "Invalid page.".</summary>
    private static IResult Paginate(HttpContext context, int count, Func<int, int, IEnumerable<JsonNode>> slice)
    {
        var size = PageSize(context);
        var pages = Math.Max(1, (count + size - 1) / size);
        var pageText = context.Request.Query["page"].ToString();
        int page;
        if (pageText.Length == 0) page = 1;
        else if (pageText == "last") page = pages;
        else if (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1 || page > pages)
            return Detail(404, "Invalid page.");
        var result = new JsonObject
        {
            ["count"] = count,
            ["next"] = page < pages ? WithQuery(context, "page", page + 1 + "") : null,
            ["previous"] = page > 1 ? (page == 2 ? WithQuery(context, "page", null) : WithQuery(context, "page", page - 1 + "")) : null,
            ["results"] = new JsonArray(slice((page - 1) * size, size).ToArray()),
        };
        return Json(200, result);
    }

    /// <summary>
    /// Absolute URL of this request with one query parameter replaced (or removed when value is null), built like
    /// DRF's replace_query_param: parameters sorted by name, form-encoded (space = '+').
    /// </summary>
    private static string WithQuery(HttpContext context, string key, string? value)
    {
        var pairs = new List<(string Key, string Value)>();
        foreach (var kv in QueryHelpers.ParseQuery(context.Request.QueryString.Value))
            if (kv.Key != key) foreach (var v in kv.Value) pairs.Add((kv.Key, v ?? ""));
        if (value != null) pairs.Add((key, value));
        var query = string.Join("&", pairs.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => System.Net.WebUtility.UrlEncode(p.Key) + "=" + System.Net.WebUtility.UrlEncode(p.Value)));
        return Origin(context.Request) + context.Request.Path.Value + (query.Length > 0 ? "?" + query : "");
    }

    private static string EncodeCursor(bool reverse, long position) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"r={(reverse ? 1 : 0)}&p={position}"));

    private static bool TryDecodeCursor(string cursor, out bool reverse, out long position)
    {
        reverse = false;
        position = 0;
        try
        {
            var parts = QueryHelpers.ParseQuery(Encoding.ASCII.GetString(Convert.FromBase64String(cursor)));
            reverse = parts.TryGetValue("r", out var r) && r == "1";
            return parts.TryGetValue("p", out var p) && long.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out position);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
