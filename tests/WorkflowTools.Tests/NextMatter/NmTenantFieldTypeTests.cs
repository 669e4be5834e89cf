using System.IO;
using System.Text.Json.Nodes;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>
    /// Field type names as a tenant gives them: a seed's raw.type is served as the field's type, Complete-NmStep maps
    /// the names it knows (multi-value dropdowns to itemsSelected) and warns, naming type and action, for the ones it
    /// does not, and Export-WorkflowToolsSandboxSeed keeps the tenant's names.
    /// </summary>
    public class NmTenantFieldTypeTests : IDisposable
    {
        private const string Seed = """
            { "version": 1, "nextMatter": { "processes": [ { "id": 8, "name": "Equipment",
              "steps": [ { "id": 81, "name": "Details", "fields": [
                { "id": 810, "name": "Devices", "type": "multi_dropdown", "options": ["Laptop", "Phone", "Tablet"] },
                { "id": 811, "name": "Signature", "type": "text", "raw": { "type": "signature" } },
                { "id": 812, "name": "Team", "type": "dropdown", "options": ["Sales", "IT"], "raw": { "type": "single_select" } },
                { "id": 813, "name": "Contract", "type": "file" } ] } ] } ] } }
            """;

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "wt-fieldtypes-" + Guid.NewGuid().ToString("N"));

        public NmTenantFieldTypeTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        [Fact]
        public void Tenant_type_names_are_served_mapped_warned_about_and_exported()
        {
            var seed = Path.Combine(_dir, "seed.json");
            File.WriteAllText(seed, Seed);
            using var s = new PsSession();
            try
            {
                s.Run($"$sb = Start-WorkflowToolsSandbox -SeedPath '{seed}' -FrozenClock -Connect").ThrowIfFailed();
                var types = s.Run("Get-NmProcess -ProcessId 8 -Step | ForEach-Object { $_.Actions } | ForEach-Object { \"$($_.Id)=$($_.Type)\" }").ThrowIfFailed().Output.Select(o => o.ToString());
                Assert.Equal(new[] { "810=multi_dropdown", "811=signature", "812=single_select", "813=file" }, types);

                var run = s.Run("$i = New-NmInstance -ProcessId 8 -Name 'Kit'; Clear-WorkflowToolsSandboxRequest; " +
                    "$i | Complete-NmStep -StepId 81 -Value @{ 810 = 'Laptop', 'Phone'; 811 = 'A. Lovelace'; 812 = 'Sales'; 813 = 'https://files.example/c.pdf' } -WarningVariable w -WarningAction SilentlyContinue | Out-Null; $w");
                run.ThrowIfFailed();
                var warnings = run.Output.Select(o => o.ToString()).ToList();
                Assert.Equal(2, warnings.Count);
                Assert.Contains(warnings, w => w.Contains("Action 811 (\"Signature\")") && w.Contains("'signature', which WorkflowTools does not know") && w.Contains("{\"inputValue\": …}"));
                Assert.Contains(warnings, w => w.Contains("Action 813 (\"Contract\")") && w.Contains("'file' field, whose input object Next Matter does not document"));

                var body = JsonNode.Parse(s.Run("(Get-WorkflowToolsSandboxRequest -Method POST -Path '*/complete_step/').Body").ThrowIfFailed().Single().ToString())!;
                var sent = body["actions"]!.AsArray().ToDictionary(a => (long)a!["action_id"]!, a => a!["input_object"]!.ToJsonString());
                Assert.Equal("{\"itemsSelected\":[\"Laptop\",\"Phone\"]}", sent[810]);
                Assert.Equal("{\"inputValue\":\"A. Lovelace\"}", sent[811]);
                Assert.Equal("{\"itemSelected\":\"Sales\"}", sent[812]);
                Assert.Equal("{\"inputValue\":\"https://files.example/c.pdf\"}", sent[813]);

                // Once per field and connection: a second instance completes without the same warnings again.
                var again = s.Run("New-NmInstance -ProcessId 8 -Name 'Kit 2' | Complete-NmStep -StepId 81 -Value @{ 811 = 'G. Hopper'; 813 = 'x' } -WarningVariable w2 -WarningAction SilentlyContinue | Out-Null; $w2");
                again.ThrowIfFailed();
                Assert.Empty(again.Output);

                // The export keeps the tenant's names: mapped for the sandbox, the original under raw.type.
                var file = Path.Combine(_dir, "export.json");
                var export = s.Run($"Export-WorkflowToolsSandboxSeed -Path '{file}' -NmProcessId 8 -WarningVariable ew -WarningAction SilentlyContinue | Out-Null; $ew");
                export.ThrowIfFailed();
                Assert.Contains(export.Output, w => w.ToString().Contains("field 811: type 'signature' is not one WorkflowTools knows"));
                var fields = JsonNode.Parse(File.ReadAllText(file))!["nextMatter"]!["processes"]![0]!["steps"]![0]!["fields"]!.AsArray();
                string Field(long id) => fields.Single(f => (long)f!["id"]! == id)!.ToJsonString();
                Assert.Equal("{\"id\":810,\"name\":\"Devices\",\"type\":\"multi_dropdown\",\"options\":[\"Laptop\",\"Phone\",\"Tablet\"]}", Field(810));
                Assert.Equal("{\"id\":811,\"name\":\"Signature\",\"type\":\"text\",\"raw\":{\"type\":\"signature\"}}", Field(811));
                Assert.Equal("{\"id\":812,\"name\":\"Team\",\"type\":\"dropdown\",\"options\":[\"Sales\",\"IT\"],\"raw\":{\"type\":\"single_select\"}}", Field(812));
                Assert.Equal("{\"id\":813,\"name\":\"Contract\",\"type\":\"file\"}", Field(813));
            }
            finally
            {
                s.Run("Stop-WorkflowToolsSandbox");
            }
        }
    }
}
