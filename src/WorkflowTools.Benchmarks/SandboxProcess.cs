using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Benchmarks;

/// <summary>
/// The sandbox in a process of its own (its command line, on 127.0.0.1, random port), so that what a
/// benchmark measures in this process is the client alone: the server's page building and its stored
/// instances are not in this process's heap, and do not count in its memory figures.
/// </summary>
public sealed class SandboxProcess : IDisposable
{
    private readonly Process _process;

    private SandboxProcess(Process process, Uri nextMatterBaseUri, string nextMatterApiKey)
    {
        _process = process;
        NextMatterBaseUri = nextMatterBaseUri;
        NextMatterApiKey = nextMatterApiKey;
        // Ctrl+C ends the benchmark with Environment.Exit, which runs no using blocks: the sandbox goes too.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop(_process);

    public Uri NextMatterBaseUri { get; }

    public string NextMatterApiKey { get; }

    /// <summary>Starts the sandbox with workflow 900 holding <paramref name="listingInstances"/> running instances.</summary>
    public static SandboxProcess Start(int listingInstances)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "WorkflowTools.Sandbox.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The sandbox is not built next to the benchmarks.", dll);
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", dll, "--port", "0", "--no-seed", "--listing", listingInstances.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The sandbox process did not start.");
        try
        {
            Uri? baseUri = null;
            string? key = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((baseUri == null || key == null) && DateTime.UtcNow < deadline)
            {
                var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The sandbox process ended: " + process.StandardError.ReadToEnd());
                if (line.Contains("Next Matter base URI", StringComparison.Ordinal))
                {
                    baseUri = new Uri(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                }
                else if (line.Contains("Next Matter API key", StringComparison.Ordinal))
                {
                    key = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0];
                }
            }

            if (baseUri == null || key == null || !baseUri.IsLoopback)
            {
                throw new InvalidOperationException("The sandbox process did not report a loopback address and key.");
            }

            // Keep reading its output so the pipe never fills.
            _ = Task.Run(() => process.StandardOutput.ReadToEnd());
            _ = Task.Run(() => process.StandardError.ReadToEnd());
            return new SandboxProcess(process, baseUri, key);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop(_process);
        _process.Dispose();
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone (or disposed by an earlier stop).
        }
    }

    /// <summary>The dotnet host that runs this process: the one the CLI names, else the one above this runtime's folder.</summary>
    private static string DotnetHost()
    {
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }

        if (Environment.ProcessPath is string self && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
