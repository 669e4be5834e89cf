using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static WorkflowTools.Sandbox.Tests.Pm4Contract.Pm4Tenant;

namespace WorkflowTools.Sandbox.Tests.Pm4Contract;

/// <summary>ProcessMaker 4.15.6 tests/Feature/Api/ProcessTest.php, ported to the routes the sandbox serves.</summary>
public sealed class ProcessesContractTests
{
    /// <summary>ProcessTest::$structure.</summary>
    private static readonly string[] Structure = { "id", "process_category_id", "user_id", "description", "name", "status", "created_at", "updated_at" };

    private static Pm4Tenant Many(int count, long firstId = 10, string status = "ACTIVE", long? category = null)
    {
        var t = new Pm4Tenant();
        return Many(t, count, firstId, status, category);
    }

    private static Pm4Tenant Many(Pm4Tenant t, int count, long firstId, string status = "ACTIVE", long? category = null)
    {
        for (var i = 0; i < count; i++)
            t.Process(firstId + i, $"Process {firstId + i}", p => { p["status"] = status; if (category != null) p["category"] = category; });
        return t;
    }

    private static JsonArray Events(params JsonObject[] events) => new(events.Cast<JsonNode>().ToArray());

    /// <summary>ProcessTest::testProcessesListing.</summary>
    [Fact]
    public async Task testProcessesListing()
    {
        await using var s = await Many(20).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("processes?page=2&per_page=10");
        Assert.Equal(200, status);
        foreach (var row in body!["data"]!.AsArray()) HasKeys(row, Structure);
        var m = body["meta"]!;
        Assert.Equal((20, 10, 10, 2, 2), ((int)m["total"]!, (int)m["count"]!, (int)m["per_page"]!, (int)m["current_page"]!, (int)m["total_pages"]!));
    }

    /// <summary>ProcessTest::testProcessesListingWithNoAdminUser: view-processes given to the user.</summary>
    [Fact]
    public async Task testProcessesListingWithNoAdminUser()
    {
        await using var s = await new Pm4Tenant().User(3, "viewer", false, "view-processes")
            .Process(10, "P", p => p["startEvents"] = Events(StartEvent("node_1", "Start", users: new long[] { 3 }))).StartAsync();
        var (status, body, _) = await As(s, "viewer").GetAsync2("processes?page=1&per_page=10");
        Assert.Equal(200, status);
        Assert.Equal((1, 1), ((int)body!["meta"]!["total"]!, (int)body["meta"]!["count"]!));
    }

    /// <summary>ProcessTest::testProcessesListingWithNoAdminGroup: view-processes given to the user's group.</summary>
    [Fact]
    public async Task testProcessesListingWithNoAdminGroup()
    {
        await using var s = await new Pm4Tenant().User(3, "member").Group(5, "Test Group", new long[] { 3 }, "view-processes")
            .Process(10, "P", p => p["startEvents"] = Events(StartEvent("node_1", "Start", groups: new long[] { 5 }))).StartAsync();
        var (status, body, _) = await As(s, "member").GetAsync2("processes?page=1&per_page=10");
        Assert.Equal(200, status);
        Assert.Equal(1, (int)body!["meta"]!["total"]!);
    }

    /// <summary>ProcessTest::testStartRequestList: order_by=category.name,name.</summary>
    [Fact]
    public async Task testStartRequestList()
    {
        var t = new Pm4Tenant().Category(2, "Z cat").Category(3, "A cat").Category(4, "M cat");
        Many(t, 2, 10, category: 2);
        t.Process(20, "ZProcess", p => p["category"] = 3).Process(21, "BProcess", p => p["category"] = 3);
        Many(t, 2, 30, category: 4);
        await using var s = await t.StartAsync();
        var (status, body, _) = await As(s).GetAsync2("start_processes?order_by=" + Uri.EscapeDataString("category.name,name"));
        Assert.Equal(200, status);
        Assert.Equal((3L, "BProcess"), ((long)body!["data"]![0]!["process_category_id"]!, (string)body["data"]![0]!["name"]!));
    }

    private static Pm4Tenant EventKinds() => new Pm4Tenant().Category(2, "A cat")
        .Process(10, "AProcess", p => { p["category"] = 2; })
        .Process(11, "BProcess", p => { p["category"] = 2; p["startEvents"] = Events(StartEvent("node_1", "Timer", "timer")); })
        .Process(12, "CProcess", p => { p["category"] = 2; p["startEvents"] = Events(StartEvent("node_1", "Conditional", "conditional")); })
        .Process(13, "DProcess", p => { p["category"] = 2; p["startEvents"] = Events(StartEvent("node_1", "Signal", "signal")); })
        .Process(14, "EProcess", p => { p["category"] = 2; p["startEvents"] = Events(StartEvent("node_1", "Message", "message")); });

