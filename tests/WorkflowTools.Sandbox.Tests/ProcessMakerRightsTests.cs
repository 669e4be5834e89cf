using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// Self-service tasks and cancel rights as PM4 4.15.6 has them: TaskControllerIndexMethods (applyUserIdFilter,
/// applyForCurrentUser), User::canSelfServe / availableSelfServiceTaskIds, ProcessRequestTokenPolicy, ProcessRequestToken::reassign,
/// ProcessRequestPolicy::update and ProcessVersionPolicy::cancel.
/// </summary>
public sealed class ProcessMakerRightsTests
{
    private const long Clerk = 21, Outsider = 22, Named = 23, Manager = 24, Requester = 25;
    private const long ClerksGroup = 5;

    private static IEnumerable<long> Ids(JsonNode? body) => body!["data"]!.AsArray().Select(x => (long)x!["id"]!);

    /// <summary>Process 50: node_2 ordinary, node_3 self service for group 5 and user 23; cancel by group 5, user 23, and the manager (24).</summary>
    private static async Task<SandboxServer> StartAsync(bool managerCanCancel = true)
    {
        var s = await SandboxServer.StartAsync();
        var pm = s.ProcessMaker;
        foreach (var (id, name) in new[] { (Clerk, "clerk"), (Outsider, "outsider"), (Named, "named"), (Manager, "manager"), (Requester, "requester") })
        {
            pm.AddUser(new PmUser(id, name, name, "User", false, name));
            pm.AddToken("token-" + name, id);
        }

        pm.AddGroup(new PmGroup(ClerksGroup, "Clerks", new[] { Clerk }));
        pm.AddProcess(new PmProcess(50, "Leave", new[] { new PmStartEvent("node_1", "Start") },
            new[] { new PmTaskDefinition("node_2", "Approve"), new PmTaskDefinition("node_3", "Record", new PmSelfService(new[] { ClerksGroup }, new[] { Named })) })
        {
            ProcessVersionId = 501, CancelGroups = new[] { ClerksGroup }, CancelUsers = new[] { Named }, ManagerId = Manager, ManagerCanCancel = managerCanCancel,
        });
        return s;
    }

    private static System.Net.Http.HttpClient As(SandboxServer s, string name) => TestSupport.PmClient(s, "token-" + name);

    [Fact]
    public async Task A_self_service_task_opens_unassigned_and_is_listed_for_its_groups_and_users()
    {
        await using var s = await StartAsync();
        var request = s.ProcessMaker.AddRequest(50, userId: Requester, atTask: "node_3");
        var task = s.ProcessMaker.Tasks.Single(t => t.Request == request && t.Status == "ACTIVE");
        using var admin = TestSupport.PmClient(s);

        var (_, body, _) = await admin.GetAsync2($"tasks/{task.Id}");
        Assert.Null(body!["user_id"]);
        Assert.Equal(1, (int)body["is_self_service"]!);
        Assert.Equal("{\"users\":[\"23\"],\"groups\":[\"5\"]}", body["self_service_groups"]!.ToJsonString());
        var (_, ordinary, _) = await admin.GetAsync2($"tasks/{s.ProcessMaker.Tasks.Single(t => t.Request == request && t.ElementId == "node_2").Id}");
        Assert.Equal("[]", ordinary!["self_service_groups"]!.ToJsonString()); // PHP's empty array
        Assert.Equal(0, (int)ordinary["is_self_service"]!);

        // user_id= (what Get-PmTask -UserId sends): own tasks and the self-service tasks of the user's groups or the user
        Assert.Contains(task.Id, Ids((await admin.GetAsync2($"tasks?user_id={Clerk}")).Body));
        Assert.Contains(task.Id, Ids((await admin.GetAsync2($"tasks?user_id={Named}")).Body));
        Assert.DoesNotContain(task.Id, Ids((await admin.GetAsync2($"tasks?user_id={Outsider}")).Body));
        Assert.DoesNotContain(task.Id, Ids((await admin.GetAsync2($"tasks?user_id={Requester}")).Body));
        // a non-administrator's own listing offers it too; an outsider neither sees nor opens it
        using var clerk = As(s, "clerk");
        using var outsider = As(s, "outsider");
        Assert.Equal(new[] { task.Id }, Ids((await clerk.GetAsync2("tasks?status=ACTIVE")).Body));
        Assert.Empty(Ids((await outsider.GetAsync2("tasks")).Body));
        Assert.Equal(200, (await clerk.GetAsync2($"tasks/{task.Id}")).Status);
        Assert.Equal(403, (await outsider.GetAsync2($"tasks/{task.Id}")).Status);
        var (st, data, _) = await clerk.GetAsync2($"tasks?user_id={Clerk}&include=data");
        Assert.Equal(200, st);
        Assert.Null(Assert.Single(data!["data"]!.AsArray())!["data"]!["_user"]); // nobody is assigned yet
    }

