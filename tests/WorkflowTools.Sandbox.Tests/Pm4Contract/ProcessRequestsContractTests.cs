using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static WorkflowTools.Sandbox.Tests.Pm4Contract.Pm4Tenant;

namespace WorkflowTools.Sandbox.Tests.Pm4Contract;

/// <summary>
/// ProcessMaker 4.15.6 tests/Feature/Api/ProcessRequestsTest.php, ported to the routes the sandbox serves: each case
/// is named after the PM4 test method and checks the facts that test asserts (its factories become a seed).
/// </summary>
public sealed class ProcessRequestsContractTests
{
    /// <summary>ProcessRequestsTest::STRUCTURE.</summary>
    private static readonly string[] Structure =
    {
        "id", "process_id", "process_collaboration_id", "user_id", "participant_id", "status", "name", "completed_at", "initiated_at", "created_at", "updated_at",
    };

    private static string Q(string pmql) => Uri.EscapeDataString(pmql);

    /// <summary>ProcessRequestsTest::testListRequest.</summary>
    [Fact]
    public async Task testListRequest()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Requests(10, 10).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("requests");
        Assert.Equal(200, status);
        foreach (var row in body!["data"]!.AsArray()) HasKeys(row, Structure);
        Assert.Equal(10, (int)body["meta"]!["total"]!);
    }

    /// <summary>ProcessRequestsTest::testScreenListDates: dates are ISO 8601 with the offset (PHP format 'c').</summary>
    [Fact]
    public async Task testScreenListDates()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10, name: "testRequestTimezone").StartAsync();
        var request = s.ProcessMaker.Requests.Single();
        var (_, body, _) = await As(s).GetAsync2("requests?filter=testRequestTimezone");
        var row = body!["data"]![0]!;
        Assert.Equal(request.UpdatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), (string)row["updated_at"]!);
        Assert.Equal(request.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), (string)row["created_at"]!);
    }

    /// <summary>ProcessRequestsTest::testListRequestIncludingData.</summary>
    [Fact]
    public async Task testListRequestIncludingData()
    {
        await using var s = await new Pm4Tenant().Process(10, "P")
            .Request(10, name: "mytestrequestnameincludesdata", data: new JsonObject { ["test"] = "value1" }).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("requests?page=1&include=data&order_by=data.test&order_direction=ASC&filter=mytestrequestnameincludesdata");
        Assert.Equal(200, status);
        Assert.Equal("{\"test\":\"value1\"}", body!["data"]![0]!["data"]!.ToJsonString());
    }

    /// <summary>ProcessRequestsTest::testListRequestOrderByData.</summary>
    [Fact]
    public async Task testListRequestOrderByData()
    {
        const string name = "mytestrequestnameorderbydata";
        await using var s = await new Pm4Tenant().Process(10, "P")
            .Request(10, name: name, data: new JsonObject { ["test"] = "value1" })
            .Request(10, name: name, data: new JsonObject { ["test"] = "value2" }).StartAsync();
        using var c = As(s);
        var (_, asc, _) = await c.GetAsync2($"requests?page=1&include=data&order_by=data.test&order_direction=ASC&filter={name}");
        Assert.Equal("value1", (string)asc!["data"]![0]!["data"]!["test"]!);
        var (_, desc, _) = await c.GetAsync2($"requests?page=1&include=data&order_by=data.test&order_direction=DESC&filter={name}");
        Assert.Equal("value2", (string)desc!["data"]![0]!["data"]!["test"]!);
    }

    /// <summary>ProcessRequestsTest::testListRequestWithQueryParameter: meta echoes order_by and order_direction as sent.</summary>
    [Fact]
    public async Task testListRequestWithQueryParameter()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10, name: "mytestrequestname").Request(10).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("requests?page=1&per_page=7&order_by=name&order_direction=DESC&filter=mytestrequestname");
        Assert.Equal(200, status);
        Assert.Equal(1, (int)body!["meta"]!["total"]!);
        Assert.Equal("name", (string)body["meta"]!["sort_by"]!);
        Assert.Equal("DESC", (string)body["meta"]!["sort_order"]!);
    }

    /// <summary>ProcessRequestsTest::testFilterByParticipant: PMQL participant compares a username.</summary>
    [Fact]
    public async Task testFilterByParticipant()
    {
        await using var s = await new Pm4Tenant().User(3, "participant").User(4, "other").Process(10, "P")
            .Request(10, user: 3).Request(10, user: 4).StartAsync();
        var (_, body, _) = await As(s).GetAsync2("requests?pmql=" + Q("participant = \"participant\""));
        Assert.Equal(1, (int)body!["meta"]!["total"]!);
        Assert.Equal(1, (long)body["data"]![0]!["id"]!);
    }

    /// <summary>ProcessRequestsTest::testWithPagination.</summary>
    [Fact]
    public async Task testWithPagination()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Requests(5, 10).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("requests?page=2&per_page=3&order_by=name");
        Assert.Equal(200, status);
        Assert.Equal(2, body!["data"]!.AsArray().Count);
    }

    /// <summary>ProcessRequestsTest::testListRequestWithType.</summary>
    [Fact]
    public async Task testListRequestWithType()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10, "ACTIVE").Request(10, "COMPLETED").StartAsync();
        using var c = As(s);
        Assert.Equal(new long[] { 2 }, Ids((await c.GetAsync2("requests/?type=completed")).Body));
        Assert.Equal(new long[] { 1 }, Ids((await c.GetAsync2("requests/?type=in_progress")).Body));
    }

    /// <summary>ProcessRequestsTest::testListRequestWithIncludes.</summary>
    [Fact]
    public async Task testListRequestWithIncludes()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10).StartAsync();
        var (_, body, _) = await As(s).GetAsync2("requests/?include=process");
        Assert.Equal(10, (long)body!["data"]![0]!["process"]!["id"]!);
    }

    /// <summary>ProcessRequestsTest::testListRequestViewAllPermission: view-all_requests shows others' requests.</summary>
    [Fact]
    public async Task testListRequestViewAllPermission()
    {
        await using var s = await new Pm4Tenant().User(3, "plain").User(4, "viewer", false, "view-all_requests")
            .Process(10, "P").Request(10).StartAsync();
        Assert.Empty(Ids((await As(s, "plain").GetAsync2("requests")).Body));
        Assert.Equal(new long[] { 1 }, Ids((await As(s, "viewer").GetAsync2("requests")).Body));
    }

    /// <summary>ProcessRequestsTest::testGetRequest.</summary>
    [Fact]
    public async Task testGetRequest()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("requests/1");
        Assert.Equal(200, status);
        HasKeys(body, Structure);
    }

    /// <summary>ProcessRequestsTest::testUpdateProcessRequestParametersRequired.</summary>
    [Fact]
    public async Task testUpdateProcessRequestParametersRequired()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10, name: "mytestrequestname").StartAsync();
        Assert.Equal(422, (await As(s).PutAsync2("requests/1", "{\"name\":null}")).Status);
    }

    /// <summary>ProcessRequestsTest::testUpdateProcessRequest: name, data and process_id together are saved (204).</summary>
    [Fact]
    public async Task testUpdateProcessRequest()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10).StartAsync();
        using var c = As(s);
        var before = (await c.GetAsync2("requests/1")).Text;
        Assert.Equal(204, (await c.PutAsync2("requests/1", "{\"name\":\"Ada Lovelace\",\"data\":{\"test\":1},\"process_id\":10}")).Status);
        var after = (await c.GetAsync2("requests/1")).Body;
        Assert.NotEqual(before, after!.ToJsonString());
        Assert.Equal("Ada Lovelace", (string)after["name"]!);
    }

    /// <summary>ProcessRequestsTest::testUpdateProcessRequestStatus: an administrator moves a request between statuses.</summary>
    [Fact]
    public async Task testUpdateProcessRequestStatus()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10, name: "MyRequestName", data: new JsonObject { ["foo"] = "baz" }).StartAsync();
        using var c = As(s);
        Assert.Equal(204, (await c.PutAsync2("requests/1", "{\"status\":\"CANCELED\"}")).Status);
        foreach (var status in new[] { "ACTIVE", "ERROR", "ACTIVE", "CANCELED", "ERROR" })
        {
            var json = $"{{\"status\":\"{status}\",\"name\":\"MyRequestName\",\"process_id\":10,\"data\":{{\"foo\":\"baz\"}}}}";
            Assert.Equal(204, (await c.PutAsync2("requests/1", json)).Status);
        }
        Assert.Equal("ERROR", s.ProcessMaker.FindRequest(1)!.Status);
    }

    /// <summary>ProcessRequestsTest::testCancelRequestWithPermissions: the requester alone may not cancel; the process's cancel users may.</summary>
    [Fact]
    public async Task testCancelRequestWithPermissions()
    {
        await using var s = await new Pm4Tenant().User(3, "nonadmin")
            .Process(10, "P").Process(11, "Q", p => p["cancelRequest"] = new JsonObject { ["users"] = Ids(new long[] { 3 }) })
            .Request(10, user: 3).Request(11, user: 3).StartAsync();
        using var c = As(s, "nonadmin");
        Assert.Equal(403, (await c.PutAsync2("requests/1", "{\"status\":\"CANCELED\"}")).Status);
        Assert.Equal(204, (await c.PutAsync2("requests/2", "{\"status\":\"CANCELED\"}")).Status);
    }

    /// <summary>ProcessRequestsTest::testCompleteRequest: only an administrator, and only from ERROR.</summary>
    [Fact]
    public async Task testCompleteRequest()
    {
        await using var s = await new Pm4Tenant().User(3, "editor")
            .Process(10, "P", p => p["editData"] = new JsonObject { ["users"] = Ids(new long[] { 3 }) })
            .Request(10, "ACTIVE").Request(10, "ERROR").StartAsync();
        var (status, body, _) = await As(s, "editor").PutAsync2("requests/1", "{\"status\":\"COMPLETED\"}");
        Assert.Equal(403, status);
        Assert.Equal("Not authorized to complete this request.", (string)body!["message"]!);
        using var admin = As(s);
        (status, body, _) = await admin.PutAsync2("requests/1", "{\"status\":\"COMPLETED\"}");
        Assert.Equal(422, status);
        Assert.Equal("Only requests with status: ERROR can be manually completed", (string)body!["errors"]!["status"]![0]!);
        Assert.Equal(204, (await admin.PutAsync2("requests/2", "{\"status\":\"COMPLETED\"}")).Status);
        Assert.Equal("COMPLETED", s.ProcessMaker.FindRequest(2)!.Status);
    }

    /// <summary>
    /// ProcessRequestsTest::testDeleteParentProcessRequestShouldRemoveRequestAndTokensForParentAndChildren, the part
    /// without sub-process children (not modelled): DELETE answers 204 and the request and its tasks are gone.
    /// </summary>
    [Fact]
    public async Task testDeleteParentProcessRequestShouldRemoveRequestAndTokensForParentAndChildren()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10).Request(10).StartAsync();
        Assert.Equal(204, (await As(s).SendAsync(HttpMethod.Delete, "requests/1")).Status);
        Assert.Null(s.ProcessMaker.FindRequest(1));
        Assert.DoesNotContain(s.ProcessMaker.Tasks, t => t.Request.Id == 1);
        Assert.NotNull(s.ProcessMaker.FindRequest(2));
    }

    /// <summary>ProcessRequestsTest::testDeleteProcessRequestNotExist: DELETE /requests/ (an unsaved model has no id) is 405.</summary>
    [Fact]
    public async Task testDeleteProcessRequestNotExist()
    {
        await using var s = await new Pm4Tenant().StartAsync();
        Assert.Equal(405, (await As(s).SendAsync(HttpMethod.Delete, "requests/")).Status);
    }

    /// <summary>ProcessRequestsTest::testListCanceledProcessRequests.</summary>
    [Fact]
    public async Task testListCanceledProcessRequests()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Requests(5, 10, "ACTIVE").Requests(3, 10, "COMPLETED").Requests(1, 10, "CANCELED").StartAsync();
        using var c = As(s);
        Assert.Equal(5, (int)(await c.GetAsync2("requests?type=in_progress")).Body!["meta"]!["total"]!);
        Assert.Equal(3, (int)(await c.GetAsync2("requests?type=completed")).Body!["meta"]!["total"]!);
        Assert.Equal(9, (int)(await c.GetAsync2("requests?type=all")).Body!["meta"]!["total"]!);
    }

    /// <summary>ProcessRequestsTest::testParticipantPermissionsToView.</summary>
    [Fact]
    public async Task testParticipantPermissionsToView()
    {
        await using var s = await new Pm4Tenant().User(3, "participant").User(4, "other").Process(10, "P").Request(10, user: 3).StartAsync();
        Assert.Equal(403, (await As(s, "other").GetAsync2("requests/1")).Status);
        Assert.Equal(200, (await As(s, "participant").GetAsync2("requests/1")).Status);
    }

    /// <summary>ProcessRequestsTest::testUserCanEditCompletedData: edit-request_data, or the process's edit-data users.</summary>
    [Fact]
    public async Task testUserCanEditCompletedData()
    {
        await using var s = await new Pm4Tenant().User(3, "plain").User(4, "editor", false, "edit-request_data")
            .Process(10, "P").Process(11, "Q", p => p["editData"] = new JsonObject { ["users"] = Ids(new long[] { 3 }) })
            .Request(10, "COMPLETED", data: new JsonObject { ["foo"] = "bar" }).Request(11, "COMPLETED", data: new JsonObject { ["foo"] = "bar" }).StartAsync();
        const string edit = "{\"data\":{\"foo\":\"123\"}}";
        Assert.Equal(403, (await As(s, "plain").PutAsync2("requests/1", edit)).Status);
        Assert.Equal(204, (await As(s, "editor").PutAsync2("requests/1", edit)).Status);
        Assert.Equal(204, (await As(s, "plain").PutAsync2("requests/2", edit)).Status);
    }

    /// <summary>ProcessRequestsTest::testGetProcessRequestListAndPermissions: a non-administrator lists their own requests.</summary>
    [Fact]
    public async Task testGetProcessRequestListAndPermissions()
    {
        await using var s = await new Pm4Tenant().User(3, "owner").Process(10, "P").Requests(20, 10, user: 3).Requests(10, 10).StartAsync();
        var (status, body, _) = await As(s, "owner").GetAsync2("requests?per_page=15");
        Assert.Equal(200, status);
        foreach (var row in body!["data"]!.AsArray()) HasKeys(row, Structure);
        Assert.Equal(15, (int)body["meta"]!["count"]!);
        Assert.Equal(20, (int)body["meta"]!["total"]!);
    }

    /// <summary>ProcessRequestsTest::testAdvancedFilter: advanced_filter on a data field.</summary>
    [Fact]
    public async Task testAdvancedFilter()
    {
        await using var s = await new Pm4Tenant().Process(10, "P")
            .Request(10, data: new JsonObject { ["foo"] = "baz" }).Request(10, data: new JsonObject { ["foo"] = "bar" }).StartAsync();
        var filter = "[{\"subject\":{\"type\":\"Field\",\"value\":\"data.foo\"},\"operator\":\"=\",\"value\":\"bar\"}]";
        var (_, body, _) = await As(s).GetAsync2("requests?include=data&advanced_filter=" + Q(filter));
        Assert.Equal(2, (long)body!["data"]![0]!["id"]!); // the miss is created first here, so the filter must do the work
    }

    /// <summary>ProcessRequestsTest::testGetTaskListWithData: the task listing's include=data is the request's data.</summary>
    [Fact]
    public async Task testGetTaskListWithData()
    {
        await using var s = await new Pm4Tenant().Process(10, "P").Request(10, data: new JsonObject { ["foo"] = "bar" }).StartAsync();
        var (status, body, _) = await As(s).GetAsync2("tasks?order_direction=asc&include=data");
        Assert.Equal(200, status);
        Assert.Equal("bar", (string)body!["data"]![0]!["data"]!["foo"]!);
    }
}
