using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text;

namespace WorkflowTools.Pester
{
    /// <summary>Runs dotnet (and through it real pwsh) with a timeout; on timeout the whole process tree is ended.</summary>
    internal static class RealPwsh
    {
        public static string Metadata(string key) =>
            typeof(RealPwsh).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"No {key} metadata.");

        public static (int ExitCode, string Output) Dotnet(string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment, params string[] arguments)
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
            using var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                lock (output) return (-1, $"dotnet {string.Join(' ', arguments)} did not finish within {timeout}; stopped it and its children.\n{output}");
            }

            process.WaitForExit();
            lock (output) return (process.ExitCode, output.ToString());
        }

        /// <summary>Runs a pwsh command (the repository's pinned local tool) in <paramref name="workingDirectory"/>.</summary>
        public static (int ExitCode, string Output) Command(string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment, string command)
        {
            var root = Metadata("RepoRoot");
            // `dotnet tool run` finds the tool manifest from the working directory, so run it from the repository and
            // move to the wanted folder first thing.
            var script = $"Set-Location -LiteralPath '{workingDirectory.Replace("'", "''")}'\n" + command;
            return Dotnet(root, timeout, environment, "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-Command", script);
        }
    }
}
