using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace WorkflowTools.Testing
{
    /// <summary>How a sandbox is started: the program and the arguments that come before the sandbox's own.</summary>
    internal sealed class SandboxProgram
    {
        internal SandboxProgram(string fileName, IReadOnlyList<string> prefix, string startedFrom)
        {
            FileName = fileName;
            Prefix = prefix;
            StartedFrom = startedFrom;
        }

        /// <summary>The executable: the tool's command, or the dotnet host.</summary>
        public string FileName { get; }

        /// <summary>Arguments before the sandbox's switches (the dll path when run by the dotnet host).</summary>
        public IReadOnlyList<string> Prefix { get; }

        /// <summary>"tool" (workflowtools-sandbox) or "module" (the copy in the module's Sandbox folder).</summary>
        public string StartedFrom { get; }
    }

    /// <summary>No way to start the sandbox was found; the message says exactly what to install.</summary>
    public sealed class SandboxUnavailableException : Exception
    {
        public SandboxUnavailableException(string message) : base(message)
        {
        }
    }

    /// <summary>
    /// Finds how to start the sandbox: the <c>workflowtools-sandbox</c> .NET tool when it is installed (on PATH or in
    /// ~/.dotnet/tools), else the copy shipped in the module's <c>Sandbox</c> folder, run by a dotnet host that has the
    /// ASP.NET Core runtime it needs.
    /// </summary>
    internal static class SandboxLocator
    {
        /// <summary>The tool's command name.</summary>
        public const string ToolCommand = "workflowtools-sandbox";

        /// <summary>The sandbox's assembly in the module's Sandbox folder.</summary>
        public const string ModuleCopy = "WorkflowTools.Sandbox.dll";

        /// <summary>The lowest ASP.NET Core major version the sandbox runs on (it rolls forward to later ones).</summary>
        public const int RequiredAspNetCoreMajor = 10;

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Finds a way to start the sandbox, or throws <see cref="SandboxUnavailableException"/> saying what to install.</summary>
        /// <param name="moduleSandboxFolder">The module's Sandbox folder (may not exist).</param>
        public static SandboxProgram Find(string? moduleSandboxFolder) =>
            Find(moduleSandboxFolder, Environment.GetEnvironmentVariable("PATH") ?? string.Empty, GlobalToolsFolder(), DotnetCandidates());

        /// <summary>The search with its inputs given: PATH, the global tools folder and where to look for a dotnet host, in order.</summary>
        internal static SandboxProgram Find(string? moduleSandboxFolder, string pathVariable, string globalTools, IEnumerable<string> dotnetCandidates)
        {
            var toolName = IsWindows ? ToolCommand + ".exe" : ToolCommand;
            var tool = SearchPath(pathVariable, toolName) ?? Existing(Path.Combine(globalTools, toolName));
            if (tool != null)
            {
                return new SandboxProgram(tool, Array.Empty<string>(), "tool");
            }

            var copy = moduleSandboxFolder == null ? null : Path.Combine(moduleSandboxFolder, ModuleCopy);
            var hasCopy = copy != null && File.Exists(copy);
            var dotnet = dotnetCandidates.Select(c => c.IndexOfAny(new[] { '/', '\\' }) < 0 ? SearchPath(pathVariable, c) : Existing(c)).FirstOrDefault(p => p != null);
            var versions = dotnet == null ? new List<Version>() : AspNetCoreVersions(dotnet);
            if (hasCopy && dotnet != null && versions.Any(v => v.Major >= RequiredAspNetCoreMajor))
            {
                return new SandboxProgram(dotnet, new[] { copy! }, "module");
            }

            var found = dotnet == null
                ? "no dotnet host was found (PATH, DOTNET_ROOT or the default install folder)"
                : versions.Count == 0
                    ? $"'{dotnet} --list-runtimes' lists no ASP.NET Core runtime"
                    : $"'{dotnet} --list-runtimes' lists ASP.NET Core {string.Join(", ", versions.Select(v => v.ToString(3)))} only";
            var install = IsWindows
                ? "winget install Microsoft.DotNet.AspNetCore.10"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                    ? "brew install --cask dotnet (or the installer from https://dotnet.microsoft.com/download/dotnet/10.0)"
                    : "sudo apt-get install aspnetcore-runtime-10.0 (or dnf install aspnetcore-runtime-10.0)";
            var message = hasCopy
                ? $"The sandbox needs the ASP.NET Core Runtime {RequiredAspNetCoreMajor}.0 or later, and {found}. Install it with: {install}; the download page is https://dotnet.microsoft.com/download/dotnet/10.0 ('ASP.NET Core Runtime'). With the .NET SDK you can instead install the sandbox as a tool: dotnet tool install --global WorkflowTools.Sandbox."
                : $"The sandbox is not installed: '{ToolCommand}' is not on PATH or in {globalTools}, and the module has no Sandbox folder{(moduleSandboxFolder == null ? "" : " (" + moduleSandboxFolder + ")")}. Install the tool with: dotnet tool install --global WorkflowTools.Sandbox (it needs the ASP.NET Core Runtime {RequiredAspNetCoreMajor}.0 or later; here {found}).";
            throw new SandboxUnavailableException(message);
        }

        /// <summary>~/.dotnet/tools, where <c>dotnet tool install --global</c> puts commands.</summary>
        public static string GlobalToolsFolder() =>
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");

        /// <summary>Where a dotnet host may be: DOTNET_ROOT, PATH (a bare name), then the default install folders.</summary>
        private static IEnumerable<string> DotnetCandidates()
        {
            var name = IsWindows ? "dotnet.exe" : "dotnet";
            var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
            if (!string.IsNullOrEmpty(root))
            {
                yield return Path.Combine(root, name);
            }

            yield return name;
            if (IsWindows)
            {
                yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet", name);
            }
            else
            {
                yield return "/usr/share/dotnet/dotnet";
                yield return "/usr/lib/dotnet/dotnet";
                yield return "/usr/local/share/dotnet/dotnet";
                yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "dotnet");
            }
        }

        /// <summary>The Microsoft.AspNetCore.App versions a dotnet host lists (empty when it cannot be asked within 15 s).</summary>
        public static List<Version> AspNetCoreVersions(string dotnet)
        {
            var versions = new List<Version>();
            try
            {
                var start = new ProcessStartInfo(dotnet, "--list-runtimes")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    CreateNoWindow = true,
                };
                using var process = Process.Start(start)!;
                var output = process.StandardOutput.ReadToEndAsync();
                _ = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(15000))
                {
                    SandboxProcess.KillTree(process);
                    return versions;
                }

                foreach (Match m in Regex.Matches(output.Result, @"^Microsoft\.AspNetCore\.App ([0-9]+\.[0-9]+\.[0-9]+)", RegexOptions.Multiline))
                {
                    versions.Add(new Version(m.Groups[1].Value));
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException || e is IOException)
            {
            }

            return versions;
        }

        private static string? SearchPath(string path, string name)
        {
            foreach (var folder in path.Split(Path.PathSeparator))
            {
                if (folder.Length == 0)
                {
                    continue;
                }

                try
                {
                    if (Existing(Path.Combine(folder.Trim('"'), name)) is string found)
                    {
                        return found;
                    }
                }
                catch (ArgumentException)
                {
                    // a PATH entry with characters no path may hold
                }
            }

            return null;
        }

        private static string? Existing(string path) => File.Exists(path) ? path : null;
    }
}
