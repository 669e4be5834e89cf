using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static WorkflowTools.Sandbox.SandboxJson;

namespace WorkflowTools.Sandbox;

// ProcessMaker 4's users, as 4.15.6 serves them: routes/api.php (the `can:` middleware of each route),
// Http/Controllers/Api/UserController.php, Http/Middleware/ValidateEditUserAndPasswordPermission.php,
// Policies/UserPolicy.php, Models/User.php (rules, $hidden, soft delete). Groups and group members are in
// ProcessMakerGroupsApi.cs; reassignment rights in ProcessMakerReassignment.cs.
internal sealed partial class ProcessMakerApi
{
    /// <summary>Maps the people routes (users, groups, group members) on the authenticated API group.</summary>
    private void MapPeople(RouteGroupBuilder g)
    {
        g.MapGet("/users", (HttpContext c) => ListUsers(c, deleted: false));
        g.MapGet("/deleted_users", (HttpContext c) => ListUsers(c, deleted: true));
        g.MapGet("/users/{id:long}", (HttpContext c, long id) => ShowUser(c, id));
        g.MapPost("/users", Routes.H(CreateUser));
        g.MapPut("/users/restore", Routes.H(RestoreUser));
        g.MapPut("/users/{id:long}", (HttpContext c, long id) => UpdateUser(c, id));
        g.MapDelete("/users/{id:long}", (HttpContext c, long id) => DeleteUser(c, id));
        g.MapPut("/users/{id:long}/groups", (HttpContext c, long id) => UpdateUserGroups(c, id));
        MapGroups(g);
    }

    private static IResult Validation(PmPeopleRules.Errors errors) => Json(422, errors.Body());

    /// <summary>A live (not soft-deleted) user: what route model binding finds for <c>users/{user}</c>.</summary>
    private PmUser? LiveUser(long id) => Store.FindUser(id) is { DeletedAt: null } u ? u : null;

    private static bool AnyOf(ProcessMakerStore store, PmUser me, params string[] permissions) => permissions.Any(p => store.HasPermission(me, p));

    private IResult ListUsers(HttpContext context, bool deleted)
    {
        var me = Me(context);
        if (deleted)
        {
            if (!Store.HasPermission(me, "view-users")) return Forbidden(); // route middleware can:view-users
        }
        else if (!AnyOf(Store, me, "view-users", "create-processes", "edit-processes", "create-projects", "view-projects"))
        {
            return Forbidden("Not authorized to view users.");
        }

        var q = context.Request.Query;
        IEnumerable<PmUser> rows = Store.AllUsers.Where(u => deleted ? u.DeletedAt != null : u.DeletedAt == null);
        var filter = q["filter"].ToString();
        if (filter.Length > 0)
            rows = rows.Where(u => Like(u.Username, filter) || Like(u.Firstname, filter) || Like(u.Lastname, filter) || Like(u.Email, filter));
        if (!deleted && q["exclude_ids"].ToString() is { Length: > 0 } exclude)
        {
            var ids = exclude.Split(',').Select(s => long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0).ToHashSet();
            rows = rows.Where(u => !ids.Contains(u.Id));
        }
        // `$request->has('status')`: an exact match, case-insensitive as MySQL compares.
        if (!deleted && q.ContainsKey("status")) rows = rows.Where(u => string.Equals(u.Status, q["status"].ToString(), StringComparison.OrdinalIgnoreCase));
        var orderBy = OrderField(context, "username"); var direction = Direction(context);
        Func<PmUser, IComparable?>? key = orderBy switch
        {
            "id" => u => u.Id,
            "username" => u => u.Username.ToLowerInvariant(),
            "firstname" => u => u.Firstname.ToLowerInvariant(),
            "lastname" => u => u.Lastname.ToLowerInvariant(),
            "email" => u => u.Email.ToLowerInvariant(),
            "status" => u => u.Status,
            "created_at" => u => u.CreatedAt,
            "updated_at" => u => u.UpdatedAt,
            _ => null,
        };
        if (key == null) return ServerError(); // an unknown column is an SQL error in PM4
        var list = Sort(rows, key, direction, u => u.Id).Select(u => (JsonNode)UserResource(u)).ToList();
        return Page(context, list);
    }

    /// <summary>SQL <c>LIKE '%filter%'</c> under MySQL's case-insensitive collation.</summary>
    private static bool Like(string? value, string filter) => value != null && value.Contains(filter, StringComparison.OrdinalIgnoreCase);

    private IResult ShowUser(HttpContext context, long id)
    {
        var me = Me(context);
        if (LiveUser(id) is not { } user) return NotFound();
        // UserController::show: UserPolicy::view (oneself, or view-users) or create-projects.
        if (user.Id != me.Id && !AnyOf(Store, me, "view-users", "create-projects")) return Forbidden("Not authorized to update this user.");
        return Json(200, UserResource(user));
    }

