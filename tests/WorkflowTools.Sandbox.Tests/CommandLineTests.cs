using System;
using System.Linq;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Defaults_for_the_cli()
    {
        var o = SandboxCommandLine.Parse(Array.Empty<string>())!;
        Assert.Equal(5080, o.Port);
        Assert.True(o.RealTimeClock);
        // Started by hand, the clock runs from now, so clients' own runtime arithmetic agrees with it.
        Assert.InRange(o.ClockStart!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(o.SeedData);
        Assert.Null(o.RateLimitPerMinute);
        Assert.Equal(TimeSpan.Zero, o.Latency);
    }

    [Fact]
    public void All_options()
    {
        var o = SandboxCommandLine.Parse(new[] { "--port", "0", "--rate-limit", "100", "--latency", "25ms", "--no-seed", "--listing", "2500" })!;
        Assert.Equal(0, o.Port);
        Assert.Equal(2500, o.ListingInstances);
        Assert.Equal(100, o.RateLimitPerMinute);
        Assert.Equal(TimeSpan.FromMilliseconds(25), o.Latency);
        Assert.False(o.SeedData);
        Assert.Null(SandboxCommandLine.Parse(new[] { "--help" }));
    }

    [Theory]
    [InlineData("25ms", 25)]
    [InlineData("2s", 2000)]
    [InlineData("0.5s", 500)]
    [InlineData("250", 250)]
    [InlineData("00:00:01", 1000)]
    public void Latency_forms(string text, int ms) => Assert.Equal(TimeSpan.FromMilliseconds(ms), SandboxCommandLine.ParseLatency(text));

    [Theory]
    [InlineData("--port", "x")]
    [InlineData("--port", "70000")]
    [InlineData("--rate-limit", "0")]
    [InlineData("--latency", "fast")]
    [InlineData("--listing", "0")]
    [InlineData("--listing", "many")]
    [InlineData("--bogus", "1")]
    public void Bad_arguments_throw(string flag, string value) =>
        Assert.Throws<FormatException>(() => SandboxCommandLine.Parse(new[] { flag, value }));

    [Fact]
    public async System.Threading.Tasks.Task A_listing_workflow_is_filled_with_running_instances()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedData = false, ListingInstances = 1200 });
        var listed = server.NextMatter.Instances.Where(i => i.Process.Id == SandboxOptions.ListingProcessId).ToList();
        Assert.Equal(1200, listed.Count);
        Assert.All(listed, i => Assert.Equal("running", i.Status));
    }
}
