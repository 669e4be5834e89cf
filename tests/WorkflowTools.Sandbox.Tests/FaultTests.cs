using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

public sealed class FaultTests
{
    private static async Task<RecordedRequest> WaitForLogged(SandboxServer s, Func<RecordedRequest, bool> match)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            var r = s.Requests.All.FirstOrDefault(match);
            if (r != null) return r;
            await Task.Delay(20);
        }
        throw new TimeoutException("request never logged");
    }

    [Fact]
    public async Task Status_fault_answers_without_applying()
    {
        await using var s = await SandboxServer.StartAsync();
        var rule = new FaultRule { Method = "POST", PathContains = "/instances/", Kind = FaultKind.Status, StatusCode = 503, RetryAfter = "2", Times = 1 };
        s.Faults.Add(rule);
        using var c = TestSupport.NmClient(s);
        var before = s.NextMatter.Instances.Count;
        using var resp = await c.PostAsync("instances/", TestSupport.JsonBody(TestSupport.CreateOnboarding));
        Assert.Equal(503, (int)resp.StatusCode);
        Assert.Equal("2", resp.Headers.GetValues("Retry-After").Single());
        Assert.Equal(before, s.NextMatter.Instances.Count);
        // spent after one use; GETs never matched
        Assert.Equal(201, (await c.PostAsync2("instances/", TestSupport.CreateOnboarding)).Status);
        Assert.Equal(before + 1, s.NextMatter.Instances.Count);
        Assert.Equal(new[] { 503, 201 }, s.Requests.All.Select(r => r.StatusCode));
        Assert.Equal(1, rule.Hits);
    }

    [Fact]
    public async Task Status_429_gets_retry_after_and_drf_throttle_body()
    {
        await using var s = await SandboxServer.StartAsync();
        s.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "7" });
        using var c = TestSupport.NmClient(s);
        using var resp = await c.GetAsync("instances/1001/");
        Assert.Equal(429, (int)resp.StatusCode);
        Assert.Equal("7", resp.Headers.GetValues("Retry-After").Single());
        Assert.Equal("{\"detail\":\"Request was throttled. Expected available in 7 seconds.\"}", await resp.Content.ReadAsStringAsync());

        s.Faults.Clear();
        s.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "" });
        using var noHeader = await c.GetAsync("instances/1001/");
        Assert.Equal(429, (int)noHeader.StatusCode);
        Assert.False(noHeader.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Applied_then_status_creates_the_instance_but_answers_500()
    {
        await using var s = await SandboxServer.StartAsync();
        s.Faults.Add(new FaultRule { Method = "POST", PathContains = "/instances/", Kind = FaultKind.AppliedThenStatus, StatusCode = 500, Times = 1 });
        using var c = TestSupport.NmClient(s);
        var (status, _, text) = await c.PostAsync2("instances/", "{\"process\":\"https://a/api/processes/1/\",\"name\":\"dup-trap\"}");
        Assert.Equal(500, status);
        Assert.DoesNotContain("dup-trap", text);
        Assert.Equal(1, s.NextMatter.CountInstances(i => i.Name == "dup-trap"));
        Assert.Equal(500, s.Requests.All.Single().StatusCode);
    }

    [Fact]
    public async Task Applied_then_status_works_for_processmaker_too()
    {
        await using var s = await SandboxServer.StartAsync();
        s.Faults.Add(new FaultRule { PathContains = "/process_events/", Kind = FaultKind.AppliedThenStatus, StatusCode = 502 });
        using var c = TestSupport.PmClient(s);
        var before = s.ProcessMaker.Requests.Count;
        var (status, body, _) = await c.PostAsync2("process_events/1?event=node_1", "{}");
        Assert.Equal(502, status);
        Assert.NotNull(body!["message"]);
        Assert.Equal(before + 1, s.ProcessMaker.Requests.Count);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task Delay_past_client_timeout(bool applyFirst, int created)
    {
        await using var s = await SandboxServer.StartAsync();
        // The answer would take 10 min: a log entry within a minute means the server stopped when the client left.
        s.Faults.Add(new FaultRule { Method = "POST", Kind = FaultKind.Delay, Delay = TimeSpan.FromMinutes(10), ApplyBeforeFault = applyFirst });
        using var c = TestSupport.NmClient(s);
        // Long enough for a loaded machine to receive (and, with applyFirst, apply) the request before the client leaves.
        c.Timeout = TimeSpan.FromSeconds(3);
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => c.PostAsync("instances/", TestSupport.JsonBody("{\"process\":\"https://a/api/processes/1/\",\"name\":\"slow\"}")));
        var logged = await WaitForLogged(s, r => r.Method == "POST");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "the server must stop waiting when the client aborts");
        Assert.Equal(0, logged.StatusCode);
        Assert.Equal(created, s.NextMatter.CountInstances(i => i.Name == "slow"));
    }

    [Fact]
    public async Task Applied_delay_answers_the_real_response_late()
    {
        await using var s = await SandboxServer.StartAsync();
        s.Faults.Add(new FaultRule { Method = "POST", Kind = FaultKind.Delay, Delay = TimeSpan.FromMilliseconds(300), ApplyBeforeFault = true });
        using var c = TestSupport.NmClient(s);
        var sw = Stopwatch.StartNew();
        var (status, body, _) = await c.PostAsync2("instances/", TestSupport.CreateOnboarding);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(290));
        Assert.Equal(201, status);
        Assert.NotNull(s.NextMatter.FindInstance((long)body!["id"]!));
    }

    [Fact]
    public async Task Status_fault_with_a_bodiless_status()
    {
        await using var s = await SandboxServer.StartAsync();
        s.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 204 });
        using var c = TestSupport.PmClient(s);
        var (status, _, text) = await c.GetAsync2("requests");
        Assert.Equal(204, status);
        Assert.Equal("", text);
    }

    [Fact]
    public async Task Short_delay_then_normal_answer()
    {
        await using var s = await SandboxServer.StartAsync();
        s.Faults.Add(new FaultRule { Kind = FaultKind.Delay, Delay = TimeSpan.FromMilliseconds(300) });
        using var c = TestSupport.NmClient(s);
        var sw = Stopwatch.StartNew();
        Assert.Equal(200, (await c.GetAsync2("instances/1001/")).Status);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(290));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task Connection_reset(bool applyFirst, int created)
    {
        await using var s = await SandboxServer.StartAsync();
        s.Faults.Add(new FaultRule { Method = "POST", Kind = FaultKind.ConnectionReset, ApplyBeforeFault = applyFirst, Times = 1 });
        using var c = TestSupport.NmClient(s);
        await Assert.ThrowsAsync<HttpRequestException>(() => c.PostAsync("instances/", TestSupport.JsonBody("{\"process\":\"https://a/api/processes/1/\",\"name\":\"reset\"}")));
        var logged = await WaitForLogged(s, r => r.Method == "POST");
        Assert.Equal(0, logged.StatusCode);
        Assert.Equal(created, s.NextMatter.CountInstances(i => i.Name == "reset"));
        Assert.Equal(200, (await c.GetAsync2("instances/1001/")).Status); // server still fine
    }

    [Fact]
    public async Task Html_error_page()
    {
        await using var s = await SandboxServer.StartAsync();
        s.Faults.Add(new FaultRule { Kind = FaultKind.HtmlErrorPage });
        using var c = TestSupport.PmClient(s);
        using var resp = await c.GetAsync("requests");
        Assert.Equal(502, (int)resp.StatusCode);
        Assert.Equal("text/html", resp.Content.Headers.ContentType!.MediaType);
        Assert.Equal("<html><body><h1>502 Bad Gateway</h1></body></html>", await resp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Truncated_json_is_200_with_half_a_body()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var full = (await c.GetAsync2("instances/1001/")).Text;
        s.Faults.Add(new FaultRule { Kind = FaultKind.TruncatedJson });
        using var resp = await c.GetAsync("instances/1001/");
        var text = await resp.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)resp.StatusCode);
        Assert.Equal("application/json", resp.Content.Headers.ContentType!.MediaType);
        Assert.Equal(full.Length / 2, text.Length);
        Assert.StartsWith(text, full);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task Probability_is_deterministic_for_a_seed()
    {
        async Task<int[]> Run()
        {
            await using var s = await SandboxServer.StartAsync();
            s.Faults.Seed = 42;
            s.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Probability = 0.5 });
            using var c = TestSupport.NmClient(s);
            var statuses = new int[40];
            for (var i = 0; i < statuses.Length; i++) statuses[i] = (await c.GetAsync2("instances/1001/")).Status;
            return statuses;
        }
        var a = await Run();
        var b = await Run();
        Assert.Equal(a, b);
        Assert.InRange(a.Count(x => x == 503), 8, 32);
        Assert.InRange(a.Count(x => x == 200), 8, 32);
    }

    [Fact]
    public async Task Faults_apply_to_api_paths_only()
    {
        await using var s = await SandboxServer.StartAsync();
        s.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 500 });
        using var c = new HttpClient { BaseAddress = s.NextMatterBaseUri };
        using var resp = await c.GetAsync("/");
        Assert.Equal(404, (int)resp.StatusCode);
        Assert.Single(s.Requests.All);
    }

    [Fact]
    public async Task Rate_limit_answers_429_with_retry_after_until_the_window_slides()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { RateLimitPerMinute = 3 });
        using var c = TestSupport.NmClient(s);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await c.GetAsync2("instances/1001/")).Status);
            s.Clock.Advance(TimeSpan.FromSeconds(10));
        }
        using (var resp = await c.GetAsync("instances/1001/"))
        {
            Assert.Equal(429, (int)resp.StatusCode);
            Assert.Equal("30", resp.Headers.GetValues("Retry-After").Single());
            Assert.Equal("{\"detail\":\"Request was throttled. Expected available in 30 seconds.\"}", await resp.Content.ReadAsStringAsync());
        }
        using var other = TestSupport.NmClient(s, NextMatterStore.OtherUserApiKey);
        Assert.Equal(200, (await other.GetAsync2("instances/1001/")).Status); // throttled per key
        using var pm = TestSupport.PmClient(s);
        Assert.Equal(200, (await pm.GetAsync2("requests")).Status); // ProcessMaker has no API rate limit
        s.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(200, (await c.GetAsync2("instances/1001/")).Status);
    }

    [Fact]
    public async Task Latency_option_delays_every_api_answer()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(200) });
        using var c = TestSupport.PmClient(s);
        var sw = Stopwatch.StartNew();
        Assert.Equal(200, (await c.GetAsync2("tasks")).Status);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(190));
    }
}
