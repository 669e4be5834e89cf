using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>SandboxOptions.ConnectionLatency: paid once per new TCP connection, not per request.</summary>
public sealed class ConnectionLatencyTests
{
    [Fact]
    public async Task A_new_connection_waits_once_and_a_kept_alive_one_does_not()
    {
        // 4 s per new connection: a kept-alive request takes milliseconds idle, and far less than 3 s under heavy load.
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { ConnectionLatency = TimeSpan.FromSeconds(4) });

        using var kept = TestSupport.NmClient(s);
        var first = Stopwatch.StartNew();
        Assert.Equal(200, (await kept.GetAsync2("processes/")).Status);
        first.Stop();
        var second = Stopwatch.StartNew();
        Assert.Equal(200, (await kept.GetAsync2("processes/")).Status);
        second.Stop();

        using var fresh = TestSupport.NmClient(s);
        var other = Stopwatch.StartNew();
        Assert.Equal(200, (await fresh.GetAsync2("processes/")).Status);
        other.Stop();

        Assert.True(first.ElapsedMilliseconds >= 3990, $"first request on a new connection took {first.ElapsedMilliseconds} ms");
        Assert.True(second.ElapsedMilliseconds < 3000, $"second request on the same connection took {second.ElapsedMilliseconds} ms");
        Assert.True(other.ElapsedMilliseconds >= 3990, $"a second client's new connection took {other.ElapsedMilliseconds} ms");
    }
}
