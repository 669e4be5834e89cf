using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

public sealed class ProcessMakerRequestTaskTests
{
    private static IEnumerable<long> Ids(JsonNode? body) => body!["data"]!.AsArray().Select(x => (long)x!["id"]!);

    [Theory]
    [InlineData("type=in_progress", new long[] { 1, 3, 5, 6, 12 })]
    [InlineData("type=completed", new long[] { 2, 7, 8, 10, 11 })]
    [InlineData("pmql=status = \"ACTIVE\" AND process_id = 2", new long[] { 5, 6 })]
    [InlineData("pmql=process_id = 1 or process_id = 3", new long[] { 1, 2, 3, 4, 10, 11, 12 })]
    [InlineData("pmql=data.amount >= 1100", new long[] { 11, 12 })]
    [InlineData("pmql=(status = \"In Progress\" OR status = \"canceled\") AND process_id = 2", new long[] { 5, 6, 9 })]
    [InlineData("pmql=status != \"ACTIVE\" AND user_id = 2", new long[] { 8 })]
    [InlineData("pmql=name LIKE \"%request%\" AND status = \"CANCELED\"", new long[] { 9 })]
    [InlineData("filter=nightly", new long[] { 10, 11 })]
    public async Task Request_list_filters(string query, long[] expected)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, text) = await c.GetAsync2("requests?per_page=100&" + query);
        Assert.True(status == 200, text);
        Assert.Equal(expected, Ids(body).OrderBy(x => x));
        Assert.Equal(expected.Length, (int)body!["meta"]!["total"]!);
    }

    [Theory]
    [InlineData("status = ")]
    [InlineData("status = \"ACTIVE\" AND")]
    [InlineData("status == \"ACTIVE\"")] // pmql.pegjs lists "=" before "==", so "==" never parses
    [InlineData("status ~ 1")]
    public async Task Invalid_pmql_is_400_on_requests_and_500_on_tasks(string pmql)
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, _) = await c.GetAsync2("requests?pmql=" + Uri.EscapeDataString(pmql));
        Assert.Equal(400, status);
        Assert.Equal("Your PMQL contains invalid syntax.", (string)body!["message"]!);
        // PM4's TaskController passes abort()'s arguments the wrong way round: a 500 "Server Error".
        (status, body, _) = await c.GetAsync2("tasks?pmql=" + Uri.EscapeDataString(pmql));
        Assert.Equal(500, status);
        Assert.Equal("Server Error", (string)body!["message"]!);
    }

    [Fact]
    public async Task Request_list_ordering_paging_includes_and_visibility()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (_, body, _) = await c.GetAsync2("requests?order_by=id&order_direction=desc&per_page=3&page=2&include=data,process");
        Assert.Equal(new long[] { 9, 8, 7 }, Ids(body));
        Assert.Equal(12, (int)body!["meta"]!["total"]!);
        Assert.Equal(4, (int)body["meta"]!["total_pages"]!);
        Assert.Equal(4, (int)body["meta"]!["from"]!);
        var first = body["data"]![0]!.AsObject();
        Assert.True(first["data"]!.AsObject().ContainsKey("requester_note"));
        Assert.False(first["data"]!.AsObject().ContainsKey("_parent"));
        Assert.Equal("Purchase request", (string)first["process"]!["name"]!);
        (_, body, _) = await c.GetAsync2("requests");
        Assert.False(body!["data"]![0]!.AsObject().ContainsKey("data"));
        Assert.Equal(10, body["data"]!.AsArray().Count);

        using var user = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        (_, body, _) = await user.GetAsync2("requests?per_page=50");
        Assert.Equal(new long[] { 3, 8, 12 }, Ids(body).OrderBy(x => x));
        Assert.Equal(403, (await user.GetAsync2("requests/1")).Status);
        Assert.Equal(200, (await user.GetAsync2("requests/3")).Status);
        Assert.Equal(404, (await c.GetAsync2("requests/999")).Status);
    }

    [Fact]
    public async Task Request_detail_includes()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, _) = await c.GetAsync2("requests/6?include=data,activeTasks,participants,user,summary");
        Assert.Equal(200, status);
        Assert.Equal("node_3", (string)body!["active_tasks"]!.AsArray().Single()!["element_id"]!);
        Assert.Equal("admin", (string)body["user"]!["username"]!);
        Assert.Contains(body["summary"]!.AsArray(), x => (string)x!["key"]! == "amount");
        Assert.DoesNotContain(body["summary"]!.AsArray(), x => ((string)x!["key"]!).StartsWith('_'));
    }

    [Fact]
    public async Task Cancel_and_delete_requests()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        using var user = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        var (status, body, _) = await user.PutAsync2("requests/3", "{\"status\":\"CANCELED\"}");
        Assert.Equal(403, status);
        Assert.Equal("Not authorized to cancel this request.", (string)body!["message"]!);
        Assert.Equal("ACTIVE", s.ProcessMaker.FindRequest(3)!.Status);

        var (st, _, text) = await admin.PutAsync2("requests/3", "{\"status\":\"CANCELED\"}");
        Assert.Equal(204, st);
        Assert.Equal("", text);
        Assert.Equal("CANCELED", s.ProcessMaker.FindRequest(3)!.Status);
        Assert.DoesNotContain(s.ProcessMaker.Tasks, t => t.Request.Id == 3 && t.Status == "ACTIVE");
        Assert.Equal(422, (await admin.PutAsync2("requests/1", "{\"status\":\"DONE\"}")).Status);

        Assert.Equal(403, (await user.SendAsync(HttpMethod.Delete, "requests/1")).Status);
        Assert.Equal(204, (await user.SendAsync(HttpMethod.Delete, "requests/12")).Status);
        Assert.Equal(204, (await admin.SendAsync(HttpMethod.Delete, "requests/1")).Status);
        Assert.Equal(404, (await admin.GetAsync2("requests/1")).Status);
        Assert.DoesNotContain(s.ProcessMaker.Tasks, t => t.Request.Id is 1 or 12);
    }

    [Fact]
    public async Task Completing_tasks_moves_the_request_to_the_end()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (_, started, _) = await c.PostAsync2("process_events/2?event=node_5", "{\"item\":\"chair\"}");
        var rid = (long)started!["id"]!;
        var (_, tasks, _) = await c.GetAsync2($"tasks?process_request_id={rid}&status=ACTIVE");
        var approve = tasks!["data"]!.AsArray().Single()!;
        Assert.Equal("node_2", (string)approve["element_id"]!);
        var tid = (long)approve["id"]!;

        Assert.Equal(500, (await c.PutAsync2($"tasks/{tid}", "{\"status\":\"COMPLETED\"}")).Status); // data missing
        s.Clock.Advance(TimeSpan.FromMinutes(3));
        var (status, body, text) = await c.PutAsync2($"tasks/{tid}", "{\"status\":\"COMPLETED\",\"data\":{\"approved\":true,\"note\":\"<i>ok</i>\"}}");
        Assert.True(status == 200, text);
        Assert.Equal("CLOSED", (string)body!["status"]!);
        Assert.Equal("2026-01-05T09:03:00+00:00", (string)body["completed_at"]!);
        var (st2, again, _) = await c.PutAsync2($"tasks/{tid}", "{\"status\":\"COMPLETED\",\"data\":{}}");
        Assert.Equal(422, st2);
        Assert.Equal("Task already closed", (string)again!["message"]!);

        (_, tasks, _) = await c.GetAsync2($"tasks?process_request_id={rid}&status=ACTIVE&include=data");
        var order = tasks!["data"]!.AsArray().Single()!;
        Assert.Equal("node_3", (string)order["element_id"]!);
        Assert.Equal("ok", (string)order["data"]!["note"]!);
        Assert.Equal("chair", (string)order["data"]!["item"]!);
        (status, _, _) = await c.PutAsync2($"tasks/{(long)order["id"]!}", "{\"status\":\"COMPLETED\",\"data\":{}}");
        Assert.Equal(200, status);
        var (_, request, _) = await c.GetAsync2($"requests/{rid}");
        Assert.Equal("COMPLETED", (string)request!["status"]!);
        Assert.Equal("2026-01-05T09:03:00+00:00", (string)request["completed_at"]!);
    }

    [Fact]
    public async Task Task_list_filters_includes_and_permissions()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, _) = await c.GetAsync2("tasks?include=bogus");
        Assert.Equal(500, status);
        Assert.Equal("Server Error", (string)body!["message"]!);

        (status, body, _) = await c.GetAsync2("tasks?status=ACTIVE&per_page=50&include=data,user,processRequest,process,draft&order_by=id");
        Assert.Equal(200, status);
        Assert.Equal(new long[] { 1, 3, 5, 7, 15 }, Ids(body));
        Assert.Equal(2, (int)body!["meta"]!["in_overdue"]!);
        var t = body["data"]![0]!;
        Assert.Equal(1, (long)t["process_request"]!["id"]!);
        Assert.Equal("admin", (string)t["user"]!["username"]!);
        Assert.Equal("Onboarding", (string)t["process"]!["name"]!);

        // scopeOverdue looks at due_at only: closed tasks past their due date are listed too.
        (_, body, _) = await c.GetAsync2("tasks?overdue=true&status=ACTIVE&order_by=id");
        Assert.Equal(new long[] { 1, 15 }, Ids(body));
        (_, body, _) = await c.GetAsync2("tasks?overdue=true&per_page=100");
        Assert.Contains(body!["data"]!.AsArray(), t => (string)t!["status"]! == "CLOSED");
        (_, body, _) = await c.GetAsync2("tasks?statusfilter=ACTIVE&process_id=2&order_by=id");
        Assert.Equal(new long[] { 5, 7 }, Ids(body));
        (_, body, _) = await c.GetAsync2("tasks?process_id=2&element_id=node_3&order_by=id");
        Assert.Equal(new long[] { 7, 9, 11 }, Ids(body));
        (_, body, _) = await c.GetAsync2("tasks?pmql=" + Uri.EscapeDataString("process_request_id = 6"));
        Assert.Equal(new long[] { 6, 7 }, Ids(body).OrderBy(x => x));

        using var user = TestSupport.PmClient(s, ProcessMakerStore.UserToken);
        (_, body, _) = await user.GetAsync2("tasks?status=ACTIVE");
        Assert.Equal(new long[] { 3, 15 }, Ids(body).OrderBy(x => x));
        Assert.Equal(403, (await user.GetAsync2("tasks/1")).Status);
        Assert.Equal(403, (await user.PutAsync2("tasks/1", "{\"status\":\"COMPLETED\",\"data\":{}}")).Status);
        Assert.Equal("ACTIVE", s.ProcessMaker.FindTask(1)!.Status);

        // claim / reassign
        var (cst, claimed, _) = await c.PutAsync2("tasks/1", "{\"user_id\":2}");
        Assert.Equal(200, cst);
        Assert.Equal(2, (long)claimed!["user_id"]!);
        Assert.Equal(200, (await user.GetAsync2("tasks/1")).Status);
    }

    [Fact]
    public async Task Oauth_password_and_refresh_grants_with_expiry()
    {
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { OAuthTokenLifetime = TimeSpan.FromMinutes(30) });
        using var http = new HttpClient();
        var tokenUrl = new Uri(s.ProcessMakerInstanceUri, "oauth/token");
        async Task<(int, JsonNode?)> Token(params (string, string)[] form)
        {
            using var resp = await http.PostAsync(tokenUrl, new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));
            return ((int)resp.StatusCode, JsonNode.Parse(await resp.Content.ReadAsStringAsync()));
        }
        var client = new[] { ("client_id", ProcessMakerStore.OAuthClientId), ("client_secret", ProcessMakerStore.OAuthClientSecret) };

        var (status, body) = await Token(client.Concat(new[] { ("grant_type", "password"), ("username", "admin"), ("password", "admin") }).ToArray());
        Assert.Equal(200, status);
        Assert.Equal("Bearer", (string)body!["token_type"]!);
        Assert.Equal(1800, (int)body["expires_in"]!);
        var access = (string)body["access_token"]!;
        var refresh = (string)body["refresh_token"]!;
        using var api = TestSupport.PmClient(s, access);
        Assert.Equal(200, (await api.GetAsync2("processes")).Status);
        s.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(401, (await api.GetAsync2("processes")).Status);

        (status, body) = await Token(client.Concat(new[] { ("grant_type", "refresh_token"), ("refresh_token", refresh) }).ToArray());
        Assert.Equal(200, status);
        using var renewed = TestSupport.PmClient(s, (string)body!["access_token"]!);
        Assert.Equal(200, (await renewed.GetAsync2("processes")).Status);
        (status, body) = await Token(client.Concat(new[] { ("grant_type", "refresh_token"), ("refresh_token", refresh) }).ToArray());
        Assert.Equal(400, status); // refresh tokens are single use
        Assert.Equal("invalid_grant", (string)body!["error"]!);

        (status, body) = await Token(client.Concat(new[] { ("grant_type", "password"), ("username", "admin"), ("password", "x") }).ToArray());
        Assert.Equal(400, status);
        Assert.Equal("invalid_grant", (string)body!["error"]!);
        (status, body) = await Token(("grant_type", "password"), ("client_id", "x"), ("client_secret", "y"), ("username", "admin"), ("password", "admin"));
        Assert.Equal(401, status);
        Assert.Equal("invalid_client", (string)body!["error"]!);

        (status, body) = await Token(client.Concat(new[] { ("grant_type", "client_credentials") }).ToArray());
        Assert.Equal(200, status);
        using var machine = TestSupport.PmClient(s, (string)body!["access_token"]!);
        Assert.Equal(401, (await machine.GetAsync2("requests")).Status); // no user behind the token
    }

    [Fact]
    public async Task Oauth_token_endpoint_is_throttled_at_60_per_minute()
    {
        await using var s = await SandboxServer.StartAsync();
        using var http = new HttpClient();
        var tokenUrl = new Uri(s.ProcessMakerInstanceUri, "oauth/token");
        var form = new[] { new KeyValuePair<string, string>("grant_type", "password") };
        for (var i = 0; i < 60; i++)
        {
            using var ok = await http.PostAsync(tokenUrl, new FormUrlEncodedContent(form));
            Assert.Equal(401, (int)ok.StatusCode); // no client credentials, but not throttled
        }
        using var limited = await http.PostAsync(tokenUrl, new FormUrlEncodedContent(form));
        Assert.Equal(429, (int)limited.StatusCode);
        Assert.Equal("60", limited.Headers.GetValues("Retry-After").Single());
        Assert.Contains("Too Many Attempts.", await limited.Content.ReadAsStringAsync());
        using var api = TestSupport.PmClient(s);
        Assert.Equal(200, (await api.GetAsync2("requests")).Status); // the API itself is not limited
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        using var again = await http.PostAsync(tokenUrl, new FormUrlEncodedContent(form));
        Assert.Equal(401, (int)again.StatusCode);
    }

    [Fact]
    public async Task Unknown_api_path_is_laravel_404()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, _) = await c.GetAsync2("no_such_thing");
        Assert.Equal(404, status);
        Assert.Equal("Not Found", (string)body!["error"]!);
        Assert.Equal(204, (await c.GetAsync2("processes/9")).Status);
    }
}
