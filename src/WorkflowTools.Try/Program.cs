using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace WorkflowTools.Try;

/// <summary>
/// <c>dotnet run --project src/WorkflowTools.Try [-- -File x.ps1 | -Command text | -Interactive] [-BaseUri url]</c>:
/// a launcher of the repository's pinned real pwsh (<c>dotnet tool run pwsh</c>, .config/dotnet-tools.json) running
/// Try.ps1, which imports the built module and starts the sandbox with the module's own Start-WorkflowToolsSandbox.
/// What the user sees is pwsh's own console; this program only builds its command line and passes on its exit code.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        TryOptions options;
        try
        {
            options = TryOptions.Parse(args);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine();
            Console.Error.WriteLine(TryOptions.Usage);
            return TryExitCodes.BadCommandLine;
        }

        if (options.Help)
        {
            Console.WriteLine(TryOptions.Usage);
            return 0;
        }

        string manifest;
        try
        {
            manifest = ModuleLocator.Resolve(options.Module);
        }
        catch (FileNotFoundException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }

        // `dotnet tool run` finds the pinned pwsh through the tool manifest above its working directory.
        var repoRoot = ModuleLocator.FindRepoRoot(AppContext.BaseDirectory);
        if (repoRoot == null)
        {
            Console.Error.WriteLine($"Cannot find the repository (WorkflowTools.sln) above {AppContext.BaseDirectory}, whose .config/dotnet-tools.json pins the pwsh to run.");
            return 1;
        }

        string mode, target = string.Empty;
        if (options.File != null)
        {
            target = Path.GetFullPath(options.File);
            if (!File.Exists(target))
            {
                Console.Error.WriteLine($"The script '{target}' does not exist.");
                return TryExitCodes.BadCommandLine;
            }

            mode = options.Typed ? "Typed" : "File";
        }
        else if (options.Command != null)
        {
            mode = "Command";
            target = options.Command;
        }
        else
        {
            mode = options.Interactive ? "Interactive" : "QuickStart";
        }

        var noColor = options.NoColor
            || Console.IsOutputRedirected
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            || Environment.GetEnvironmentVariable("TERM") == "dumb";
        var arguments = new List<string> { "tool", "run", "pwsh", "-NoLogo", "-NoProfile" };
        if (mode == "Interactive")
        {
            arguments.Add("-NoExit");
        }

        // Every parameter of Try.ps1 is given, so the script's own arguments that follow can only land in its $args.
        arguments.AddRange(new[]
        {
            "-File", Path.Combine(AppContext.BaseDirectory, "Try.ps1"),
            "-TryManifest", manifest,
            "-TryMode", mode,
            "-TryTarget", target,
            "-TryBaseUri", options.BaseUri?.AbsoluteUri ?? string.Empty,
            "-TryCwd", Environment.CurrentDirectory,
            "-TryNoColor", noColor ? "1" : "0",
        });
        arguments.AddRange(options.ScriptArguments);

        var start = new ProcessStartInfo(DotnetHost()) { WorkingDirectory = repoRoot, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // Ctrl+C belongs to pwsh, which gets it too: it stops the running command, and `exit` leaves.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var pwsh = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        pwsh.WaitForExit();
        return pwsh.ExitCode;
    }

    /// <summary>The dotnet host that runs this program (or the one the CLI names), else dotnet from PATH.</summary>
    private static string DotnetHost()
    {
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }

        return Environment.ProcessPath is string self && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? self
            : "dotnet";
    }
}

/// <summary>The launcher's own exit codes; every other code is pwsh's (Try.ps1's).</summary>
public static class TryExitCodes
{
    public const int BadCommandLine = 64;
}