    /// <summary>ProcessTest::testStartRequestListProcessesWithoutEventDefinitions.</summary>
    [Fact]
    public async Task testStartRequestListProcessesWithoutEventDefinitions()
    {
        await using var s = await EventKinds().StartAsync();
        var (status, body, _) = await As(s).GetAsync2("start_processes?order_by=" + Uri.EscapeDataString("category.name,name") + "&without_event_definitions=true");
        Assert.Equal(200, status);
        Assert.Equal("AProcess", (string)Assert.Single(body!["data"]!.AsArray())!["name"]!);
        Assert.Equal(1, (int)body["meta"]!["total"]!);
    }

    /// <summary>ProcessTest::testStartRequestListProcessesWithEventDefinitions: all but the timer-only process.</summary>
    [Fact]
    public async Task testStartRequestListProcessesWithEventDefinitions()
    {
        await using var s = await EventKinds().StartAsync();
        var (_, body, _) = await As(s).GetAsync2("start_processes?order_by=" + Uri.EscapeDataString("category.name,name") + "&without_event_definitions=false");
        Assert.Equal(4, body!["data"]!.AsArray().Count);
        Assert.Equal(4, (int)body["meta"]!["total"]!);
    }

    /// <summary>ProcessTest::testProcessManagerCanStartARequest: the start list offers a process manager's and the user's own events.</summary>
    [Fact]
    public async Task testProcessManagerCanStartARequest()
    {
        await using var s = await new Pm4Tenant().User(3, "manager").User(4, "other")
            .Process(10, "WithManager", p => { p["manager"] = 3; p["startEvents"] = Events(StartEvent("node_1", "Start", manager: true)); })
            .Process(11, "Assigned", p => { p["manager"] = 4; p["startEvents"] = Events(StartEvent("node_1", "Start", users: new long[] { 3 })); })
            .Process(12, "ForOther", p => p["manager"] = 4).StartAsync();
        var (status, body, _) = await As(s, "manager").GetAsync2("start_processes?order_by=" + Uri.EscapeDataString("category.name,name"));
        Assert.Equal(200, status);
        Assert.Equal(new long[] { 10, 11 }, Ids(body).OrderBy(x => x));
    }

    /// <summary>ProcessTest::testProcessManagerCanStartProcessWithTwoStartEvents.</summary>
    [Fact]
    public async Task testProcessManagerCanStartProcessWithTwoStartEvents()
    {
        await using var s = await new Pm4Tenant().User(3, "manager").User(4, "other")
            .Process(10, "P", p =>
            {
                p["manager"] = 3;
                p["startEvents"] = Events(StartEvent("node_1", "Managers", manager: true), StartEvent("node_3", "Others", users: new long[] { 4 }));
            }).StartAsync();
        Assert.Equal(201, (await As(s, "other").PostAsync2("process_events/10?event=node_3", "{}")).Status);
        Assert.Equal(201, (await As(s, "manager").PostAsync2("process_events/10?event=node_1", "{}")).Status);
    }