    [Fact]
    public async Task An_unknown_user_id_is_a_server_error_as_in_PM4()
    {
        await using var s = await StartAsync();
        using var admin = TestSupport.PmClient(s);
        var (status, body, _) = await admin.GetAsync2("tasks?user_id=999");
        Assert.Equal(500, status);
        Assert.Equal("Server Error", (string)body!["message"]!);
    }

    [Fact]
    public async Task Claiming_takes_the_task_off_everyone_elses_list()
    {
        await using var s = await StartAsync();
        var request = s.ProcessMaker.AddRequest(50, userId: Requester, atTask: "node_3");
        var task = s.ProcessMaker.Tasks.Single(t => t.Request == request && t.Status == "ACTIVE");
        using var clerk = As(s, "clerk");
        using var named = As(s, "named");
        using var outsider = As(s, "outsider");

        Assert.Equal(403, (await outsider.PutAsync2($"tasks/{task.Id}", $"{{\"user_id\":{Outsider}}}")).Status);
        var (st, body, _) = await clerk.PutAsync2($"tasks/{task.Id}", $"{{\"user_id\":{Named}}}");
        Assert.Equal(403, st); // a claim is for oneself; handing it to someone else is a reassignment
        Assert.Equal("Not authorized to reassign this task", (string)body!["message"]!);

        (st, body, _) = await clerk.PutAsync2($"tasks/{task.Id}", $"{{\"user_id\":{Clerk}}}");
        Assert.Equal(200, st);
        Assert.Equal(Clerk, (long)body!["user_id"]!);
        Assert.Equal(0, (int)body["is_self_service"]!);
        Assert.Empty(Ids((await named.GetAsync2("tasks")).Body));
        Assert.Equal(403, (await named.GetAsync2($"tasks/{task.Id}")).Status);
        Assert.Equal(new[] { task.Id }, Ids((await clerk.GetAsync2("tasks")).Body));
    }

    [Fact]
    public async Task Completing_an_unclaimed_self_service_task_works_for_who_may_take_it_and_leaves_it_unassigned()
    {
        await using var s = await StartAsync();
        var request = s.ProcessMaker.AddRequest(50, userId: Requester, atTask: "node_3");
        var task = s.ProcessMaker.Tasks.Single(t => t.Request == request && t.Status == "ACTIVE");
        using var outsider = As(s, "outsider");
        using var clerk = As(s, "clerk");

        Assert.Equal(403, (await outsider.PutAsync2($"tasks/{task.Id}", "{\"status\":\"COMPLETED\",\"data\":{}}")).Status);
        var (st, body, text) = await clerk.PutAsync2($"tasks/{task.Id}", "{\"status\":\"COMPLETED\",\"data\":{\"recorded\":true}}");
        Assert.True(st == 200, text);
        Assert.Equal("CLOSED", (string)body!["status"]!);
        Assert.Null(body["user_id"]);
        Assert.Equal("COMPLETED", s.ProcessMaker.FindRequest(request.Id)!.Status);
        // still matched by user_id= (PM4's filter does not look at the status)
        using var admin = TestSupport.PmClient(s);
        Assert.Contains(task.Id, Ids((await admin.GetAsync2($"tasks?user_id={Clerk}")).Body));
    }

    [Theory]
    [InlineData("clerk", 204, null)]                                           // member of a cancel group
    [InlineData("named", 204, null)]                                           // a cancel user
    [InlineData("manager", 204, null)]                                         // the manager, allowed by the process
    [InlineData("requester", 403, "Not authorized to cancel this request.")]   // the requester alone may not
    [InlineData("outsider", 403, "This action is unauthorized.")]              // not even the route's update check
    public async Task Cancel_rights_come_from_the_process(string who, int expected, string? message)
    {
        await using var s = await StartAsync();
        var request = s.ProcessMaker.AddRequest(50, userId: Requester);
        using var c = As(s, who);
        var (status, body, text) = await c.PutAsync2($"requests/{request.Id}", "{\"status\":\"CANCELED\"}");
        Assert.True(status == expected, text);
        Assert.Equal(expected == 204 ? "CANCELED" : "ACTIVE", s.ProcessMaker.FindRequest(request.Id)!.Status);
        if (message != null) Assert.Equal(message, (string)body!["message"]!);
    }

