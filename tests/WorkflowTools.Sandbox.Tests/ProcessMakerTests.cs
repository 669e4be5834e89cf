using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

public sealed class ProcessMakerTests
{
    [Fact]
    public async Task Start_request_returns_201_unwrapped_and_opens_the_first_task()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, text) = await c.PostAsync2("process_events/1?event=node_1", "{\"name\":\"<b>Ada</b>\",\"empty\":\"\",\"_secret\":1,\"nested\":{\"x\":\"\"}}");
        Assert.True(status == 201, text);
        var o = body!.AsObject();
        foreach (var f in new[] { "id", "process_id", "user_id", "callable_id", "status", "name", "initiated_at", "completed_at", "created_at", "updated_at", "process_version_id" })
            Assert.True(o.ContainsKey(f), f);
        Assert.False(o.ContainsKey("data"));
        Assert.Equal("ACTIVE", (string)o["status"]!);
        Assert.Equal("Onboarding", (string)o["name"]!);
        Assert.Equal("2026-01-05T09:00:00+00:00", (string)o["initiated_at"]!);
        var id = (long)o["id"]!;
        var request = s.ProcessMaker.FindRequest(id)!;
        Assert.Equal("Ada", (string)request.Data["name"]!);
        Assert.Null(request.Data["empty"]);
        Assert.True(request.Data.ContainsKey("empty"));
        Assert.Null(request.Data["nested"]!["x"]);
        var task = s.ProcessMaker.Tasks.Single(t => t.Request.Id == id);
        Assert.Equal(("node_2", "ACTIVE", ProcessMakerStore.AdminUserId), (task.ElementId, task.Status, task.UserId));

        var (_, detail, _) = await c.GetAsync2($"requests/{id}?include=data,activeTasks");
        Assert.False(detail!["data"]!.AsObject().ContainsKey("_secret"));
        Assert.Equal("Fill in details", (string)detail["active_tasks"]![0]!["element_name"]!);
    }

    [Theory]
    [InlineData("process_events/1", 404, 403)]
    [InlineData("process_events/1?event=node_9", 404, 403)]
    [InlineData("process_events/3?event=node_1", 404, 403)] // timer start event
    [InlineData("process_events/77?event=node_1", 404, 404)]
    public async Task Unknown_start_event_is_404_for_admin_and_403_for_others(string url, int admin, int other)
    {
        await using var s = await SandboxServer.StartAsync();
        using var a = TestSupport.PmClient(s);
        using var u = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        var before = s.ProcessMaker.Requests.Count;
        var (status, body, _) = await a.PostAsync2(url, "{}");
        Assert.Equal(admin, status);
        Assert.Equal("Not Found", (string)body!["error"]!);
        Assert.Equal(other, (await u.PostAsync2(url, "{}")).Status);
        Assert.Equal(before, s.ProcessMaker.Requests.Count);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{broken")]
    public async Task Non_object_body_is_422(string json)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, _) = await c.PostAsync2("process_events/2?event=node_5", json);
        Assert.Equal(422, status);
        Assert.NotNull(body!["errors"]!["data"]);
    }

    [Fact]
    public async Task Auth_failures()
    {
        await using var s = await SandboxServer.StartAsync();
        using var none = new HttpClient { BaseAddress = s.ProcessMakerBaseUri };
        var (status, body, _) = await none.GetAsync2("processes");
        Assert.Equal(401, status);
        Assert.Equal("Unauthenticated.", (string)body!["error"]!);
        using var wrong = TestSupport.PmClient(s, "wrong");
        Assert.Equal(401, (await wrong.GetAsync2("requests")).Status);
        using var user = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        (status, body, _) = await user.GetAsync2("processes");
        Assert.Equal(403, status);
        Assert.Equal("This action is unauthorized.", (string)body!["message"]!);
        (status, _, _) = await user.GetAsync2("start_processes");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Process_list_pages_and_filters_start_events()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, _) = await c.GetAsync2("processes?per_page=2&order_by=id");
        Assert.Equal(200, status);
        var meta = body!["meta"]!;
        Assert.Equal(3, (int)meta["total"]!); // archived excluded
        Assert.Equal(2, (int)meta["total_pages"]!);
        Assert.Equal(2, (int)meta["last_page"]!);
        Assert.Equal(2, (int)meta["count"]!);
        Assert.Equal(1, (int)meta["from"]!);
        Assert.Equal(2, (int)meta["to"]!);
        Assert.Equal(2, (int)meta["per_page"]!);
        Assert.Equal("id", (string)meta["sort_by"]!);
        Assert.NotNull(meta["links"]);
        Assert.False(body.AsObject().ContainsKey("links"));
        Assert.Equal(new long[] { 1, 2 }, body["data"]!.AsArray().Select(p => (long)p!["id"]!));
        Assert.Equal(new[] { "node_1", "node_5" }, body["data"]![1]!["startEvents"]!.AsArray().Select(e => (string)e!["id"]!));

        (_, body, _) = await c.GetAsync2("processes?per_page=2&order_by=id&page=2");
        var sync = body!["data"]![0]!;
        Assert.Equal("Nightly sync", (string)sync["name"]!);
        Assert.Empty(sync["startEvents"]!.AsArray());
        Assert.Single(sync["start_events"]!.AsArray());

        (_, body, _) = await c.GetAsync2("processes?status=archived");
        Assert.Equal("Archived process", (string)body!["data"]![0]!["name"]!);
        (_, body, _) = await c.GetAsync2("processes?filter=purchase");
        Assert.Equal(1, (int)body!["meta"]!["total"]!);
        (_, body, _) = await c.GetAsync2("processes");
        Assert.Equal(10, (int)body!["meta"]!["per_page"]!);
        Assert.Equal("", (string)body["meta"]!["sort_by"]!); // ApiCollection echoes order_by as sent, "" when absent
        Assert.Equal("", (string)body["meta"]!["sort_order"]!);
    }

    [Fact]
    public async Task Get_process_by_id()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, text) = await c.GetAsync2("processes/3");
        Assert.Equal(200, status);
        Assert.False(body!.AsObject().ContainsKey("events"));
        // PM4's include=events is getStartEvents(true): for an admin every start event, timers included.
        (_, body, _) = await c.GetAsync2("processes/3?include=events");
        Assert.Equal("timerEventDefinition", (string)Assert.Single(body!["events"]!.AsArray())!["eventDefinitions"]![0]!["$type"]!);
        (status, _, text) = await c.GetAsync2("processes/404");
        Assert.Equal(204, status);
        Assert.Equal("", text);
        using var user = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        Assert.Equal(403, (await user.GetAsync2("processes/1")).Status);
    }

    [Fact]
    public async Task Start_event_kinds_timer_and_web_entry_are_not_startable()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { SeedData = false });
        s.ProcessMaker.AddProcess(new PmProcess(7, "Mixed", new[]
        {
            new PmStartEvent("node_1", "Manual"), new PmStartEvent("node_2", "Timer", "timer"), new PmStartEvent("node_3", "Web form", "webentry"),
            new PmStartEvent("node_4", "Message", "message"), new PmStartEvent("node_5", "Signal", "signal"),
        }, new[] { new PmTaskDefinition("node_9", "Work") }));
        using var c = TestSupport.PmClient(s);
        var (_, list, _) = await c.GetAsync2("processes");
        Assert.Equal(new[] { "node_1", "node_4", "node_5" }, list!["data"]![0]!["startEvents"]!.AsArray().Select(e => (string)e!["id"]!));
        Assert.Equal(5, list["data"]![0]!["start_events"]!.AsArray().Count);
        Assert.Equal(5, list["data"]![0]!["events"]!.AsArray().Count); // list rows carry both lists; events keeps timers
        var (_, one, _) = await c.GetAsync2("processes/7?include=events");
        Assert.Equal(5, one!["events"]!.AsArray().Count);
        Assert.Equal("timerEventDefinition", (string)one["start_events"]![1]!["eventDefinitions"]![0]!["$type"]!);
        Assert.Equal(404, (await c.PostAsync2("process_events/7?event=node_3", "{}")).Status);
        Assert.Equal(201, (await c.PostAsync2("process_events/7?event=node_4", "{}")).Status);
        Assert.Equal(1, s.ProcessMaker.CountCreated(r => r.StartEventId == "node_4"));
        Assert.Equal(0, s.ProcessMaker.CountCreated(r => r.StartEventId == "node_3"));
    }
}
