using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using WorkflowTools.Sandbox.Tests.Pm4Contract;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// PMQL as ProcessMaker parses it: the forms of github.com/ProcessMaker/pmql's grammar/pmql.pegjs and its
/// tests/Feature/GrammarTest.php and IntervalTest.php, the field and value aliases of PM4 4.15.6's ProcessRequest and
/// ProcessRequestToken, and each route's answer to a query PM4 refuses (ProcessRequestController::index: 400;
/// TaskControllerIndexMethods::applyPmql: 500, its abort() arguments reversed; ProcessController::index: 400
/// {"error":"PMQL error"}).
/// </summary>
public sealed class PmqlTests
{
    /// <summary>Requests 1–4 of process 10 "Orders": 1 Taylor's (ACTIVE, 3 days old), 2 Otwell's (COMPLETED), 3 (ERROR), 4 (CANCELED, 10 days old).</summary>
    private static Task<SandboxServer> StartAsync() => new Pm4Tenant().User(3, "taylor").User(4, "otwell")
        .Process(10, "Orders")
        .Request(10, "ACTIVE", 3, "Taylor's order", new JsonObject
        {
            ["customer"] = new JsonObject { ["name"] = "Taylor", ["orders"] = new JsonArray(new JsonObject { ["name"] = "Taylor" }) },
            ["amount"] = 1200, ["note"] = "Rush",
        }, age: "3 00:00:00")
        .Request(10, "COMPLETED", 4, "Otwell's order", new JsonObject { ["customer"] = new JsonObject { ["name"] = "Otwell" }, ["amount"] = 800 }, age: "1 00:00:00")
        .Request(10, "ERROR", 4, data: new JsonObject { ["amount"] = "950" }, age: "02:00:00")
        .Request(10, "CANCELED", 3, age: "10 00:00:00")
        .StartAsync();

    private static string Q(string pmql) => Uri.EscapeDataString(pmql);

    [Theory]
    [InlineData("id = 2", new long[] { 2 })]
    [InlineData("id != 2", new long[] { 1, 3, 4 })]
    [InlineData("id < 2", new long[] { 1 })]
    [InlineData("id >= 3", new long[] { 3, 4 })]
    [InlineData("name LIKE \"%'s order\"", new long[] { 1, 2 })] // 3 and 4 carry the process name, "Orders"
    [InlineData("name LIKE \"taylor_s%\"", new long[] { 1 })] // LIKE on a column ignores case; _ is one character
    [InlineData("data.customer.name = \"Taylor\"", new long[] { 1 })]
    [InlineData("data.customer.name = \"taylor\"", new long[0])] // data values compare as stored (utf8mb4_bin)
    [InlineData("data.customer.orders[0].name = \"Taylor\"", new long[] { 1 })]
    [InlineData("(id = 2)", new long[] { 2 })]
    [InlineData("((id = 2))", new long[] { 2 })]
    [InlineData("id = 1 AND status = \"ACTIVE\" AND process_id = 10", new long[] { 1 })]
    [InlineData("id = 4 OR id = 1 AND status = \"COMPLETED\"", new long[] { 4 })] // AND binds first, as in SQL
    [InlineData("(id = 4 OR id = 1) AND status = \"ACTIVE\"", new long[] { 1 })]
    [InlineData("id=1 OR(id=2)", new long[] { 1, 2 })] // whitespace is optional
    [InlineData("id = 1or id = 2", new long[] { 1, 2 })] // and so is the space before OR
    [InlineData("id IN [1, 3]", new long[] { 1, 3 })]
    [InlineData("id NOT IN [1, 3]", new long[] { 2, 4 })]
    [InlineData("status IN [\"error\", \"canceled\"]", new long[] { 3, 4 })] // the status alias, once per value
    [InlineData("CAST(data.amount AS number) > 900", new long[] { 1, 3 })]
    [InlineData("CAST(id AS text) = \"2\"", new long[] { 2 })]
    [InlineData("data.amount > 900", new long[] { 1, 3 })] // a number literal compares numerically
    [InlineData("lower(name) = \"otwell's order\"", new long[] { 2 })]
    [InlineData("upper(data.note) = \"RUSH\"", new long[] { 1 })]
    [InlineData("initiated_at < NOW", new long[] { 1, 2, 3, 4 })]
    [InlineData("initiated_at > NOW -2 DAY", new long[] { 2, 3 })]
    [InlineData("started < NOW -2 DAY", new long[] { 1, 4 })] // field alias started = initiated_at
    [InlineData("initiated_at > NOW -3 HOUR", new long[] { 3 })]
    [InlineData("created > \"2026-01-01\"", new long[] { 1, 2, 3 })] // a date string compares as a date (4 began 2025-12-26)
    [InlineData("status = \"In Progress\"", new long[] { 1 })]
    [InlineData("STATUS = \"completed\"", new long[] { 2 })] // aliases ignore the field's case
    [InlineData("status = \"Error\" OR status = \"Canceled\"", new long[] { 3, 4 })]
    [InlineData("status != \"ACTIVE\"", new long[] { 2, 3, 4 })]
    [InlineData("requester = \"taylor\"", new long[] { 1, 4 })]
    [InlineData("requester != \"taylor\"", new long[] { 2, 3 })]
    [InlineData("participant = \"otwell\"", new long[] { 2, 3 })]
    [InlineData("request = \"Orders\"", new long[] { 1, 2, 3, 4 })] // "request" is the process name
    [InlineData("fulltext = \"rush\"", new long[] { 1 })]
    [InlineData("completed_at = \"x\"", new long[0])] // NULL matches nothing
    public async Task Requests_match_as_processmaker_reads_the_query(string pmql, long[] expected)
    {
        await using var s = await StartAsync();
        var (status, body, text) = await TestSupport.PmClient(s).GetAsync2("requests?per_page=50&pmql=" + Q(pmql));
        Assert.True(status == 200, text);
        Assert.Equal(expected, Pm4Tenant.Ids(body).OrderBy(x => x));
    }

