using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

public sealed class NextMatterListTests
{
    private static async Task<List<JsonNode>> FollowAll(HttpClient c, string firstUrl, SandboxServer s)
    {
        var rows = new List<JsonNode>();
        string? url = firstUrl;
        var pages = 0;
        while (url != null)
        {
            var (status, body, text) = await c.GetAsync2(url);
            Assert.True(status == 200, text);
            rows.AddRange(body!["results"]!.AsArray().Select(x => x!));
            url = (string?)body["next"];
            if (url != null) Assert.StartsWith(s.NextMatterBaseUri.ToString(), url); // absolute, same host
            Assert.True(++pages < 1000);
        }
        return rows;
    }

    [Fact]
    public async Task Paging_follows_next_links_until_null()
    {
        await using var s = await SandboxServer.StartAsync();
        s.NextMatter.AddInstances(1, 1200, status: "completed", runtime: TimeSpan.FromSeconds(20));
        using var c = TestSupport.NmClient(s);
        var (_, first, _) = await c.GetAsync2("processes/1/instances/");
        Assert.Equal(1225, (int)first!["count"]!);
        Assert.Equal(100, first["results"]!.AsArray().Count); // default page size
        Assert.Null(first["previous"]);
        var rows = await FollowAll(c, "processes/1/instances/?page_size=500", s);
        Assert.Equal(1225, rows.Count);
        Assert.Equal(1225, rows.Select(r => (long)r["id"]!).Distinct().Count());

        var (_, sorted, _) = await c.GetAsync2("processes/1/instances/?status=completed&total_runtime_min=1 00:00:00&page_size=1");
        // DRF's replace_query_param: keys sorted, form encoding
        Assert.EndsWith("/processes/1/instances/?page=2&page_size=1&status=completed&total_runtime_min=1+00%3A00%3A00", (string)sorted!["next"]!);
        var (_, page2, _) = await c.GetAsync2("processes/1/instances/?page=2&page_size=10");
        Assert.EndsWith("/processes/1/instances/?page_size=10", (string)page2!["previous"]!);
        var (_, clamped, _) = await c.GetAsync2("processes/1/instances/?page_size=5000");
        Assert.Equal(500, clamped!["results"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=abc")]
    [InlineData("page=99")]
    public async Task Invalid_page_is_404(string query)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.GetAsync2("processes/1/instances/?" + query);
        Assert.Equal(404, status);
        Assert.Equal("Invalid page.", (string)body!["detail"]!);
    }

    [Theory]
    // seed: completed in 40 s (1003), 49 s (1009), 50 s (1008), 51 s (1010); running 40 s (1002)
    [InlineData("total_runtime_max=00:50", new long[] { 1002, 1003, 1008, 1009, 1016 })]
    [InlineData("total_runtime_max=50", new long[] { 1002, 1003, 1008, 1009, 1016 })]
    [InlineData("total_runtime_max=PT49S", new long[] { 1002, 1003, 1009, 1016 })]
    [InlineData("total_runtime_min=00:49&total_runtime_max=00:51", new long[] { 1008, 1009, 1010 })]
    [InlineData("total_runtime_min=3 days 00:00:00&status=running", new long[] { 1001, 1012, 1025 })]
    [InlineData("total_runtime_min=3 00:00:00&status=running", new long[] { 1001, 1012, 1025 })]
    [InlineData("status=aborted", new long[] { 1005, 1011, 1016, 1022 })]
    [InlineData("tags=legal,network", new long[] { 1011, 1012, 1017, 1018, 1019 })]
    [InlineData("priority=H&status=completed", new long[] { 1004, 1015 })]
    [InlineData("active_step_id=44", new long[] { 1007, 1017, 1025 })]
    [InlineData("name=hopper", new long[] { 1002 })]
    [InlineData("instance_ids=1001,1003", new long[] { 1001, 1003 })]
    [InlineData("progress_min=100", new long[] { 1003, 1004, 1008, 1009, 1010, 1013, 1015, 1018, 1019, 1021, 1024 })]
    [InlineData("started_time_before=2025-12-01T00:00:00Z", new long[] { 1025 })]
    [InlineData("completed_time_after=2026-01-03T09:00:00Z&completed_time_before=2026-01-03T09:01:00Z", new long[] { 1003 })]
    [InlineData("ended_time_after=2026-01-05T00:00:00Z", new long[] { })]
    public async Task Filters_select_the_expected_seed_instances(string query, long[] expected)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var rows = await FollowAll(c, "processes/1/instances/?" + query, s);
        Assert.Equal(expected, rows.Select(r => (long)r["id"]!).OrderBy(x => x));
    }

    [Fact]
    public async Task Runtime_of_running_instances_follows_the_clock()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (_, body, _) = await c.GetAsync2("processes/1/instances/?instance_ids=1002");
        Assert.Equal("00:00:40", (string)body!["results"]![0]!["total_runtime"]!);
        Assert.Contains(1002L, (await FollowAll(c, "processes/1/instances/?total_runtime_max=00:50", s)).Select(r => (long)r["id"]!));
        s.Clock.Advance(TimeSpan.FromDays(1));
        (_, body, _) = await c.GetAsync2("processes/1/instances/?instance_ids=1002");
        Assert.Equal("1 00:00:40", (string)body!["results"]![0]!["total_runtime"]!);
        Assert.DoesNotContain(1002L, (await FollowAll(c, "processes/1/instances/?total_runtime_max=00:50", s)).Select(r => (long)r["id"]!));
    }

