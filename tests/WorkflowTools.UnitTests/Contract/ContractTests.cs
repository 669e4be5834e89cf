using System.Collections;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.ProcessMaker;
using SandboxOptions = WorkflowTools.Sandbox.SandboxOptions;
using SandboxServer = WorkflowTools.Sandbox.SandboxServer;

namespace WorkflowTools.UnitTests.Contract
{
    /// <summary>
    /// The contract fixtures (tests/Fixtures/contract, written from Next Matter's public reference and the PM4 source):
    /// (a) the client reads each documented answer right, (b) the sandbox answers the same case with the same keys and
    /// value types, (c) what the client sends has the documented request's keys and types.
    /// </summary>
    public class ContractTests
    {
        private static readonly string Root = FindRoot();

        public static IEnumerable<object[]> Fixtures() =>
            Directory.GetFiles(Path.Combine(Root, "tests", "Fixtures", "contract"), "*.json", SearchOption.AllDirectories)
                .Select(f => new object[] { Path.GetRelativePath(Path.Combine(Root, "tests", "Fixtures", "contract"), f).Replace('\\', '/') })
                .OrderBy(f => (string)f[0]);

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "WorkflowTools.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("WorkflowTools.sln not found above the test assembly.");
        }

        private static JsonDocument Load(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "tests", "Fixtures", "contract", name)));

        [Theory]
        [MemberData(nameof(Fixtures))]
        public void Every_fixture_names_its_source_and_has_a_case(string name)
        {
            using var doc = Load(name);
            var root = doc.RootElement;
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("source").GetString()), name);
            Assert.True(root.TryGetProperty("request", out _) || root.TryGetProperty("response", out _), name);
        }

        // ---------- (a) the client reads the documented answers ----------

        [Fact]
        public void The_client_reads_a_documented_instance()
        {
            using var doc = Load("nextmatter/create-instance.json");
            var instance = NmInstance.FromJson(doc.RootElement.GetProperty("response").GetProperty("body"), new DateTime(2023, 11, 2, 0, 0, 0, DateTimeKind.Utc));
            Assert.Equal(5001, instance.Id);
            Assert.Equal(123, instance.ProcessId);
            Assert.Equal(NmPriority.VeryHigh, instance.Priority);
            Assert.Equal("a;b", instance.Tags!.ToString());
            Assert.Equal(new long[] { 42 }, instance.ActiveStepIds);
            Assert.Equal(NmInstanceStatus.Running, instance.Status); // derived: the detail has no status field
            Assert.Equal(new DateTime(2023, 11, 7, 5, 31, 56, DateTimeKind.Utc), instance.Deadline);
        }

        [Fact]
        public void The_client_reads_slim_listing_rows_without_inventing_values()
        {
            using var doc = Load("nextmatter/list-instances-slim.json");
            var rows = doc.RootElement.GetProperty("response").GetProperty("body").GetProperty("results").EnumerateArray()
                .Select(r => NmInstance.FromJson(r, DateTime.UtcNow, 77)).ToList();
            Assert.Equal(new long[] { 101, 102 }, rows.Select(r => r.Id));
            Assert.All(rows, r => Assert.Equal(77, r.ProcessId));
            Assert.Equal(new NmInstanceStatus?[] { NmInstanceStatus.Completed, NmInstanceStatus.Running }, rows.Select(r => r.Status));
            Assert.All(rows, r =>
            {
                Assert.Null(r.Priority);
                Assert.Null(r.Tags);
                Assert.Null(r.ActiveStepIds);
                Assert.Null(r.StartedTime);
                Assert.Null(r.TotalRuntime);
            });
        }

        [Fact]
        public void The_client_reads_stored_typed_values_back()
        {
            using var doc = Load("nextmatter/complete-step-typed-fields.json");
            var actions = doc.RootElement.GetProperty("request").GetProperty("body").GetProperty("actions").EnumerateArray().ToList();
            Assert.Equal("Taxi", NmValues.Simplify(actions[0].GetProperty("input_object").ToPlainValue(), NmFieldKind.Text));
            Assert.Equal(10000L, NmValues.Simplify(actions[1].GetProperty("input_object").ToPlainValue(), NmFieldKind.Number));
            Assert.Equal("https://example.com/receipt.pdf", NmValues.Simplify(actions[2].GetProperty("input_object").ToPlainValue(), NmFieldKind.Url));
        }

        [Theory]
        [InlineData("processmaker/process-include-events-admin.json", false)]
        [InlineData("processmaker/processes-list-row.json", true)]
        public void The_client_picks_only_the_start_events_a_person_can_start(string name, bool listRow)
        {
            using var doc = Load(name);
            var body = doc.RootElement.GetProperty("response").GetProperty("body");
            var process = PmProcess.FromJson(listRow ? body.GetProperty("data")[0] : body);
            Assert.Equal(new[] { "node_1" }, process.StartEvents.Select(e => e.Id));
        }

        [Fact]
        public void The_client_reads_an_unclaimed_self_service_task_as_unassigned()
        {
            using var doc = Load("processmaker/tasks-user-id-self-service.json");
            var rows = doc.RootElement.GetProperty("response").GetProperty("body").GetProperty("data").EnumerateArray().Select(PmTask.FromJson).ToList();
            Assert.Equal((1L, false), (rows[0].UserId!.Value, rows[0].IsSelfService));
            Assert.Null(rows[1].UserId);
            Assert.True(rows[1].IsSelfService);
            Assert.Equal(PmTaskStatus.Active, rows[1].Status);
        }

        [Fact]
        public void The_client_reads_a_started_request()
        {
            using var doc = Load("processmaker/start-request.json");
            var request = PmRequest.FromJson(doc.RootElement.GetProperty("response").GetProperty("body"));
            Assert.Equal(13, request.Id);
            Assert.Equal(1, request.ProcessId);
            Assert.Equal(PmRequestStatus.Active, request.Status);
            Assert.Null(request.CompletedAt);
        }

        // ---------- (b) the sandbox answers with the same keys and types ----------

        public static IEnumerable<object[]> SandboxCases() =>
            Fixtures().Where(f =>
            {
                using var doc = Load((string)f[0]);
                return doc.RootElement.TryGetProperty("sandbox", out _) && doc.RootElement.TryGetProperty("response", out _);
            });

        [Theory]
        [MemberData(nameof(SandboxCases))]
        public async Task The_sandbox_answers_like_the_fixture(string name)
        {
            using var doc = Load(name);
            var root = doc.RootElement;
            var ask = root.GetProperty("sandbox");
            var slim = ask.TryGetProperty("slimRows", out var s) && s.GetBoolean();
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SlimListRows = slim });
            var nm = name.StartsWith("nextmatter/", StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = nm ? sandbox.NextMatterBaseUri : sandbox.ProcessMakerBaseUri };
            http.DefaultRequestHeaders.Authorization = nm
                ? new AuthenticationHeaderValue("Api-Key", sandbox.NextMatterApiKey)
                : new AuthenticationHeaderValue("Bearer", ask.TryGetProperty("as", out var who) && who.GetString() == "user" ? WorkflowTools.Sandbox.ProcessMakerStore.UserToken : sandbox.ProcessMakerToken);
            using var message = new HttpRequestMessage(new HttpMethod(ask.GetProperty("method").GetString()!), ask.GetProperty("path").GetString());
            if (ask.TryGetProperty("body", out var body))
            {
                message.Content = new StringContent(body.GetRawText(), Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            var expected = root.GetProperty("response");
            Assert.True(expected.GetProperty("status").GetInt32() == (int)response.StatusCode, $"{name}: {(int)response.StatusCode} {text}");
            using var actual = JsonDocument.Parse(text);
            var problems = new List<string>();
            Shape.Compare(expected.GetProperty("body"), actual.RootElement, root.GetProperty("exactKeys").GetBoolean(), "$", problems);
            Assert.True(problems.Count == 0, name + ": " + string.Join("; ", problems));
        }

        // ---------- (c) the client sends the documented request ----------

        [Fact]
        public async Task The_client_creates_an_instance_with_the_documented_body()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var client = new NmClient(Api(sandbox, nm: true));
            await client.CreateInstanceAsync(new NmNewInstance { ProcessId = 1, Name = "Contract", Deadline = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc), Priority = NmPriority.VeryHigh, Tags = new[] { "a", "b" } }, CancellationToken.None);
            AssertSent(sandbox, "nextmatter/create-instance.json", r => r.Method == "POST");
        }

        [Fact]
        public async Task The_client_completes_typed_fields_with_the_documented_input_objects()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var client = new NmClient(Api(sandbox, nm: true));
            var instance = await client.CreateInstanceAsync(new NmNewInstance { ProcessId = 3, Name = "Claim" }, CancellationToken.None);
            await client.CompleteStepWithValuesAsync(instance.Id, 3, 60, new[]
            {
                new KeyValuePair<long, object?>(600001, "Taxi"),
                new KeyValuePair<long, object?>(600002, 10000),
                new KeyValuePair<long, object?>(600003, "https://example.com/receipt.pdf"),
            }, CancellationToken.None);
            AssertSent(sandbox, "nextmatter/complete-step-typed-fields.json", r => r.Method == "POST" && r.Path.EndsWith("/complete_step/", StringComparison.Ordinal));

            var completion = await client.CompleteStepWithValuesAsync(instance.Id, 3, 61, new[] { new KeyValuePair<long, object?>(600004, "decline") }, CancellationToken.None);
            Assert.Equal(NmInstanceStatus.Aborted, completion.InstanceStatus);
            AssertSent(sandbox, "nextmatter/complete-step-decision.json", r => r.Method == "POST" && r.Path.EndsWith("/complete_step/", StringComparison.Ordinal));
        }

        [Fact]
        public async Task The_client_sends_bulk_abort_as_documented()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            await new NmClient(Api(sandbox, nm: true)).BulkAsync(NmBulkOperation.Abort, new long[] { 1001, 1002 }, CancellationToken.None);
            var sent = AssertSent(sandbox, "nextmatter/bulk-abort.json", r => r.Method == "POST");
            Assert.EndsWith("/instances/bulk/abort", sent.Path);
        }

        [Fact]
        public async Task The_client_starts_a_request_as_documented()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var client = new PmClient(Api(sandbox, nm: false));
            await client.StartRequestAsync(1, "node_1", new Hashtable { ["employee"] = "Ada" }, CancellationToken.None);
            var sent = AssertSent(sandbox, "processmaker/start-request.json", r => r.Method == "POST");
            Assert.Equal("?event=node_1", sent.Query);
        }

        private static ApiClient Api(SandboxServer sandbox, bool nm) =>
            new ApiClient(
                new ConnectionSettings { ServiceName = nm ? "Next Matter" : "ProcessMaker", BaseUri = nm ? sandbox.NextMatterBaseUri : sandbox.ProcessMakerBaseUri, MaxRetries = 0 },
                nm
                    ? new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText(sandbox.NextMatterApiKey))
                    : new SecretAuthorization("Bearer", SecretAuthorization.FromPlainText(sandbox.ProcessMakerToken)));

        private static WorkflowTools.Sandbox.RecordedRequest AssertSent(SandboxServer sandbox, string fixture, Func<WorkflowTools.Sandbox.RecordedRequest, bool> which)
        {
            using var doc = Load(fixture);
            var expected = doc.RootElement.GetProperty("request");
            var sent = sandbox.Requests.All.Last(which);
            Assert.Equal(expected.GetProperty("method").GetString(), sent.Method);
            using var body = JsonDocument.Parse(sent.Body);
            var problems = new List<string>();
            Shape.Compare(expected.GetProperty("body"), body.RootElement, doc.RootElement.GetProperty("exactKeys").GetBoolean(), "$", problems);
            Assert.True(problems.Count == 0, fixture + ": " + string.Join("; ", problems) + " in " + sent.Body);
            return sent;
        }
    }

    /// <summary>
    /// Compares two JSON values by keys and value kinds; a null on either side matches any kind, {} any object; lists
    /// as <see cref="CompareLists"/> says.
    /// </summary>
    internal static class Shape
    {
        public static void Compare(JsonElement expected, JsonElement actual, bool exactKeys, string path, List<string> problems)
        {
            if (expected.ValueKind == JsonValueKind.Null || actual.ValueKind == JsonValueKind.Null)
            {
                return;
            }

            if (Kind(expected) != Kind(actual))
            {
                problems.Add($"{path} is {actual.ValueKind}, documented {expected.ValueKind}");
                return;
            }

            if (expected.ValueKind == JsonValueKind.Object && !expected.EnumerateObject().Any())
            {
                // {} in a fixture: an object whose contents the source does not document.
                return;
            }

            if (expected.ValueKind == JsonValueKind.Object)
            {
                var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var property in expected.EnumerateObject())
                {
                    if (!actual.TryGetProperty(property.Name, out var value))
                    {
                        problems.Add($"{path}.{property.Name} is missing");
                        continue;
                    }

                    Compare(property.Value, value, exactKeys, path + "." + property.Name, problems);
                }

                if (exactKeys)
                {
                    foreach (var extra in actualKeys.Where(k => !expected.TryGetProperty(k, out _)))
                    {
                        problems.Add($"{path}.{extra} is not in the documented shape");
                    }
                }
            }
            else if (expected.ValueKind == JsonValueKind.Array)
            {
                CompareLists(expected, actual, exactKeys, path, problems);
            }
        }

        /// <summary>
        /// Lists hold examples, not a count: their lengths are not compared, except that a documented non-empty list
        /// answered empty (or a documented empty list answered with elements, whose shape nothing then documents)
        /// fails. Each element of the answer must match one of the documented elements (any of them, not the one at
        /// its position: a documented list may show a manual and a timer start event, the answer them in another
        /// order or only one kind); an element that matches none is reported against the closest one.
        /// </summary>
        private static void CompareLists(JsonElement expected, JsonElement actual, bool exactKeys, string path, List<string> problems)
        {
            var documented = expected.GetArrayLength();
            var answered = actual.GetArrayLength();
            if (documented == 0 && answered == 0)
            {
                return;
            }

            if (documented > 0 && answered == 0)
            {
                problems.Add($"{path} is an empty list, documented with {documented} element(s)");
                return;
            }

            if (documented == 0)
            {
                problems.Add($"{path} has {answered} element(s), documented as an empty list (document an element's shape)");
                return;
            }

            var i = 0;
            foreach (var item in actual.EnumerateArray())
            {
                List<string>? closest = null;
                foreach (var example in expected.EnumerateArray())
                {
                    var found = new List<string>();
                    Compare(example, item, exactKeys, $"{path}[{i}]", found);
                    if (closest == null || found.Count < closest.Count)
                    {
                        closest = found;
                    }

                    if (found.Count == 0)
                    {
                        break;
                    }
                }

                problems.AddRange(closest!);
                i++;
            }
        }

        private static JsonValueKind Kind(JsonElement e) => e.ValueKind == JsonValueKind.False ? JsonValueKind.True : e.ValueKind;
    }

    internal static class JsonPlainExtensions
    {
        public static object? ToPlainValue(this JsonElement e) => WorkflowTools.Json.JsonRead.ToPlain(e);
    }
}
