using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The command-line switches for users' own tests and for launchers (Start-WorkflowToolsSandbox):
/// <c>--seed</c>, <c>--fault</c>, <c>--fault-seed</c>, <c>--frozen-clock</c>, <c>--clock-start</c>,
/// <c>--ready-file</c> and <c>--parent-pid</c>.
/// </summary>
public static class SandboxCommandLineExtras
{
    public const string Usage =
        " [--seed FILE (a seed file: its format is in README.md in this tool's package, and in Get-Help Start-WorkflowToolsSandbox -Full)] [--fault SPEC (repeatable, e.g. status=429,retry-after=5,times=3)] [--fault-seed N]" +
        " [--frozen-clock] [--clock-start 2026-01-05T09:00:00Z] [--ready-file FILE] [--parent-pid N]";

    /// <summary>Handles one of the extra switches; false when <paramref name="arg"/> is not one.</summary>
    public static bool TryParse(string arg, Func<string> value, SandboxOptions options, ref string? seedPath)
    {
        switch (arg)
        {
            case "--seed":
                seedPath = value();
                return true;
            case "--fault":
                options.Faults.Add(FaultSpec.Parse(value()));
                return true;
            case "--fault-seed":
                options.FaultSeed = int.TryParse(value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : throw new FormatException("--fault-seed needs a number.");
                return true;
            case "--frozen-clock":
                options.RealTimeClock = false;
                return true;
            case "--clock-start":
                var text = value();
                options.ClockStart = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                    ? t : throw new FormatException($"--clock-start: '{text}' is not an ISO 8601 time such as 2026-01-05T09:00:00Z.");
                return true;
            case "--ready-file":
                options.ReadyFile = Path.GetFullPath(value());
                return true;
            case "--parent-pid":
                options.ParentProcessId = int.TryParse(value(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : throw new FormatException("--parent-pid needs a process id.");
                return true;
            default:
                return false;
        }
    }

    /// <summary>After all switches: reads the seed file (its clock wins over --clock-start). Throws <see cref="SeedFileException"/>.</summary>
    public static void Finish(SandboxOptions options, string? seedPath)
    {
        if (seedPath == null) return;
        var seed = SeedDocument.LoadFile(seedPath, options.ClockStart ?? SandboxOptions.DefaultClockStart);
        if (seed.Clock != null) options.ClockStart = seed.Clock;
        options.Seed = seed;
        options.SeedSource = Path.GetFullPath(seedPath);
    }

    /// <summary>Once listening: writes the ready file (atomically) and starts watching the parent process.</summary>
    public static void Started(SandboxServer server)
    {
        var options = server.Options;
        if (options.ParentProcessId is { } parent) _ = WatchParentAsync(server, parent);
        if (options.ReadyFile == null) return;
        var ready = new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["port"] = server.NextMatterBaseUri.Port,
            ["nextMatter"] = server.NextMatterBaseUri.ToString(),
            ["processMaker"] = server.ProcessMakerInstanceUri.ToString(),
            ["processMakerApi"] = server.ProcessMakerBaseUri.ToString(),
            ["apiKey"] = server.NextMatterApiKey,
            ["accessToken"] = server.ProcessMakerToken,
            ["controlToken"] = server.ControlToken,
        };
        var temp = options.ReadyFile + ".tmp";
        // The control token is in it: readable by this account only (the folder is often a shared /tmp).
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.Delete(temp);
        using (var writer = new StreamWriter(temp, new System.Text.UTF8Encoding(false), file)) writer.Write(ready.ToJsonString());
        File.Move(temp, options.ReadyFile, overwrite: true);
    }

    /// <summary>Stops the server when the process that started it is gone, however it ended.</summary>
    private static async Task WatchParentAsync(SandboxServer server, int parentId)
    {
        Process? parent = null;
        try
        {
            parent = Process.GetProcessById(parentId);
        }
        catch (ArgumentException)
        {
        }
        while (parent != null && !parent.HasExited)
            await Task.Delay(500, server.Stopping).ContinueWith(_ => { });
        parent?.Dispose();
        if (!server.Stopping.IsCancellationRequested) server.RequestStop();
    }
}
