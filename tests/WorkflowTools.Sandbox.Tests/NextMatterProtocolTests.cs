using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>DRF protocol details: 405, 415, parse errors, non-object bodies, concurrency.</summary>
public sealed class NextMatterProtocolTests
{
    [Fact]
    public async Task Wrong_method_on_a_known_path_is_405_and_unknown_path_is_404()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.SendAsync(HttpMethod.Delete, "instances/1001/");
        Assert.Equal(405, status);
        Assert.Equal("Method \"DELETE\" not allowed.", (string)body!["detail"]!);
        Assert.Equal(405, (await c.GetAsync2("instances/")).Status);
        Assert.Equal(1001, (long)(await c.GetAsync2("instances/1001/")).Body!["id"]!);
        // An unknown route is Django's HTML 404 page; an unknown object on a known route is DRF's JSON 404.
        (status, body, var text) = await c.GetAsync2("nothing/here/");
        Assert.Equal(404, status);
        Assert.Null(body);
        Assert.Contains("<h1>Not Found</h1>", text);
        (status, body, _) = await c.GetAsync2("instances/424242/");
        Assert.Equal(404, status);
        Assert.Equal("Not found.", (string)body!["detail"]!);
    }

    [Fact]
    public async Task Body_problems()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        using (var resp = await c.PostAsync("instances/", new StringContent(TestSupport.CreateOnboarding, Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(415, (int)resp.StatusCode);
            Assert.Contains("Unsupported media type", await resp.Content.ReadAsStringAsync());
        }
        var (status, body, _) = await c.PostAsync2("instances/", "{not json");
        Assert.Equal(400, status);
        Assert.StartsWith("JSON parse error", (string)body!["detail"]!);
        (status, body, _) = await c.PostAsync2("instances/", "[1]");
        Assert.Equal(400, status);
        Assert.Equal("Invalid data. Expected a dictionary, but got list.", (string)body!["non_field_errors"]![0]!);
        (status, body, _) = await c.PostAsync2("instances/1014/complete_step/", "");
        Assert.Equal(400, status);
        Assert.Equal("This field is required.", (string)body!["step_id"]![0]!);
        Assert.Equal(0, s.NextMatter.CountInstances(i => i.CreatedByRequestSequence != null));
    }

    [Fact]
    public async Task Parallel_creates_get_distinct_ids_and_are_all_logged()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            c.PostAsync2("instances/", $"{{\"process\":\"https://a/api/processes/1/\",\"name\":\"p{i}\"}}")));
        Assert.All(results, r => Assert.Equal(201, r.Status));
        Assert.Equal(40, results.Select(r => (long)r.Body!["id"]!).Distinct().Count());
        Assert.Equal(40, s.Requests.Count);
        Assert.Equal(40, s.Requests.All.Select(r => r.Sequence).Distinct().Count());
        var created = s.NextMatter.Instances.Where(i => i.CreatedByRequestSequence != null).ToList();
        Assert.Equal(40, created.Select(i => i.Name).Distinct().Count());
        Assert.All(created, i => Assert.Contains(s.Requests.All, r => r.Sequence == i.CreatedByRequestSequence && r.Body.Contains($"\"{i.Name}\"")));
    }
}