    /// <summary>ProcessTest::testWebEntryFilteredFromStartEvents.</summary>
    [Fact]
    public async Task testWebEntryFilteredFromStartEvents()
    {
        await using var s = await new Pm4Tenant().Process(10, "Regular", p => p["startEvents"] = Events(StartEvent("node_1", "Start Event")))
            .Process(11, "Web", p => p["startEvents"] = Events(StartEvent("node_1", "regular"), StartEvent("node_5", "web entry", "webEntry"))).StartAsync();
        var (_, body, _) = await As(s).GetAsync2("start_processes");
        var names = body!["data"]!.AsArray().SelectMany(p => p!["startEvents"]!.AsArray().Select(e => (string)e!["name"]!)).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "Start Event", "regular" }, names);
    }

    /// <summary>ProcessTest::testProcessEventsTrigger: 403 until the start event names the user.</summary>
    [Fact]
    public async Task testProcessEventsTrigger()
    {
        await using var s = await new Pm4Tenant().User(3, "plain")
            .Process(10, "P").Process(11, "Q", p => p["startEvents"] = Events(StartEvent("node_1", "Start", users: new long[] { 3 }))).StartAsync();
        using var c = As(s, "plain");
        Assert.Equal(403, (await c.PostAsync2("process_events/10?event=node_1", "{}")).Status);
        Assert.Equal(201, (await c.PostAsync2("process_events/11?event=node_1", "{}")).Status);
    }

    /// <summary>ProcessTest::testCreateRequest: the start data is stored.</summary>
    [Fact]
    public async Task testCreateRequest()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").StartAsync();
        using var c = As(s);
        var (status, body, _) = await c.PostAsync2("process_events/10?event=node_1", "{\"Field1\":\"Value of Field 1\",\"Field2\":\"htt://www.files.com\"}");
        Assert.Equal(201, status);
        var data = (await c.GetAsync2($"requests/{body!["id"]}?include=data")).Body!["data"]!;
        Assert.Equal(("Value of Field 1", "htt://www.files.com"), ((string)data["Field1"]!, (string)data["Field2"]!));
    }

    /// <summary>ProcessTest::testProcessListDates.</summary>
    [Fact]
    public async Task testProcessListDates()
    {
        await using var s = await new Pm4Tenant().Process(10, "processTestTimezone").StartAsync();
        var p = s.ProcessMaker.FindProcess(10)!;
        var row = (await As(s).GetAsync2("processes?filter=processTestTimezone")).Body!["data"]![0]!;
        Assert.Equal(p.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), (string)row["created_at"]!);
        Assert.Equal(p.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), (string)row["updated_at"]!);
    }

    /// <summary>ProcessTest::testFiltering: status=active is every process not archived; include=category,user.</summary>
    [Fact]
    public async Task testFiltering()
    {
        var t = Many(10, 10);
        Many(t, 15, 100, "INACTIVE");
        Many(t, 20, 200, "ARCHIVED");
        await using var s = await t.StartAsync();
        using var c = As(s);
        var (_, active, _) = await c.GetAsync2("processes?status=active&include=category&per_page=10");
        Assert.Equal((25, 10), ((int)active!["meta"]!["total"]!, (int)active["meta"]!["count"]!));
        Assert.All(active["data"]!.AsArray(), row => HasKeys(row, "category"));
        var (_, archived, _) = await c.GetAsync2("processes?status=archived&include=category,user&per_page=10");
        Assert.Equal((20, 10), ((int)archived!["meta"]!["total"]!, (int)archived["meta"]!["count"]!));
        Assert.All(archived["data"]!.AsArray(), row => HasKeys(row, "category", "user"));
    }

    /// <summary>ProcessTest::testSorting.</summary>
    [Fact]
    public async Task testSorting()
    {
        await using var s = await new Pm4Tenant().Process(10, "aaaaaa", p => p["description"] = "bbbbbb").Process(11, "zzzzz", p => p["description"] = "yyyyy").StartAsync();
        using var c = As(s);
        Assert.Equal("aaaaaa", (string)(await c.GetAsync2("processes?order_by=name&order_direction=asc")).Body!["data"]![0]!["name"]!);
        Assert.Equal("zzzzz", (string)(await c.GetAsync2("processes?order_by=name&order_direction=DESC")).Body!["data"]![0]!["name"]!);
        Assert.Equal("yyyyy", (string)(await c.GetAsync2("processes?order_by=description&order_direction=desc")).Body!["data"]![0]!["description"]!);
    }

    /// <summary>ProcessTest::testFilterCategory.</summary>
    [Fact]
    public async Task testFilterCategory()
    {
        await using var s = await Many(new Pm4Tenant().Category(2, "A").Category(3, "B"), 5, 10, category: 3).StartAsync();
        using var c = As(s);
        Assert.Equal(5, (await c.GetAsync2("processes?per_page=5&page=1")).Body!["data"]!.AsArray().Count);
        Assert.Empty((await c.GetAsync2("processes?category=2")).Body!["data"]!.AsArray());
        Assert.Equal(5, (await c.GetAsync2("processes?category=3")).Body!["data"]!.AsArray().Count);
    }

    /// <summary>ProcessTest::testPagination.</summary>
    [Fact]
    public async Task testPagination()
    {
        await using var s = await Many(7).StartAsync();
        using var c = As(s);
        Assert.Equal(5, (await c.GetAsync2("processes?per_page=5&page=1")).Body!["data"]!.AsArray().Count);
        Assert.Equal(2, (await c.GetAsync2("processes?per_page=5&page=2")).Body!["data"]!.AsArray().Count);
    }

    /// <summary>ProcessTest::testStartProcessesWithPermission: include=events shows a non-administrator only the events assigned to them.</summary>
    [Fact]
    public async Task testStartProcessesWithPermission()
    {
        await using var s = await new Pm4Tenant().User(3, "viewer", false, "view-processes")
            .Process(10, "Mine", p => p["startEvents"] = Events(StartEvent("node_1", "Start", users: new long[] { 3 }))).Process(11, "Other").StartAsync();
        var (status, body, _) = await As(s, "viewer").GetAsync2("processes?include=events");
        Assert.Equal(200, status);
        Assert.Equal(1, body!["data"]!.AsArray().Sum(p => p!["events"]!.AsArray().Count));
    }
}
