using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>Where the sandbox follows Next Matter's documentation rather than its own convenience.</summary>
public class NextMatterFidelityTests
{
    private static async Task<long> NewClaimAsync(SandboxServer s, HttpClient c)
    {
        var (status, body, text) = await c.PostAsync2("instances/", "{\"process\":\"https://core.nextmatter.com/api/processes/3/\",\"name\":\"Claim\"}");
        Assert.True(status == 201, text);
        return (long)body!["id"]!;
    }

    private static async Task ClaimStepAsync(HttpClient c, long id)
    {
        var (status, _, text) = await c.PostAsync2($"instances/{id}/complete_step/",
            "{\"step_id\":60,\"actions\":[{\"action_id\":600001,\"input_object\":{\"inputValue\":\"Taxi\"}},{\"action_id\":600002,\"input_object\":{\"numberValue\":12}}]}");
        Assert.True(status == 200, text);
    }

    [Theory]
    [InlineData("{\"action_id\":600002,\"input_object\":{\"inputValue\":10000}}", "Action 600002 (number): numberValue must be a number.")]
    [InlineData("{\"action_id\":600002,\"input_object\":{\"numberValue\":\"10000\"}}", "Action 600002 (number): numberValue must be a number.")]
    [InlineData("{\"action_id\":600002,\"input_object\":{\"numberValue\":1,\"formattedValue\":1}}", "Action 600002 (number): formattedValue must be a string.")]
    [InlineData("{\"action_id\":600003,\"input_object\":{\"inputValue\":\"https://example.com/\"}}", "Action 600003 (url): url must be an object with a url string: {\"url\":{\"url\":\"https://...\"}}.")]
    [InlineData("{\"action_id\":600003,\"input_object\":{\"url\":{\"url\":\"not a url\"}}}", "Action 600003 (url): \"not a url\" is not a valid URL.")]
    public async Task Number_and_url_fields_take_only_their_documented_shape(string wrong, string message)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var id = await NewClaimAsync(s, c);
        var (status, body, _) = await c.PostAsync2($"instances/{id}/complete_step/",
            "{\"step_id\":60,\"actions\":[{\"action_id\":600001,\"input_object\":{\"inputValue\":\"Taxi\"}}," + wrong + "]}");
        Assert.Equal(400, status);
        Assert.Contains(message, body!["actions"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(new long[] { 60 }, s.NextMatter.FindInstance(id)!.ActiveStepIds);

        (status, _, var text) = await c.PostAsync2($"instances/{id}/complete_step/",
            "{\"step_id\":60,\"actions\":[{\"action_id\":600001,\"input_object\":{\"inputValue\":\"Taxi\"}},{\"action_id\":600002,\"input_object\":{\"numberValue\":10000,\"formattedValue\":\"10.000\"}},{\"action_id\":600003,\"input_object\":{\"url\":{\"url\":\"https://example.com/r.pdf\"}}}]}");
        Assert.True(status == 200, text);
    }

    [Theory]
    [InlineData("{\"action\":\"approve\"}", "Action 600004 (decision): action must be one of complete, return, skip_forward, decline.")]
    [InlineData("{\"action\":\"return\"}", "Action 600004 (decision): returnToStep is required to return: a step id, -1 or -2.")]
    [InlineData("{\"action\":\"return\",\"returnToStep\":62}", "Action 600004 (decision): returnToStep 62 is not an earlier step of this workflow.")]
    [InlineData("{\"inputValue\":\"complete\"}", "Action 600004 (decision): action must be one of complete, return, skip_forward, decline.")]
    public async Task Decision_fields_check_the_routing_shape(string wrong, string message)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var id = await NewClaimAsync(s, c);
        await ClaimStepAsync(c, id);
        var (status, body, _) = await c.PostAsync2($"instances/{id}/complete_step/", "{\"step_id\":61,\"actions\":[{\"action_id\":600004,\"input_object\":" + wrong + "}]}");
        Assert.Equal(400, status);
        Assert.Equal(message, (string)body!["actions"]![0]!);
    }

    [Theory]
    [InlineData("{\"action\":\"decline\",\"comment\":\"Too much\"}", "aborted", new long[0])]
    [InlineData("{\"action\":\"return\",\"returnToStep\":60,\"label\":\"Send back\"}", "running", new long[] { 60 })]
    [InlineData("{\"action\":\"return\",\"returnToStep\":-1}", "running", new long[] { 60 })]
    [InlineData("{\"action\":\"complete\"}", "running", new long[] { 62 })]
    [InlineData("{\"action\":\"skip_forward\"}", "completed", new long[0])]
    public async Task A_decision_routes_the_instance(string decision, string status, long[] active)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var id = await NewClaimAsync(s, c);
        await ClaimStepAsync(c, id);
        var (code, body, text) = await c.PostAsync2($"instances/{id}/complete_step/", "{\"step_id\":61,\"actions\":[{\"action_id\":600004,\"input_object\":" + decision + "}]}");
        Assert.True(code == 200, text);
        Assert.Equal(status, s.NextMatter.FindInstance(id)!.Status);
        Assert.Equal(active, s.NextMatter.FindInstance(id)!.ActiveStepIds);
        // Routing that stops the instance is reported with aborted_time (documented).
        Assert.Equal(status == "aborted", body!["aborted_time"] != null);
    }

    [Theory]
    [InlineData("{\"priority\":\"\"}", 400)]
    [InlineData("{\"priority\":\"X\"}", 400)]
    [InlineData("{\"priority\":null}", 200)]
    [InlineData("{\"priority\":\"H\"}", 200)]
    public async Task Priority_takes_V_H_or_null(string body, int expected)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, _, text) = await c.SendAsync(HttpMethod.Patch, "instances/1001/", body);
        Assert.True(status == expected, text);
    }

    [Theory]
    [InlineData("GET", "instances/1001", "instances/1001/")]
    [InlineData("GET", "processes/1/instances?status=running&limit=2", "processes/1/instances/?status=running&limit=2")]
    [InlineData("POST", "instances", "instances/")]
    [InlineData("POST", "instances/1001/complete_step", "instances/1001/complete_step/")]
    public async Task A_path_without_its_trailing_slash_is_redirected_as_Django_does(string method, string path, string location)
    {
        await using var s = await SandboxServer.StartAsync();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var c = new HttpClient(handler) { BaseAddress = s.NextMatterBaseUri };
        // Before authentication, as Django's middleware runs before the view: no key needed to see the redirect.
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = TestSupport.JsonBody(TestSupport.CreateOnboarding);
        using var response = await c.SendAsync(request);
        Assert.Equal(301, (int)response.StatusCode);
        Assert.Equal(new Uri(s.NextMatterBaseUri, location), response.Headers.Location);
        Assert.Equal(0, s.NextMatter.CountInstances(i => i.CreatedByRequestSequence != null));
    }

    [Fact]
    public async Task The_bulk_routes_are_served_without_the_slash_as_documented()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, _, text) = await c.PostAsync2("instances/bulk/abort", "{\"ids\":[1001]}");
        Assert.True(status == 201, text);
    }
}
