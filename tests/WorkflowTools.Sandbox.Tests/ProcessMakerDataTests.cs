using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// The sandbox's environment variables, request data edits and process lifecycle against PM4 4.15.6's sources
/// (EnvironmentVariablesController, Models/EnvironmentVariable, ProcessRequestController::update, ProcessController
/// destroy/restore), reading the store where the API cannot show the state (a variable's value is write-only).
/// </summary>
public sealed class ProcessMakerDataTests
{
    [Fact]
    public async Task A_variables_value_is_stored_never_answered_and_kept_by_a_change_without_one()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, text) = await c.PostAsync2("environment_variables", "{\"name\":\"API_KEY\",\"description\":\"d\",\"value\":\"  s3cret  \"}");
        Assert.Equal(201, status);
        Assert.DoesNotContain("s3cret", text);
        var id = (long)body!["id"]!;
        // TrimStrings applies to the value too.
        Assert.Equal("s3cret", s.ProcessMaker.FindVariable(id)!.Value);

        (status, _, text) = await c.PutAsync2($"environment_variables/{id}", "{\"name\":\"API_KEY\",\"description\":\"changed\",\"value\":\"\"}");
        Assert.Equal(200, status);
        Assert.Equal("s3cret", s.ProcessMaker.FindVariable(id)!.Value);
        Assert.Equal("changed", s.ProcessMaker.FindVariable(id)!.Description);
        (status, _, _) = await c.PutAsync2($"environment_variables/{id}", "{\"name\":\"API_KEY\",\"description\":\"changed\",\"value\":\"new\"}");
        Assert.Equal("new", s.ProcessMaker.FindVariable(id)!.Value);

        (status, body, text) = await c.GetAsync2("environment_variables");
        Assert.Equal(200, status);
        Assert.DoesNotContain("value", body!["data"]![0]!.AsObject().Select(p => p.Key));
        Assert.DoesNotContain(s.Requests.All, r => r.Body.Contains("s3cret") || r.Body.Contains("\"new\""));

        (status, body, _) = await c.PutAsync2($"environment_variables/{id}", "{\"description\":\"no name\"}");
        Assert.Equal(422, status);
        Assert.Equal("The name field is required.", (string)body!["message"]!);
    }

    [Fact]
    public async Task Variables_need_their_permissions()
    {
        await using var s = await SandboxServer.StartAsync();
        using var user = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        Assert.Equal(403, (await user.GetAsync2("environment_variables")).Status);
        Assert.Equal(403, (await user.PostAsync2("environment_variables", "{\"name\":\"A\",\"description\":\"d\"}")).Status);
        Assert.Equal(403, (await user.GetAsync2("security-logs")).Status);
    }

    [Fact]
    public async Task Data_edits_merge_top_level_keys_and_trim_but_keep_tags()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var request = s.ProcessMaker.FindRequest(5)!;
        request.Data["keep"] = "me";
        var (status, _, _) = await c.PutAsync2("requests/5", "{\"data\":{\"a\":\" x \",\"b\":\"\",\"c\":\"<b>t</b>{{y}}\",\"n\":{\"k\":1}}}");
        Assert.Equal(204, status);
        Assert.Equal("me", (string)request.Data["keep"]!);
        Assert.Equal("x", (string)request.Data["a"]!);
        Assert.True(request.Data.ContainsKey("b") && request.Data["b"] is null);
        Assert.Equal("<b>t</b>{{y}}", (string)request.Data["c"]!);
        (status, _, _) = await c.PutAsync2("requests/5", "{\"data\":{\"n\":{\"j\":2}}}");
        Assert.Equal(204, status);
        Assert.Null(request.Data["n"]!["k"]);
    }

    [Fact]
    public async Task Archive_and_restore_change_the_status_and_an_unknown_restore_is_a_server_error()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        Assert.Equal(204, (await c.SendAsync(HttpMethod.Delete, "processes/2")).Status);
        Assert.Equal("ARCHIVED", s.ProcessMaker.FindProcess(2)!.Status);
        var (status, body, _) = await c.PutAsync2("processes/2/restore", "{}");
        Assert.Equal(200, status);
        Assert.Equal("ACTIVE", (string)body!["status"]!);
        Assert.Equal(500, (await c.PutAsync2("processes/424242/restore", "{}")).Status);
        Assert.Equal(new[] { "ProcessArchived", "ProcessRestored" }, s.ProcessMaker.SecurityLog.Select(e => e.Event));
    }
}
