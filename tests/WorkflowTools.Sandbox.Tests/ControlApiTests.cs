using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>The /_sandbox/ control endpoints, the fault text form and the launcher switches of the command line.</summary>
public sealed class ControlApiTests
{
    private static HttpClient Control(SandboxServer s) => SandboxAccessTests.Control(s);

    [Fact]
    public async Task The_request_log_is_served_without_control_calls_and_without_headers()
    {
        await using var s = await SandboxServer.StartAsync();
        using var nm = TestSupport.NmClient(s);
        using var control = Control(s);
        Assert.Equal(200, (await control.GetAsync2("health")).Status);
        await nm.PostAsync2("instances/", TestSupport.CreateOnboarding);
        await nm.GetAsync2("processes/1/instances/?status=running");

        var (status, body, text) = await control.GetAsync2("requests");
        Assert.Equal(200, status);
        var rows = body!.AsArray();
        Assert.Equal(new[] { "POST", "GET" }, rows.Select(r => (string)r!["method"]!));
        Assert.Equal("/nextmatter/api/instances/", (string?)rows[0]!["path"]);
        Assert.Equal(TestSupport.CreateOnboarding, (string?)rows[0]!["body"]);
        Assert.Equal(201, (int)rows[0]!["status"]!);
        Assert.Equal("?status=running", (string?)rows[1]!["query"]);
        Assert.DoesNotContain(s.NextMatterApiKey, text);

        var after = (long)rows[0]!["sequence"]!;
        Assert.Single((await control.GetAsync2($"requests?after={after}")).Body!.AsArray());
        Assert.Equal(204, (await control.SendAsync(HttpMethod.Delete, "requests")).Status);
        Assert.Empty((await control.GetAsync2("requests")).Body!.AsArray());
    }

    [Fact]
    public async Task Faults_are_added_listed_and_cleared_at_run_time()
    {
        await using var s = await SandboxServer.StartAsync();
        using var nm = TestSupport.NmClient(s);
        using var control = Control(s);
        var added = await control.PostAsync2("faults", "{\"spec\":\"status=503,path=/instances/,times=1\"}");
        Assert.Equal(201, added.Status);
        Assert.Equal("kind=status,status=503,path=/instances/,times=1", (string?)added.Body!["spec"]);
        Assert.Equal(201, (await control.PostAsync2("faults", "{\"kind\":\"html\",\"method\":\"GET\",\"times\":1}")).Status);

        Assert.Equal(503, (await nm.PostAsync2("instances/", TestSupport.CreateOnboarding)).Status);
        Assert.Equal(502, (await nm.GetAsync2("processes/1/")).Status);
        var listed = (await control.GetAsync2("faults")).Body!.AsArray();
        Assert.Equal(new[] { 1, 1 }, listed.Select(f => (int)f!["hits"]!));
        Assert.All(listed, f => Assert.True((bool)f!["spent"]!));

        var bad = await control.PostAsync2("faults", "{\"spec\":\"status=429,retry-after=soon\"}");
        Assert.Equal(400, bad.Status);
        Assert.Contains("retry-after 'soon' is not seconds", (string?)bad.Body!["error"]);
        Assert.Equal(415, (await control.SendAsync(HttpMethod.Post, "faults")).Status);

        Assert.Equal(204, (await control.SendAsync(HttpMethod.Delete, "faults")).Status);
        Assert.Empty(s.Faults.Rules);
    }

    [Fact]
    public async Task The_clock_moves_and_running_instances_age()
    {
        await using var s = await SandboxServer.StartAsync();
        using var control = Control(s);
        var before = s.NextMatter.FindInstance(1002)!.TotalRuntime(s.Clock.Now);
        var moved = await control.PostAsync2("clock", "{\"advance\":\"1 00:00:00\"}");
        Assert.Equal("2026-01-06T09:00:00.0000000Z", (string?)moved.Body!["now"]);
        Assert.Equal(before + TimeSpan.FromDays(1), s.NextMatter.FindInstance(1002)!.TotalRuntime(s.Clock.Now));
        Assert.Equal("2026-01-05T21:00:00.0000000Z", (string?)(await control.PostAsync2("clock", "{\"advance\":\"-PT12H\"}")).Body!["now"]);
        Assert.Equal("2026-02-01T00:00:00.0000000Z", (string?)(await control.PostAsync2("clock", "{\"set\":\"2026-02-01T00:00:00Z\"}")).Body!["now"]);
        Assert.Equal(400, (await control.PostAsync2("clock", "{\"advance\":\"soon\"}")).Status);
        Assert.Equal(400, (await control.PostAsync2("clock", "{}")).Status);
    }

    [Fact]
    public async Task Shutdown_answers_then_stops_the_server()
    {
        await using var s = await SandboxServer.StartAsync();
        using var control = Control(s);
        Assert.Equal(202, (await control.PostAsync2("shutdown", "{}")).Status);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await s.WaitForShutdownAsync(timeout.Token);
        Assert.False(timeout.IsCancellationRequested);
    }

