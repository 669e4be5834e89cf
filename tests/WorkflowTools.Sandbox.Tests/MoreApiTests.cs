using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>Smaller endpoints and edge cases of both APIs.</summary>
public sealed class MoreApiTests
{
    [Fact]
    public async Task Step_assignments_are_validated_and_give_the_assignee_the_step()
    {
        await using var s = await SandboxServer.StartAsync();
        using var bot = TestSupport.NmClient(s);
        using var other = TestSupport.NmClient(s, NextMatterStore.OtherUserApiKey);
        var (status, body, _) = await bot.PostAsync2("instances/", "{\"process\":\"https://a/api/processes/1/\",\"step_assignments\":[{\"step_id\":99,\"user_id\":2}]}");
        Assert.Equal(400, status);
        Assert.NotNull(body!["step_assignments"]);
        (status, body, _) = await bot.PostAsync2("instances/", "{\"process\":\"https://a/api/processes/1/\",\"step_assignments\":[{\"step_id\":43,\"user_id\":77}]}");
        Assert.Equal(400, status);

        (status, body, _) = await bot.PostAsync2("instances/", "{\"process\":\"https://a/api/processes/1/\",\"step_assignments\":[{\"step_id\":43,\"user_id\":2}]}");
        Assert.Equal(201, status);
        Assert.Equal(2, (long)body!["step_assignments"]![0]!["user_id"]!);
        var id = (long)body["id"]!;
        // step 42 belongs to the bot: the other user may not complete it
        Assert.Equal(403, (await other.PostAsync2($"instances/{id}/complete_step/", "{\"step_id\":42,\"actions\":[{\"action_id\":123456,\"input_object\":{\"inputValue\":\"A\"}}]}")).Status);
        Assert.Equal(200, (await bot.PostAsync2($"instances/{id}/complete_step/", "{\"step_id\":42,\"actions\":[{\"action_id\":123456,\"input_object\":{\"inputValue\":\"A\"}}]}")).Status);
        // step 43 was assigned to the other user
        Assert.Equal(200, (await other.PostAsync2($"instances/{id}/complete_step/", "{\"step_id\":43,\"actions\":[{\"action_id\":555001,\"input_object\":{\"inputValue\":{\"radioItemSelected\":\"Reject\"}}}]}")).Status);
    }

    [Fact]
    public async Task Process_list_is_paginated()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.GetAsync2("processes/?page_size=1");
        Assert.Equal(200, status);
        Assert.Equal(3, (int)body!["count"]!);
        Assert.Equal("Employee onboarding", (string)body["results"]![0]!["name"]!);
        Assert.EndsWith("/nextmatter/api/processes/?page=2&page_size=1", (string)body["next"]!);
    }

    [Fact]
    public async Task Auto_named_process_names_instances_itself()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.PostAsync2("instances/", "{\"process\":\"https://a/api/processes/2/\",\"name\":\"\"}");
        Assert.Equal(201, status);
        Assert.Equal($"Vendor review #{(long)body!["id"]!}", (string)body["name"]!);
        (status, _, _) = await c.PostAsync2("instances/", "{\"process\":\"https://a/api/processes/2/\",\"name\":null}");
        Assert.Equal(201, status);
    }

    [Fact]
    public async Task Laravel_page_past_the_end_is_empty_with_null_from_to()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, _) = await c.GetAsync2("requests?page=5&per_page=5");
        Assert.Equal(200, status);
        Assert.Empty(body!["data"]!.AsArray());
        Assert.Null(body["meta"]!["from"]);
        Assert.Null(body["meta"]!["to"]);
        Assert.Equal(3, (int)body["meta"]!["last_page"]!);
        Assert.Equal(0, (int)body["meta"]!["count"]!);
        Assert.Equal(12, (int)body["meta"]!["total"]!);
    }

    [Fact]
    public async Task Start_processes_lists_only_startable_active_processes_for_any_user()
    {
        await using var s = await SandboxServer.StartAsync();
        using var user = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        var (status, body, _) = await user.GetAsync2("start_processes?order_by=id");
        Assert.Equal(200, status);
        Assert.Equal(new long[] { 1, 2 }, body!["data"]!.AsArray().Select(p => (long)p!["id"]!));
        var (ust, u, _) = await user.GetAsync2("users/2");
        Assert.Equal(200, ust);
        Assert.Equal("jdoe", (string)u!["username"]!);
        Assert.False((bool)u["is_administrator"]!);
        Assert.Equal(404, (await user.GetAsync2("users/42")).Status);
    }

    [Fact]
    public async Task Ordinary_user_starts_a_request_and_owns_its_first_task()
    {
        await using var s = await SandboxServer.StartAsync();
        using var user = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        var (status, body, _) = await user.PostAsync2("process_events/2?event=node_1", "");
        Assert.Equal(201, status);
        Assert.Equal(ProcessMakerStore.OrdinaryUserId, (long)body!["user_id"]!);
        var rid = (long)body["id"]!;
        Assert.Equal(ProcessMakerStore.OrdinaryUserId, s.ProcessMaker.Tasks.Single(t => t.Request.Id == rid).UserId);
        Assert.Equal(s.Requests.All.Single(r => r.Method == "POST").Sequence, s.ProcessMaker.FindRequest(rid)!.CreatedByRequestSequence);
        Assert.Empty(s.ProcessMaker.FindRequest(rid)!.Data);
    }

    [Fact]
    public async Task Real_time_clock_ticks()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { RealTimeClock = true, ClockStart = DateTimeOffset.Parse("2030-01-01T00:00:00Z") });
        var first = s.Clock.Now;
        await Task.Delay(30);
        Assert.True(s.Clock.Now > first);
        Assert.True(first >= DateTimeOffset.Parse("2030-01-01T00:00:00Z"));
        Assert.True(first < DateTimeOffset.Parse("2030-01-01T00:01:00Z"));
    }
}
