using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using WorkflowTools.Sandbox.Tests.Pm4Contract;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// Writes as PM4 4.15.6 answers them, beyond what its feature tests check: SanitizeHelper::strip_tags, the
/// doNotSanitize data of ProcessRequestController, ProcessRequest::rules, ProcessRequestPolicy::editData, and the
/// start rights of ProcessPolicy::start with groups.
/// </summary>
public sealed class ProcessMakerWriteTests
{
    [Fact]
    public async Task Sanitising_strips_tags_only_and_a_request_update_keeps_its_data_as_sent()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").StartAsync();
        using var c = Pm4Tenant.As(s);
        var (status, body, _) = await c.PostAsync2("process_events/10?event=node_1",
            "{\"math\":\"a < b and c > d\",\"html\":\"<p>x</p><!-- note -->y<br/>\",\"php\":\"<?php echo 1; ?>z\"}");
        Assert.Equal(201, status);
        var data = s.ProcessMaker.FindRequest((long)body!["id"]!)!.Data;
        Assert.Equal(("a < b and c > d", "xy", "z"), ((string)data["math"]!, (string)data["html"]!, (string)data["php"]!));

        // PUT /requests/{id} {"data":...}: data is in the controller's doNotSanitize list; trimmed, tags kept
        Assert.Equal(204, (await c.PutAsync2($"requests/{body["id"]}", "{\"data\":{\"note\":\"  <b>kept</b>  \"}}")).Status);
        Assert.Equal("<b>kept</b>", (string)s.ProcessMaker.FindRequest((long)body["id"]!)!.Data["note"]!);
    }

    [Theory]
    [InlineData("{\"name\":\"Renamed\",\"data\":{}}", 422, "process_id")]
    [InlineData("{\"name\":\"<b>\",\"data\":{},\"process_id\":10}", 422, "name")] // alpha_spaces
    [InlineData("{\"name\":\"Renamed\",\"process_id\":10}", 422, "data")]
    [InlineData("{\"name\":\"Renamed\",\"data\":{},\"process_id\":99}", 422, "process_id")]
    [InlineData("{\"name\":\"Renamed\",\"data\":{},\"process_id\":10,\"status\":\"PAUSED\"}", 422, "status")]
    [InlineData("{\"name\":\"Renamed\",\"data\":{\"x\":1},\"process_id\":10,\"status\":\"ERROR\"}", 204, null)]
    public async Task A_full_request_update_is_validated_by_the_models_rules(string json, int expected, string? field)
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10).StartAsync();
        var (status, body, _) = await Pm4Tenant.As(s).PutAsync2("requests/1", json);
        Assert.Equal(expected, status);
        if (field != null) Assert.NotNull(body!["errors"]![field]);
        else Assert.Equal(("Renamed", "ERROR", "{\"x\":1}"), (s.ProcessMaker.FindRequest(1)!.Name, s.ProcessMaker.FindRequest(1)!.Status, s.ProcessMaker.FindRequest(1)!.Data.ToJsonString()));
    }

    [Fact]
    public async Task Editing_data_needs_edit_task_data_while_active_and_edit_request_data_after()
    {
        await using var s = await new Pm4Tenant().User(3, "owner").User(4, "clerk", false, "edit-task_data")
            .Process(10, "P").Request(10, user: 3).Request(10, "COMPLETED", user: 3).Request(10, user: 4).StartAsync();
        const string edit = "{\"data\":{\"x\":1}}";
        // the requester passes the route's update policy, then editData refuses: 403 with PM4's message
        var (status, body, _) = await Pm4Tenant.As(s, "owner").PutAsync2("requests/1", edit);
        Assert.Equal((403, "Not authorized to edit request data."), (status, (string)body!["message"]!));
        Assert.Equal(204, (await Pm4Tenant.As(s, "clerk").PutAsync2("requests/3", edit)).Status);
        Assert.Equal(403, (await Pm4Tenant.As(s, "clerk").PutAsync2("requests/2", "{\"data\":{\"x\":1}}")).Status); // not its own: update policy
        Assert.Equal(204, (await Pm4Tenant.As(s).PutAsync2("requests/2", edit)).Status);
    }

    [Fact]
    public async Task Start_rights_come_from_the_event_and_list_only_what_the_user_may_start()
    {
        await using var s = await new Pm4Tenant().User(3, "member").User(4, "outsider").Group(5, "Starters", new long[] { 3 })
            .Process(10, "P", p => p["startEvents"] = new JsonArray(
                Pm4Tenant.StartEvent("node_1", "Group start", groups: new long[] { 5 }), Pm4Tenant.StartEvent("node_3", "Nobody's")))
            .StartAsync();
        using var member = Pm4Tenant.As(s, "member");
        Assert.Equal(201, (await member.PostAsync2("process_events/10?event=node_1", "{}")).Status);
        Assert.Equal(403, (await member.PostAsync2("process_events/10?event=node_3", "{}")).Status);
        Assert.Equal(403, (await Pm4Tenant.As(s, "outsider").PostAsync2("process_events/10?event=node_1", "{}")).Status);
        Assert.Equal(201, (await Pm4Tenant.As(s).PostAsync2("process_events/10?event=node_3", "{}")).Status); // administrators pass
        var listed = (await member.GetAsync2("start_processes")).Body!["data"]!.AsArray();
        Assert.Equal("[\"node_1\"]", new JsonArray(Assert.Single(listed)!["startEvents"]!.AsArray().Select(e => (JsonNode)(string)e!["id"]!).ToArray()).ToJsonString());
        Assert.Empty(Pm4Tenant.Ids((await Pm4Tenant.As(s, "outsider").GetAsync2("start_processes")).Body));
        Assert.Equal(405, (await member.SendAsync(HttpMethod.Delete, "requests")).Status);
    }

    [Fact]
    public async Task Who_sees_which_request_follows_the_forUser_scope_and_type_all_clears_it()
    {
        await using var s = await new Pm4Tenant().User(3, "owner").User(4, "stranger").User(5, "editor").User(6, "pool").Group(7, "Pool", new long[] { 6 })
            .Process(10, "P").Process(11, "Q", p => p["editData"] = new JsonObject { ["users"] = Pm4Tenant.Ids(new long[] { 5 }) })
            .Process(12, "R", p => p["tasks"] = new JsonArray(new JsonObject { ["id"] = "node_2", ["name"] = "Pool", ["selfService"] = new JsonObject { ["groups"] = Pm4Tenant.Ids(new long[] { 7 }) } }))
            .Request(10, user: 3).Request(11).Request(12).StartAsync();
        async Task<long[]> Seen(string user, string query = "") => Pm4Tenant.Ids((await Pm4Tenant.As(s, user).GetAsync2("requests" + query)).Body).OrderBy(x => x).ToArray();
        Assert.Equal(new long[] { 1 }, await Seen("owner"));     // started it
        Assert.Empty(await Seen("stranger"));
        Assert.Equal(new long[] { 2 }, await Seen("editor"));    // the process lets them edit data
        Assert.Equal(new long[] { 3 }, await Seen("pool"));      // a self-service task of their group
        Assert.Equal(new long[] { 1, 2, 3 }, await Seen("stranger", "?type=all")); // ProcessRequestController::index empties the where clauses
        Assert.Equal(403, (await Pm4Tenant.As(s, "stranger").GetAsync2("requests/1")).Status);
        Assert.Equal(200, (await Pm4Tenant.As(s, "pool").GetAsync2("requests/3")).Status);
    }
}
