using System;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>Issue 26 item 7: the control API answers 400, not 500, to a clock or delay past its range, and keeps working.</summary>
public sealed class ExtremeValueTests
{
    [Theory]
    [InlineData("{\"advance\":\"P10675199DT2H48M5.4775807S\"}", "would move the clock past 2999-12-31")]
    [InlineData("{\"advance\":\"-P10675199DT2H48M5.4775807S\"}", "would move the clock past 1970-01-01")]
    [InlineData("{\"advance\":\"P400000D\"}", "would move the clock past")]
    [InlineData("{\"set\":\"9999-12-31T23:59:59Z\"}", "outside the clock's range")]
    [InlineData("{\"set\":\"0001-01-01T00:00:00Z\"}", "outside the clock's range")]
    [InlineData("{\"set\":\"1969-12-31T23:59:59Z\"}", "outside the clock's range")]
    [InlineData("{\"advance\":\"99999999999999999999 00:00:00\"}", "is not a duration")]
    public async Task A_clock_past_its_range_is_400_and_the_clock_stays(string body, string message)
    {
        await using var s = await SandboxServer.StartAsync();
        using var control = SandboxAccessTests.Control(s);
        var before = s.Clock.Now;

        var (status, _, text) = await control.PostAsync2("clock", body);

        Assert.Equal(400, status);
        Assert.Contains(message, text);
        Assert.Equal(before, s.Clock.Now);
        using var nm = TestSupport.NmClient(s);
        Assert.Equal(200, (await nm.GetAsync2("processes/1/")).Status);
    }

    [Fact]
    public async Task The_ends_of_the_range_are_accepted()
    {
        await using var s = await SandboxServer.StartAsync();
        using var control = SandboxAccessTests.Control(s);
        Assert.Equal(200, (await control.PostAsync2("clock", "{\"set\":\"2999-12-31T23:59:59Z\"}")).Status);
        Assert.Equal(200, (await control.PostAsync2("clock", "{\"set\":\"1970-01-01T00:00:00Z\"}")).Status);
        using var pm = TestSupport.PmClient(s);
        Assert.Equal(200, (await pm.GetAsync2("requests")).Status);
    }

    [Theory]
    [InlineData("{\"spec\":\"kind=delay,delay=922337203685477s\"}")]
    [InlineData("{\"spec\":\"kind=delay,delay=1e300s\"}")]
    [InlineData("{\"spec\":\"kind=delay,delay=90000s\"}")]
    [InlineData("{\"spec\":\"kind=stall,delay=10675199.02:48:05.4775807\"}")]
    [InlineData("{\"kind\":\"delay\",\"delay\":\"99999999999999999\"}")]
    public async Task A_delay_past_24_hours_is_400_and_every_api_call_still_works(string body)
    {
        await using var s = await SandboxServer.StartAsync();
        using var control = SandboxAccessTests.Control(s);

        var (status, _, text) = await control.PostAsync2("faults", body);

        Assert.Equal(400, status);
        Assert.Contains("delay", text);
        Assert.Empty(s.Faults.Rules);
        using var nm = TestSupport.NmClient(s);
        Assert.Equal(200, (await nm.GetAsync2("processes/1/")).Status);
    }
}
