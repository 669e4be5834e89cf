using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

public sealed class NextMatterInstanceTests
{
    [Fact]
    public async Task Create_returns_201_with_documented_fields_and_no_status()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.PostAsync2("instances/",
            "{\"process\":\"https://core.nextmatter.com/api/processes/1/\",\"name\":\"Ada\",\"priority\":\"V\",\"tags\":[\"a\",\"b\"],\"deadline\":\"2026-02-01T10:00:00Z\"}");
        Assert.Equal(201, status);
        var o = body!.AsObject();
        foreach (var f in new[] { "id", "url", "name", "process", "deadline", "priority", "tags", "step_assignments", "started_time", "completed_time",
                     "aborted_time", "last_updated_time", "process_snapshot", "active_step_ids", "step_deadlines", "public_url", "stage" })
            Assert.True(o.ContainsKey(f), f);
        Assert.False(o.ContainsKey("status"));
        var id = (long)o["id"]!;
        Assert.Equal($"{s.NextMatterBaseUri}instances/{id}/", (string)o["url"]!);
        Assert.Equal($"{s.NextMatterBaseUri}processes/1/", (string)o["process"]!);
        Assert.Equal("V", (string)o["priority"]!);
        Assert.Equal(42, (long)o["active_step_ids"]![0]!);
        var stored = s.NextMatter.FindInstance(id)!;
        Assert.Equal(new[] { "a", "b" }, stored.Tags);
        Assert.Equal(s.Requests.All.Single(r => r.Method == "POST").Sequence, stored.CreatedByRequestSequence);
        Assert.Equal(1, s.NextMatter.CountCreated(i => i.Name == "Ada"));
        Assert.Equal(0, s.NextMatter.CountCreated(i => i.Name == "Onboarding Ada Lovelace")); // seeded, not created
    }

    [Fact]
    public async Task Create_without_name_generates_one()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.PostAsync2("instances/", "{\"process\":\"https://x.example/api/processes/1/\"}");
        Assert.Equal(201, status);
        Assert.Equal($"Employee onboarding #{(long)body!["id"]!}", (string)body["name"]!);
    }

    [Theory]
    [InlineData("{\"process\":\"https://core.nextmatter.com/api/processes/999/\"}", "process", "Invalid hyperlink - Object does not exist.")]
    [InlineData("{\"process\":\"1\"}", "process", "Invalid hyperlink - Object does not exist.")]
    [InlineData("{\"process\":\"https://core.nextmatter.com/api/processes/1\"}", "process", "Invalid hyperlink - Object does not exist.")]
    [InlineData("{}", "process", "This field is required.")]
    [InlineData("{\"process\":\"https://core.nextmatter.com/api/processes/1/\",\"priority\":\"X\"}", "priority", "\"X\" is not a valid choice.")]
    [InlineData("{\"process\":\"https://core.nextmatter.com/api/processes/2/\",\"name\":\"Mine\"}", "name", null)]
    [InlineData("{\"process\":\"https://core.nextmatter.com/api/processes/1/\",\"tags\":\"a\"}", "tags", "Expected a list of items but got type \"str\".")]
    public async Task Create_validation_errors_are_drf_field_errors(string json, string field, string? message)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var before = s.NextMatter.Instances.Count;
        var (status, body, _) = await c.PostAsync2("instances/", json);
        Assert.Equal(400, status);
        if (message != null) Assert.Equal(message, (string)body![field]![0]!);
        else Assert.NotNull(body![field]);
        Assert.Equal(before, s.NextMatter.Instances.Count);
    }

    [Fact]
    public async Task Create_rejects_name_over_255()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.PostAsync2("instances/", "{\"process\":\"https://a/api/processes/1/\",\"name\":\"" + new string('n', 256) + "\"}");
        Assert.Equal(400, status);
        Assert.Equal("Ensure this field has no more than 255 characters.", (string)body!["name"]![0]!);
        (status, _, _) = await c.PostAsync2("instances/", "{\"process\":\"https://a/api/processes/1/\",\"name\":\"" + new string('n', 255) + "\"}");
        Assert.Equal(201, status);
    }

    [Fact]
    public async Task Get_and_update_instance()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.GetAsync2("instances/1001/");
        Assert.Equal(200, status);
        Assert.Equal("Onboarding Ada Lovelace", (string)body!["name"]!);
        (status, body, _) = await c.GetAsync2("instances/999999/");
        Assert.Equal(404, status);
        Assert.Equal("Not found.", (string)body!["detail"]!);

        (status, body, _) = await c.SendAsync(HttpMethod.Patch, "instances/1001/", "{\"tags\":[\"z\"]}");
        Assert.Equal(200, status);
        Assert.Equal("z", (string)body!["tags"]![0]!);
        Assert.Equal("V", (string)body["priority"]!); // PATCH keeps other fields
        (status, body, _) = await c.PutAsync2("instances/1001/", "{\"name\":\"Renamed\",\"priority\":\"H\"}");
        Assert.Equal(200, status);
        Assert.Equal("Renamed", s.NextMatter.FindInstance(1001)!.Name);
        Assert.Empty(s.NextMatter.FindInstance(1001)!.Tags); // PUT replaces
        (status, _, _) = await c.PutAsync2("instances/1001/", "{\"priority\":\"Z\"}");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Get_with_inject_values_shows_values_in_snapshot()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (_, plain, _) = await c.GetAsync2("instances/1003/");
        Assert.Null(plain!["process_snapshot"]!["steps"]![0]!["actions"]![0]!["value"]);
        Assert.False(plain["process_snapshot"]!["steps"]![0]!["actions"]![0]!.AsObject().ContainsKey("value"));
        var (_, injected, _) = await c.GetAsync2("instances/1003/?inject_values=true&steps_time_frame=true");
        var step = injected!["process_snapshot"]!["steps"]![0]!;
        Assert.Equal("Alan Turing", (string)step["actions"]![0]!["value"]!["inputValue"]!);
        Assert.NotNull(step["completed_time"]);
    }

    [Fact]
    public async Task Auth_errors_follow_drf()
    {
        var options = new SandboxOptions();
        await using var s = await SandboxServer.StartAsync(options);
        using var none = new HttpClient { BaseAddress = s.NextMatterBaseUri };
        var (status, body, _) = await none.GetAsync2("instances/1001/");
        Assert.Equal(401, status);
        Assert.Equal("Authentication credentials were not provided.", (string)body!["detail"]!);

        using var wrong = TestSupport.NmClient(s, "nope.nope");
        (status, body, _) = await wrong.GetAsync2("instances/1001/");
        Assert.Equal(401, status);
        Assert.Equal("Invalid API key.", (string)body!["detail"]!);

        s.NextMatter.AddApiKey("temp.key", NextMatterStore.BotUserId, s.Clock.Now.AddMinutes(5));
        using var temp = TestSupport.NmClient(s, "temp.key");
        Assert.Equal(200, (await temp.GetAsync2("instances/1001/")).Status);
        s.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(401, (await temp.GetAsync2("instances/1001/")).Status);

        using var c = TestSupport.NmClient(s);
        Assert.Equal(200, (await c.GetAsync2("instances/1001/")).Status);
        s.NextMatter.RevokeApiKey(s.NextMatterApiKey);
        Assert.Equal(401, (await c.GetAsync2("instances/1001/")).Status);
    }

    [Fact]
    public async Task Bulk_abort_and_delete()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.PostAsync2("instances/bulk/abort", "{\"ids\":[1001,1002]}");
        Assert.Equal(201, status);
        Assert.Equal(2, body!["ids"]!.AsArray().Count);
        Assert.Equal("aborted", s.NextMatter.FindInstance(1001)!.Status);
        Assert.Equal(s.Clock.Now, s.NextMatter.FindInstance(1002)!.AbortedTime);

        (status, _, _) = await c.PostAsync2("instances/bulk/abort", "{\"ids\":[1003,424242]}");
        Assert.Equal(404, status);
        Assert.Equal("completed", s.NextMatter.FindInstance(1003)!.Status);
        (status, body, _) = await c.PostAsync2("instances/bulk/abort", "{\"ids\":\"1003\"}");
        Assert.Equal(400, status);
        Assert.NotNull(body!["ids"]);

        (status, _, _) = await c.PostAsync2("instances/bulk/delete", "{\"ids\":[1001]}");
        Assert.Equal(204, status);
        Assert.Null(s.NextMatter.FindInstance(1001));
        Assert.Equal(404, (await c.GetAsync2("instances/1001/")).Status);
    }

    [Fact]
    public async Task Process_details_list_steps_and_actions()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.GetAsync2("processes/1/");
        Assert.Equal(200, status);
        Assert.Equal("Employee onboarding", (string)body!["name"]!);
        Assert.Equal(new long[] { 42, 43, 44 }, body["steps"]!.AsArray().Select(x => (long)x!["id"]!));
        Assert.Equal("dropdown", (string)body["steps"]![0]!["actions"]![1]!["type"]!);
        Assert.Equal(404, (await c.GetAsync2("processes/77/")).Status);
    }

    [Fact]
    public async Task AddInstances_adds_100000_quickly()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { SeedData = true });
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var added = s.NextMatter.AddInstances(1, 100_000, status: "completed", runtime: TimeSpan.FromSeconds(30));
        sw.Stop();
        Assert.Equal(100_000, added);
        Assert.Equal(100_025, s.NextMatter.CountInstances(i => i.ProcessId == 1));
        var ids = s.NextMatter.Instances.Select(i => i.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