    private async Task<IResult> CreateUser(HttpContext context)
    {
        var me = Me(context);
        if (!Store.HasPermission(me, "create-users")) return Forbidden();
        var (node, _) = await ReadBodyAsync(context);
        var body = node as JsonObject ?? new JsonObject();
        var errors = PmPeopleRules.CheckUser(body, null, Store.AllUsers);
        if (errors.Any) return Validation(errors);
        var user = Store.CreateUser(Fill(new PmUser(0, "", "", "", false, ""), body));
        Store.RecordSecurityEvent(me.Id, "UserCreated", PmPeopleEvents.UserCreated(context, user));
        return Json(201, UserResource(user));
    }

    private async Task<IResult> UpdateUser(HttpContext context, long id)
    {
        var me = Me(context);
        if (LiveUser(id) is not { } user) return NotFound();
        var (node, _) = await ReadBodyAsync(context);
        var body = node as JsonObject ?? new JsonObject();
        // ValidateEditUserAndPasswordPermission (route middleware): a username other than the stored one (a missing
        // one counts) needs edit-user-and-password. Its password test is in_array('password', $fields), which looks at
        // the values, not the keys, so sending a new password alone does not trip it. Source wins; kept as PM4 does it.
        var changesUsername = PmPeopleRules.Text(body, "username") != user.Username;
        var valueIsPassword = body.Any(kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var s) && s == "password");
        if ((changesUsername || valueIsPassword) && !Store.HasPermission(me, "edit-user-and-password"))
            return Forbidden("Not authorized to update the username and password.");
        // UserController::update: UserPolicy::edit (oneself, or edit-users).
        if (user.Id != me.Id && !Store.HasPermission(me, "edit-users")) return Forbidden("Not authorized to update this user.");
        var errors = PmPeopleRules.CheckUser(body, user, Store.AllUsers);
        if (errors.Any) return Validation(errors);
        if (PmPeopleRules.Text(body, "email") != user.Email)
        {
            // A new e-mail needs the caller's own password as valpassword (validateBeforeChange).
            if (!body.ContainsKey("valpassword"))
                return Json(422, EmailError("The password is required."));
            if (PmPeopleRules.Text(body, "valpassword") != me.Password)
                return Json(422, EmailError("The authentication is incorrect."));
        }
        var updated = Fill(user, body);
        // Only an administrator may make someone an administrator (or take it away).
        updated = updated with { IsAdministrator = me.IsAdministrator && body["is_administrator"] is JsonValue admin ? Truthy(admin) : user.IsAdministrator };
        var stored = Store.ReplaceUser(updated);
        Store.RecordSecurityEvent(me.Id, "UserUpdated", PmPeopleEvents.UserUpdated(context, user, stored, Now));
        return Results.StatusCode(204);
    }

    private static JsonObject EmailError(string detail) => new()
    {
        ["message"] = "A valid authentication is required for for update the email.", // sic, PM4's wording
        ["errors"] = new JsonObject { ["email"] = new JsonArray(detail) },
    };

    private static bool Truthy(JsonValue v) =>
        v.TryGetValue<bool>(out var b) ? b : v.TryGetValue<long>(out var n) ? n != 0 : v.TryGetValue<string>(out var s) && s is "1" or "true";

    /// <summary>Model::fill with the validated body: the given fillable columns change, the rest stay.</summary>
    private static PmUser Fill(PmUser user, JsonObject body)
    {
        string Or(string field, string current) => body.ContainsKey(field) ? PmPeopleRules.Text(body, field) ?? "" : current;
        var profile = new Dictionary<string, string?>(user.Profile);
        foreach (var f in PmPeopleRules.ProfileFields)
            if (body.ContainsKey(f)) profile[f] = PmPeopleRules.Text(body, f);
        return user with
        {
            Username = Or("username", user.Username),
            Firstname = Or("firstname", user.Firstname),
            Lastname = Or("lastname", user.Lastname),
            Email = Or("email", user.Email),
            Status = Or("status", user.Status),
            Password = PmPeopleRules.Text(body, "password") ?? user.Password,
            Profile = profile,
        };
    }

    private IResult DeleteUser(HttpContext context, long id)
    {
        // Route model binding (404) comes before the `can:` middleware (403), as Laravel's middleware priority orders them.
        if (LiveUser(id) is not { } user) return NotFound();
        if (!Store.HasPermission(Me(context), "delete-users")) return Forbidden();
        Store.SoftDeleteUser(id);
        Store.RecordSecurityEvent(Me(context).Id, "UserDeleted", PmPeopleEvents.UserDeleted(user, Now));
        return Results.StatusCode(204);
    }

    private async Task<IResult> RestoreUser(HttpContext context)
    {
        if (!Store.HasPermission(Me(context), "create-users")) return Forbidden();
        var (node, _) = await ReadBodyAsync(context);
        var body = node as JsonObject ?? new JsonObject();
        // UserController::restore: the first of id, email, username given finds a trashed user; nothing found is
        // still 200 with an empty array (the caller must look for itself).
        foreach (var key in new[] { "id", "email", "username" })
        {
            if (!body.ContainsKey(key)) continue;
            var value = PmPeopleRules.Text(body, key);
            var found = Store.AllUsers.FirstOrDefault(u => u.DeletedAt != null && key switch
            {
                "id" => u.Id.ToString(CultureInfo.InvariantCulture) == value,
                "email" => string.Equals(u.Email, value, StringComparison.OrdinalIgnoreCase),
                _ => string.Equals(u.Username, value, StringComparison.OrdinalIgnoreCase),
            });
            if (found != null)
            {
                Store.RestoreUser(found.Id);
                Store.RecordSecurityEvent(Me(context).Id, "UserRestored", PmPeopleEvents.UserRestored(context, Store.FindUser(found.Id)!));
            }
            break;
        }
        return Json(200, new JsonArray());
    }

    private async Task<IResult> UpdateUserGroups(HttpContext context, long id)
    {
        if (LiveUser(id) is not { } user) return NotFound();
        if (!Store.HasPermission(Me(context), "edit-users")) return Forbidden();
        var (node, _) = await ReadBodyAsync(context);
        var body = node as JsonObject ?? new JsonObject();
        if (!body.ContainsKey("groups")) return Json(400, new JsonArray());
        var ids = new List<long>();
        var synced = false; // $request->filled('groups'): sync() reports what it attached and detached; detach() nothing
        switch (body["groups"])
        {
            case JsonArray a:
                synced = true;
                foreach (var x in a)
                    if (x is JsonValue v && (v.TryGetValue<long>(out var n) || long.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n))) ids.Add(n);
                    else return ServerError();
                break;
            case JsonValue v when v.ToString().Trim().Length > 0:
                // A comma-separated string: array_map('intval', explode(',', …)).
                synced = true;
                ids.AddRange(v.ToString().Split(',').Select(s => long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0));
                break;
        }
        // sync() with an id that is no group breaks the foreign key: an SQL error, a 500.
        if (ids.Any(g => Store.FindGroup(g) == null)) return ServerError();
        var wanted = ids.Distinct().ToList();
        var had = Store.Groups.Where(g => g.Members.Contains(id)).ToList();
        Store.SyncUserGroups(id, wanted);
        var attached = synced ? wanted.Where(g => had.All(h => h.Id != g)).Select(g => Store.FindGroup(g)!).ToList() : new List<PmGroup>();
        var detached = synced ? had.Where(h => !wanted.Contains(h.Id)).ToList() : new List<PmGroup>();
        Store.RecordSecurityEvent(Me(context).Id, "UserGroupsUpdated", PmPeopleEvents.UserGroupsUpdated(context, user, attached, detached));
        return Results.StatusCode(204);
    }

    /// <summary>
    /// The user resource (Http/Resources/Users: the model's toArray). <c>password</c> is hidden; <c>remember_token</c>
    /// is not in User::$hidden, so PM4 sends it: the sandbox does too (a made-up value), so clients are tested for
    /// dropping it.
    /// </summary>
    internal static JsonObject UserResource(PmUser u)
    {
        var o = new JsonObject
        {
            ["id"] = u.Id,
            ["username"] = u.Username,
            ["firstname"] = u.Firstname,
            ["lastname"] = u.Lastname,
            ["email"] = u.Email,
            ["status"] = u.Status,
        };
        foreach (var f in PmPeopleRules.ProfileFields) o[f] = u.Profile.TryGetValue(f, out var v) ? v : null;
        o["is_administrator"] = u.IsAdministrator;
        o["expires_at"] = null;
        o["loggedin_at"] = null;
        o["remember_token"] = $"sandbox-remember-{u.Id.ToString(CultureInfo.InvariantCulture)}";
        o["created_at"] = PmTime(u.CreatedAt);
        o["updated_at"] = PmTime(u.UpdatedAt);
        o["deleted_at"] = PmTime(u.DeletedAt);
        o["email_task_notification"] = 1;
        o["fullname"] = $"{u.Firstname} {u.Lastname}";
        return o;
    }

    /// <summary>The column to order by: the query's order_by, or the listing's default.</summary>
    private static string OrderField(HttpContext context, string defaultField) =>
        context.Request.Query["order_by"].ToString() is { Length: > 0 } by ? by : defaultField;
}