    [Theory]
    [InlineData("status=429", "kind=status,status=429")]
    [InlineData("kind=status,status=429,retry-after=date:30", "kind=status,status=429,retry-after=date:30")]
    [InlineData("kind=status,status=429,retry-after=none", "kind=status,status=429,retry-after=none")]
    [InlineData("kind=applied,status=500,method=post,path=/instances/,times=2", "kind=applied,status=500,method=POST,path=/instances/,times=2")]
    [InlineData("kind=delay,delay=2s,apply-first=true", "kind=delay,delay=2000ms,apply-first=true")]
    [InlineData("kind=stall", "kind=stall")]
    [InlineData("kind=reset,probability=0.25", "kind=reset,probability=0.25")]
    [InlineData("kind=html", "kind=html")]
    [InlineData("kind=truncated", "kind=truncated")]
    public void Fault_specs_round_trip(string text, string formatted) => Assert.Equal(formatted, FaultSpec.Format(FaultSpec.Parse(text)));

    [Theory]
    [InlineData("", "at least kind= or status=")]
    [InlineData("method=GET", "give kind=")]
    [InlineData("kind=boom", "kind 'boom' is not one of")]
    [InlineData("status=abc", "status 'abc' is not an HTTP status")]
    [InlineData("kind=applied", "status is needed for kind=applied")]
    [InlineData("kind=html,status=500", "status only goes with")]
    [InlineData("kind=delay", "delay is needed for kind=delay")]
    [InlineData("kind=reset,delay=1s", "delay only goes with")]
    [InlineData("kind=delay,delay=soon", "delay 'soon' is not a duration")]
    [InlineData("kind=html,apply-first=true", "apply-first only goes with")]
    [InlineData("kind=reset,apply-first=maybe", "apply-first 'maybe' is not true or false")]
    [InlineData("kind=html,times=0", "times '0' is not a positive number")]
    [InlineData("kind=html,probability=2", "probability '2' is not a number above 0")]
    [InlineData("kind=html,method=G-T", "method 'G-T' is not an HTTP method")]
    [InlineData("kind=html,path=", "path is empty")]
    [InlineData("kind=html,colour=red", "unknown key 'colour'")]
    [InlineData("kind=html,kind=reset", "'kind' is given twice")]
    [InlineData("kind", "'kind' is not key=value")]
    public void Bad_fault_specs_name_the_key(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => FaultSpec.Parse(text)).Message);

    [Fact]
    public async Task A_stalled_answer_sends_half_the_body_then_nothing()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { Faults = { FaultSpec.Parse("kind=stall,path=/processes/1/") } });
        using var nm = TestSupport.NmClient(s);
        using var response = await nm.GetAsync("processes/1/", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        var length = response.Content.Headers.ContentLength!.Value;
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[length];
        var read = 0;
        using var give = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (true)
            {
                var n = await body.ReadAsync(buffer.AsMemory(read), give.Token);
                if (n == 0) break;
                read += n;
            }
        });
        Assert.Equal(length / 2, read);
    }

    [Fact]
    public async Task Retry_after_in_date_form_is_an_http_date_ahead()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { Faults = { FaultSpec.Parse("status=429,retry-after=date:30") } });
        using var nm = TestSupport.NmClient(s);
        using var response = await nm.GetAsync("processes/1/");
        Assert.Equal(429, (int)response.StatusCode);
        var date = response.Headers.RetryAfter!.Date!.Value;
        Assert.InRange(date, DateTimeOffset.UtcNow.AddSeconds(20), DateTimeOffset.UtcNow.AddSeconds(31));
    }

    [Fact]
    public void The_launcher_switches_parse()
    {
        var seed = Path.Combine(AppContext.BaseDirectory, "Seeds", "example-seed.json");
        var o = SandboxCommandLine.Parse(new[] { "--seed", seed, "--fault", "status=429,times=2", "--fault", "kind=reset", "--fault-seed", "7",
            "--frozen-clock", "--ready-file", "ready.json", "--parent-pid", "4242" })!;
        Assert.NotNull(o.Seed);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), o.ClockStart); // the seed's clock
        Assert.Equal(new[] { FaultKind.Status, FaultKind.ConnectionReset }, o.Faults.Select(f => f.Kind));
        Assert.Equal(7, o.FaultSeed);
        Assert.False(o.RealTimeClock);
        Assert.Equal(Path.GetFullPath("ready.json"), o.ReadyFile);
        Assert.Equal(4242, o.ParentProcessId);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), SandboxCommandLine.Parse(new[] { "--clock-start", "2026-01-01T00:00:00Z" })!.ClockStart);
        Assert.Contains("kind 'nope'", Assert.Throws<FormatException>(() => SandboxCommandLine.Parse(new[] { "--fault", "kind=nope" })).Message);
        Assert.Throws<SeedFileException>(() => SandboxCommandLine.Parse(new[] { "--seed", seed + ".missing" }));
    }
}
