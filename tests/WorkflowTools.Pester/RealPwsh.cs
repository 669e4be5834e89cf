using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;

namespace WorkflowTools.Pester
{
    /// <summary>What a run of dotnet printed, and how it ended.</summary>
    /// <param name="ExitCode">The exit code; -1 when the run was stopped.</param>
    /// <param name="Output">Standard output and error, interleaved as they came; when stopped, a first line says why.</param>
    /// <param name="StoppedBecause">Null when the process ended by itself; else why it was stopped.</param>
    internal sealed record RunResult(int ExitCode, string Output, string? StoppedBecause)
    {
        public void Deconstruct(out int exitCode, out string output) => (exitCode, output) = (ExitCode, Output);
    }

    /// <summary>
    /// Runs dotnet (and through it real pwsh) with a time limit; when it is reached, the whole process tree is ended.
    /// Every run of the pinned pwsh goes through <see cref="Pwsh"/>, which waits for the one tool restore of the test run.
    /// </summary>
    internal static class RealPwsh
    {
        private static readonly TimeSpan ToolRestoreTimeout = TimeSpan.FromMinutes(10);

        // One restore for all tests of the run (the project's build already did it; this covers `dotnet test --no-build`
        // and a tool cache emptied since the build). Test classes run in parallel: they all wait for this one.
        private static readonly Lazy<RunResult> ToolRestore = new Lazy<RunResult>(
            () => Dotnet(Metadata("RepoRoot"), ToolRestoreTimeout, null, "tool", "restore"),
            LazyThreadSafetyMode.ExecutionAndPublication);

        public static string Metadata(string key) =>
            typeof(RealPwsh).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"No {key} metadata.");

        /// <summary>Makes sure the pinned pwsh is restored (once per test run); throws with dotnet's output when it cannot be.</summary>
        public static void EnsureToolRestored()
        {
            var restore = ToolRestore.Value;
            if (restore.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet tool restore failed ({restore.ExitCode}), so the pinned pwsh cannot run:\n{restore.Output}");
            }
        }

        /// <summary>
        /// Runs dotnet with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, stdin closed. It is stopped
        /// (with its children) after <paramref name="timeout"/>, or after <paramref name="idleTimeout"/> without a line of output.
        /// </summary>
        public static RunResult Dotnet(string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment, params string[] arguments) =>
            Dotnet(workingDirectory, timeout, null, environment, arguments);

        public static RunResult Dotnet(string workingDirectory, TimeSpan timeout, TimeSpan? idleTimeout, IDictionary<string, string>? environment, params string[] arguments)
        {
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in arguments) info.ArgumentList.Add(a);
            foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";

            var output = new StringBuilder();
            var clock = Stopwatch.StartNew();
            var lastLine = clock.Elapsed;
            void Add(string? line)
            {
                if (line == null) return;
                lock (output)
                {
                    output.AppendLine(line);
                    lastLine = clock.Elapsed;
                }
            }

            using var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            string? stopped = null;
            while (!process.WaitForExit(1000))
            {
                TimeSpan quiet;
                lock (output) quiet = clock.Elapsed - lastLine;
                if (clock.Elapsed >= timeout)
                {
                    stopped = $"it did not finish within {Minutes(timeout)}";
                }
                else if (idleTimeout is { } idle && quiet >= idle)
                {
                    stopped = $"it printed nothing for {Minutes(idle)} ({Minutes(clock.Elapsed)} after it started)";
                }

                if (stopped != null)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                    lock (output)
                    {
                        return new RunResult(-1, $"Stopped dotnet {string.Join(' ', arguments)} and its children: {stopped}.\n{output}", stopped);
                    }
                }
            }

            process.WaitForExit(); // the output and error streams are read to their ends
            lock (output) return new RunResult(process.ExitCode, output.ToString(), null);
        }

        /// <summary>Runs the pinned pwsh with <paramref name="arguments"/>, from the repository (where its tool manifest is).</summary>
        public static RunResult Pwsh(TimeSpan timeout, TimeSpan? idleTimeout, IDictionary<string, string>? environment, params string[] arguments)
        {
            EnsureToolRestored();
            return Dotnet(Metadata("RepoRoot"), timeout, idleTimeout, environment, new[] { "tool", "run", "pwsh" }.Concat(arguments).ToArray());
        }

        /// <summary>Runs a pwsh command (the repository's pinned local tool) in <paramref name="workingDirectory"/>.</summary>
        public static RunResult Command(string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment, string command)
        {
            // `dotnet tool run` finds the tool manifest from the working directory, so run it from the repository and
            // move to the wanted folder first thing.
            var script = $"Set-Location -LiteralPath '{workingDirectory.Replace("'", "''")}'\n" + command;
            return Pwsh(timeout, null, environment, "-NoProfile", "-NonInteractive", "-Command", script);
        }

        private static string Minutes(TimeSpan span) =>
            span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0} s";
    }
}
