using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

public sealed class NextMatterCompleteStepTests
{
    private const string Step42 = "{\"step_id\":42,\"actions\":[{\"action_id\":123456,\"input_object\":{\"inputValue\":\"Value 1\"}},{\"action_id\":789012,\"input_object\":{\"itemSelected\":\"Value 2\"}}]}";

    [Fact]
    public async Task Steps_advance_until_the_instance_completes()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (_, created, _) = await c.PostAsync2("instances/", TestSupport.CreateOnboarding);
        var id = (long)created!["id"]!;

        var (status, body, text) = await c.PostAsync2($"instances/{id}/complete_step/", Step42);
        Assert.True(status == 200, text);
        Assert.Equal(43, (long)body!["active_step_ids"]![0]!);
        s.Clock.Advance(TimeSpan.FromMinutes(5));
        (status, body, text) = await c.PostAsync2($"instances/{id}/complete_step/",
            "{\"step_id\":43,\"actions\":[{\"action_id\":555001,\"input_object\":{\"inputValue\":{\"radioItemSelected\":\"Approve\"}}}]}");
        Assert.True(status == 200, text);
        (status, body, text) = await c.PostAsync2($"instances/{id}/complete_step/",
            "{\"step_id\":44,\"actions\":[{\"action_id\":555002,\"input_object\":{\"inputValue\":{\"itemsChecked\":[\"Laptop\"],\"itemsNotChecked\":[\"Phone\"]}}},{\"action_id\":555003,\"input_object\":{\"date\":\"2026-02-01T09:00:00.000Z\"}}]}");
        Assert.True(status == 200, text);
        Assert.Empty(body!["active_step_ids"]!.AsArray());
        Assert.Equal("2026-01-05T09:05:00Z", (string)body["completed_time"]!);
        var instance = s.NextMatter.FindInstance(id)!;
        Assert.Equal("completed", instance.Status);
        Assert.Equal(TimeSpan.FromMinutes(5), instance.TotalRuntime(s.Clock.Now.AddDays(3)));
        Assert.Equal("Value 1", (string)instance.Values[123456]!["inputValue"]!);
    }

    [Fact]
    public async Task Dropdown_accepts_nested_itemSelected_too()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, _, text) = await c.PostAsync2("instances/1014/complete_step/",
            "{\"step_id\":42,\"actions\":[{\"action_id\":123456,\"input_object\":{\"inputValue\":\"B\"}},{\"action_id\":789012,\"input_object\":{\"inputValue\":{\"itemSelected\":\"IT\"}}}]}");
        Assert.True(status == 200, text);
    }

    [Theory]
    [InlineData("{\"step_id\":43,\"actions\":[]}", "detail", "Step 43 cannot be completed.")]
    [InlineData("{\"step_id\":99,\"actions\":[]}", "step_id", "Invalid pk \"99\" - object does not exist.")]
    [InlineData("{\"actions\":[]}", "step_id", "This field is required.")]
    [InlineData("{\"step_id\":42}", "actions", "This field is required.")]
    [InlineData("{\"step_id\":42,\"actions\":[{\"action_id\":555001,\"input_object\":{\"inputValue\":\"x\"}}]}", "actions", "Action 555001 does not belong to step 42.")]
    [InlineData("{\"step_id\":42,\"actions\":[{\"action_id\":123456,\"input_object\":{\"inputValue\":5}}]}", "actions", "Action 123456 (text): inputValue must be a string.")]
    [InlineData("{\"step_id\":42,\"actions\":[{\"action_id\":789012,\"input_object\":{\"itemSelected\":\"HR\"}}]}", "actions", "Action 789012 (dropdown): \"HR\" is not a valid choice.")]
    [InlineData("{\"step_id\":42,\"actions\":[{\"action_id\":789012,\"input_object\":{\"itemSelected\":\"IT\"}}]}", "actions", "Action 123456 (\"Full name\") is required.")]
    public async Task Invalid_completions_are_400_and_change_nothing(string json, string field, string message)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var (status, body, _) = await c.PostAsync2("instances/1014/complete_step/", json);
        Assert.Equal(400, status);
        var node = body![field]!;
        Assert.Equal(message, field == "detail" ? (string)node! : (string)node[0]!);
        Assert.Equal(new long[] { 42 }, s.NextMatter.FindInstance(1014)!.ActiveStepIds);
        Assert.Empty(s.NextMatter.FindInstance(1014)!.Values);
    }

    [Theory]
    [InlineData(43, "{\"action_id\":555001,\"input_object\":{\"radioItemSelected\":\"Approve\"}}")]
    [InlineData(44, "{\"action_id\":555002,\"input_object\":{\"inputValue\":{\"itemsChecked\":\"Laptop\"}}}")]
    [InlineData(44, "{\"action_id\":555003,\"input_object\":{\"date\":\"tomorrow\"}}")]
    public async Task Type_checks_for_radio_checklist_date(long step, string action)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        var id = step == 43 ? 1006 : 1007;
        var (status, body, _) = await c.PostAsync2($"instances/{id}/complete_step/", $"{{\"step_id\":{step},\"actions\":[{action}]}}");
        Assert.Equal(400, status);
        Assert.StartsWith("Action 55500", (string)body!["actions"]![0]!);
    }

    [Fact]
    public async Task Other_users_key_gets_403_on_a_step_it_does_not_own()
    {
        await using var s = await SandboxServer.StartAsync();
        using var other = TestSupport.NmClient(s, NextMatterStore.OtherUserApiKey);
        var (status, body, _) = await other.PostAsync2("instances/1014/complete_step/", Step42);
        Assert.Equal(403, status);
        Assert.Equal("You do not have permission to perform this action.", (string)body!["detail"]!);

        // an instance the other user created (lead) may be completed by it
        var (_, created, _) = await other.PostAsync2("instances/", TestSupport.CreateOnboarding);
        (status, _, _) = await other.PostAsync2($"instances/{(long)created!["id"]!}/complete_step/", Step42);
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Unknown_instance_is_404()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.NmClient(s);
        Assert.Equal(404, (await c.PostAsync2("instances/5/complete_step/", Step42)).Status);
    }
}
