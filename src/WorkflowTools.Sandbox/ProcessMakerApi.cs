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
internal sealed partial class ProcessMakerApi
{
    /// <summary>SanitizeHelper::strip_tags: server-side tags, HTML comments, and tags that start with a letter or digit
    /// (so "a &lt; b and c &gt; d" stays as it is).</summary>
    private static readonly Regex HtmlTag = new(@"<\?((?!\?>)[\w\W])+\?>|<!--((?!-->)[\w\W])+-->|</?[a-zA-Z0-9]+[^>]*>", RegexOptions.CultureInvariant);

    private readonly SandboxServer _server;
    private ProcessMakerStore Store => _server.ProcessMaker;
    private DateTimeOffset Now => _server.Clock.Now;

    public ProcessMakerApi(SandboxServer server) => _server = server;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/processmaker/oauth/token", H(OAuthToken));

        var g = app.MapGroup("/processmaker/api/1.0");
        g.AddEndpointFilter(async (ctx, next) => Authenticate(ctx.HttpContext, Store) ?? await next(ctx));
        g.MapGet("/processes", (HttpContext c) => ListProcesses(c));
        g.MapGet("/processes/{id:long}", (HttpContext c, long id) => GetProcess(c, id));
        g.MapGet("/start_processes", (HttpContext c) => StartProcesses(c));
        g.MapPost("/process_events/{id:long}", (HttpContext c, long id) => StartRequest(c, id));
        g.MapGet("/requests", (HttpContext c) => ListRequests(c));
        g.MapGet("/requests/{id:long}", (HttpContext c, long id) => GetRequest(c, id));
        g.MapPut("/requests/{id:long}", (HttpContext c, long id) => UpdateRequest(c, id));
        g.MapDelete("/requests/{id:long}", (HttpContext c, long id) => DeleteRequest(c, id));
        // DELETE /requests (no id): Laravel's router knows the URI only for GET: 405.
        g.MapDelete("/requests", () => Json(405, new JsonObject { ["message"] = "The DELETE method is not supported for route api/1.0/requests. Supported methods: GET, HEAD." }));
        g.MapGet("/tasks", (HttpContext c) => ListTasks(c));
        g.MapGet("/tasks/{id:long}", (HttpContext c, long id) => GetTask(c, id));
        g.MapPut("/tasks/{id:long}", (HttpContext c, long id) => UpdateTask(c, id));
        MapPeople(g);
        app.Map("/processmaker/api/{**rest}", () => NotFound());
    }

    // ---------- auth ----------

    /// <summary>
    /// The one bearer check of every ProcessMaker route (this class's and ProcessMakerDataApi's groups): a live token of
    /// an existing user, who becomes <see cref="PmRoutes.Me"/>; anything else is PM4's 401.
    /// </summary>
    internal static IResult? Authenticate(HttpContext context, ProcessMakerStore store)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        var t = token.Length == 0 ? null : store.Authenticate(token);
        if (t?.UserId is not long userId || store.FindUser(userId) is not { } user) return Json(401, ErrorBodies.ProcessMaker(401));
        context.Items[ContextKeys.User] = user;
        return null;
    }

    private static PmUser Me(HttpContext c) => PmRoutes.Me(c);
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

    /// <summary>
    /// ProcessMaker's input cleaning, recursively. A start and a request update go through Laravel's TrimStrings and
    /// ConvertEmptyStringsToNull middleware (<paramref name="trim"/>); task completion reads the raw body, so its
    /// strings stay as sent (an empty string stays ""). SanitizeHelper strips tags and removes mustache braces, except
    /// where the controller lists the field in doNotSanitize (<paramref name="stripTags"/> false: a request's data).
    /// </summary>
    private static JsonNode? Sanitize(JsonNode? node, bool trim = false, bool stripTags = true)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var kv in o) copy[kv.Key] = Sanitize(kv.Value, trim, stripTags);
                return copy;
            case JsonArray a:
                var arr = new JsonArray();
                foreach (var x in a) arr.Add(Sanitize(x, trim, stripTags));
                return arr;
            case JsonValue v when v.TryGetValue<string>(out var s):
                if (trim) s = s.Trim();
                if (trim && s.Length == 0) return null;
                return JsonValue.Create(stripTags ? HtmlTag.Replace(s, "").Replace("{{", "").Replace("}}", "") : s);
            default:
                return node?.DeepClone();
        }
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
            // No security log entry: Passport checks the password itself and fires no Illuminate\Auth event, so PM4's
            // SecurityLogger writes 'login'/'attempt' only for its web sign-in, which the sandbox does not serve (PmDataEvents).
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

    private static string Direction(HttpContext context) =>
        context.Request.Query["order_direction"].ToString().Equals("desc", StringComparison.OrdinalIgnoreCase) ? "desc" : "asc";

    /// <summary>SQL's order: NULL sorts before any value.</summary>
    private static readonly IComparer<IComparable?> NullsFirst = Comparer<IComparable?>.Create((a, b) => a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.CompareTo(b));

    private static IEnumerable<T> Sort<T>(IEnumerable<T> rows, Func<T, IComparable?> key, string direction, Func<T, long> id) =>
        direction == "desc" ? rows.OrderByDescending(key, NullsFirst).ThenByDescending(id) : rows.OrderBy(key, NullsFirst).ThenBy(id);

    private static string[] Includes(HttpContext context) =>
        context.Request.Query["include"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Result that keeps the JSON body reachable (for /tasks, which adds meta.in_overdue).</summary>
    private sealed class PageResult : IResult
    {
        public PageResult(JsonObject body) => Body = body;
        public JsonObject Body { get; }
        public Task ExecuteAsync(HttpContext httpContext) => Json(200, Body).ExecuteAsync(httpContext);
    }

    /// <summary>
    /// ProcessMaker collection (ApiCollection): {data, meta{filter, sort_by, sort_order, count, total_pages,
    /// current_page, from, to, last_page, per_page, total, path, links}}; filter, sort_by and sort_order echo the
    /// query's filter, order_by and order_direction as sent ("" when absent).
    /// </summary>
    private static IResult Page(HttpContext context, List<JsonNode> all)
    {
        var q = context.Request.Query;
        var filter = System.Net.WebUtility.HtmlEncode(q["filter"].ToString());
        var sortBy = q["order_by"].ToString();
        var sortOrder = q["order_direction"].ToString();
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

    private static JsonObject UserJson(PmUser u) => new()
    {
        ["id"] = u.Id,
        ["username"] = u.Username,
        ["firstname"] = u.Firstname,
        ["lastname"] = u.Lastname,
        ["fullname"] = $"{u.Firstname} {u.Lastname}",
        ["email"] = u.Email,
        ["is_administrator"] = u.IsAdministrator,
        ["status"] = u.Status,
    };
}
