using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// The security log entries of the people routes, as PM4 4.15.6 (github:ProcessMaker/processmaker) writes them:
/// Http/Controllers/Api/UserController.php, GroupController.php and GroupMemberController.php dispatch the events;
/// Events/UserCreated.php, UserUpdated.php, UserDeleted.php, UserRestored.php, UserGroupMembershipUpdated.php,
/// GroupCreated.php, GroupUpdated.php, GroupDeleted.php, GroupUsersUpdated.php give the event names and data;
/// Listeners/SecurityLogger.php writes them with the acting user; tests/Feature/Api/SecurityLogsTest.php
/// (testUserCreated, testUserUpdated, testUserDeleted, testUserRestored, testGroupCreated, testGroupUpdated,
/// testGroupDeleted: the event name, and <c>name</c> and the date key in <c>data</c>).
/// </summary>
public sealed class ProcessMakerPeopleSecurityLogTests
{
    private const string NewUser = "{\"username\":\"newuser\",\"firstname\":\"New\",\"lastname\":\"User\",\"email\":\"new@example.com\",\"status\":\"ACTIVE\",\"password\":\"Abc12345_\",\"title\":\"Clerk\"}";
    private const string UserType = "ProcessMaker\\\\Models\\\\User";
    private const string GroupType = "ProcessMaker\\\\Models\\\\Group";

