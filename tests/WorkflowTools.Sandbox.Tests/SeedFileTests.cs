using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>The seed file format: what loads, and every error the loader reports, with its line and path.</summary>
public sealed class SeedFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private static string ExamplePath => Path.Combine(AppContext.BaseDirectory, "Seeds", "example-seed.json");

    private static SeedError Single(string json)
    {
        var e = Assert.Throws<SeedFileException>(() => SeedDocument.Load(Encoding.UTF8.GetBytes(json), Now));
        return Assert.Single(e.Errors);
    }

    // A valid skeleton; each case replaces one marker with a faulty line so the expected line is known.
    private const string Skeleton = """
{
  "version": 1,
  "nextMatter": {
    "users": [ { "id": 10, "apiKeys": ["k10"] } ],
    "processes": [
      { "id": 7, "name": "W",
        "steps": [
          { "id": 701, "name": "S1", "fields": [
            { "id": 1, "name": "F", "type": "text" },
            { "id": 2, "name": "D", "type": "dropdown", "options": ["A"] }
          ] },
          { "id": 702, "name": "S2" }
        ] }
    ],
    "instances": [
      { "id": 5000, "process": 7 },
      @NM
    ]
  },
  "processMaker": {
    "users": [ { "id": 20, "username": "u" } ],
    "processes": [
      { "id": 30, "name": "P", "startEvents": [ { "id": "node_1" } ], "tasks": [ { "id": "node_2", "name": "T" } ] },
      @PMP
    ],
    "requests": [
      { "id": 100, "process": 30 },
      @PMR
    ]
  }
}
""";

    private static string Case(string marker, string text)
    {
        var json = Skeleton;
        foreach (var m in new[] { "@NM", "@PMP", "@PMR" })
            json = json.Replace(m, m == marker ? text : m switch
            {
                "@NM" => "{ \"process\": 7 }",
                "@PMP" => "{ \"id\": 31, \"name\": \"Q\", \"startEvents\": [ { \"id\": \"node_1\" } ] }",
                _ => "{ \"process\": 30 }",
            });
        return json;
    }

    private const int NmLine = 17, PmpLine = 24, PmrLine = 28;

    public static IEnumerable<object[]> Errors() => new List<object[]>
    {
        // instances
        new object[] { "@NM", "{ \"id\": 4000, \"process\": 7 }", NmLine, "nextMatter.instances[1].id", "must increase" },
        new object[] { "@NM", "{ \"process\": 8 }", NmLine, "nextMatter.instances[1].process", "workflow 8 is not in nextMatter.processes" },
        new object[] { "@NM", "{ }", NmLine, "nextMatter.instances[1].process", "is required" },
        new object[] { "@NM", "{ \"process\": \"7\" }", NmLine, "nextMatter.instances[1].process", "must be a whole number, not the string \"7\"" },
        new object[] { "@NM", "{ \"process\": 0 }", NmLine, "nextMatter.instances[1].process", "must be a positive number" },
        new object[] { "@NM", "{ \"process\": 7, \"status\": \"done\" }", NmLine, "nextMatter.instances[1].status", "'done' is not running, completed or aborted" },
        new object[] { "@NM", "{ \"process\": 7, \"runtime\": \"01:00:00\" }", NmLine, "nextMatter.instances[1].runtime", "a running instance has no runtime" },
        new object[] { "@NM", "{ \"process\": 7, \"status\": \"completed\", \"activeStep\": 701 }", NmLine, "nextMatter.instances[1].activeStep", "only a running instance" },
        new object[] { "@NM", "{ \"process\": 7, \"activeStep\": 999 }", NmLine, "nextMatter.instances[1].activeStep", "step 999 is not a step of workflow 7" },
        new object[] { "@NM", "{ \"process\": 7, \"priority\": \"X\" }", NmLine, "nextMatter.instances[1].priority", "'X' is not V" },
        new object[] { "@NM", "{ \"process\": 7, \"createdBy\": 99 }", NmLine, "nextMatter.instances[1].createdBy", "user 99 is not in nextMatter.users" },
        new object[] { "@NM", "{ \"process\": 7, \"values\": { \"abc\": {} } }", NmLine, "nextMatter.instances[1].values.abc", "keys of values are field ids" },
        new object[] { "@NM", "{ \"process\": 7, \"values\": { \"3\": {} } }", NmLine, "nextMatter.instances[1].values.3", "field 3 is not a field of workflow 7" },
        new object[] { "@NM", "{ \"process\": 7, \"values\": { \"1\": \"Ada\" } }", NmLine, "nextMatter.instances[1].values.1", "a value is the input_object" },
        new object[] { "@NM", "{ \"process\": 7, \"values\": [] }", NmLine, "nextMatter.instances[1].values", "must be an object" },
        new object[] { "@NM", "{ \"process\": 7, \"age\": \"1 00:00:00\", \"started\": \"2026-01-01T00:00:00Z\" }", NmLine, "nextMatter.instances[1].started", "give age or started, not both" },
        new object[] { "@NM", "{ \"process\": 7, \"age\": \"three days\" }", NmLine, "nextMatter.instances[1].age", "'three days' is not a duration" },
        new object[] { "@NM", "{ \"process\": 7, \"started\": \"yesterday\" }", NmLine, "nextMatter.instances[1].started", "'yesterday' is not an ISO 8601 time" },
        new object[] { "@NM", "{ \"process\": 7, \"tags\": [\"a\", 5] }", NmLine, "nextMatter.instances[1].tags[1]", "must be a non-empty string" },
        new object[] { "@NM", "{ \"process\": 7, \"tags\": \"a\" }", NmLine, "nextMatter.instances[1].tags", "must be a list of strings" },
        new object[] { "@NM", "{ \"process\": 7, \"Status\": \"running\" }", NmLine, "nextMatter.instances[1].Status", "did you mean \"status\"" },
        new object[] { "@NM", "{ \"process\": 7, \"colour\": \"red\" }", NmLine, "nextMatter.instances[1].colour", "unknown property (known here:" },
        new object[] { "@NM", "5", NmLine, "nextMatter.instances[1]", "must be an object" },
        new object[] { "@NM", "{ \"process\": 7, \"name\": 5 }", NmLine, "nextMatter.instances[1].name", "must be a string, not 5" },
        // processMaker processes
        new object[] { "@PMP", "{ \"id\": 30, \"name\": \"Q\", \"startEvents\": [ { \"id\": \"node_1\" } ] }", PmpLine, "processMaker.processes[1].id", "process 30 is given twice" },
        new object[] { "@PMP", "{ \"id\": 31, \"name\": \"Q\", \"status\": \"DRAFT\", \"startEvents\": [ { \"id\": \"node_1\" } ] }", PmpLine, "processMaker.processes[1].status", "'DRAFT' is not ACTIVE, INACTIVE or ARCHIVED" },
        new object[] { "@PMP", "{ \"id\": 31, \"name\": \"Q\", \"startEvents\": [ { \"id\": \"node_1\", \"type\": \"cron\" } ] }", PmpLine, "processMaker.processes[1].startEvents[0].type", "'cron' is not a start event type" },
        new object[] { "@PMP", "{ \"id\": 31, \"name\": \"Q\", \"startEvents\": [ { \"id\": \"node_1\" }, { \"id\": \"node_1\" } ] }", PmpLine, "processMaker.processes[1].startEvents[1].id", "element 'node_1' is given twice" },
        new object[] { "@PMP", "{ \"id\": 31, \"name\": \"Q\", \"startEvents\": [] }", PmpLine, "processMaker.processes[1].startEvents", "at least one start event" },
        new object[] { "@PMP", "{ \"id\": 31, \"name\": \"Q\", \"startEvents\": [ { \"id\": \"node 1\" } ] }", PmpLine, "processMaker.processes[1].startEvents[0].id", "not a BPMN element id" },
        new object[] { "@PMP", "{ \"id\": 31, \"name\": \"Q\", \"startEvents\": [ { \"id\": \"node_1\" } ], \"tasks\": [ { \"id\": \"node_2\" } ] }", PmpLine, "processMaker.processes[1].tasks[0].name", "is required" },
        new object[] { "@PMP", "{ \"id\": 31, \"name\": \"  \", \"startEvents\": [ { \"id\": \"node_1\" } ] }", PmpLine, "processMaker.processes[1].name", "must not be empty" },
        new object[] { "@PMP", "{ \"id\": 31, \"name\": \"Q\", \"startEvents\": [ { \"id\": \"node_1\" } ], \"raw\": [] }", PmpLine, "processMaker.processes[1].raw", "must be an object" },
        // processMaker requests
        new object[] { "@PMR", "{ \"id\": 50, \"process\": 30 }", PmrLine, "processMaker.requests[1].id", "must increase" },
        new object[] { "@PMR", "{ \"process\": 99 }", PmrLine, "processMaker.requests[1].process", "process 99 is not in processMaker.processes" },
        new object[] { "@PMR", "{ \"process\": 30, \"status\": \"OPEN\" }", PmrLine, "processMaker.requests[1].status", "'OPEN' is not ACTIVE" },
        new object[] { "@PMR", "{ \"process\": 30, \"user\": 77 }", PmrLine, "processMaker.requests[1].user", "user 77 is not in processMaker.users" },
        new object[] { "@PMR", "{ \"process\": 30, \"startEvent\": \"node_5\" }", PmrLine, "processMaker.requests[1].startEvent", "'node_5' is not a start event of process 30 (node_1)" },
        new object[] { "@PMR", "{ \"process\": 30, \"status\": \"COMPLETED\", \"openTask\": \"node_2\" }", PmrLine, "processMaker.requests[1].openTask", "only an ACTIVE request" },
        new object[] { "@PMR", "{ \"process\": 30, \"openTask\": \"node_7\" }", PmrLine, "processMaker.requests[1].openTask", "'node_7' is not a task of process 30 (node_2)" },
        new object[] { "@PMR", "{ \"process\": 30, \"data\": 5 }", PmrLine, "processMaker.requests[1].data", "must be an object" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Each_error_names_its_line_and_field(string marker, string text, int line, string path, string message)
    {
        var error = Single(Case(marker, text));
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void The_skeleton_itself_is_valid()
    {
        var seed = SeedDocument.Load(Encoding.UTF8.GetBytes(Case("", "")), Now);
        Assert.Equal(2, seed.NmInstances.Count);
        Assert.Equal(2, seed.PmProcesses.Count);
    }

    public static IEnumerable<object[]> DefinitionErrors() => new List<object[]>
    {
        // (whole document, line, path, message)
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7 }\n  ] }\n}", 4, "nextMatter.processes[0].name", "is required" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\" },\n    { \"id\": 7, \"name\": \"B\" }\n  ] }\n}", 5, "nextMatter.processes[1].id", "workflow 7 is given twice" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\", \"steps\": {} }\n  ] }\n}", 4, "nextMatter.processes[0].steps", "must be a list" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\", \"steps\": [ { \"id\": 1, \"name\": \"S\" },\n      { \"id\": 1, \"name\": \"T\" } ] }\n  ] }\n}", 5, "nextMatter.processes[0].steps[1].id", "step 1 is given twice" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\", \"steps\": [ { \"id\": 1, \"name\": \"S\",\n      \"assignee\": 5 } ] }\n  ] }\n}", 5, "nextMatter.processes[0].steps[0].assignee", "user 5 is not in nextMatter.users" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\", \"steps\": [ { \"id\": 1, \"name\": \"S\", \"fields\": [\n      { \"id\": 9, \"name\": \"F\", \"type\": \"slider\" } ] } ] }\n  ] }\n}", 5, "nextMatter.processes[0].steps[0].fields[0].type", "'slider' is not a field type (text, number, date, dropdown, radio, checklist, address, url, decision, file, user, table, multi_dropdown)" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\", \"steps\": [ { \"id\": 1, \"name\": \"S\", \"fields\": [\n      { \"id\": 9, \"name\": \"F\", \"type\": \"text\", \"options\": [\"a\"] } ] } ] }\n  ] }\n}", 5, "nextMatter.processes[0].steps[0].fields[0].options", "only dropdown, multi_dropdown, radio and checklist fields have options" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\", \"steps\": [ { \"id\": 1, \"name\": \"S\", \"fields\": [\n      { \"id\": 9, \"name\": \"F\", \"type\": \"radio\", \"options\": [] } ] } ] }\n  ] }\n}", 5, "nextMatter.processes[0].steps[0].fields[0].options", "must not be empty" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\", \"steps\": [ { \"id\": 1, \"name\": \"S\", \"fields\": [\n      { \"id\": 9, \"name\": \"F\", \"type\": \"text\" },\n      { \"id\": 9, \"name\": \"G\", \"type\": \"text\" } ] } ] }\n  ] }\n}", 6, "nextMatter.processes[0].steps[0].fields[1].id", "field 9 is given twice" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7, \"name\": \"A\", \"steps\": [ { \"id\": 1, \"name\": \"S\", \"fields\": [\n      { \"id\": 9, \"name\": \"F\", \"type\": \"text\",\n        \"required\": \"yes\" } ] } ] }\n  ] }\n}", 6, "nextMatter.processes[0].steps[0].fields[0].required", "must be true or false, not the string \"yes\"" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"users\": [\n    { \"id\": 10, \"apiKeys\": [] }\n  ] }\n}", 4, "nextMatter.users[0].apiKeys", "must not be empty" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"users\": [\n    { \"id\": 10 },\n    { \"id\": 10 }\n  ] }\n}", 5, "nextMatter.users[1].id", "user 10 is given twice" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"users\": [\n    { \"name\": \"X\" }\n  ] }\n}", 4, "nextMatter.users[0].id", "is required" },
        new object[] { "{\n  \"version\": 1,\n  \"processMaker\": { \"users\": [\n    { \"id\": 1, \"username\": \"root\" }\n  ] }\n}", 4, "processMaker.users[0].id", "user 1 is the sandbox's own (admin)" },
        new object[] { "{\n  \"version\": 1,\n  \"processMaker\": { \"users\": [\n    { \"id\": 3, \"username\": \"a\" },\n    { \"id\": 3, \"username\": \"b\" }\n  ] }\n}", 5, "processMaker.users[1].id", "user 3 is given twice" },
        new object[] { "{\n  \"version\": 1,\n  \"processMaker\": { \"users\": [\n    { \"id\": 3 }\n  ] }\n}", 4, "processMaker.users[0].username", "is required" },
        new object[] { "{\n  \"version\": 1,\n  \"demoData\": true,\n  \"nextMatter\": { \"instances\": [\n    { \"id\": 1010, \"process\": 1 }\n  ] }\n}", 5, "nextMatter.instances[0].id", "1010 is taken by the demo data" },
        new object[] { "{\n  \"version\": 1,\n  \"demoData\": true,\n  \"processMaker\": { \"requests\": [\n    { \"id\": 5, \"process\": 1 }\n  ] }\n}", 5, "processMaker.requests[0].id", "5 is taken by the demo data" },
        // the document itself
        new object[] { "{\n  \"version\": 2\n}", 2, "version", "2 is not a version this sandbox reads" },
        new object[] { "{\n  \"nextMatter\": {}\n}", 1, "version", "is required" },
        new object[] { "{\n  \"version\": \"1\"\n}", 2, "version", "must be a whole number" },
        new object[] { "{\n  \"version\": 1,\n  \"demoData\": 1\n}", 3, "demoData", "must be true or false" },
        new object[] { "{\n  \"version\": 1,\n  \"clock\": \"2026-01-05\"\n}", 3, "clock", "not an ISO 8601 time" },
        new object[] { "{\n  \"version\": 1,\n  \"nextmatter\": {}\n}", 3, "nextmatter", "did you mean \"nextMatter\"" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": []\n}", 3, "nextMatter", "must be an object" },
        new object[] { "[1, 2]", 1, "", "A seed file is a JSON object" },
        new object[] { "{\n  \"version\": 1,\n  \"clock\": \"2026-01-05T09:00:00Z\",\n  \"clock\": \"2026-01-06T09:00:00Z\"\n}", 4, "", "Property \"clock\" is given twice" },
        new object[] { "{\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [\n    { \"id\": 7 \"name\": \"A\" }\n  ] }\n}", 4, "", "Not valid JSON" },
        new object[] { "", 1, "", "The file is empty" },
        new object[] { "{ \"version\": 1 }\n{ }", 2, "", "Unexpected text after the end" },
    };

    [Theory]
    [MemberData(nameof(DefinitionErrors))]
    public void Definition_and_document_errors_name_their_line_and_field(string json, int line, string path, string message)
    {
        var error = Single(json);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_the_message_names_the_file()
    {
        var json = "{\n  \"version\": 1,\n  \"nextMatter\": { \"instances\": [\n    { \"process\": 1, \"status\": \"x\" },\n    { \"process\": 1, \"priority\": \"Z\" }\n  ] }\n}";
        var e = Assert.Throws<SeedFileException>(() => SeedDocument.Load(Encoding.UTF8.GetBytes(json), Now, "my-workflows.json"));
        Assert.Equal(new[] { 4, 4, 5, 5 }, e.Errors.Select(x => x.Line));
        Assert.Contains("my-workflows.json:line 4, nextMatter.instances[0].status: 'x' is not running", e.Message);
        Assert.Contains("my-workflows.json:line 5, nextMatter.instances[1].priority", e.Message);
    }

    [Fact]
    public void A_missing_file_says_it_cannot_be_read()
    {
        var e = Assert.Throws<SeedFileException>(() => SeedDocument.LoadFile(Path.Combine(Path.GetTempPath(), "no-such-seed-" + Guid.NewGuid() + ".json"), Now));
        Assert.Contains("Cannot read the file", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Comments_trailing_commas_and_a_byte_order_mark_are_accepted()
    {
        var json = "\uFEFF{\n  // a comment\n  \"version\": 1,\n  \"nextMatter\": { \"processes\": [ { \"id\": 7, \"name\": \"A\", }, ] },\n}";
        var seed = SeedDocument.Load(Encoding.UTF8.GetBytes(json), Now);
        Assert.Equal("A", Assert.Single(seed.NmProcesses).Name);
    }

    [Fact]
    public async Task The_example_seed_loads_and_is_served_as_written()
    {
        var seed = SeedDocument.LoadFile(ExamplePath, Now);
        Assert.Equal(SeedDocument.NmFieldTypes.OrderBy(t => t), seed.NmProcesses.SelectMany(p => p.Steps).SelectMany(s => s.Actions).Select(a => a.Type).Distinct().OrderBy(t => t));
        Assert.Equal(new[] { "none", "timer", "webentry" }, seed.PmProcesses.SelectMany(p => p.StartEvents).Select(e => e.Kind).Distinct().OrderBy(k => k));

        await using var s = await SandboxServer.StartAsync(new SandboxOptions { Seed = seed, ClockStart = seed.Clock });
        Assert.Equal(new long[] { 7 }, s.NextMatter.Processes.Select(p => p.Id));
        Assert.Null(s.NextMatter.FindInstance(1001));

        using var nm = TestSupport.NmClient(s, "nightly.report-key");
        var acme = (await nm.GetAsync2("instances/5001/")).Body!;
        Assert.Equal("Renewal ACME", (string?)acme["name"]);
        Assert.Equal("2026-02-26T08:00:00Z", (string?)acme["started_time"]);
        Assert.Equal(702, (long)acme["active_step_ids"]![0]!);
        var umbrella = (await nm.GetAsync2("instances/5004/")).Body!;
        Assert.Equal(new TimeSpan(1, 2, 0, 0), DateTimeOffset.Parse((string)umbrella["completed_time"]!) - DateTimeOffset.Parse((string)umbrella["started_time"]!));
        Assert.NotNull((await nm.GetAsync2("instances/5005/")).Body!["aborted_time"]);

        var process = (await nm.GetAsync2("processes/7/")).Body!;
        Assert.Equal("Yearly renewals", (string?)process["description"]);
        Assert.Equal("Sales", (string?)process["folder"]!["name"]);
        Assert.Equal("[\"Approve\",\"Decline\"]", process["steps"]![2]!["actions"]![0]!["settings"]!["labels"]!.ToJsonString());
        Assert.Equal(7, (long)process["id"]!); // modelled properties win over raw ones

        // a new instance continues after the highest seeded id; keys of seeded users work
        var created = await nm.PostAsync2("instances/", "{\"process\":\"http://x/api/processes/7/\",\"name\":\"New\"}");
        Assert.Equal(201, created.Status);
        Assert.Equal(5006, (long)created.Body!["id"]!);

        using var pm = TestSupport.PmClient(s, "pm.mwilson-token");
        var request = (await pm.GetAsync2("requests/100")).Body!;
        Assert.Equal(30, (long)request["process_id"]!);
        Assert.Equal(20, (long)request["user_id"]!);
        using var admin = TestSupport.PmClient(s);
        var tasks = (await admin.GetAsync2("tasks?process_request_id=100&status=ACTIVE")).Body!["data"]!.AsArray();
        Assert.Equal("node_3", (string?)Assert.Single(tasks)!["element_id"]);
        // node_3 is self service for group 5: unassigned, and listed for its member under user_id=
        Assert.Null(tasks[0]!["user_id"]);
        Assert.Equal(1, (int)tasks[0]!["is_self_service"]!);
        using var clerk = TestSupport.PmClient(s, "pm.rchen-token");
        var offered = (await clerk.GetAsync2("tasks?user_id=21")).Body!["data"]!.AsArray();
        Assert.Equal("[\"5\"]", Assert.Single(offered)!["self_service_groups"]!["groups"]!.ToJsonString());
        Assert.Equal(20, (long)(await admin.GetAsync2("processes/30")).Body!["manager_id"]!);
        var payroll = (await admin.GetAsync2("processes/31")).Body!;
        Assert.Equal("finance", (string?)payroll["properties"]!["owner"]);
        var startable = (await admin.GetAsync2("start_processes")).Body!["data"]!.AsArray();
        Assert.DoesNotContain(startable, p => (long)p!["id"]! == 31); // timer only
        Assert.Equal(103, (long)(await admin.PostAsync2("process_events/30?event=node_1", "{}")).Body!["id"]!);

        // what the tenant holds: request names, categories, INACTIVE processes, permissions, start-event assignments
        Assert.Equal("Leave Mia Wilson", (string)request["name"]!);
        var listed = (await pm.GetAsync2("processes?include=category&order_by=id")).Body!["data"]!.AsArray(); // view-processes
        Assert.Equal(new long[] { 30, 31, 32 }, listed.Select(p => (long)p!["id"]!));
        Assert.Equal(("Human resources", "INACTIVE"), ((string)listed[0]!["category"]!["name"]!, (string)listed[2]!["status"]!));
        Assert.Null(listed[2]!["category"]);
        Assert.Equal(403, (await clerk.GetAsync2("processes")).Status); // no view-processes
        Assert.Equal("user", (string)listed[0]!["start_events"]![0]!["assignment"]!);
        Assert.Equal(("20", "5"), ((string)listed[0]!["start_events"]![0]!["assignedUsers"]!, (string)listed[0]!["start_events"]![0]!["assignedGroups"]!));
        Assert.Equal(201, (await clerk.PostAsync2("process_events/30?event=node_1", "{}")).Status); // by group
        Assert.Equal(201, (await pm.PostAsync2("process_events/32?event=node_1", "{}")).Status); // as the manager
        Assert.Equal(403, (await clerk.PostAsync2("process_events/32?event=node_1", "{}")).Status);
        Assert.Equal(204, (await pm.PutAsync2("requests/101", "{\"data\":{\"days\":2}}")).Status); // editData names mwilson
    }

    [Fact]
    public async Task With_demoData_the_built_in_set_stays_and_the_seed_adds_to_it()
    {
        var json = "{\"version\":1,\"demoData\":true,\"nextMatter\":{\"instances\":[{\"process\":1,\"name\":\"Extra\",\"age\":\"5 00:00:00\"}]}}";
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { Seed = SeedDocument.Load(Encoding.UTF8.GetBytes(json), SandboxOptions.DefaultClockStart) });
        Assert.NotNull(s.NextMatter.FindInstance(1001));
        Assert.Equal("Extra", s.NextMatter.FindInstance(1031)!.Name);
        Assert.Equal(TimeSpan.FromDays(5), s.NextMatter.FindInstance(1031)!.TotalRuntime(s.Clock.Now));
    }
}
