using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The security log entries PM4 4.15.6 writes for changes to users and groups: the events the people controllers
/// dispatch (Http/Controllers/Api/UserController.php store/update/updateGroups/destroy/restore, GroupController.php
/// store/update/destroy, GroupMemberController.php store/destroy), each event's <c>getEventName</c> and <c>getData</c>
/// (Events/UserCreated.php, UserUpdated.php, UserDeleted.php, UserRestored.php, UserGroupMembershipUpdated.php,
/// GroupCreated.php, GroupUpdated.php, GroupDeleted.php, GroupUsersUpdated.php), written by
/// Listeners/SecurityLogger.php with the acting user's id (the events keep their user private, so <c>Auth::id()</c>).
/// The unformatted <c>changes</c> column is hidden from the API (Models/SecurityLog::$hidden), so it is not kept.
/// </summary>
internal static class PmPeopleEvents
{
    /// <summary>Helpers/SensitiveDataHelper masks a password (a bcrypt hash, 60 characters) with as many asterisks.</summary>
    private static readonly string MaskedPassword = new('*', 60);

    /// <summary>resources/lang/en/validation.php <c>attributes</c>: how FormatSecurityLogChanges names a changed column.</summary>
    private static readonly Dictionary<string, string> Attributes = new()
    {
        ["title"] = "name", ["firstname"] = "First Name", ["lastname"] = "Last Name", ["config"] = "Config",
    };

    /// <summary>PM4's APP_URL for the sandbox's ProcessMaker: <c>route()</c> links are absolute.</summary>
    internal static string AppUrl(HttpContext c) => $"{c.Request.Scheme}://{c.Request.Host}/processmaker";

    /// <summary><c>route('users.edit', $user)</c> (routes/web.php: admin/users/{user}/edit).</summary>
    private static string UserLink(HttpContext c, long id) => $"{AppUrl(c)}/admin/users/{id.ToString(CultureInfo.InvariantCulture)}/edit";

    /// <summary><c>route('groups.edit', $group)</c> (routes/web.php: admin/groups/{group}/edit).</summary>
    private static string GroupLink(HttpContext c, long id) => $"{AppUrl(c)}/admin/groups/{id.ToString(CultureInfo.InvariantCulture)}/edit";

    internal static JsonObject Labelled(string label, string link) => new() { ["label"] = label, ["link"] = link };

    /// <summary>A Carbon date as json_encode writes it into the <c>data</c> column (Carbon::toJSON: microseconds, Z).</summary>
    internal static string CarbonJson(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>UserCreated::getData.</summary>
    public static JsonObject UserCreated(HttpContext c, PmUser u) => new()
    {
        ["name"] = Labelled(u.Username, UserLink(c, u.Id)),
        ["username"] = u.Username,
        ["firstname"] = u.Firstname,
        ["lastname"] = u.Lastname,
        ["title"] = u.Profile.TryGetValue("title", out var title) ? title : null,
        ["status"] = u.Status,
        ["email"] = u.Email,
        ["created_at"] = CarbonJson(u.CreatedAt),
    };

    /// <summary>
    /// UserUpdated::getData: the name, the user name, the change time, then each changed column as <c>+ column</c> (new
    /// value) and <c>- column</c> (old value, when it was set), as ArrayHelper::getArrayDifferencesWithFormat and
    /// FormatSecurityLogChanges write them (<c>title</c> shown as "Job title", passwords masked). A new password also
    /// sets <c>password_changed_at</c>; the sandbox keeps no old value of that column, so only its new one shows.
    /// </summary>
    public static JsonObject UserUpdated(HttpContext c, PmUser before, PmUser after, DateTimeOffset now)
    {
        var data = new JsonObject
        {
            ["name"] = Labelled(after.Username, UserLink(c, after.Id) + "#nav-home"),
            ["user_name"] = after.Username,
            ["last_modified"] = CarbonJson(after.UpdatedAt),
        };
        var columns = new List<(string Key, JsonNode? New, JsonNode? Old)>
        {
            ("email", after.Email, before.Email),
            ("firstname", after.Firstname, before.Firstname),
            ("lastname", after.Lastname, before.Lastname),
            ("username", after.Username, before.Username),
        };
        if (after.Password != before.Password)
        {
            columns.Add(("password", MaskedPassword, MaskedPassword));
            columns.Add(("password_changed_at", now.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), null)); // toDateTimeString()
        }
        foreach (var f in PmPeopleRules.ProfileFields)
        {
            after.Profile.TryGetValue(f, out var n);
            before.Profile.TryGetValue(f, out var o);
            columns.Add((f == "title" ? "Job title" : f, n, o));
        }
        columns.Add(("is_administrator", after.IsAdministrator, before.IsAdministrator));
        columns.Add(("status", after.Status, before.Status));
        foreach (var (key, n, o) in columns.Where(x => x.Key == "password" || !JsonNode.DeepEquals(x.New, x.Old)))
            Change(data, key, n, o);
        return data;
    }