    private static async Task<JsonObject> Last(HttpClient admin, string eventName)
    {
        var (status, body, _) = await admin.GetAsync2($"security-logs?pmql={Uri.EscapeDataString($"event = \"{eventName}\"")}&order_by=id&order_direction=desc");
        Assert.Equal(200, status);
        var entry = body!["data"]!.AsArray().First()!.AsObject();
        Assert.Equal(eventName, (string)entry["event"]!);
        Assert.Equal(1L, (long)entry["user_id"]!); // SecurityLogger: Auth::id(), the acting administrator
        return entry["data"]!.AsObject();
    }

    [Fact] // SecurityLogsTest::testUserCreated, testUserUpdated, testUserDeleted, testUserRestored
    public async Task User_create_update_delete_and_restore_are_logged_with_PM4s_data_and_no_password()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var id = (long)(await admin.PostAsync2("users", NewUser)).Body!["id"]!;
        var link = $"{admin.BaseAddress!.GetLeftPart(UriPartial.Authority)}/processmaker/admin/users/{id}/edit";

        var created = await Last(admin, "UserCreated");
        Assert.Equal("newuser", (string)created["name"]!["label"]!);
        Assert.Equal(link, (string)created["name"]!["link"]!);
        Assert.Equal("newuser", (string)created["username"]!);
        Assert.Equal("Clerk", (string)created["title"]!);
        Assert.Equal("new@example.com", (string)created["email"]!);
        Assert.Equal("ACTIVE", (string)created["status"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", (string)created["created_at"]!);

        var update = NewUser.Replace("\"New\"", "\"Renamed\"").Replace("Clerk", "Manager").Replace("Abc12345_", "Xyz98765_!");
        Assert.Equal(204, (await admin.PutAsync2($"users/{id}", update)).Status);
        var updated = await Last(admin, "UserUpdated");
        Assert.Equal(link + "#nav-home", (string)updated["name"]!["link"]!);
        Assert.Equal("newuser", (string)updated["user_name"]!);
        Assert.True(updated.ContainsKey("last_modified"));
        Assert.Equal("Renamed", (string)updated["+ First Name"]!); // validation.attributes.firstname
        Assert.Equal("New", (string)updated["- First Name"]!);
        Assert.Equal("Manager", (string)updated["+ Job title"]!); // UserUpdated renames title
        Assert.Equal("Clerk", (string)updated["- Job title"]!);
        Assert.Equal(new string('*', 60), (string)updated["+ password"]!); // SensitiveDataHelper
        Assert.False(updated.ContainsKey("+ Last Name")); // unchanged columns are not listed
        Assert.False(updated.ContainsKey("+ email"));

        Assert.Equal(204, (await admin.SendAsync(HttpMethod.Delete, $"users/{id}")).Status);
        var deleted = await Last(admin, "UserDeleted");
        Assert.Equal("newuser", (string)deleted["name"]!); // text, not a link: the user is gone
        Assert.Equal("Renamed", (string)deleted["firstname"]!);
        Assert.True(deleted.ContainsKey("deleted_at"));

        Assert.Equal(200, (await admin.PutAsync2("users/restore", "{\"username\":\"newuser\"}")).Status);
        var restored = await Last(admin, "UserRestored");
        Assert.Equal(link, (string)restored["name"]!["link"]!);
        Assert.Equal("new@example.com", (string)restored["email"]!);
        Assert.True(restored.ContainsKey("last_modified"));

        // nothing restored, nothing logged; no password anywhere in the log
        Assert.Equal(200, (await admin.PutAsync2("users/restore", "{\"username\":\"nobody\"}")).Status);
        Assert.Single(s.ProcessMaker.SecurityLog, e => e.Event == "UserRestored");
        var all = (await admin.GetAsync2("security-logs?per_page=100")).Text;
        Assert.DoesNotContain("Abc12345_", all);
        Assert.DoesNotContain("Xyz98765_!", all);
    }

    [Fact] // a refused change is not logged: the event is dispatched after the save
    public async Task Refused_user_changes_write_nothing()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        using var user = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        var before = s.ProcessMaker.SecurityLog.Count;
        Assert.Equal(422, (await admin.PostAsync2("users", "{}")).Status);
        Assert.Equal(403, (await user.PostAsync2("users", NewUser)).Status);
        Assert.Equal(404, (await admin.SendAsync(HttpMethod.Delete, "users/424242")).Status);
        Assert.Equal(before, s.ProcessMaker.SecurityLog.Count);
    }

    [Fact] // SecurityLogsTest::testGroupCreated, testGroupUpdated, testGroupDeleted; GroupUsersUpdated (GroupMembersUpdated)
    public async Task Group_changes_and_memberships_are_logged_with_PM4s_data()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var origin = admin.BaseAddress!.GetLeftPart(UriPartial.Authority) + "/processmaker/admin";
        var group = (long)(await admin.PostAsync2("groups", "{\"name\":\"Finance\",\"description\":\"Money\"}")).Body!["id"]!;
        var inner = (long)(await admin.PostAsync2("groups", "{\"name\":\"Audit\"}")).Body!["id"]!;

        var created = await Last(admin, "GroupCreated");
        Assert.Equal("Audit", (string)created["name"]!["label"]!);
        Assert.Equal($"{origin}/groups/{inner}/edit", (string)created["name"]!["link"]!);
        Assert.True(created.ContainsKey("created_at"));

        Assert.Equal(204, (await admin.PutAsync2($"groups/{group}", "{\"name\":\"Finance\",\"description\":\"Funds\"}")).Status);
        var updated = await Last(admin, "GroupUpdated");
        Assert.Equal("Funds", (string)updated["+ description"]!);
        Assert.Equal("Money", (string)updated["- description"]!);
        Assert.False(updated.ContainsKey("+ name"));
        Assert.True(updated.ContainsKey("last_modified"));

        Assert.Equal(201, (await admin.PostAsync2("group_members", $"{{\"group_id\":{group},\"member_id\":2,\"member_type\":\"{UserType}\"}}")).Status);
        var added = await Last(admin, "GroupMembersUpdated");
        Assert.Equal("Finance", (string)added["group"]!["label"]!);
        Assert.Equal("jdoe", (string)added["+ user"]!["label"]!);
        Assert.Equal($"{origin}/users/2/edit", (string)added["+ user"]!["link"]!);
        // the same row again is answered 201 before anything is saved: no second entry
        Assert.Equal(201, (await admin.PostAsync2("group_members", $"{{\"group_id\":{group},\"member_id\":2,\"member_type\":\"{UserType}\"}}")).Status);
        Assert.Single(s.ProcessMaker.SecurityLog, e => e.Event == "GroupMembersUpdated");
        var nested = (long)(await admin.PostAsync2("group_members", $"{{\"group_id\":{group},\"member_id\":{inner},\"member_type\":\"{GroupType}\"}}")).Body!["id"]!;
        Assert.Equal("Audit", (string)(await Last(admin, "GroupMembersUpdated"))["+ group"]!["label"]!);
        Assert.Equal(204, (await admin.SendAsync(HttpMethod.Delete, $"group_members/{nested}")).Status);
        Assert.Equal("Audit", (string)(await Last(admin, "GroupMembersUpdated"))["- group"]!["label"]!);
        Assert.Equal(201, (await admin.PostAsync2("group_members", $"{{\"group_id\":{group},\"member_id\":{inner},\"member_type\":\"{GroupType}\"}}")).Status);

        Assert.Equal(204, (await admin.SendAsync(HttpMethod.Delete, $"groups/{group}")).Status);
        var deleted = await Last(admin, "GroupDeleted");
        Assert.Equal("Finance", (string)deleted["name"]!);
        Assert.Equal("jdoe", (string)Assert.Single(deleted["user_members"]!.AsArray())!["label"]!);
        Assert.Equal("Audit", (string)Assert.Single(deleted["group_members"]!.AsArray())!["label"]!);
        Assert.True(deleted.ContainsKey("deleted_at"));
    }

    [Fact] // UserController::updateGroups: sync() reports attached and detached; an empty value detaches silently
    public async Task A_users_groups_update_logs_what_was_attached_and_detached()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var a = (long)(await admin.PostAsync2("groups", "{\"name\":\"Alpha\"}")).Body!["id"]!;
        var b = (long)(await admin.PostAsync2("groups", "{\"name\":\"Beta\"}")).Body!["id"]!;

        Assert.Equal(204, (await admin.PutAsync2("users/2/groups", $"{{\"groups\":[{a}]}}")).Status);
        var first = await Last(admin, "UserGroupsUpdated");
        Assert.Equal("jdoe", (string)first["user"]!["label"]!);
        Assert.Equal("Alpha", (string)Assert.Single(first["+ groups"]!.AsArray())!["label"]!);
        Assert.False(first.ContainsKey("- groups"));

        Assert.Equal(204, (await admin.PutAsync2("users/2/groups", $"{{\"groups\":\"{b}\"}}")).Status);
        var second = await Last(admin, "UserGroupsUpdated");
        Assert.Equal("Beta", (string)Assert.Single(second["+ groups"]!.AsArray())!["label"]!);
        Assert.Equal("Alpha", (string)Assert.Single(second["- groups"]!.AsArray())!["label"]!);

        Assert.Equal(204, (await admin.PutAsync2("users/2/groups", "{\"groups\":\"\"}")).Status);
        var cleared = await Last(admin, "UserGroupsUpdated");
        Assert.Equal(new[] { "user" }, cleared.Select(kv => kv.Key));
        Assert.Empty(s.ProcessMaker.FindGroup(b)!.Members);

        Assert.Equal(400, (await admin.PutAsync2("users/2/groups", "{}")).Status);
        Assert.Equal(3, s.ProcessMaker.SecurityLog.Count(e => e.Event == "UserGroupsUpdated"));
    }
}
