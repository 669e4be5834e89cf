using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static WorkflowTools.Sandbox.Tests.Pm4Contract.Pm4Tenant;

namespace WorkflowTools.Sandbox.Tests.Pm4Contract;

/// <summary>
/// ProcessMaker 4.15.6 tests/Feature/Api/ProcessExecutionTest.php, ported: a single-task process whose task is
/// assigned to the acting user (here the administrator, the requester of every request it starts).
/// </summary>
public sealed class ProcessExecutionContractTests
{
    /// <summary>ProcessExecutionTest::$requestStructure.</summary>
    private static readonly string[] RequestStructure = { "id", "process_id", "user_id", "status", "name", "initiated_at", "created_at", "updated_at" };

    private static Task<SandboxServer> SingleTaskAsync() => new Pm4Tenant().Process(10, "Single task", p =>
    {
        p["startEvents"] = new JsonArray(new JsonObject { ["id"] = "StartEventUID", ["name"] = "Start Event" });
        p["tasks"] = new JsonArray(new JsonObject { ["id"] = "UserTaskUID", ["name"] = "Form Task" });
    }).StartAsync();

    private static async Task<long> StartAndFirstTaskAsync(HttpClient c, string data = "{}")
    {
        var (status, body, _) = await c.PostAsync2("process_events/10?event=StartEventUID", data);
        Assert.Equal(201, status);
        HasKeys(body, RequestStructure);
        return (long)(await c.GetAsync2("tasks")).Body!["data"]![0]!["id"]!;
    }

    /// <summary>
    /// ProcessExecutionTest::testExecuteAProcess: PUT tasks/{id}?status=COMPLETED with the data in the body closes the
    /// task and answers it with its process_request, now COMPLETED. (The comment log is not modelled.)
    /// </summary>
    [Fact]
    public async Task testExecuteAProcess()
    {
        await using var s = await SingleTaskAsync();
        using var c = As(s);
        var task = await StartAndFirstTaskAsync(c, "{\"foo\":\"bar\"}");
        var (status, body, _) = await c.PutAsync2($"tasks/{task}?status=COMPLETED", "{\"data\":{\"foo\":\"bar\"}}");
        Assert.Equal(200, status);
        Assert.Equal("CLOSED", (string)body!["status"]!);
        Assert.NotNull(body["completed_at"]);
        Assert.Equal("COMPLETED", (string)body["process_request"]!["status"]!);
        Assert.NotNull(body["process_request"]!["completed_at"]);
    }

    /// <summary>ProcessExecutionTest::testGetListOfStartEvents.</summary>
    [Fact]
    public async Task testGetListOfStartEvents()
    {
        await using var s = await SingleTaskAsync();
        var (_, body, _) = await As(s).GetAsync2("processes/10?include=events");
        HasKeys(body!["events"]![0], "id", "name");
    }

    /// <summary>ProcessExecutionTest::testStartProcessEmptyEventId.</summary>
    [Fact]
    public async Task testStartProcessEmptyEventId()
    {
        await using var s = await SingleTaskAsync();
        Assert.Equal(404, (await As(s).PostAsync2("process_events/10", "{}")).Status);
    }

    /// <summary>ProcessExecutionTest::testStartProcessWithNonExistingEventId.</summary>
    [Fact]
    public async Task testStartProcessWithNonExistingEventId()
    {
        await using var s = await SingleTaskAsync();
        Assert.Equal(404, (await As(s).PostAsync2("process_events/10?event=non-existent", "{}")).Status);
    }

    /// <summary>ProcessExecutionTest::testCloseAClosedTask.</summary>
    [Fact]
    public async Task testCloseAClosedTask()
    {
        await using var s = await SingleTaskAsync();
        using var c = As(s);
        var task = await StartAndFirstTaskAsync(c);
        var (_, body, _) = await c.PutAsync2($"tasks/{task}?status=COMPLETED", "{\"data\":{}}");
        Assert.Equal("CLOSED", (string)body!["status"]!);
        Assert.Equal(422, (await c.PutAsync2($"tasks/{task}?status=COMPLETED", "{\"data\":{}}")).Status);
    }

    /// <summary>ProcessExecutionTest::testUpdateTaskInvalidStatus.</summary>
    [Fact]
    public async Task testUpdateTaskInvalidStatus()
    {
        await using var s = await SingleTaskAsync();
        using var c = As(s);
        var task = await StartAndFirstTaskAsync(c);
        Assert.Equal(422, (await c.PutAsync2($"tasks/{task}?status=FAILING", "{\"data\":{}}")).Status);
        Assert.Equal(422, (await c.PutAsync2($"tasks/{task}?status=*invalid*", "{\"data\":{}}")).Status);
    }

    /// <summary>ProcessExecutionTest::testGetListProcessesToStart: include=events,category; an uncategorised process has category null.</summary>
    [Fact]
    public async Task testGetListProcessesToStart()
    {
        await using var s = await new Pm4Tenant().Category(2, "Sales")
            .Process(10, "B categorised", p => p["category"] = 2)
            .Process(11, "A uncategorised", p => p["category"] = null).StartAsync();
        var (_, body, _) = await As(s).GetAsync2("processes?include=events,category&order_by=name");
        var rows = body!["data"]!.AsArray();
        Assert.All(rows, r => { HasKeys(r, "events", "category"); HasKeys(r!["events"]![0], "id", "name"); });
        var uncategorised = rows.Single(r => (string)r!["name"]! == "A uncategorised")!;
        Assert.Null(uncategorised["category"]);
        Assert.Equal("node_1", (string)uncategorised["events"]![0]!["id"]!);
        Assert.Equal("Sales", (string)rows.Single(r => (long)r!["id"]! == 10)!["category"]!["name"]!);
    }

    /// <summary>ProcessExecutionTest::testGetTaskStatusPage: include=definition gives the task's BPMN id and name.</summary>
    [Fact]
    public async Task testGetTaskStatusPage()
    {
        await using var s = await SingleTaskAsync();
        using var c = As(s);
        var task = await StartAndFirstTaskAsync(c);
        var (_, body, _) = await c.GetAsync2($"tasks/{task}?include=definition");
        HasKeys(body, "id", "status", "created_at", "element_id", "element_name", "definition");
        HasKeys(body!["definition"], "id", "name");
        Assert.Equal(("UserTaskUID", "Form Task"), ((string)body["definition"]!["id"]!, (string)body["definition"]!["name"]!));
    }
}
