using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

public sealed class InfrastructureTests
{
    [Fact]
    public async Task Base_uris_are_loopback_with_trailing_slash()
    {
        await using var s = await SandboxServer.StartAsync();
        Assert.Equal("127.0.0.1", s.NextMatterBaseUri.Host);
        Assert.NotEqual(0, s.NextMatterBaseUri.Port);
        Assert.Equal("/nextmatter/api/", s.NextMatterBaseUri.AbsolutePath);
        Assert.Equal("/processmaker/api/1.0/", s.ProcessMakerBaseUri.AbsolutePath);
        Assert.Equal(new Uri(s.ProcessMakerInstanceUri, "api/1.0/"), s.ProcessMakerBaseUri);
    }

    [Fact]
    public async Task Request_log_records_method_path_query_headers_body_status()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        await c.PostAsync2("instances/", TestSupport.CreateOnboarding);
        await c.GetAsync2("processes/1/instances/?status=running");
        await c.GetAsync2("instances/1/");
        var all = s.Requests.All;
        Assert.Equal(3, s.Requests.Count);
        Assert.Equal(("POST", "/nextmatter/api/instances/", "", 201), (all[0].Method, all[0].Path, all[0].Query, all[0].StatusCode));
        Assert.Equal(TestSupport.CreateOnboarding, all[0].Body);
        Assert.Equal("Api-Key " + s.NextMatterApiKey, all[0].Headers["authorization"]);
        Assert.Equal("?status=running", all[1].Query);
        Assert.Equal(404, all[2].StatusCode);
        Assert.True(all[0].Sequence < all[1].Sequence);
        Assert.Equal(s.Clock.Now, all[0].Time);
        s.Requests.Clear();
        Assert.Equal(0, s.Requests.Count);
    }

    [Fact]
    public void Clock_is_frozen_and_moves_only_when_told()
    {
        var clock = new SandboxClock(SandboxOptions.DefaultClockStart);
        Assert.Equal(DateTimeOffset.Parse("2026-01-05T09:00:00Z"), clock.Now);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(DateTimeOffset.Parse("2026-01-05T11:00:00Z"), clock.Now);
        clock.Set(DateTimeOffset.Parse("2027-01-01T00:00:00+02:00"));
        Assert.Equal(DateTimeOffset.Parse("2026-12-31T22:00:00Z"), clock.Now);
        var live = new SandboxClock(SandboxOptions.DefaultClockStart, realTime: true);
        System.Threading.Thread.Sleep(20);
        Assert.True(live.Now > SandboxOptions.DefaultClockStart);
    }

    [Fact]
    public async Task Two_servers_cannot_share_a_fixed_port_and_dispose_is_idempotent()
    {
        var first = await SandboxServer.StartAsync();
        var port = first.NextMatterBaseUri.Port;
        await Assert.ThrowsAnyAsync<System.IO.IOException>(() => SandboxServer.StartAsync(new SandboxOptions { Port = port }));
        await first.DisposeAsync();
        await first.DisposeAsync();
        await using var second = await SandboxServer.StartAsync(new SandboxOptions { Port = port });
        Assert.Equal(port, second.ProcessMakerBaseUri.Port);
    }

    [Fact]
    public async Task AddInstance_rejects_unknown_process_and_step()
    {
        await using var s = await SandboxServer.StartAsync();
        Assert.Throws<ArgumentException>(() => s.NextMatter.AddInstance(9, "x"));
        Assert.Throws<ArgumentException>(() => s.NextMatter.AddInstance(1, "x", activeStepId: 50));
        var i = s.NextMatter.AddInstance(1, "mid", runtime: TimeSpan.FromHours(2), activeStepId: 44, tags: new[] { "t" }, priority: "H");
        Assert.Equal(new long[] { 44 }, i.ActiveStepIds);
        Assert.Equal(66, i.Progress);
        Assert.Equal(TimeSpan.FromHours(2), i.TotalRuntime(s.Clock.Now));
    }

    [Fact]
    public async Task No_seed_means_empty_stores()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { SeedData = false });
        Assert.Empty(s.NextMatter.Instances);
        Assert.Empty(s.ProcessMaker.Requests);
        using var c = TestSupport.NmClient(s);
        Assert.Equal(404, (await c.GetAsync2("processes/1/")).Status);
    }
}
