using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;

namespace WorkflowTools.Tests.Examples
{
    /// <summary>
    /// Starts the built runner (dotnet WorkflowTools.Try.dll) as a user's shell would and reads what it prints. The runner
    /// is a launcher of the pinned real pwsh (Try.ps1 in it), so what these tests read is pwsh's own output.
    /// </summary>
    public static class Runner
    {
        /// <summary>The runner built in the same configuration as these tests (the test project builds it first).</summary>
        public static string Dll
        {
            get
            {
                // …/tests/WorkflowTools.Tests/bin/<Configuration>/net10.0/
                var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)).Parent!.Name;
                return Path.Combine(RepoPaths.Root, "src", "WorkflowTools.Try", "bin", configuration, "net10.0", "WorkflowTools.Try.dll");
            }
        }

        public sealed record Result(int ExitCode, string Out, string Err);

        public static Result Run(string? standardInput, params string[] arguments)
        {
            Assert.True(File.Exists(Dll), $"the runner is not built: {Dll}");
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (string.IsNullOrEmpty(dotnet) || !File.Exists(dotnet))
            {
                dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
            }

            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.Root,
            };
            start.ArgumentList.Add(Dll);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (standardInput != null)
            {
                process.StandardInput.Write(standardInput);
            }

            process.StandardInput.Close();
            // pwsh and the sandbox are two processes to start: seconds on an idle machine, the limit is for a loaded one.
            if (!process.WaitForExit(TimeSpan.FromSeconds(180)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("the runner did not finish within 180 s: " + stdout.Result + stderr.Result);
            }

            return new Result(process.ExitCode, stdout.Result.Replace("\r\n", "\n", StringComparison.Ordinal), stderr.Result.Replace("\r\n", "\n", StringComparison.Ordinal));
        }

        public static int Count(string text, string linePattern) => Regex.Matches(text, linePattern, RegexOptions.Multiline).Count;
    }

    /// <summary>The README's first command and the interactive mode.</summary>
    public class RunnerQuickStartTests
    {
        [Fact]
        public void With_no_arguments_it_runs_the_quick_start_and_prints_tables_as_pwsh_does()
        {
            var r = Runner.Run(null);
            Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}\n{r.Out}\n{r.Err}");
            Assert.Equal(string.Empty, r.Err);
            Assert.DoesNotContain('\u001b', r.Out);

            Assert.Contains("PS> Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM\n", r.Out);
            Assert.Contains("PS> Get-NmInstance -ProcessId 1 -Status Running -MinTotalRuntime '2 00:00:00'\n", r.Out);
            // One table each: the new instance, the two listings; the step completion; the ProcessMaker request, started and finished.
            Assert.Equal(3, Runner.Count(r.Out, @"^Id\s+Name\s+Status\s+StartedTime\s+TotalRuntime\s+Tags\n--\s+----\s+------"));
            Assert.Equal(1, Runner.Count(r.Out, @"^InstanceId\s+StepId\s+ActionCount\s+InstanceStatus\s+ActiveStepIds\s+CompletedAt$"));
            Assert.Equal(2, Runner.Count(r.Out, @"^Id\s+Name\s+Status\s+ProcessId\s+InitiatedAt\s+CompletedAt$"));
            // Names and tags wider than their columns wrap between words onto the next line (never cut).
            Assert.Equal(1, Runner.Count(r.Out, @"^1031\s+Onboarding Ada\s+Running\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+00:00:0\d\s+hr;remote\n\s+Lovelace$"));
            Assert.Equal(1, Runner.Count(r.Out, @"^1025\s+Onboarding Adele\s+Running\s.*\s45d \d\d:\d\d:\d\d\s+finance\n\s+Goldberg\s+;remote$"));
            Assert.Equal(1, Runner.Count(r.Out, @"^1031\s+42\s+2\s+Running\s+43\s"));
            Assert.Equal(1, Runner.Count(r.Out, @"^13\s+Onboarding\s+Active\s+1\s"));
            Assert.Equal(1, Runner.Count(r.Out, @"^13\s+Onboarding\s+Completed\s+1\s"));
        }

        [Fact]
        public void Interactive_mode_leaves_a_connected_pwsh_prompt_that_runs_each_line_and_exits_with_the_code_given()
        {
            // pwsh's own prompt reading piped lines (PSReadLine echoes each after the prompt, with its terminal codes).
            var r = Runner.Run("Get-NmInstance -ProcessId 1 -Status Completed -MaxTotalRuntime '00:00:45'\n$n = 20 + 22\n\"n is $n\"\nexit 5\n'not run'\n", "-Interactive");
            Assert.True(r.ExitCode == 5, $"exit code {r.ExitCode}\n{r.Out}\n{r.Err}");
            Assert.Equal(string.Empty, r.Err);
            Assert.Contains("> Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM\n", r.Out);
            Assert.Equal(1, Runner.Count(r.Out, @"^Id\s+Name\s+Status\s+StartedTime\s+TotalRuntime\s+Tags$"));
            Assert.Equal(1, Runner.Count(r.Out, @"^1003\s+Onboarding Alan\s+Completed\s.*00:00:40\s+research\n\s+Turing$"));
            Assert.DoesNotContain("Edsger Dijkstra", r.Out); // 50 s: longer than 00:00:45
            Assert.Contains("$n = 20 + 22\n", r.Out); // the line, echoed after the prompt
            Assert.Equal(1, Runner.Count(r.Out, @"n is 42$"));
            Assert.DoesNotContain("not run", r.Out);
        }
    }

    /// <summary>Exit codes and error display of -File.</summary>
    public class RunnerErrorTests : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("wt-runner-").FullName;

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private string Script(string name, string text)
        {
            var path = Path.Combine(_folder, name);
            File.WriteAllText(path, text);
            return path;
        }

        [Fact]
        public void A_script_that_writes_an_error_gets_its_arguments_shows_the_error_on_stderr_goes_on_and_exits_with_1()
        {
            var path = Script("writes-an-error.ps1", string.Join("\n",
                "param([string] $Name, [int] $Days, [switch] $Loud)",
                "\"Name=$Name Days=$Days Loud=$Loud\"",
                "Write-Warning 'careful'",
                "Write-Verbose 'details' -Verbose",
                "Get-NmInstance -Id 999999",
                "'after the error'",
                string.Empty));
            var r = Runner.Run(null, "-File", path, "-Name", "Ada 'the first' Lovelace", "-Days", "3", "-Loud");

            Assert.True(r.ExitCode == 1, $"exit code {r.ExitCode}\n{r.Out}\n{r.Err}");
            Assert.Contains("Name=Ada 'the first' Lovelace Days=3 Loud=True\n", r.Out);
            Assert.Contains("WARNING: careful\n", r.Out);
            Assert.Contains("VERBOSE: details\n", r.Out);
            Assert.Contains("after the error\n", r.Out);
            Assert.StartsWith("Get-NmInstance: " + path + ":5", r.Err);
            Assert.Contains("404", r.Err);
            Assert.DoesNotContain("sandbox.nextmatter-api-key", r.Out + r.Err);
        }

        [Fact]
        public void A_script_that_does_not_parse_shows_every_parse_error_and_exits_with_2()
        {
            var path = Script("does-not-parse.ps1", "Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM\nGet-NmInstance -ProcessId (1 + )\n'never run' }\n");
            var r = Runner.Run(null, "-File", path);

            Assert.True(r.ExitCode == 2, $"exit code {r.ExitCode}\n{r.Out}\n{r.Err}");
            Assert.Contains(
                $"ParserError: {path}:2\n" +
                "Line |\n" +
                "   2 |  Get-NmInstance -ProcessId (1 + )\n" +
                "     |                                ~\n" +
                "     | You must provide a value expression following the '+' operator.\n",
                r.Err);
            Assert.Contains($"ParserError: {path}:3\n", r.Err);
            Assert.Contains("Unexpected token '}'", r.Err);
            Assert.DoesNotContain("never run", r.Out);
        }
    }
}