    /// <summary>UserDeleted::getData: the user name (text, no link), first and last name, the time of the delete.</summary>
    public static JsonObject UserDeleted(PmUser u, DateTimeOffset now) => new()
    {
        ["name"] = u.Username,
        ["firstname"] = u.Firstname,
        ["lastname"] = u.Lastname,
        ["deleted_at"] = CarbonJson(now),
    };

    /// <summary>UserRestored::getData.</summary>
    public static JsonObject UserRestored(HttpContext c, PmUser u) => new()
    {
        ["name"] = Labelled(u.Username, UserLink(c, u.Id)),
        ["email"] = u.Email,
        ["last_modified"] = CarbonJson(u.UpdatedAt),
    };

    /// <summary>
    /// UserGroupMembershipUpdated::getData (event name UserGroupsUpdated): the user, then <c>+ groups</c> and
    /// <c>- groups</c> from what <c>sync()</c> attached and detached (each omitted when empty). Clearing the groups with
    /// an empty value takes PM4's <c>detach()</c> road, which reports nothing: then only the user is logged.
    /// </summary>
    public static JsonObject UserGroupsUpdated(HttpContext c, PmUser u, IEnumerable<PmGroup> attached, IEnumerable<PmGroup> detached)
    {
        var data = new JsonObject { ["user"] = new JsonObject { ["link"] = UserLink(c, u.Id), ["label"] = u.Username } };
        JsonArray List(IEnumerable<PmGroup> groups) => new(groups.Select(g => (JsonNode)new JsonObject { ["link"] = GroupLink(c, g.Id), ["label"] = g.Name }).ToArray());
        var added = List(attached);
        var removed = List(detached);
        if (added.Count > 0) data["+ groups"] = added;
        if (removed.Count > 0) data["- groups"] = removed;
        return data;
    }

    /// <summary>GroupCreated::getData.</summary>
    public static JsonObject GroupCreated(HttpContext c, PmGroup g) => new()
    {
        ["name"] = Labelled(g.Name, GroupLink(c, g.Id)),
        ["description"] = g.Description,
        ["created_at"] = CarbonJson(g.CreatedAt),
    };

    /// <summary>GroupUpdated::getData: the name, the change time, and each changed column (FormatSecurityLogChanges).</summary>
    public static JsonObject GroupUpdated(HttpContext c, PmGroup before, PmGroup after)
    {
        var data = new JsonObject
        {
            ["name"] = Labelled(after.Name, GroupLink(c, after.Id)),
            ["last_modified"] = CarbonJson(after.UpdatedAt),
        };
        foreach (var (key, n, o) in new[] { ("name", after.Name, before.Name), ("description", after.Description, before.Description), ("status", after.Status, before.Status) })
            if (n != o) Change(data, key, n, o);
        return data;
    }

    /// <summary>GroupDeleted::getData: the name (text), the user and group members it had (labels and links), the time.</summary>
    public static JsonObject GroupDeleted(HttpContext c, PmGroup g, IEnumerable<PmUser> users, IEnumerable<PmGroup> groups, DateTimeOffset now) => new()
    {
        ["name"] = g.Name,
        ["user_members"] = new JsonArray(users.Select(u => (JsonNode)Labelled(u.Username, UserLink(c, u.Id))).ToArray()),
        ["group_members"] = new JsonArray(groups.Select(m => (JsonNode)Labelled(m.Name, GroupLink(c, m.Id))).ToArray()),
        ["deleted_at"] = CarbonJson(now),
    };

    /// <summary>
    /// GroupUsersUpdated::getData (event name GroupMembersUpdated): the group, then <c>+ user</c>/<c>+ group</c> for an
    /// added member or <c>- user</c>/<c>- group</c> for a removed one.
    /// </summary>
    public static JsonObject GroupMembersUpdated(HttpContext c, PmGroup group, long memberId, bool memberIsGroup, string memberLabel, bool added) => new()
    {
        ["group"] = new JsonObject { ["link"] = GroupLink(c, group.Id), ["label"] = group.Name },
        [(added ? "+ " : "- ") + (memberIsGroup ? "group" : "user")] = new JsonObject
        {
            ["link"] = memberIsGroup ? GroupLink(c, memberId) : UserLink(c, memberId),
            ["label"] = memberLabel,
        },
    };

    /// <summary>FormatSecurityLogChanges::formatChanges for one column: <c>+ name</c> always, <c>- name</c> when the old value is set.</summary>
    private static void Change(JsonObject data, string key, JsonNode? newValue, JsonNode? oldValue)
    {
        var name = Attributes.TryGetValue(key, out var translated) ? translated : key;
        data["+ " + name] = newValue?.DeepClone();
        if (oldValue != null) data["- " + name] = oldValue.DeepClone();
    }
}
