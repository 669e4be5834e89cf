using System;
using System.Collections.Generic;

namespace WorkflowTools.Try;

/// <summary>The runner's command line, in pwsh's style: <c>-File</c>, <c>-Command</c>, <c>-Interactive</c>, <c>-BaseUri</c>.</summary>
public sealed class TryOptions
{
    public const string Usage =
        "Usage: dotnet run --project src/WorkflowTools.Try [-- [options]]\n" +
        "\n" +
        "Opens the repository's pinned pwsh with the built module imported and a sandbox started (Start-WorkflowToolsSandbox;\n" +
        "stopped when pwsh ends) unless -BaseUri is given, and runs Examples/QuickStart.ps1 there as if typed at the prompt.\n" +
        "\n" +
        "  -File <script.ps1> [args]  run this script instead (the first argument that is not an option works too);\n" +
        "                             the arguments after it are passed to the script (-Name value, switches, values)\n" +
        "  -Typed                     with -File (put it before): show each statement after PS> and run it on its own,\n" +
        "                             as if typed at the prompt (the default for the quick start)\n" +
        "  -Command <text>            run this text (everything after -Command is joined with spaces)\n" +
        "  -Interactive               stay at pwsh's own prompt, connected to the sandbox; `exit` leaves\n" +
        "  -BaseUri <url>             use a sandbox that is already running, e.g. http://127.0.0.1:5080/\n" +
        "                             (started with: dotnet run --project src/WorkflowTools.Sandbox)\n" +
        "  -Module <WorkflowTools.psd1>  import this manifest instead of artifacts/module/WorkflowTools/<version>/\n" +
        "  -NoColor                   plain text output (also when NO_COLOR is set or output is redirected)\n" +
        "  -Help                      this text\n" +
        "\n" +
        "The script sees $env:WORKFLOWTOOLS_SANDBOX_NM and $env:WORKFLOWTOOLS_SANDBOX_PM (the sandbox's Next Matter and\n" +
        "ProcessMaker URLs) and $env:NEXTMATTER_API_KEY / $env:PROCESSMAKER_TOKEN, which Connect-NmService and\n" +
        "Connect-PmServer use when no key is passed. With -File, -Command and -Interactive the session starts connected\n" +
        "to the sandbox; the quick start connects itself.\n" +
        "Exit code: 0 when no error was shown, 1 when an error was, 2 when the script does not parse, 64 for a bad command line,\n" +
        "or N after `exit N`.";

    public string? File { get; private set; }

    public List<string> ScriptArguments { get; } = new();

    public string? Command { get; private set; }

    public bool Interactive { get; private set; }

    public Uri? BaseUri { get; private set; }

    public string? Module { get; private set; }

    public bool NoColor { get; private set; }

    public bool Typed { get; private set; }

    public bool Help { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="FormatException"/> with a message for the user.</summary>
    public static TryOptions Parse(IReadOnlyList<string> args)
    {
        var o = new TryOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{arg} needs a value.");

            if (!arg.StartsWith('-') || arg == "-")
            {
                o.File = arg;
                o.ScriptArguments.AddRange(Rest(args, i + 1));
                break;
            }

            switch (arg.TrimStart('-').ToLowerInvariant())
            {
                case "file" or "f":
                    o.File = Value();
                    o.ScriptArguments.AddRange(Rest(args, i + 1));
                    i = args.Count;
                    break;
                case "command" or "c":
                    if (i + 1 >= args.Count)
                    {
                        throw new FormatException($"{arg} needs the text to run.");
                    }

                    o.Command = string.Join(" ", Rest(args, i + 1));
                    i = args.Count;
                    break;
                case "interactive" or "i":
                    o.Interactive = true;
                    break;
                case "baseuri":
                    var text = Value();
                    if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    {
                        throw new FormatException($"-BaseUri '{text}' is not an http(s) URL such as http://127.0.0.1:5080/.");
                    }

                    o.BaseUri = uri;
                    break;
                case "module":
                    o.Module = Value();
                    break;
                case "typed":
                    o.Typed = true;
                    break;
                case "nocolor" or "nocolour":
                    o.NoColor = true;
                    break;
                case "help" or "h" or "?":
                    o.Help = true;
                    break;
                default:
                    throw new FormatException($"Unknown option '{arg}'.");
            }
        }

        var modes = (o.File != null ? 1 : 0) + (o.Command != null ? 1 : 0) + (o.Interactive ? 1 : 0);
        if (modes > 1)
        {
            throw new FormatException("Give only one of -File, -Command and -Interactive.");
        }

        if (o.Typed && (o.File == null || o.ScriptArguments.Count > 0))
        {
            throw new FormatException("-Typed goes with -File <script> (before it) and a script that takes no arguments.");
        }

        return o;
    }

    private static IEnumerable<string> Rest(IReadOnlyList<string> args, int from)
    {
        for (var j = from; j < args.Count; j++)
        {
            yield return args[j];
        }
    }
}
