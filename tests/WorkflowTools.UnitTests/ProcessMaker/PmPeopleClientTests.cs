using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;
using WorkflowTools.UnitTests.Support;
using SandboxServer = WorkflowTools.Sandbox.SandboxServer;
using Sb = WorkflowTools.Sandbox;

namespace WorkflowTools.UnitTests.ProcessMaker
{
    /// <summary>The people part of the ProcessMaker client: models, queries, bodies, and what it makes of PM4's answers.</summary>
    public class PmPeopleClientTests
    {
        private static PmClient Client(Uri baseUri, string token) =>
            new PmClient(new ApiClient(
                new ConnectionSettings { ServiceName = "ProcessMaker", BaseUri = baseUri, MaxRetries = 0 },
                new SecretAuthorization("Bearer", SecretAuthorization.FromPlainText(token))));

        private static PmClient Client(SandboxServer sandbox) => Client(sandbox.ProcessMakerBaseUri, sandbox.ProcessMakerToken);

        private static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (var c in text)
            {
                s.AppendChar(c);
            }

            s.MakeReadOnly();
            return s;
        }

        [Fact]
        public void A_user_never_carries_the_password_or_the_remember_token_even_when_sent()
        {
            using var doc = JsonDocument.Parse("{\"id\":5,\"username\":\"zoe\",\"firstname\":\"Zo\u00eb\",\"lastname\":\"\u00c5ngstr\u00f6m\",\"email\":\"zo\u00eb@ex\u00e4mple.de\"," +
                "\"status\":\"OUT_OF_OFFICE\",\"password\":\"$2y$10$hash\",\"remember_token\":\"rt-secret\",\"is_administrator\":1,\"postal\":\"12345\",\"deleted_at\":null}");
            var user = PmUser.FromJson(doc.RootElement);
            Assert.Equal((5L, "zoe", "Zo\u00eb \u00c5ngstr\u00f6m", PmUserStatus.OutOfOffice, true, "12345"), (user.Id, user.UserName, user.FullName, user.Status, user.IsAdministrator, user.PostalCode));
            Assert.Null(user.DeletedAt);
            var names = typeof(PmUser).GetProperties().Select(p => p.Name).ToList();
            Assert.DoesNotContain(names, n => n.Contains("Password", StringComparison.OrdinalIgnoreCase) || n.Contains("Token", StringComparison.OrdinalIgnoreCase));
            var values = typeof(PmUser).GetProperties().Select(p => p.GetValue(user)?.ToString() ?? "").ToList();
            Assert.DoesNotContain(values, v => v.Contains("hash", StringComparison.Ordinal) || v.Contains("rt-secret", StringComparison.Ordinal));
        }

        [Fact]
        public void A_joined_member_row_takes_the_member_from_member_id_not_id()
        {
            // GroupController::users: users left-joined with group_members, no select: the membership's id wins.
            using var doc = JsonDocument.Parse("{\"id\":77,\"group_id\":4,\"member_id\":12,\"member_type\":\"ProcessMaker\\\\Models\\\\User\",\"username\":\"jdoe\",\"firstname\":\"John\",\"lastname\":\"Doe\",\"email\":\"j@example.com\",\"status\":\"ACTIVE\"}");
            var row = PmGroupMember.FromJoinedRow(doc.RootElement, 4, "Finance", PmMemberType.User);
            Assert.Equal((77L, 4L, 12L, "jdoe", "John Doe", (long?)12L, (long?)null), (row.MembershipId, row.GroupId, row.MemberId, row.MemberName, row.FullName, row.UserId, row.MemberGroupId));
        }

        [Fact]
        public void Queries_and_bodies_use_processmakers_names_and_a_whole_user_on_update()
        {
            Assert.Equal("?filter=jo&status=OUT_OF_OFFICE&order_by=id&order_direction=asc&per_page=50", new PmUserQuery { Filter = "jo", Status = PmUserStatus.OutOfOffice, PageSize = 50 }.ToQuery().ToString());
            Assert.Equal("?order_by=id&order_direction=asc", new PmUserQuery { Deleted = true, Status = PmUserStatus.Active }.ToQuery().ToString());
            Assert.Equal("?status=INACTIVE&order_by=id&order_direction=asc", new PmGroupQuery { Status = PmGroupStatus.Inactive }.ToQuery().ToString());
            var current = new PmUser { UserName = "jdoe", FirstName = "John", LastName = "Doe", Email = "j@example.com", Status = PmUserStatus.Active };
            var body = new PmUserChanges { Status = PmUserStatus.Inactive, PostalCode = "10115" }.ToBody(current);
            Assert.Equal(("jdoe", "John", "Doe", "j@example.com", "INACTIVE", "10115"), ((string?)body["username"], (string?)body["firstname"], (string?)body["lastname"], (string?)body["email"], (string?)body["status"], (string?)body["postal"]));
            Assert.False(body.ContainsKey("title"));
        }

        [Fact]
        public void A_secret_body_holds_the_password_only_in_its_bytes()
        {
            var body = new Dictionary<string, object?> { ["username"] = "a" };
            var bytes = PmClient.SecretBody(body, new KeyValuePair<string, SecureString>("password", Secure("S3cret-\u00e4\"x")));
            using var doc = JsonDocument.Parse(bytes);
            Assert.Equal("S3cret-\u00e4\"x", doc.RootElement.GetProperty("password").GetString());
            Assert.Equal("a", doc.RootElement.GetProperty("username").GetString());
            Assert.False(body.ContainsKey("password"));
        }

