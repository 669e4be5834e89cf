using System.IO;
using System.Text.Json.Nodes;

namespace WorkflowTools.Tests.Sandbox
{
    /// <summary>Export-WorkflowToolsSandboxSeed against the sandbox itself: export from one, seed a second, export again.</summary>
    public class SeedExportTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "wt-export-" + Guid.NewGuid().ToString("N"));

        public SeedExportTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        private static JsonNode Definitions(string file)
        {
            var seed = JsonNode.Parse(File.ReadAllText(file))!;
            seed.AsObject().Remove("clock");
            foreach (var i in seed["nextMatter"]?["instances"]?.AsArray() ?? new JsonArray())
            {
                i!.AsObject().Remove("age"); // ages count back from the moment of each export
            }

            foreach (var r in seed["processMaker"]?["requests"]?.AsArray() ?? new JsonArray())
            {
                r!.AsObject().Remove("age");
            }

            return seed;
        }

        [Fact]
        public void Definitions_exported_from_one_sandbox_seed_a_second_that_exports_the_same()
        {
            var first = Path.Combine(_dir, "first.json");
            var second = Path.Combine(_dir, "second.json");
            using var s = new PsSession();
            try
            {
                s.Run("$a = Start-WorkflowToolsSandbox -FrozenClock").ThrowIfFailed();
                var export = s.Run($"Export-WorkflowToolsSandboxSeed -Path '{first}' -NmProcessId 1, 2 -PmProcessId 1, 2, 3, 4 -NmConnection $a.NmConnection -PmConnection $a.PmConnection -IncludeInstances");
                export.ThrowIfFailed();
                Assert.Empty(export.Warnings);
                Assert.Equal(first, export.Single().P<string>("FullName"));

                s.Run($"$b = Start-WorkflowToolsSandbox -SeedPath '{first}' -FrozenClock").ThrowIfFailed();
                s.Run($"Export-WorkflowToolsSandboxSeed -Path '{second}' -NmProcessId 1, 2 -PmProcessId 1, 2, 3, 4 -NmConnection $b.NmConnection -PmConnection $b.PmConnection -IncludeInstances").ThrowIfFailed();
            }
            finally
            {
                s.Run("Stop-WorkflowToolsSandbox");
            }

            var a = Definitions(first);
            var b = Definitions(second);
            Assert.Equal(a.ToJsonString(), b.ToJsonString());

            // what was read: every field type and option of the demo workflows, every start event type, the tasks
            var onboarding = a["nextMatter"]!["processes"]![0]!;
            Assert.Equal("Employee onboarding", (string?)onboarding["name"]);
            Assert.Equal(new long[] { 42, 43, 44 }, onboarding["steps"]!.AsArray().Select(x => (long)x!["id"]!));
            var department = onboarding["steps"]![0]!["fields"]![1]!;
            Assert.Equal("{\"id\":789012,\"name\":\"Department\",\"type\":\"dropdown\",\"options\":[\"Value 2\",\"Sales\",\"IT\"]}", department.ToJsonString());
            Assert.True((bool)onboarding["steps"]![0]!["fields"]![0]!["required"]!);
            var purchase = a["processMaker"]!["processes"]![1]!;
            Assert.Equal(new[] { "node_1", "node_5" }, purchase["startEvents"]!.AsArray().Select(e => (string)e!["id"]!));
            Assert.Equal(new[] { "node_2", "node_3" }, purchase["tasks"]!.AsArray().Select(t => (string)t!["id"]!));
            Assert.Equal("timer", (string?)a["processMaker"]!["processes"]![2]!["startEvents"]![0]!["type"]);
            Assert.Equal("ARCHIVED", (string?)a["processMaker"]!["processes"]![3]!["status"]);

            // instances: state and step, no personal data
            var instances = a["nextMatter"]!["instances"]!.AsArray();
            Assert.Equal(30, instances.Count);
            Assert.All(instances, i => Assert.StartsWith("Instance ", (string)i!["name"]!));
            Assert.DoesNotContain("Lovelace", File.ReadAllText(first));
            Assert.Equal(43, (long)instances.Single(i => (long)i!["id"]! == 1006)!["activeStep"]!);
            Assert.Equal(12, a["processMaker"]!["requests"]!.AsArray().Count);
        }

        [Fact]
        public void What_a_tenant_holds_is_exported_statuses_categories_assignments_and_request_names()
        {
            var example = Path.Combine(RepoPaths.Root, "src", "WorkflowTools.Sandbox", "Seeds", "example-seed.json");
            var out1 = Path.Combine(_dir, "tenant.json");
            using var s = new PsSession();
            try
            {
                s.Run($"$a = Start-WorkflowToolsSandbox -SeedPath '{example}' -FrozenClock").ThrowIfFailed();
                var export = s.Run($"Export-WorkflowToolsSandboxSeed -Path '{out1}' -PmProcessId 30, 31, 32 -PmConnection $a.PmConnection -IncludeInstances");
                export.ThrowIfFailed();
                // permissions are hidden by ProcessMaker's API: the export says so
                Assert.Contains(export.Warnings, w => w.Contains("permissions", StringComparison.Ordinal));
                var pm = JsonNode.Parse(File.ReadAllText(out1))!["processMaker"]!;
                Assert.Equal("[{\"id\":2,\"name\":\"Human resources\"},{\"id\":3,\"name\":\"Finance\"}]", pm["categories"]!.ToJsonString());
                var processes = pm["processes"]!.AsArray();
                Assert.Equal(2, (long)processes[0]!["category"]!);
                Assert.Equal(new long[] { 20 }, processes[0]!["startEvents"]![0]!["assignedUsers"]!.AsArray().Select(u => (long)u!));
                var old = processes[2]!;
                Assert.Equal(("INACTIVE", 20L, true), ((string)old["status"]!, (long)old["manager"]!, (bool)old["startEvents"]![0]!["processManager"]!));
                Assert.Null(old["category"]);
                Assert.True(old.AsObject().ContainsKey("category"));
                Assert.Equal("Leave Mia Wilson", (string)pm["requests"]!.AsArray().Single(r => (long)r!["id"]! == 100)!["name"]!);
                Assert.False(pm["requests"]!.AsArray().Single(r => (long)r!["id"]! == 101)!.AsObject().ContainsKey("name")); // the process's own name
                // people: named by id, no names without -IncludePersonalData
                Assert.Contains(pm["users"]!.AsArray(), u => (long)u!["id"]! == 20 && (string)u["username"]! == "user20");
                Assert.DoesNotContain("mwilson", File.ReadAllText(out1));

                // and the file seeds a sandbox that holds the same
                s.Run($"$b = Start-WorkflowToolsSandbox -SeedPath '{out1}' -FrozenClock").ThrowIfFailed();
                var started = s.Run("(Invoke-PmApi -Method GET -Path 'processes/32' -Connection $b.PmConnection).status").ThrowIfFailed();
                Assert.Equal("INACTIVE", started.Single().BaseObject?.ToString());
            }
            finally
            {
                s.Run("Stop-WorkflowToolsSandbox");
            }
        }

        [Fact]
        public void Unknown_parts_are_kept_raw_and_served_back_and_people_stay_out()
        {
            var seed = Path.Combine(_dir, "raw.json");
            File.WriteAllText(seed, """
                { "version": 1, "nextMatter": { "processes": [ { "id": 5, "name": "W",
                  "raw": { "folder": { "id": 3, "owner_email": "x@example.com" }, "created_by": { "email": "y@example.com" } },
                  "steps": [ { "id": 51, "name": "S", "fields": [ { "id": 510, "name": "Sig", "type": "text", "raw": { "settings": { "placeholder": "Sign here" } } } ] } ] } ] } }
                """);
            var out1 = Path.Combine(_dir, "out.json");
            using var s = new PsSession();
            try
            {
                s.Run($"$a = Start-WorkflowToolsSandbox -SeedPath '{seed}' -FrozenClock").ThrowIfFailed();
                s.Run($"Export-WorkflowToolsSandboxSeed -Path '{out1}' -NmProcessId 5 -NmConnection $a.NmConnection").ThrowIfFailed();
                var exported = JsonNode.Parse(File.ReadAllText(out1))!["nextMatter"]!["processes"]![0]!;
                Assert.Equal("{\"folder\":{\"id\":3}}", exported["raw"]!.ToJsonString());
                Assert.Equal("Sign here", (string?)exported["steps"]![0]!["fields"]![0]!["raw"]!["settings"]!["placeholder"]);

                var exists = s.Run($"Export-WorkflowToolsSandboxSeed -Path '{out1}' -NmProcessId 5 -NmConnection $a.NmConnection");
                Assert.Equal("WorkflowTools.FileExists", Assert.Single(exists.AllErrors).FullyQualifiedErrorId.Split(',')[0]);
                s.Run($"Export-WorkflowToolsSandboxSeed -Path '{out1}' -NmProcessId 5 -NmConnection $a.NmConnection -Force -IncludePersonalData").ThrowIfFailed();
                Assert.Contains("x@example.com", File.ReadAllText(out1));
            }
            finally
            {
                s.Run("Stop-WorkflowToolsSandbox");
            }
        }
    }
}