    [Theory]
    [InlineData("total_runtime_max=abc", "total_runtime_max", "Enter a valid duration.")]
    [InlineData("total_runtime_min=P1Y", "total_runtime_min", "Enter a valid duration.")]
    [InlineData("total_runtime_max=1.02:03:04", "total_runtime_max", "Enter a valid duration.")]
    [InlineData("started_time_after=yesterday", "started_time_after", "Enter a valid date/time.")]
    [InlineData("status=done", "status", "Select a valid choice. done is not one of the available choices.")]
    [InlineData("progress_max=x", "progress_max", "Enter a number.")]
    public async Task Invalid_filter_values_are_400(string query, string field, string message)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.GetAsync2("processes/1/instances/?" + query);
        Assert.Equal(400, status);
        Assert.Equal(message, (string)body![field]![0]!);
    }

    [Fact]
    public async Task Ordering_by_listed_fields_and_ignoring_unknown_ones()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var byRuntime = await FollowAll(c, "processes/1/instances/?status=completed&ordering=-total_runtime", s);
        Assert.Equal(1013, (long)byRuntime[0]["id"]!); // 3 days 04:05:06
        Assert.Equal(1003, (long)byRuntime[^1]["id"]!); // 40 s
        var byName = await FollowAll(c, "processes/1/instances/?ordering=name", s);
        var names = byName.Select(r => (string)r["name"]!).ToList();
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
        var unknown = await FollowAll(c, "processes/1/instances/?ordering=bogus", s);
        Assert.Equal(Enumerable.Range(1001, 25).Select(i => (long)i), unknown.Select(r => (long)r["id"]!));
    }

    [Fact]
    public async Task V2_cursor_pagination_returns_short_rows()
    {
        await using var s = await SandboxServer.StartAsync();
        s.NextMatter.AddInstances(1, 230);
        using var c = TestSupport.NmClient(s);
        var (_, first, _) = await c.GetAsync2("v2/processes/1/instances/?page_size=100");
        var row = first!["results"]![0]!.AsObject();
        Assert.Equal(new[] { "id", "name", "status", "public_url" }, row.Select(kv => kv.Key));
        Assert.False(first.AsObject().ContainsKey("count"));
        Assert.Contains("cursor=", (string)first["next"]!);
        var rows = await FollowAll(c, "v2/processes/1/instances/?page_size=100", s);
        Assert.Equal(255, rows.Count);
        Assert.Equal(255, rows.Select(r => (long)r["id"]!).Distinct().Count());

        var (_, second, _) = await c.GetAsync2((string)first["next"]!);
        var (_, back, _) = await c.GetAsync2((string)second!["previous"]!);
        Assert.Equal(first["results"]!.ToJsonString(), back!["results"]!.ToJsonString());
        Assert.Equal(404, (await c.GetAsync2("v2/processes/1/instances/?cursor=%%%")).Status);

        var filtered = await FollowAll(c, "v2/processes/1/instances/?total_runtime_max=00:50&status=completed", s);
        Assert.Equal(new long[] { 1003, 1008, 1009 }, filtered.Select(r => (long)r["id"]!));
    }

    [Fact]
    public async Task Action_values_across_instances()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.GetAsync2("processes/1/steps/42/actions/123456/?status=completed&page_size=2");
        Assert.Equal(200, status);
        Assert.Equal(11, (int)body!["count"]!);
        var first = body["results"]![0]!;
        Assert.Equal(1003, (long)first["instance_id"]!);
        Assert.Equal("Onboarding Alan Turing", (string)first["instance_name"]!);
        Assert.Equal("Alan Turing", (string)first["value"]!["inputValue"]!);
        Assert.Equal(404, (await c.GetAsync2("processes/1/steps/43/actions/123456/")).Status);
    }
}
