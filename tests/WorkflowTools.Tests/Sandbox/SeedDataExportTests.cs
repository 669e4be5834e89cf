using System.IO;
using System.Text.Json.Nodes;

namespace WorkflowTools.Tests.Sandbox
{
    /// <summary>
    /// Export-WorkflowToolsSandboxSeed and ProcessMaker's data: environment variables by name and description with
    /// <c>"value": null</c> (PM4 never answers a value), and, with -IncludeInstances -IncludePersonalData, request files.
    /// </summary>
    public class SeedDataExportTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "wt-dataexport-" + Guid.NewGuid().ToString("N"));

        public SeedDataExportTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        private static JsonNode WithoutTimes(string file)
        {
            var seed = JsonNode.Parse(File.ReadAllText(file))!;
            seed.AsObject().Remove("clock");
            foreach (var r in seed["processMaker"]?["requests"]?.AsArray() ?? new JsonArray())
            {
                r!.AsObject().Remove("age");
            }

            return seed;
        }

        [Fact]
        public void Files_and_variables_exported_from_one_sandbox_seed_a_second_that_exports_the_same()
        {
            var attachment = Path.Combine(_dir, "contract.bin");
            var bytes = new byte[] { 0, 1, 2, 250, 251, 252, 10, 13 };
            File.WriteAllBytes(attachment, bytes);
            var first = Path.Combine(_dir, "first.json");
            var plain = Path.Combine(_dir, "plain.json");
            var second = Path.Combine(_dir, "second.json");
            using var s = new PsSession();
            try
            {
                s.Run("$a = Start-WorkflowToolsSandbox -FrozenClock").ThrowIfFailed();
                s.Run("$null = New-PmEnvironmentVariable -Name API_URL -Value (ConvertTo-SecureString 'never-exported' -AsPlainText -Force) -Description 'Where the API is' -Connection $a.PmConnection").ThrowIfFailed();
                s.Run($"Add-PmRequestFile -RequestId 5 -Path '{attachment}' -DataName contract -Connection $a.PmConnection").ThrowIfFailed();
                var export = s.Run($"Export-WorkflowToolsSandboxSeed -Path '{first}' -PmProcessId 2 -IncludeInstances -IncludePersonalData -PmConnection $a.PmConnection");
                export.ThrowIfFailed();
                Assert.Contains(export.Warnings, w => w.Contains("\"value\": null", StringComparison.Ordinal));
                s.Run($"Export-WorkflowToolsSandboxSeed -Path '{plain}' -PmProcessId 2 -IncludeInstances -PmConnection $a.PmConnection").ThrowIfFailed();

                s.Run($"$b = Start-WorkflowToolsSandbox -SeedPath '{first}' -FrozenClock").ThrowIfFailed();
                s.Run($"Export-WorkflowToolsSandboxSeed -Path '{second}' -PmProcessId 2 -IncludeInstances -IncludePersonalData -PmConnection $b.PmConnection").ThrowIfFailed();
                var names = s.Run("(Get-PmEnvironmentVariable -Connection $b.PmConnection).Name").ThrowIfFailed();
                Assert.Equal("API_URL", names.Single().ToString());
            }
            finally
            {
                s.Run("Stop-WorkflowToolsSandbox");
            }

            var text = File.ReadAllText(first);
            Assert.DoesNotContain("never-exported", text);
            var pm = JsonNode.Parse(text)!["processMaker"]!;
            var variable = Assert.Single(pm["environmentVariables"]!.AsArray())!;
            Assert.Equal("{\"name\":\"API_URL\",\"description\":\"Where the API is\",\"value\":null}", variable.ToJsonString());
            var file = Assert.Single(pm["requests"]!.AsArray().Single(r => (long)r!["id"]! == 5)!["files"]!.AsArray())!;
            Assert.Equal(("contract.bin", "contract"), ((string)file["name"]!, (string)file["dataName"]!));
            Assert.Equal(bytes, Convert.FromBase64String((string)file["content"]!));

            // without -IncludePersonalData no file leaves the server; the variables still come
            var withoutPersonal = JsonNode.Parse(File.ReadAllText(plain))!["processMaker"]!;
            Assert.DoesNotContain(withoutPersonal["requests"]!.AsArray(), r => r!.AsObject().ContainsKey("files"));
            Assert.Single(withoutPersonal["environmentVariables"]!.AsArray());

            Assert.Equal(WithoutTimes(first).ToJsonString(), WithoutTimes(second).ToJsonString());
        }
    }
}
