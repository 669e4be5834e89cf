using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// Contract fixtures for ProcessMaker 4's people API, each naming the 4.15.6 source it follows
/// (github:ProcessMaker/processmaker): routes/api.php, Http/Controllers/Api/UserController.php, GroupController.php,
/// GroupMemberController.php, Http/Middleware/ValidateEditUserAndPasswordPermission.php, Models/User.php, Group.php,
/// GroupMember.php, Policies/UserPolicy.php, ProcessRequestTokenPolicy.php, and tests/Feature/Api/UsersTest.php,
/// GroupsTest.php, GroupMembersTest.php.
/// </summary>
public sealed class ProcessMakerPeopleTests
{
    private const string NewUser = "{\"username\":\"newuser\",\"firstname\":\"New\",\"lastname\":\"User\",\"email\":\"new@example.com\",\"status\":\"ACTIVE\",\"password\":\"Abc12345_\"}";

    private static HttpClient As(SandboxServer s, long id, params string[] permissions)
    {
        var u = s.ProcessMaker.FindUser(id) ?? s.ProcessMaker.AddUser(new PmUser(id, "u" + id, "U", id.ToString(), false, "Secret123!"));
        s.ProcessMaker.AddUser(u with { Permissions = permissions });
        s.ProcessMaker.AddToken("token-" + id, id);
        return TestSupport.PmClient(s, "token-" + id);
    }

    private static Task<(int Status, JsonNode? Body, string Text)> Delete(HttpClient c, string url) => c.SendAsync(HttpMethod.Delete, url);

    [Fact] // UsersTest::testCreateUser, testCreateWithoutPassword; User::rules, passwordRules; UserController::store
    public async Task Creating_a_user_validates_as_User_rules_and_answers_201_without_the_password()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var (st, body, _) = await admin.PostAsync2("users", "{}");
        Assert.Equal(422, st);
        Assert.Equal("The Username field is required. (and 5 more errors)", (string)body!["message"]!);
        Assert.Equal("The First Name field is required.", (string)body["errors"]!["firstname"]![0]!);
        Assert.Equal("The Password field is required.", (string)body["errors"]!["password"]![0]!);

        (st, body, _) = await admin.PostAsync2("users", NewUser.Replace("Abc12345_", "abc"));
        Assert.Equal(422, st);
        var messages = body!["errors"]!["password"]!.AsArray().Select(m => (string)m!).ToArray();
        Assert.Equal(new[]
        {
            "The password must contain at least one uppercase character.", "The Password field must be at least 8 characters.",
            "The Password field must contain at least one symbol.", "The Password field must contain at least one number.",
        }, messages);

