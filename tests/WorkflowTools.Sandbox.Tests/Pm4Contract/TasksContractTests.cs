using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static WorkflowTools.Sandbox.Tests.Pm4Contract.Pm4Tenant;

namespace WorkflowTools.Sandbox.Tests.Pm4Contract;

/// <summary>
/// ProcessMaker 4.15.6 tests/Feature/Api/TasksTest.php, ported to the routes the sandbox serves. Tokens come from
/// seeded requests: an ACTIVE request has its first task open (assigned to the requester), a COMPLETED one its tasks closed.
/// </summary>
public sealed class TasksContractTests
{
    /// <summary>TasksTest::$structure.</summary>
    private static readonly string[] Structure =
    {
        "id", "process_request_id", "user_id", "element_id", "element_type", "element_name", "status", "completed_at", "due_at",
        "initiated_at", "riskchanges_at", "updated_at", "created_at",
    };

    private static string Q(string pmql) => Uri.EscapeDataString(pmql);

    /// <summary>TasksTest::testGetListOfTasks.</summary>
    [Fact]
    public async Task testGetListOfTasks()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Requests(20, 10).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("tasks?per_page=10&page=2");
        Assert.Equal(200, status);
        Assert.Equal(10, body!["data"]!.AsArray().Count);
        foreach (var row in body["data"]!.AsArray()) HasKeys(row, Structure);
    }

    /// <summary>
    /// TasksTest::testGetListOfOverdueTasks: meta.in_overdue counts the page's tasks past their due date; unclaimed
    /// self-service tasks are not "In Progress".
    /// </summary>
    [Fact]
    public async Task testGetListOfOverdueTasks()
    {
        var tenant = new Pm4Tenant().User(3, "boss", true).Group(5, "Team", new long[] { 3 })
            .Process(10, "P", p => p["tasks"] = new JsonArray(
                new JsonObject { ["id"] = "node_2", ["name"] = "Task" },
                new JsonObject { ["id"] = "node_3", ["name"] = "Pool", ["selfService"] = new JsonObject { ["groups"] = Ids(new long[] { 5 }) } }))
            .Requests(10, 10, "COMPLETED", user: 3);
        for (var i = 0; i < 5; i++) tenant.Request(10, user: 3, age: "5 00:00:00"); // due 72 h after the task opened
        await using var s = await tenant.StartAsync();
        using var c = As(s, "boss");
        var url = "tasks?user_id=3&pmql=" + Q("(status = \"In Progress\") AND (due < NOW)");
        Assert.Equal(5, (int)(await c.GetAsync2(url)).Body!["meta"]!["in_overdue"]!);

        await using var s2 = await tenant.Request(10, user: 3, age: "5 00:00:00", openTask: "node_3").StartAsync();
        using var c2 = As(s2, "boss");
        Assert.Equal(5, (int)(await c2.GetAsync2(url)).Body!["meta"]!["in_overdue"]!);
    }

    /// <summary>TasksTest::testGetListAssignedTasks.</summary>
    [Fact]
    public async Task testGetListAssignedTasks()
    {
        await using var s = await new Pm4Tenant().User(3, "one").User(4, "two").Process(10, "P").Requests(2, 10, user: 3).Requests(3, 10, user: 4).StartAsync();
        Assert.Equal(2, (await As(s, "one").GetAsync2("tasks?user_id=3")).Body!["data"]!.AsArray().Count);
    }

    /// <summary>TasksTest::testGetListClosedTasks: view-all_requests lists every closed task.</summary>
    [Fact]
    public async Task testGetListClosedTasks()
    {
        await using var s = await new Pm4Tenant().User(3, "viewer", false, "view-all_requests").User(4, "worker")
            .Process(10, "P").Requests(3, 10, "COMPLETED", user: 4).Request(10, user: 4).StartAsync();
        Assert.Equal(3, (await As(s, "viewer").GetAsync2("tasks?status=CLOSED")).Body!["data"]!.AsArray().Count);
    }

    /// <summary>TasksTest::testTaskListDates.</summary>
    [Fact]
    public async Task testTaskListDates()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10, name: "testTaskTimezone").StartAsync();
        var task = s.ProcessMaker.Tasks.Single();
        var row = (await As(s).GetAsync2("tasks")).Body!["data"]![0]!;
        Assert.Equal(task.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), (string)row["created_at"]!);
        Assert.Equal(task.UpdatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), (string)row["updated_at"]!);
        Assert.Equal(task.DueAt!.Value.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), (string)row["due_at"]!);
    }

    /// <summary>TasksTest::testFilteringGetActiveTasks.</summary>
    [Fact]
    public async Task testFilteringGetActiveTasks()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Requests(10, 10).Requests(10, 10, "COMPLETED").StartAsync();
        var (status, body, _) = await As(s).GetAsync2("tasks?per_page=10&status=ACTIVE");
        Assert.Equal(200, status);
        Assert.All(body!["data"]!.AsArray(), row => { HasKeys(row, Structure); Assert.Equal("ACTIVE", (string)row!["status"]!); });
    }

    /// <summary>TasksTest::testFilteringGetOnlyHumanTasks: the listing shows element_type "task" only.</summary>
    [Fact]
    public async Task testFilteringGetOnlyHumanTasks()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Requests(5, 10).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("tasks?per_page=100");
        Assert.Equal(200, status);
        Assert.Equal(new[] { "task" }, body!["data"]!.AsArray().Select(r => (string)r!["element_type"]!).Distinct());
    }

    /// <summary>TasksTest::testFilteringWithStringOrNumber: a number compares with =, text with LIKE.</summary>
    [Fact]
    public async Task testFilteringWithStringOrNumber()
    {
        await using var s = await new Pm4Tenant()
            .Process(10, "P", p => p["tasks"] = new JsonArray(new JsonObject { ["id"] = "node_2", ["name"] = "foobar" }))
            .Process(11, "Q", p => p["tasks"] = new JsonArray(new JsonObject { ["id"] = "node_2", ["name"] = "barbaz" }))
            .Request(10).Request(11).StartAsync();
        using var c = As(s);
        var (status, body, _) = await c.GetAsync2("tasks?process_id=10");
        Assert.Equal(200, status);
        Assert.Equal(10, (long)Assert.Single(body!["data"]!.AsArray())!["process_id"]!);
        (status, body, _) = await c.GetAsync2("tasks?element_name=" + Q("foo%"));
        Assert.Equal(200, status);
        Assert.Equal(10, (long)Assert.Single(body!["data"]!.AsArray())!["process_id"]!);
    }

    /// <summary>TasksTest::testSorting: completed_at ascending puts the open task (null) first.</summary>
    [Fact]
    public async Task testSorting()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10, "COMPLETED").Request(10).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("tasks?order_by=completed_at&order_direction=asc");
        Assert.Equal(200, status);
        Assert.Null(body!["data"]![0]!["completed_at"]);
    }

    /// <summary>TasksTest::testSortByRequestName: process_requests.id orders by the request.</summary>
    [Fact]
    public async Task testSortByRequestName()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Requests(5, 10, "COMPLETED").StartAsync();
        using var c = As(s);
        Assert.Equal(1, (long)(await c.GetAsync2("tasks?order_by=process_request_id&order_direction=asc")).Body!["data"]![0]!["process_request_id"]!);
        Assert.Equal(5, (long)(await c.GetAsync2("tasks?order_by=" + Q("process_requests.id,process_requests.name") + "&order_direction=desc")).Body!["data"]![0]!["process_request_id"]!);
    }

    /// <summary>TasksTest::testPagination.</summary>
    [Fact]
    public async Task testPagination()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Requests(10, 10).StartAsync();
        var (_, body, _) = await As(s).GetAsync2("tasks?per_page=5&page=2");
        Assert.Equal(5, body!["data"]!.AsArray().Count);
        var meta = body["meta"]!;
        Assert.Equal((10, 5, 5, 2, 2), ((int)meta["total"]!, (int)meta["count"]!, (int)meta["per_page"]!, (int)meta["current_page"]!, (int)meta["total_pages"]!));
    }

    /// <summary>TasksTest::testShowTask.</summary>
    [Fact]
    public async Task testShowTask()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("tasks/1");
        Assert.Equal(200, status);
        HasKeys(body, Structure);
    }

    /// <summary>TasksTest::testShowTaskWithUser: include=user,definition.</summary>
    [Fact]
    public async Task testShowTaskWithUser()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("tasks/1?include=user,definition");
        Assert.Equal(200, status);
        HasKeys(body, Structure);
        HasKeys(body!["user"], "id", "email");
        Assert.NotNull(body["definition"]);
    }

    /// <summary>TasksTest::testShowTaskWithParentRequest, the part without a parent request: can_view_parent_request is false.</summary>
    [Fact]
    public async Task testShowTaskWithParentRequest()
    {
        await using var s = await new Pm4Tenant().User(3, "worker").Process(10, "P").Request(10, user: 3).StartAsync();
        var (status, body, _) = await As(s, "worker").GetAsync2("tasks/1?include=processRequestParent");
        Assert.Equal(200, status);
        Assert.False((bool)body!["can_view_parent_request"]!);
    }

    /// <summary>TasksTest::testUpdateTask: a user completes their task; the data is sanitised (tags stripped).</summary>
    [Fact]
    public async Task testUpdateTask()
    {
        await using var s = await new Pm4Tenant().User(3, "worker").Process(10, "P").Request(10, user: 3).StartAsync();
        var (status, _, _) = await As(s, "worker").PutAsync2("tasks/1", "{\"status\":\"COMPLETED\",\"data\":{\"foo\":\"<p>bar</p>\"}}");
        Assert.Equal(200, status);
        Assert.Equal("bar", (string)s.ProcessMaker.FindRequest(1)!.Data["foo"]!);
    }

    /// <summary>TasksTest::testWithUserWithoutAuthorization: no API token, 401.</summary>
    [Fact]
    public async Task testWithUserWithoutAuthorization()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10).StartAsync();
        using var c = new HttpClient { BaseAddress = s.ProcessMakerBaseUri };
        Assert.Equal(401, (await c.GetAsync2("tasks/1?include=user,definition")).Status);
    }

    /// <summary>TasksTest::testSelfServeTasks: PMQL status = "Self Service" lists the unclaimed tasks the user may take.</summary>
    [Fact]
    public async Task testSelfServeTasks()
    {
        JsonObject Pool(string id, JsonObject who) => new() { ["id"] = id, ["name"] = id, ["selfService"] = who };
        await using var s = await new Pm4Tenant().User(3, "user").User(4, "other").Group(5, "G1", new long[] { 3 }).Group(6, "G2", new long[] { 3 })
            .Process(10, "P", p => p["tasks"] = new JsonArray(
                Pool("node_2", new JsonObject { ["groups"] = Ids(new long[] { 5 }) }),
                Pool("node_3", new JsonObject { ["groups"] = Ids(new long[] { 6 }) }),
                Pool("node_4", new JsonObject { ["users"] = Ids(new long[] { 3, 4 }) }),
                Pool("node_5", new JsonObject { ["users"] = Ids(new long[] { 4 }) }),
                new JsonObject { ["id"] = "node_6", ["name"] = "Regular" }))
            .Request(10, user: 4, openTask: "node_2").Request(10, user: 4, openTask: "node_3").Request(10, user: 4, openTask: "node_4")
            .Request(10, user: 4, openTask: "node_5").Request(10, user: 3, openTask: "node_6").StartAsync();
        var open = s.ProcessMaker.Tasks.Where(t => t.Status == "ACTIVE").ToDictionary(t => t.ElementId, t => t.Id);
        var (_, body, _) = await As(s, "user").GetAsync2("tasks?pmql=" + Q("(status = \"Self Service\")"));
        Assert.Equal(new[] { open["node_2"], open["node_3"], open["node_4"] }, Ids(body).OrderBy(x => x));
    }

    /// <summary>TasksTest::testAdvancedFilter: a Process subject filters by the task's process.</summary>
    [Fact]
    public async Task testAdvancedFilter()
    {
        await using var s = await new Pm4Tenant().Process(10, "foo").Process(11, "bar").Request(11).Request(10).StartAsync(); // the miss first
        var filter = "[{\"subject\":{\"type\":\"Process\"},\"operator\":\"=\",\"value\":10}]";
        var (_, body, _) = await As(s).GetAsync2("tasks?advanced_filter=" + Q(filter));
        Assert.Equal(2, (long)body!["data"]![0]!["id"]!);
    }

    /// <summary>TasksTest::testAdvancedFilterByProcessRequestName: advanced_filter on process_request.name.</summary>
    [Fact]
    public async Task testAdvancedFilterByProcessRequestName()
    {
        await using var s = await new Pm4Tenant().Process(10, "foo").Process(11, "bar").Request(11).Request(10).StartAsync(); // the miss first
        using var c = As(s);
        foreach (var op in new[] { "=", "contains" })
        {
            var filter = $"[{{\"subject\":{{\"type\":\"Field\",\"value\":\"process_request.name\"}},\"operator\":\"{op}\",\"value\":\"foo\"}}]";
            var (_, body, _) = await c.GetAsync2("tasks?advanced_filter=" + Q(filter));
            Assert.Equal(2, (long)body!["data"]![0]!["id"]!);
        }
    }

    /// <summary>TasksTest::testGetAllTaskTypes, the default half (the sandbox has human tasks only): PMQL on process_request_id.</summary>
    [Fact]
    public async Task testGetAllTaskTypes()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10).Request(10).StartAsync();
        var (_, body, _) = await As(s).GetAsync2("tasks?pmql=" + Q("process_request_id = 2"));
        Assert.Equal(new long[] { 2 }, Ids(body));
    }
}