    [Theory]
    [InlineData("id == 2")] // "=" is tried before "==" and wins, then "= 2" is no value
    [InlineData("id <> 2")] // likewise "<" before "<>"
    [InlineData("initiated_at < NOW - 2 DAY")] // the number must follow the sign
    [InlineData("name = 'Orders'")] // strings are double-quoted only
    [InlineData("CAST(id AS integer) = 1")] // Cast maps number and text only
    [InlineData("id IN [1 ,3]")] // no space before a list's comma
    [InlineData("id IN []")]
    [InlineData("(id = 1")]
    [InlineData("id = 1 AND")]
    [InlineData("id = 007")] // int = "0" / [1-9][0-9]*
    public async Task A_query_processmaker_refuses_is_400_on_requests_500_on_tasks_and_400_on_processes(string pmql)
    {
        await using var s = await StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, _) = await c.GetAsync2("requests?pmql=" + Q(pmql));
        Assert.Equal((400, "Your PMQL contains invalid syntax."), (status, (string)body!["message"]!));
        (status, body, _) = await c.GetAsync2("tasks?pmql=" + Q(pmql));
        Assert.Equal((500, "Server Error"), (status, (string)body!["message"]!));
        (status, body, _) = await c.GetAsync2("processes?pmql=" + Q(pmql));
        Assert.Equal((400, "PMQL error"), (status, (string)body!["error"]!));
    }

    [Fact]
    public async Task An_unknown_username_or_column_is_answered_as_processmaker_answers_it()
    {
        await using var s = await StartAsync();
        using var c = TestSupport.PmClient(s);
        // valueAliasRequester throws PmqlMethodException: 400 with the field.
        var (status, body, _) = await c.GetAsync2("requests?pmql=" + Q("requester = \"nobody\""));
        Assert.Equal(400, status);
        Assert.Equal(("The specified requester username does not exist.", "requester"), ((string)body!["message"]!, (string)body["field"]!));
        (status, body, _) = await c.GetAsync2("requests?pmql=" + Q("participant = \"nobody\""));
        Assert.Equal((400, "participant"), (status, (string)body!["field"]!));
        // An unknown column is an SQL error: rethrown by the request listing (500), 422 from the task listing.
        Assert.Equal(500, (await c.GetAsync2("requests?pmql=" + Q("bogus = 1"))).Status);
        (status, body, _) = await c.GetAsync2("tasks?pmql=" + Q("bogus = 1"));
        Assert.Equal((422, "PMQL Is Invalid. Column not found: \"bogus\""), (status, (string)body!["message"]!));
    }

    [Theory]
    [InlineData("status = \"In Progress\"", new long[] { 1 })]
    [InlineData("status = \"Completed\"", new long[] { 2, 3, 4 })] // CLOSED tasks
    [InlineData("task = \"Task\" AND process_request_id = 2", new long[] { 2 })]
    [InlineData("request = \"Taylor's order\"", new long[] { 1 })] // on tasks, "request" is the request name
    [InlineData("data.amount > 900", new long[] { 1, 3 })] // fieldWildcard: the request's data
    [InlineData("due > NOW", new long[] { 1, 2, 3 })] // field alias due = due_at
    public async Task Tasks_match_with_the_token_aliases(string pmql, long[] expected)
    {
        await using var s = await StartAsync();
        var (status, body, text) = await TestSupport.PmClient(s).GetAsync2("tasks?per_page=50&pmql=" + Q(pmql));
        Assert.True(status == 200, text);
        Assert.Equal(expected, Pm4Tenant.Ids(body).Select(id => s.ProcessMaker.FindTask(id)!.Request.Id).OrderBy(x => x));
    }
}