    [Fact]
    public async Task The_manager_cancels_only_when_the_process_allows_it()
    {
        await using var s = await StartAsync(managerCanCancel: false);
        var request = s.ProcessMaker.AddRequest(50, userId: Requester);
        using var manager = As(s, "manager");
        Assert.Equal(403, (await manager.PutAsync2($"requests/{request.Id}", "{\"status\":\"CANCELED\"}")).Status);
        using var admin = TestSupport.PmClient(s);
        Assert.Equal(204, (await admin.PutAsync2($"requests/{request.Id}", "{\"status\":\"CANCELED\"}")).Status);
    }

    [Fact]
    public async Task A_seed_says_who_may_cancel_and_who_may_take_a_task()
    {
        const string json = """
        { "version": 1, "processMaker": {
            "users": [ { "id": 21, "username": "clerk", "tokens": ["t-clerk"] }, { "id": 25, "username": "req", "tokens": ["t-req"] } ],
            "groups": [ { "id": 5, "name": "Clerks", "members": [21] } ],
            "processes": [ { "id": 30, "name": "Leave", "startEvents": [ { "id": "node_1" } ],
                "tasks": [ { "id": "node_2", "name": "Record", "selfService": { "groups": [5] } } ],
                "cancelRequest": { "groups": [5] } } ],
            "requests": [ { "id": 40, "process": 30, "user": 25 } ] } }
        """;
        var seed = SeedDocument.Load(Encoding.UTF8.GetBytes(json), SandboxOptions.DefaultClockStart);
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { Seed = seed });
        using var clerk = TestSupport.PmClient(s, "t-clerk");
        using var req = TestSupport.PmClient(s, "t-req");
        var offered = Ids((await clerk.GetAsync2("tasks?user_id=21")).Body).ToList();
        Assert.Single(offered);
        Assert.Equal(403, (await req.PutAsync2("requests/40", "{\"status\":\"CANCELED\"}")).Status);
        Assert.Equal(204, (await clerk.PutAsync2("requests/40", "{\"status\":\"CANCELED\"}")).Status);
    }

    [Theory]
    [InlineData("\"selfService\": { \"groups\": [9] }", "processMaker.processes[0].tasks[0].selfService.groups[0]", "group 9 is not in processMaker.groups")]
    [InlineData("\"selfService\": {}", "processMaker.processes[0].tasks[0].selfService", "name at least one group or user")]
    public void Seed_errors_in_self_service_are_reported(string selfService, string path, string message)
    {
        var json = "{ \"version\": 1, \"processMaker\": { \"processes\": [ { \"id\": 30, \"name\": \"Leave\", \"startEvents\": [ { \"id\": \"node_1\" } ], \"tasks\": [ { \"id\": \"node_2\", \"name\": \"R\", " + selfService + " } ] } ] } }";
        var ex = Assert.Throws<SeedFileException>(() => SeedDocument.Load(Encoding.UTF8.GetBytes(json), SandboxOptions.DefaultClockStart));
        Assert.Contains(ex.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"cancelRequest\": { \"users\": [77] }", "processMaker.processes[0].cancelRequest.users[0]", "user 77 is not in processMaker.users")]
    [InlineData("\"cancelRequest\": { \"manager\": true }", "processMaker.processes[0].cancelRequest.manager", "the process has no manager")]
    [InlineData("\"manager\": 77", "processMaker.processes[0].manager", "user 77 is not in processMaker.users")]
    public void Seed_errors_in_cancel_rights_are_reported(string part, string path, string message)
    {
        var json = "{ \"version\": 1, \"processMaker\": { \"processes\": [ { \"id\": 30, \"name\": \"Leave\", \"startEvents\": [ { \"id\": \"node_1\" } ], " + part + " } ] } }";
        var ex = Assert.Throws<SeedFileException>(() => SeedDocument.Load(Encoding.UTF8.GetBytes(json), SandboxOptions.DefaultClockStart));
        Assert.Contains(ex.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }
}
