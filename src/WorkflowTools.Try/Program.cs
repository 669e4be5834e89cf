using System;
using System.IO;
using System.Threading.Tasks;

namespace WorkflowTools.Try;

/// <summary>
/// <c>dotnet run --project src/WorkflowTools.Try [-- -File x.ps1 | -Command text | -Interactive] [-BaseUri url]</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
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

        SandboxTarget target;
        try
        {
            target = options.BaseUri != null ? await SandboxTarget.ConnectAsync(options.BaseUri) : await SandboxTarget.StartAsync();
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }

        await using (target)
        {
            target.PublishEnvironment();
            var ansi = !options.NoColor
                && !Console.IsOutputRedirected
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
                && Environment.GetEnvironmentVariable("TERM") != "dumb"
                && WindowsConsole.TryEnableAnsi();
            var host = new TryHost(Console.Out, Console.Error, Console.In, ansi, interactiveInput: !Console.IsInputRedirected);
            using var runner = new ScriptRunner(host);
            Console.CancelKeyPress += (_, e) => e.Cancel = runner.StopCurrent();

            var where = target.InProcess ? $"the sandbox at {target.Root} (in this process)" : $"the sandbox at {target.Root}";
            if (options.Interactive || (options.File == null && options.Command == null))
            {
                host.UI.WriteLine($"WorkflowTools.Try: PowerShell {runner.PowerShellVersion} with {Relative(manifest)}, against {where}.");
            }

            if (!runner.Import(manifest))
            {
                return 1;
            }

            // A session for -Command, -File and -Interactive starts connected to the sandbox, as a profile would
            // connect it; the quick start shows how to connect, so it starts without a connection.
            const string ConnectNm = "Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM";
            const string ConnectPm = "Connect-PmServer -BaseUri $env:WORKFLOWTOOLS_SANDBOX_PM";
            if (options.Command != null || options.File != null)
            {
                if (runner.Execute(ps => ps.AddScript(ConnectNm + "; " + ConnectPm)).ErrorShown)
                {
                    return 1;
                }
            }

            if (options.Command != null)
            {
                return runner.RunCommand(options.Command);
            }

            if (options.File != null)
            {
                return options.Typed ? runner.RunFileAsTyped(options.File) : runner.RunFile(options.File, options.ScriptArguments);
            }

            if (options.Interactive)
            {
                host.UI.WriteLine("$env:WORKFLOWTOOLS_SANDBOX_NM and $env:WORKFLOWTOOLS_SANDBOX_PM hold its URLs; the key and token are in $env:NEXTMATTER_API_KEY and $env:PROCESSMAKER_TOKEN.");
                host.UI.WriteLine("Type a command and Enter; `exit` or end of input (Ctrl+D, Ctrl+Z on Windows) leaves. Ctrl+C stops a running command.");
                host.UI.WriteLine(string.Empty);
                if (runner.Echo(ConnectNm).ErrorShown | runner.Echo(ConnectPm).ErrorShown)
                {
                    return 1;
                }

                return runner.RunInteractive(Console.In);
            }

            var quickStart = Path.Combine(Path.GetDirectoryName(manifest)!, "Examples", "QuickStart.ps1");
            host.UI.WriteLine($"{Relative(quickStart)}, statement by statement as if typed at the prompt:");
            host.UI.WriteLine(string.Empty);
            var code = runner.RunFileAsTyped(quickStart);
            host.UI.WriteLine(string.Empty);
            host.UI.WriteLine(code == 0
                ? "Done. Explore yourself: dotnet run --project src/WorkflowTools.Try -- -Interactive"
                : $"The quick start failed (exit code {code}).");
            return code;
        }
    }

    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