        [Fact]
        public async Task Users_groups_and_memberships_go_through_their_whole_life_against_the_sandbox()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var client = Client(sandbox);
            var ct = CancellationToken.None;
            var user = await client.CreateUserAsync(new PmUserChanges { UserName = "ada", FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com" }, Secure("Ada-Pa55word!"), ct);
            Assert.Equal("ada", user.UserName);
            Assert.Equal("Ada-Pa55word!", sandbox.ProcessMaker.FindUser(user.Id)!.Password);
            Assert.DoesNotContain(sandbox.Requests.All, r => r.Body.Contains("Ada-Pa55word!", StringComparison.Ordinal));

            var group = await client.CreateGroupAsync("Analysts", "numbers", null, ct);
            Assert.NotNull(await client.AddGroupMemberAsync(group.Id, user.Id, PmMemberType.User, true, ct));
            Assert.Null(await client.AddGroupMemberAsync(group.Id, user.Id, PmMemberType.User, false, ct)); // already a member
            var members = await client.ListAllGroupMembersAsync(group.Id, null, ct);
            Assert.Equal(user.Id, Assert.Single(members).MemberId);
            Assert.Equal("Analysts", Assert.Single(await client.ListMembershipsOfAsync(user.Id, PmMemberType.User, "ada", ct)).GroupName);

            await client.UpdateUserAsync(user.Id, new PmUserChanges { Status = PmUserStatus.Inactive }, null, null, ct);
            Assert.Equal("INACTIVE", sandbox.ProcessMaker.FindUser(user.Id)!.Status);
            var email = await Assert.ThrowsAsync<ApiException>(() => client.UpdateUserAsync(user.Id, new PmUserChanges { Email = "new@example.com" }, null, null, ct));
            Assert.Equal(ApiErrorKind.InvalidInput, email.Kind); // PM4 needs the caller's password for a new e-mail: asked before sending

            Assert.NotNull(await client.RemoveGroupMemberAsync(group.Id, user.Id, PmMemberType.User, ct));
            Assert.Null(await client.RemoveGroupMemberAsync(group.Id, user.Id, PmMemberType.User, ct));
            await client.DeleteUserAsync(user.Id, ct);
            Assert.NotNull(sandbox.ProcessMaker.FindUser(user.Id)!.DeletedAt);
            var restored = await client.RestoreUserAsync(user.Id, ct);
            Assert.Equal(PmUserStatus.Active, restored.Status);
            var missing = await Assert.ThrowsAsync<ApiException>(() => client.RestoreUserAsync(424242, ct));
            Assert.Equal(ApiErrorKind.NotFound, missing.Kind);
        }

        [Fact]
        public async Task A_validation_error_keeps_every_field_of_pm4s_body()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var ex = await Assert.ThrowsAsync<ApiException>(() => Client(sandbox).CreateUserAsync(
                new PmUserChanges { UserName = "admin", FirstName = "A", LastName = "B", Email = "a@example.com" }, Secure("short"), CancellationToken.None));
            Assert.Equal(ApiErrorKind.Validation, ex.Kind);
            Assert.Equal("The Username has already been taken.", Assert.Single(ex.FieldErrors["username"]));
            Assert.Contains("The Password field must be at least 8 characters.", ex.FieldErrors["password"]);
            Assert.DoesNotContain("short", ex.Message, StringComparison.Ordinal); // the refused password is not echoed
        }

        [Fact]
        public async Task A_reassignment_the_server_did_not_apply_is_an_error_not_a_success()
        {
            // PM4 without the Advanced User Manager's assignment process: 200, and the task keeps its user.
            await using var server = await LookAlikeServer.StartAsync((context, _) => LookAlikeServer.Json(context,
                "{\"id\":7,\"element_name\":\"Approve\",\"status\":\"ACTIVE\",\"user_id\":3,\"process_request_id\":5}"));
            var ex = await Assert.ThrowsAsync<ApiException>(() => Client(new Uri(server.Root, "api/1.0/"), "t").AssignTaskAsync(7, 4, CancellationToken.None));
            Assert.Equal(ApiErrorKind.Conflict, ex.Kind);
            Assert.Contains("still assigned to user 3", ex.Message);
            Assert.Equal("{\"user_id\":4}", server.Seen.Single().Body);
        }

        [Fact]
        public async Task A_reassignment_the_policy_refuses_is_forbidden_and_changes_nothing()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var pm = sandbox.ProcessMaker;
            pm.AddUser(new Sb.PmUser(30, "clerk", "C", "Lerk", false, "clerk"));
            pm.AddToken("clerk-token", 30);
            pm.AddProcess(new Sb.PmProcess(60, "Leave", new[] { new Sb.PmStartEvent("node_1", "Start") }, new[] { new Sb.PmTaskDefinition("node_2", "Approve") }));
            var request = pm.AddRequest(60, userId: 30);
            var task = pm.Tasks.Single(t => t.Request == request);
            var ex = await Assert.ThrowsAsync<ApiException>(() => Client(sandbox.ProcessMakerBaseUri, "clerk-token").AssignTaskAsync(task.Id, 2, CancellationToken.None));
            Assert.Equal(ApiErrorKind.Forbidden, ex.Kind);
            Assert.Contains("Not authorized to reassign this task", ex.Message);
            Assert.Equal(30, pm.FindTask(task.Id)!.UserId);
            Assert.Equal(2, (await Client(sandbox).AssignTaskAsync(task.Id, 2, CancellationToken.None)).UserId);
        }
    }
}
