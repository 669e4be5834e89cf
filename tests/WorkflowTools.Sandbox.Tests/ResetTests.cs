using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>POST /_sandbox/reset: data, request log, faults, clock and rate limits back to how the sandbox started.</summary>
public sealed class ResetTests
{
    private static HttpClient Control(SandboxServer s) => SandboxAccessTests.Control(s);

    private static async Task<string> Snapshot(SandboxServer s)
    {
        using var nm = TestSupport.NmClient(s);
        using var pm = TestSupport.PmClient(s);
        var instances = await nm.GetAsync2("processes/1/instances/");
        var requests = await pm.GetAsync2("requests?per_page=100&order_by=id");
        var tasks = await pm.GetAsync2("tasks?per_page=100&order_by=id");
        Assert.Equal(200, instances.Status);
        Assert.Equal(200, requests.Status);
        Assert.Equal(200, tasks.Status);
        return instances.Text + "\n" + requests.Text + "\n" + tasks.Text;
    }

    [Fact]
    public async Task Everything_a_test_changed_is_back_as_it_started()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { RateLimitPerMinute = 3, Faults = { FaultSpec.Parse("status=503,path=/processes/2/,times=1") } });
        using var control = Control(s);
        var before = await Snapshot(s);
        var startedAt = s.Clock.Now;

        // A test's worth of changes: data on both services, the clock, a fault rule, the log and the rate limit.
        using var nm = TestSupport.NmClient(s);
        using var pm = TestSupport.PmClient(s);
        var created = await nm.PostAsync2("instances/", TestSupport.CreateOnboarding);
        Assert.Equal(201, created.Status);
        var createdId = (long)created.Body!["id"]!;
        Assert.Equal(204, (await pm.PutAsync2("requests/3", "{\"status\":\"CANCELED\"}")).Status);
        Assert.Equal(503, (await nm.GetAsync2("processes/2/")).Status); // spends the start-up rule
        Assert.Equal(429, (await nm.GetAsync2("processes/1/")).Status); // the fourth request in the minute
        Assert.Equal(201, (await control.PostAsync2("faults", "{\"spec\":\"status=500\"}")).Status);
        await control.PostAsync2("clock", "{\"advance\":\"30 00:00:00\"}");

        var reset = await control.PostAsync2("reset", "{}");
        Assert.Equal(200, reset.Status);
        Assert.Equal("2026-01-05T09:00:00.0000000Z", (string?)reset.Body!["now"]);
        Assert.Equal(startedAt, s.Clock.Now);
        Assert.Empty((await control.GetAsync2("requests")).Body!.AsArray());
        var faults = (await control.GetAsync2("faults")).Body!.AsArray();
        Assert.Equal("kind=status,status=503,path=/processes/2/,times=1", (string?)Assert.Single(faults)!["spec"]);
        Assert.Equal(0, (int)faults[0]!["hits"]!);
        Assert.Equal("ACTIVE", s.ProcessMaker.FindRequest(3)!.Status);
        Assert.Null(s.NextMatter.FindInstance(createdId));

        Assert.Equal(503, (await nm.GetAsync2("processes/2/")).Status); // the start-up rule fires again, once
        Assert.Equal(before, await Snapshot(s)); // the limit of three a minute starts empty again
        s.Requests.Clear();
        await control.PostAsync2("reset", "{}");
        var again = await nm.PostAsync2("instances/", TestSupport.CreateOnboarding);
        Assert.Equal(createdId, (long)again.Body!["id"]!); // ids count from the seed again: a test sees the same ids every run
    }

    [Fact]
    public async Task A_seed_file_and_its_clock_come_back()
    {
        var seed = Path.Combine(AppContext.BaseDirectory, "Seeds", "example-seed.json");
        var options = SandboxCommandLine.Parse(new[] { "--seed", seed, "--frozen-clock" })!;
        await using var s = await SandboxServer.StartAsync(options);
        using var control = Control(s);
        var before = (await TestSupport.NmClient(s).GetAsync2("instances/?page_size=100")).Text;
        var pmBefore = (await TestSupport.PmClient(s).GetAsync2("requests?per_page=100")).Text;
        Assert.NotEmpty(s.NextMatter.Instances);

        foreach (var i in s.NextMatter.Instances.ToList()) s.NextMatter.AddInstance(i.ProcessId, "extra");
        foreach (var r in s.ProcessMaker.Requests.ToList()) await TestSupport.PmClient(s).PutAsync2($"requests/{r.Id}", "{\"status\":\"CANCELED\"}");
        s.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(200, (await control.PostAsync2("reset", "{}")).Status);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), s.Clock.Now); // the seed's clock
        Assert.Equal(before, (await TestSupport.NmClient(s).GetAsync2("instances/?page_size=100")).Text);
        Assert.Equal(pmBefore, (await TestSupport.PmClient(s).GetAsync2("requests?per_page=100")).Text);
    }

    [Fact]
    public async Task Oauth_sign_ins_outlive_a_reset_and_seed_tokens_come_back_unrevoked()
    {
        await using var s = await SandboxServer.StartAsync();
        using var http = new HttpClient();
        using var resp = await http.PostAsync(new Uri(s.ProcessMakerInstanceUri, "oauth/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = ProcessMakerStore.OAuthClientId, ["client_secret"] = ProcessMakerStore.OAuthClientSecret,
            ["username"] = "jdoe", ["password"] = "jdoe",
        }));
        var access = (string)JsonNode.Parse(await resp.Content.ReadAsStringAsync())!["access_token"]!;
        s.ProcessMaker.RevokeToken(s.ProcessMakerToken);
        using var admin = TestSupport.PmClient(s);
        Assert.Equal(401, (await admin.GetAsync2("requests")).Status);

        s.Reset();

        using var signedIn = TestSupport.PmClient(s, access);
        Assert.Equal(200, (await signedIn.GetAsync2("requests")).Status);
        Assert.Equal(200, (await admin.GetAsync2("requests")).Status);
    }

    [Theory]
    [InlineData("{\"keep\":\"data\"}", 400)]
    [InlineData("[]", 400)]
    public async Task Reset_takes_an_empty_object_only(string body, int status)
    {
        await using var s = await SandboxServer.StartAsync();
        using var control = Control(s);
        s.NextMatter.AddInstance(1, "kept");
        Assert.Equal(status, (await control.PostAsync2("reset", body)).Status);
        Assert.Equal(415, (await control.SendAsync(HttpMethod.Post, "reset")).Status);
        Assert.Contains(s.NextMatter.Instances, i => i.Name == "kept"); // a refused reset changed nothing
    }

    [Fact]
    public async Task A_reset_of_a_large_sandbox_takes_well_under_a_second()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { ListingInstances = 5000 });
        using var control = Control(s);
        await control.PostAsync2("reset", "{}"); // the first call pays for JIT compilation
        var reset = await control.PostAsync2("reset", "{}");
        var milliseconds = (double)reset.Body!["milliseconds"]!;
        Assert.InRange(milliseconds, 0, 500); // typically a few ms; the bound leaves room for a loaded machine
        Assert.Equal(5000, s.NextMatter.CountInstances(i => i.ProcessId == SandboxOptions.ListingProcessId));
    }
}
