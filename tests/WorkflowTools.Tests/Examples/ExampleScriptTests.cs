using System.IO;
using System.Management.Automation;
using System.Text.Json;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.Examples
{
    /// <summary>
    /// The example scripts set and read process-wide environment variables ($env:WORKFLOWTOOLS_SANDBOX_NM,
    /// NEXTMATTER_API_KEY, …), so they run alone, never beside tests that read or remove those variables.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessEnvironmentCollection
    {
        public const string Name = "Process environment";
    }

    /// <summary>
    /// A sandbox whose clock starts now (frozen), so "older than 30 days" in a script means the same to the script
    /// (Get-Date) and to the sandbox; the variables WorkflowTools.Try gives a script; a session with the module
    /// imported but not connected: every example connects itself, as it would on a user's machine.
    /// </summary>
    public sealed class ExamplesFixture : IAsyncLifetime
    {
        private static readonly string[] Variables = { "WORKFLOWTOOLS_SANDBOX_NM", "WORKFLOWTOOLS_SANDBOX_PM", "NEXTMATTER_API_KEY", "PROCESSMAKER_TOKEN" };
        private readonly Dictionary<string, string?> _saved = new();

        public SandboxServer Sandbox { get; private set; } = null!;

        public PsSession Session { get; private set; } = null!;

        public string TempFolder { get; } = Path.Combine(Path.GetTempPath(), "wt-examples-" + Guid.NewGuid().ToString("N"));

        public async Task InitializeAsync()
        {
            Sandbox = await SandboxServer.StartAsync(new SandboxOptions { ClockStart = DateTimeOffset.UtcNow });
            foreach (var name in Variables)
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
            }

            Environment.SetEnvironmentVariable("WORKFLOWTOOLS_SANDBOX_NM", Sandbox.NextMatterBaseUri.AbsoluteUri);
            Environment.SetEnvironmentVariable("WORKFLOWTOOLS_SANDBOX_PM", Sandbox.ProcessMakerInstanceUri.AbsoluteUri);
            Environment.SetEnvironmentVariable("NEXTMATTER_API_KEY", Sandbox.NextMatterApiKey);
            Environment.SetEnvironmentVariable("PROCESSMAKER_TOKEN", Sandbox.ProcessMakerToken);
            Directory.CreateDirectory(TempFolder);
            Session = new PsSession();
        }

        public async Task DisposeAsync()
        {
            Session?.Dispose();
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            if (Directory.Exists(TempFolder))
            {
                Directory.Delete(TempFolder, recursive: true);
            }

            if (Sandbox != null)
            {
                await Sandbox.DisposeAsync();
            }
        }

        public long Mark() => Sandbox.Requests.All.Count == 0 ? 0 : Sandbox.Requests.All.Max(r => r.Sequence);

        public List<RecordedRequest> RequestsSince(long mark) => Sandbox.Requests.All.Where(r => r.Sequence > mark).OrderBy(r => r.Sequence).ToList();
    }

    /// <summary>Every example script, run as shipped in the built module folder, through the engine against the sandbox.</summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class ExampleScriptTests : IClassFixture<ExamplesFixture>
    {
        private const string NmInstance = "WorkflowTools.NextMatter.NmInstance";
        private readonly ExamplesFixture _f;

        public ExampleScriptTests(ExamplesFixture fixture)
        {
            _f = fixture;
        }

        public static string ShippedExample(string name) => Path.Combine(RepoPaths.ModuleFolder, "Examples", name);

        private PsResult Run(string example, string arguments = "")
        {
            var result = _f.Session.Run($"& '{ShippedExample(example)}' {arguments}");
            Assert.True(result.TerminatingError == null && result.Errors.Count == 0, $"{example} wrote errors: {result.Describe()}");
            return result;
        }

        private static JsonElement Body(RecordedRequest r) => JsonDocument.Parse(r.Body).RootElement;

        [Fact]
        public void QuickStart_creates_and_completes_an_instance_lists_by_runtime_and_starts_a_request()
        {
            var mark = _f.Mark();
            var output = Run("QuickStart.ps1").Output;

            var created = output[0];
            Assert.Equal(NmInstance, created.TypeName());
            Assert.Equal("Onboarding Ada Lovelace", created.P<string>("Name"));
            Assert.Equal("hr;remote", created.P("Tags")!.ToString());
            var id = created.P<long>("Id");

            var completion = output[1];
            Assert.Equal("WorkflowTools.NextMatter.NmStepCompletion", completion.TypeName());
            Assert.Equal(id, completion.P<long>("InstanceId"));
            Assert.Equal(42, completion.P<long>("StepId"));
            Assert.Equal(2, completion.P<int>("ActionCount"));
            Assert.Equal("43", completion.P("ActiveStepIds")!.ToString());

            var listed = output.Skip(2).TakeWhile(o => o.TypeName() == NmInstance).ToList();
            var running = listed.Where(o => o.P<string>("Status") == "Running").ToList();
            var completed = listed.Where(o => o.P<string>("Status") == "Completed").ToList();
            Assert.Equal(listed.Count, running.Count + completed.Count);
            Assert.Equal(new long[] { 1001, 1012, 1020, 1025 }, running.Select(o => o.P<long>("Id")).OrderBy(i => i));
            Assert.All(running, o => Assert.True(o.P<TimeSpan>("TotalRuntime") >= TimeSpan.FromDays(2)));
            Assert.Equal(new long[] { 1003, 1008, 1009, 1010, 1024 }, completed.Select(o => o.P<long>("Id")).OrderBy(i => i));
            Assert.All(completed, o => Assert.True(o.P<TimeSpan>("TotalRuntime") <= TimeSpan.FromMinutes(1)));

            var request = output[2 + listed.Count];
            Assert.Equal("WorkflowTools.ProcessMaker.PmRequest", request.TypeName());
            Assert.Equal(1, request.P<long>("ProcessId"));
            Assert.Equal("Active", request.P<string>("Status"));
            var finished = output[3 + listed.Count];
            Assert.Equal(request.P<long>("Id"), finished.P<long>("Id"));
            Assert.Equal("Completed", finished.P<string>("Status"));
            Assert.Equal(4 + listed.Count, output.Count);

            var wire = _f.RequestsSince(mark);
            var actions = Body(wire.Single(r => r.Path.EndsWith($"/instances/{id}/complete_step/", StringComparison.Ordinal))).GetProperty("actions")
                .EnumerateArray().ToDictionary(a => a.GetProperty("action_id").GetInt64(), a => a.GetProperty("input_object").GetRawText());
            Assert.Equal("{\"inputValue\":\"Ada Lovelace\"}", actions[123456]);
            Assert.Equal("{\"itemSelected\":\"Sales\"}", actions[789012]);
            Assert.Contains(wire, r => r.Query.Contains("total_runtime_min=2%2000%3A00%3A00", StringComparison.Ordinal));
            Assert.Contains(wire, r => r.Query.Contains("total_runtime_max=00%3A01%3A00", StringComparison.Ordinal));
            var stored = _f.Sandbox.ProcessMaker.FindRequest(request.P<long>("Id"))!;
            Assert.Equal("Ada Lovelace", stored.Data["employee"]!.GetValue<string>());
            Assert.Equal("2026-02-01", stored.Data["startDate"]!.GetValue<string>());
        }

        [Fact]
        public void NightlyRuntimeReport_writes_the_long_running_instances_longest_first_to_a_csv_and_returns_them()
        {
            var path = Path.Combine(_f.TempFolder, "long-running.csv");
            var mark = _f.Mark();
            var output = Run("NightlyRuntimeReport.ps1", $"-ProcessId 1 -LongerThan '2 00:00:00' -Path '{path}'").Output;

            Assert.All(output, o => Assert.Equal(NmInstance, o.TypeName()));
            Assert.Equal(new long[] { 1025, 1012, 1001, 1020 }, output.Select(o => o.P<long>("Id")));
            Assert.All(output, o => Assert.Equal("Running", o.P<string>("Status")));
            var list = Assert.Single(_f.RequestsSince(mark), r => r.Path.EndsWith("/processes/1/instances/", StringComparison.Ordinal));
            Assert.Contains("total_runtime_min=2%2000%3A00%3A00", list.Query);
            Assert.Contains("status=running", list.Query);
            Assert.Contains("ordering=-total_runtime", list.Query);

            var lines = File.ReadAllLines(path);
            Assert.Equal("\"Id\",\"Name\",\"StartedTime\",\"TotalRuntime\",\"Tags\",\"Priority\",\"ActiveStepIds\",\"Url\"", lines[0]);
            var rows = lines.Skip(1).Select(l => l.Trim('"').Split("\",\"")).ToList();
            Assert.Equal(new[] { "1025", "1012", "1001", "1020" }, rows.Select(r => r[0]));
            var adele = rows[0];
            Assert.Equal("Onboarding Adele Goldberg", adele[1]);
            Assert.Equal(TimeSpan.FromDays(45), TimeSpan.Parse(adele[3], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("finance;remote", adele[4]);
            Assert.Equal("VeryHigh", adele[5]);
            Assert.Equal("44", adele[6]);
            Assert.EndsWith("/instances/1025/", adele[7]);
            Assert.DoesNotContain("System.", File.ReadAllText(path));
        }

        [Fact]
        public void BulkCreateFromCsv_starts_one_instance_per_row_and_WhatIf_sends_nothing()
        {
            var mark = _f.Mark();
            var whatIf = Run("BulkCreateFromCsv.ps1", "-WhatIf");
            Assert.Empty(whatIf.Output);
            Assert.DoesNotContain(_f.RequestsSince(mark), r => r.Method == "POST");

            mark = _f.Mark();
            var output = Run("BulkCreateFromCsv.ps1").Output;
            Assert.Equal(4, output.Count);
            Assert.All(output, o => Assert.Equal(NmInstance, o.TypeName()));
            Assert.Equal(new[] { "Onboarding Barbara McClintock", "Onboarding Claude Shannon", "Onboarding Mary Jackson" }, output.Take(3).Select(o => o.P<string>("Name")));
            Assert.Equal(new[] { "research", "research;remote", "engineering", "vendor" }, output.Select(o => o.P("Tags")!.ToString()));
            Assert.Equal(new[] { "Regular", "High", "VeryHigh", "Regular" }, output.Select(o => o.P<string>("Priority")));
            Assert.Equal(new long[] { 1, 1, 1, 2 }, output.Select(o => o.P<long>("ProcessId")));
            Assert.StartsWith("Vendor review", output[3].P<string>("Name"));

            var posts = _f.RequestsSince(mark).Where(r => r.Method == "POST").ToList();
            Assert.Equal(4, posts.Count);
            Assert.Equal(new[] { "research", "remote" }, Body(posts[1]).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal("H", Body(posts[1]).GetProperty("priority").GetString());
        }

        [Fact]
        public void BulkCreateFromCsv_reports_a_failing_row_and_still_creates_the_others()
        {
            var path = Path.Combine(_f.TempFolder, "rows-with-a-bad-one.csv");
            File.WriteAllText(path, "ProcessId,Name,Tags,Priority\n1,Row one,,Regular\n999999,Row two,x,Regular\n1,Row three,a;b,High\n");
            var result = _f.Session.Run($"& '{ShippedExample("BulkCreateFromCsv.ps1")}' -Path '{path}'");

            Assert.Equal(new[] { "Row one", "Row three" }, result.Output.Select(o => o.P<string>("Name")));
            Assert.Equal(new[] { string.Empty, "a;b" }, result.Output.Select(o => o.P("Tags")!.ToString()));
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.", error.FullyQualifiedErrorId);
            Assert.Null(result.TerminatingError);
        }

        [Fact]
        public void CancelStaleRequests_cancels_only_the_requests_in_progress_for_longer_than_the_cutoff()
        {
            var mark = _f.Mark();
            var whatIf = Run("CancelStaleRequests.ps1", "-OlderThanDays 30 -WhatIf");
            Assert.Empty(whatIf.Output);
            Assert.DoesNotContain(_f.RequestsSince(mark), r => r.Method is "PUT" or "POST" or "DELETE");
            Assert.Equal("ACTIVE", _f.Sandbox.ProcessMaker.FindRequest(1)!.Status);

            mark = _f.Mark();
            var output = Run("CancelStaleRequests.ps1", "-OlderThanDays 30").Output;

            // Seed requests 1 (40 days) and 12 (90 days) are stale; 3, 5 and 6 (1-3 days) are not.
            Assert.All(output, o => Assert.Equal("WorkflowTools.ProcessMaker.PmRequest", o.TypeName()));
            Assert.Equal(new long[] { 1, 12 }, output.Select(o => o.P<long>("Id")).OrderBy(i => i));
            Assert.Equal("CANCELED", _f.Sandbox.ProcessMaker.FindRequest(1)!.Status);
            Assert.Equal("CANCELED", _f.Sandbox.ProcessMaker.FindRequest(12)!.Status);
            foreach (var id in new long[] { 3, 5, 6 })
            {
                Assert.Equal("ACTIVE", _f.Sandbox.ProcessMaker.FindRequest(id)!.Status);
            }

            var changes = _f.RequestsSince(mark).Where(r => r.Method is "PUT" or "POST" or "DELETE").ToList();
            Assert.Equal(2, changes.Count);
            Assert.All(changes, r => Assert.True(r.Path.EndsWith("/requests/1", StringComparison.Ordinal) || r.Path.EndsWith("/requests/12", StringComparison.Ordinal), r.Path));
        }
    }
}
