using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace WorkflowTools.Pester
{
    /// <summary>
    /// The issue's "done when": from the packaged artefacts only, install the module and the sandbox tool into a scratch
    /// folder, then in real pwsh start the sandbox with a seed file, run a script against it, read its request log and
    /// stop it. The packages are made as ./build.ps1 -Task Package makes them, from the built outputs (the build tool's
    /// pack of the module folder; dotnet pack of the sandbox), without rebuilding what other tests are using.
    /// </summary>
    public class PackagedSandboxTests
    {
        private readonly ITestOutputHelper _output;

        public PackagedSandboxTests(ITestOutputHelper output) => _output = output;

        private const string Seed = """
            {
              "version": 1,
              "clock": "2026-04-01T06:00:00Z",
              "nextMatter": {
                "processes": [ { "id": 7, "name": "Contract renewal", "steps": [ { "id": 701, "name": "Collect", "fields": [ { "id": 70101, "name": "Customer", "type": "text" } ] } ] } ],
                "instances": [
                  { "id": 5001, "process": 7, "name": "Renewal ACME", "age": "4 00:00:00" },
                  { "id": 5002, "process": 7, "name": "Renewal Globex", "age": "1 00:00:00" },
                  { "id": 5003, "process": 7, "name": "Renewal Initech", "status": "completed", "age": "9 00:00:00", "runtime": "5 00:00:00" }
                ]
              }
            }
            """;

        [Fact]
        public void From_the_packages_alone_the_module_and_the_tool_install_start_a_seeded_sandbox_run_a_script_and_stop()
        {
            var root = RealPwsh.Metadata("RepoRoot");
            var configuration = RealPwsh.Metadata("Configuration");
            var moduleFolder = RealPwsh.Metadata("ModuleFolder");
            var scratch = Path.Combine(Path.GetTempPath(), "wt-packaged-" + Guid.NewGuid().ToString("N"));
            var packages = Path.Combine(scratch, "packages");
            Directory.CreateDirectory(packages);
            var watch = Stopwatch.StartNew();
            try
            {
                // 1. The two packages.
                var buildTool = Path.Combine(root, "src", "WorkflowTools.BuildTool", "bin", configuration, "net10.0", "WorkflowTools.BuildTool.dll");
                var pack = RealPwsh.Dotnet(root, TimeSpan.FromMinutes(3), null, buildTool, "pack", "--module", moduleFolder, "--out", packages);
                Assert.True(pack.ExitCode == 0, pack.Output);
                var toolPack = RealPwsh.Dotnet(root, TimeSpan.FromMinutes(5), null, "pack", Path.Combine(root, "src", "WorkflowTools.Sandbox", "WorkflowTools.Sandbox.csproj"),
                    "-c", configuration, "--no-build", "--no-restore", "-o", packages);
                Assert.True(toolPack.ExitCode == 0, toolPack.Output);
                var version = new DirectoryInfo(moduleFolder.TrimEnd('/', '\\')).Name;
                var moduleNupkg = Path.Combine(packages, $"WorkflowTools.{version}.nupkg");
                Assert.True(File.Exists(Path.Combine(packages, $"WorkflowTools.Sandbox.{version}.nupkg")), string.Join(", ", Directory.GetFiles(packages)));
                _output.WriteLine($"packed in {watch.Elapsed.TotalSeconds:0.0} s");

                // 2. Install the module as Install-PSResource lays it out, and the tool with dotnet tool install from that folder only.
                var modules = Path.Combine(scratch, "Modules");
                var target = Path.Combine(modules, "WorkflowTools", version);
                using (var zip = ZipFile.OpenRead(moduleNupkg))
                {
                    foreach (var entry in zip.Entries.Where(e => !e.FullName.StartsWith("[") && !e.FullName.StartsWith("_rels/") && !e.FullName.StartsWith("package/") && !e.FullName.EndsWith(".nuspec")))
                    {
                        var file = Path.Combine(target, entry.FullName);
                        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                        entry.ExtractToFile(file);
                    }
                }

                var config = Path.Combine(scratch, "nuget.config");
                File.WriteAllText(config, $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><clear /><add key=\"scratch\" value=\"{packages}\" /></packageSources></configuration>\n");
                var tools = Path.Combine(scratch, "tools");
                var install = RealPwsh.Dotnet(scratch, TimeSpan.FromMinutes(5), null, "tool", "install", "WorkflowTools.Sandbox", "--tool-path", tools, "--configfile", config, "--version", version);
                Assert.True(install.ExitCode == 0, install.Output);
                _output.WriteLine($"installed in {watch.Elapsed.TotalSeconds:0.0} s");

                // 3. In real pwsh, in the scratch folder: the user's seed file, the shipped nightly report, the request log.
                File.WriteAllText(Path.Combine(scratch, "my-workflows.json"), Seed);
                var sep = Path.PathSeparator;
                var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? Path.GetDirectoryName(new FileInfo(FindDotnet()).ResolveLinkTarget(true)?.FullName ?? FindDotnet())!;
                var environment = new Dictionary<string, string> { ["DOTNET_ROOT"] = dotnetRoot };
                var run = RealPwsh.Command(scratch, TimeSpan.FromMinutes(5), environment, $$"""
                    $ErrorActionPreference = 'Stop'
                    $env:PSModulePath = '{{modules}}' + '{{sep}}' + $env:PSModulePath
                    $env:PATH = '{{tools}}' + '{{sep}}' + $env:PATH
                    Import-Module WorkflowTools
                    "MODULE=$((Get-Module WorkflowTools).ModuleBase)"
                    $sb = Start-WorkflowToolsSandbox -SeedPath ./my-workflows.json -FrozenClock -SetEnvironment
                    "FROM=$($sb.StartedFrom) PROGRAM=$($sb.Program) PID=$($sb.ProcessId)"
                    $report = Join-Path (Get-Module WorkflowTools).ModuleBase 'Examples/NightlyRuntimeReport.ps1'
                    $null = & $report -ProcessId 7 -LongerThan '2 00:00:00' -Path ./report.csv
                    "ROWS=$((Import-Csv ./report.csv).Id -join ',')"
                    Get-WorkflowToolsSandboxRequest | ForEach-Object { "REQUEST=$($_.Method) $($_.Path)$($_.Query) $($_.StatusCode)" }
                    Stop-WorkflowToolsSandbox
                    "RUNNING=$($sb.IsRunning)"
                    """);
                _output.WriteLine($"ran in {watch.Elapsed.TotalSeconds:0.0} s");
                _output.WriteLine(run.Output);
                Assert.True(run.ExitCode == 0, run.Output);

                Assert.Contains($"MODULE={target}", run.Output);
                Assert.Matches($"FROM=tool PROGRAM={Regex.Escape(Path.Combine(tools, "workflowtools-sandbox"))}", run.Output);
                Assert.Contains("ROWS=5001", run.Output.Replace("\r", ""));
                Assert.DoesNotContain("5002", Regex.Match(run.Output, "ROWS=.*").Value);
                Assert.Matches(@"REQUEST=GET /nextmatter/api/processes/7/instances/\?\S*status=running\S* 200", run.Output);
                Assert.Contains("RUNNING=False", run.Output);
                var pid = int.Parse(Regex.Match(run.Output, @"PID=(\d+)").Groups[1].Value);
                Assert.True(Ended(pid), $"the sandbox process {pid} still runs");
            }
            finally
            {
                _output.WriteLine($"total {watch.Elapsed.TotalSeconds:0.0} s");
                Directory.Delete(scratch, true);
            }
        }

        private static string FindDotnet() =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(d => Path.Combine(d, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet")).FirstOrDefault(File.Exists) ?? "dotnet";

        private static bool Ended(int pid)
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                return p.WaitForExit(15000);
            }
            catch (ArgumentException)
            {
                return true;
            }
        }
    }
}