        (st, body, var text) = await admin.PostAsync2("users", NewUser);
        Assert.Equal(201, st);
        Assert.Equal("newuser", (string)body!["username"]!);
        Assert.Equal("ACTIVE", (string)body["status"]!);
        Assert.DoesNotContain("Abc12345_", text);
        Assert.False(body.AsObject().ContainsKey("password")); // User::$hidden
        Assert.True(body.AsObject().ContainsKey("remember_token")); // not in $hidden: PM4 sends it, clients must drop it
        // the request log keeps no password either
        Assert.DoesNotContain(s.Requests.All, r => r.Body.Contains("Abc12345_", StringComparison.Ordinal));
    }

    [Fact] // UsersTest::testCreatePreviouslyDeletedUser, testNotCreateUserWithUsernameExists; migration 2021_09_10_132727 drops users_email_unique
    public async Task Usernames_are_unique_even_against_deleted_users_but_emails_are_not()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var id = (long)(await admin.PostAsync2("users", NewUser)).Body!["id"]!;
        Assert.Equal(204, (await Delete(admin, $"users/{id}")).Status);
        var (st, body, _) = await admin.PostAsync2("users", NewUser.Replace("new@example.com", "other@example.com"));
        Assert.Equal(422, st);
        Assert.Equal("The Username has already been taken.", (string)body!["errors"]!["username"]![0]!);
        // The issue asked for unique e-mails; PM4 4.15.6 dropped that index, and the source wins: a second user may share one.
        (st, _, _) = await admin.PostAsync2("users", NewUser.Replace("newuser", "seconduser"));
        Assert.Equal(201, st);
    }

    [Fact] // UsersTest::testRestoreSoftDeletedUser; User::boot (deleting → INACTIVE + removeFromGroups, restoring → ACTIVE)
    public async Task Delete_is_soft_restore_brings_the_user_back_active_without_the_groups()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var id = (long)(await admin.PostAsync2("users", NewUser)).Body!["id"]!;
        var group = (long)(await admin.PostAsync2("groups", "{\"name\":\"Finance\"}")).Body!["id"]!;
        Assert.Equal(201, (await admin.PostAsync2("group_members", $"{{\"group_id\":{group},\"member_id\":{id},\"member_type\":\"ProcessMaker\\\\Models\\\\User\"}}")).Status);

        Assert.Equal(204, (await Delete(admin, $"users/{id}")).Status);
        Assert.Equal(404, (await admin.GetAsync2($"users/{id}")).Status);
        Assert.DoesNotContain((await admin.GetAsync2("users?per_page=100")).Body!["data"]!.AsArray(), u => (long)u!["id"]! == id);
        var deleted = Assert.Single((await admin.GetAsync2("deleted_users")).Body!["data"]!.AsArray());
        Assert.Equal("INACTIVE", (string)deleted!["status"]!);
        Assert.Empty(s.ProcessMaker.FindGroup(group)!.Members);

        var (st, body, _) = await admin.PutAsync2("users/restore", "{\"username\":\"newuser\"}");
        Assert.Equal(200, st);
        Assert.Equal("[]", body!.ToJsonString());
        Assert.Equal("ACTIVE", (string)(await admin.GetAsync2($"users/{id}")).Body!["status"]!);
        Assert.Empty(s.ProcessMaker.FindGroup(group)!.Members); // the groups stay lost
        // nothing to restore is still 200
        Assert.Equal(200, (await admin.PutAsync2("users/restore", "{\"username\":\"nobody\"}")).Status);
    }

    [Fact] // routes/api.php can: middleware; UserController::index/show/update; UserPolicy; UsersTest::testUpdateUserNotAdmin
    public async Task Permissions_guard_every_user_route_as_in_PM4()
    {
        await using var s = await SandboxServer.StartAsync();
        using var nobody = As(s, 30);
        using var viewer = As(s, 31, "view-users");
        using var editor = As(s, 32, "view-users", "edit-users");
        Assert.Equal("Not authorized to view users.", (string)(await nobody.GetAsync2("users")).Body!["message"]!);
        Assert.Equal(200, (await viewer.GetAsync2("users")).Status);
        Assert.Equal(403, (await nobody.GetAsync2("users/2")).Status);
        Assert.Equal(200, (await nobody.GetAsync2("users/30")).Status); // oneself
        Assert.Equal(403, (await viewer.PostAsync2("users", NewUser)).Status);
        Assert.Equal(200, (await viewer.GetAsync2("deleted_users")).Status); // can:view-users
        Assert.Equal(403, (await nobody.GetAsync2("deleted_users")).Status);
        Assert.Equal(403, (await Delete(editor, "users/2")).Status);

        var jdoe = "{\"username\":\"jdoe\",\"firstname\":\"John\",\"lastname\":\"Doe\",\"email\":\"jdoe@sandbox.local\",\"status\":\"INACTIVE\"}";
        var (st, body, _) = await viewer.PutAsync2("users/2", jdoe);
        Assert.Equal(403, st);
        Assert.Equal("Not authorized to update this user.", (string)body!["message"]!);
        Assert.Equal(204, (await editor.PutAsync2("users/2", jdoe)).Status);
        Assert.Equal("INACTIVE", s.ProcessMaker.FindUser(2)!.Status);
        // a new username needs edit-user-and-password (ValidateEditUserAndPasswordPermission)
        (st, body, _) = await editor.PutAsync2("users/2", jdoe.Replace("\"jdoe\"", "\"johndoe\""));
        Assert.Equal("Not authorized to update the username and password.", (string)body!["message"]!);
        // a new e-mail needs the caller's own password as valpassword (UserController::update)
        (st, body, _) = await editor.PutAsync2("users/2", jdoe.Replace("jdoe@sandbox.local", "j@example.com"));
        Assert.Equal(422, st);
        Assert.Equal("The password is required.", (string)body!["errors"]!["email"]![0]!);
        (st, _, _) = await editor.PutAsync2("users/2", jdoe.Replace("jdoe@sandbox.local", "j@example.com").Replace("}", ",\"valpassword\":\"Secret123!\"}"));
        Assert.Equal(204, st);
        Assert.Equal("j@example.com", s.ProcessMaker.FindUser(2)!.Email);
    }

    [Fact] // GroupsTest (create, unique name, update, delete), GroupMembersTest, GroupController::users/groups, HasAuthorization
    public async Task Groups_nest_and_memberships_list_as_PM4_joins_them()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var (st, body, _) = await admin.PostAsync2("groups", "{\"name\":\"Team/A\"}");
        Assert.Equal(422, st);
        Assert.Equal("The Name may only contain alphanumeric characters.", (string)body!["errors"]!["name"]![0]!);
        var outer = (long)(await admin.PostAsync2("groups", "{\"name\":\"Approvers\",\"description\":\"may approve\"}")).Body!["id"]!;
        var inner = (long)(await admin.PostAsync2("groups", "{\"name\":\"Clerks\"}")).Body!["id"]!;
        (st, body, _) = await admin.PostAsync2("groups", "{\"name\":\"approvers\"}");
        Assert.Equal("The Name has already been taken.", (string)body!["errors"]!["name"]![0]!);

        const string userType = "ProcessMaker\\\\Models\\\\User", groupType = "ProcessMaker\\\\Models\\\\Group";
        (st, body, _) = await admin.PostAsync2("group_members", $"{{\"group_id\":{inner},\"member_id\":2,\"member_type\":\"{userType}\"}}");
        Assert.Equal(201, st);
        var userRow = (long)body!["id"]!;
        Assert.Equal(("Clerks", "jdoe"), ((string)body["group"]!["name"]!, (string)body["member"]!["username"]!)); // associate() loads both
        // the same row again: 201 with an empty array, before validation
        (st, body, _) = await admin.PostAsync2("group_members", $"{{\"group_id\":{inner},\"member_id\":2,\"member_type\":\"{userType}\"}}");
        Assert.Equal((201, "[]"), (st, body!.ToJsonString()));
        Assert.Equal(201, (await admin.PostAsync2("group_members", $"{{\"group_id\":{outer},\"member_id\":{inner},\"member_type\":\"{groupType}\"}}")).Status);
        Assert.Equal(404, (await admin.PostAsync2("group_members", $"{{\"group_id\":999,\"member_id\":2,\"member_type\":\"{userType}\"}}")).Status);

        // groups/{id}/users: the join's clashing id is the membership's; the user is member_id
        var row = Assert.Single((await admin.GetAsync2($"groups/{inner}/users")).Body!["data"]!.AsArray())!;
        Assert.Equal((userRow, 2L, "jdoe"), ((long)row["id"]!, (long)row["member_id"]!, (string)row["username"]!));
        Assert.Equal(inner, (long)Assert.Single((await admin.GetAsync2($"groups/{outer}/groups")).Body!["data"]!.AsArray())!["member_id"]!);
        // group_members?member_id= (administrators) lists the user's rows with the group's name
        var mine = (await admin.GetAsync2("group_members?member_id=2&per_page=100")).Body!["data"]!.AsArray();
        Assert.Equal(userRow, (long)mine.Single(m => (string)m!["name"]! == "Clerks")!["id"]!);

        // a permission of the outer group reaches the inner group's users (loadPermissionOfGroups)
        s.ProcessMaker.AddGroup(s.ProcessMaker.FindGroup(outer)! with { Permissions = new[] { "view-users" } });
        Assert.True(s.ProcessMaker.HasPermission(s.ProcessMaker.FindUser(2)!, "view-users"));

        Assert.Equal(204, (await Delete(admin, $"group_members/{userRow}")).Status);
        Assert.Empty((await admin.GetAsync2($"groups/{inner}/users")).Body!["data"]!.AsArray());
        Assert.Equal(204, (await Delete(admin, $"groups/{inner}")).Status);
        Assert.Empty(s.ProcessMaker.FindGroup(outer)!.MemberGroups);
    }

    [Fact] // UserController::updateGroups (sync; no groups key → 400)
    public async Task Put_user_groups_sets_exactly_the_given_groups()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var a = (long)(await admin.PostAsync2("groups", "{\"name\":\"A\"}")).Body!["id"]!;
        var b = (long)(await admin.PostAsync2("groups", "{\"name\":\"B\"}")).Body!["id"]!;
        Assert.Equal(400, (await admin.PutAsync2("users/2/groups", "{}")).Status);
        Assert.Equal(204, (await admin.PutAsync2("users/2/groups", $"{{\"groups\":[{a},{b}]}}")).Status);
        Assert.Equal(new[] { a, b }, s.ProcessMaker.GroupsOf(2).OrderBy(x => x));
        Assert.Equal(204, (await admin.PutAsync2("users/2/groups", $"{{\"groups\":\"{b}\"}}")).Status);
        Assert.Equal(new[] { b }, s.ProcessMaker.GroupsOf(2));
        Assert.Equal(204, (await admin.PutAsync2("users/2/groups", "{\"groups\":[]}")).Status);
        Assert.Empty(s.ProcessMaker.GroupsOf(2));
    }

    [Fact] // ProcessRequestTokenPolicy::reassign and TaskController::update
    public async Task Reassignment_follows_ProcessRequestTokenPolicy()
    {
        await using var s = await SandboxServer.StartAsync();
        var pm = s.ProcessMaker;
        using var assignee = As(s, 40);
        using var manager = As(s, 41);
        using var outsider = As(s, 42);
        pm.AddProcess(new PmProcess(60, "Strict", new[] { new PmStartEvent("node_1", "Start") }, new[] { new PmTaskDefinition("node_2", "Check") }) { ManagerId = 41 });
        pm.AddProcess(new PmProcess(61, "Open", new[] { new PmStartEvent("node_1", "Start") }, new[] { new PmTaskDefinition("node_2", "Check") { AllowReassignment = true } }));
        var strictRequest = pm.AddRequest(60, userId: 40);
        var openRequest = pm.AddRequest(61, userId: 40);
        var strict = pm.Tasks.Single(t => t.Request == strictRequest);
        var open = pm.Tasks.Single(t => t.Request == openRequest);

        var (st, body, _) = await assignee.PutAsync2($"tasks/{strict.Id}", "{\"user_id\":2}");
        Assert.Equal((403, "Not authorized to reassign this task"), (st, (string)body!["message"]!));
        Assert.Equal(403, (await outsider.PutAsync2($"tasks/{open.Id}", "{\"user_id\":2}")).Status); // route check: may not update it
        (st, body, _) = await manager.PutAsync2($"tasks/{strict.Id}", "{\"user_id\":2}");
        Assert.Equal((200, 2L), (st, (long)body!["user_id"]!));
        (st, body, _) = await assignee.PutAsync2($"tasks/{open.Id}", "{\"user_id\":2}");
        Assert.Equal((200, 2L), (st, (long)body!["user_id"]!));
    }

    [Fact] // seed file: users with e-mail, status and permissions; groups with description, nested groups and permissions
    public async Task Seeds_hold_people_and_their_permissions()
    {
        var seed = SeedDocument.Load(System.Text.Encoding.UTF8.GetBytes("""
            {"version":1,"processMaker":{
              "users":[{"id":5,"username":"zoe","firstname":"Zoë","lastname":"Ångström","email":"zoë@exämple.de","status":"INACTIVE","permissions":["view-users"]}],
              "groups":[{"id":7,"name":"Outer","description":"d","groups":[8],"permissions":["edit-groups"]},{"id":8,"name":"Inner","members":[5]}]}}
            """), DateTimeOffset.UtcNow);
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { Seed = seed });
        var zoe = s.ProcessMaker.FindUser(5)!;
        Assert.Equal(("zoë@exämple.de", "INACTIVE"), (zoe.Email, zoe.Status));
        Assert.True(s.ProcessMaker.HasPermission(zoe, "view-users"));
        Assert.True(s.ProcessMaker.HasPermission(zoe, "edit-groups")); // through Inner, inside Outer
        Assert.False(s.ProcessMaker.HasPermission(zoe, "delete-users"));
    }

    [Fact] // UserController::restore reads id, email or username (first found); api-docs.json's restoreUser documents username only: the source wins
    public async Task Restore_finds_the_deleted_user_by_id_or_email_too_though_the_docs_name_only_username()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var id = (long)(await admin.PostAsync2("users", NewUser)).Body!["id"]!;
        await Delete(admin, $"users/{id}");
        Assert.Equal(200, (await admin.PutAsync2("users/restore", $"{{\"id\":{id}}}")).Status);
        Assert.Null(s.ProcessMaker.FindUser(id)!.DeletedAt);
        await Delete(admin, $"users/{id}");
        Assert.Equal(200, (await admin.PutAsync2("users/restore", "{\"email\":\"NEW@example.com\"}")).Status);
        Assert.Null(s.ProcessMaker.FindUser(id)!.DeletedAt);
    }
}
