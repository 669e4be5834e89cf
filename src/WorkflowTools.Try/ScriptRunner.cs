using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;

namespace WorkflowTools.Try;

/// <summary>
/// One PowerShell 7.6 runspace on a <see cref="TryHost"/>. Everything runs as the console runs a command line:
/// the command's errors merged into its output and the lot piped to <c>Out-Default</c>, so format views turn
/// objects into tables and error records are shown in the ErrorView's way.
/// </summary>
public sealed class ScriptRunner : IDisposable
{
    /// <summary>The exit code when the script does not parse.</summary>
    public const int ParseErrorExitCode = 2;

    /// <summary>The exit code after Ctrl+C stopped the script.</summary>
    public const int StoppedExitCode = 130;

    private readonly TryHost _host;
    private readonly Runspace _runspace;
    private readonly object _gate = new();
    private PowerShell? _current;

    public ScriptRunner(TryHost host)
    {
        _host = host;
        var iss = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        _runspace = RunspaceFactory.CreateRunspace(host, iss);
        _runspace.Open();
    }

    /// <summary>The engine's version, e.g. 7.6.9.</summary>
    public string PowerShellVersion => Evaluate("$PSVersionTable.PSVersion.ToString()");

    private TryHostUserInterface UI => _host.TextUI;

    /// <summary>Imports the module; false (with the error shown) when it cannot be imported.</summary>
    public bool Import(string manifest)
    {
        var outcome = Execute(ps => ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", ActionPreference.Stop));
        return outcome.ErrorShown == false && outcome.Stopped == false;
    }

    /// <summary>Runs a script file as <c>&amp; 'path' args…</c> would in pwsh.</summary>
    public int RunFile(string path, IReadOnlyList<string> arguments)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            UI.WriteErrorLine($"The script '{full}' does not exist.");
            return TryExitCodes.BadCommandLine;
        }

        Parser.ParseFile(full, out _, out var errors);
        if (errors.Length > 0)
        {
            ShowParseErrors(errors, full);
            return ParseErrorExitCode;
        }

        var line = "& " + Quote(full) + string.Concat(arguments.Select(a => " " + ArgumentToken(a)));
        return ExitCode(Execute(ps => ps.AddScript(line)));
    }

    /// <summary>
    /// Runs a script as if a person typed it statement by statement at the prompt: each statement is shown after
    /// "PS> " (comment lines before it too), then run on its own and its output shown, so every listing gets its
    /// own table. Scripts with a param block or begin/process blocks run as a whole instead.
    /// </summary>
    public int RunFileAsTyped(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            UI.WriteErrorLine($"The script '{full}' does not exist.");
            return TryExitCodes.BadCommandLine;
        }

        var ast = Parser.ParseFile(full, out _, out var errors);
        if (errors.Length > 0)
        {
            ShowParseErrors(errors, full);
            return ParseErrorExitCode;
        }

        if (ast.ParamBlock != null || ast.BeginBlock != null || ast.ProcessBlock != null || ast.DynamicParamBlock != null || ast.EndBlock == null)
        {
            return RunFile(full, Array.Empty<string>());
        }

        var lines = ast.Extent.Text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var nextLine = 1;
        var errorShown = false;
        foreach (var statement in ast.EndBlock.Statements)
        {
            for (; nextLine < statement.Extent.StartLineNumber; nextLine++)
            {
                if (!string.IsNullOrWhiteSpace(lines[nextLine - 1]))
                {
                    UI.WriteLine(TypedPrompt + lines[nextLine - 1].TrimEnd());
                }
            }

            var text = statement.Extent.Text.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();
            UI.WriteLine(TypedPrompt + text[0]);
            foreach (var more in text.Skip(1))
            {
                UI.WriteLine(">> " + more);
            }

            nextLine = Math.Max(nextLine, statement.Extent.EndLineNumber + 1);
            var outcome = Execute(ps => ps.AddScript(statement.Extent.Text), addToHistory: true);
            if (outcome.Stopped)
            {
                return StoppedExitCode;
            }

            if (_host.ShouldExit)
            {
                return _host.ExitCode;
            }

            errorShown |= outcome.ErrorShown;
        }

        return errorShown ? 1 : 0;
    }

    /// <summary>The prompt shown before statements of <see cref="RunFileAsTyped"/>: pwsh's, without the folder.</summary>
    public const string TypedPrompt = "PS> ";

    /// <summary>Runs command text as typed at the prompt.</summary>
    public int RunCommand(string text)
    {
        Parser.ParseInput(text, out _, out var errors);
        if (errors.Length > 0)
        {
            ShowParseErrors(errors, null);
            return ParseErrorExitCode;
        }

        return ExitCode(Execute(ps => ps.AddScript(text)));
    }

    /// <summary>Shows a line as if typed at the prompt, then runs it.</summary>
    public Outcome Echo(string text)
    {
        UI.WriteLine(Prompt() + text);
        return Execute(ps => ps.AddScript(text), addToHistory: true);
    }

    /// <summary>Read a line, run it, show it; multi-line input continues after a ">> " prompt as in pwsh.</summary>
    public int RunInteractive(TextReader input)
    {
        while (!_host.ShouldExit)
        {
            UI.Write(Prompt());
            var text = ReadInputLine(input);
            if (text == null)
            {
                UI.WriteLine(string.Empty);
                break;
            }

            ParseError[] errors;
            while (true)
            {
                Parser.ParseInput(text, out _, out errors);
                if (!errors.Any(e => e.IncompleteInput))
                {
                    break;
                }

                UI.Write(">> ");
                var more = ReadInputLine(input);
                if (string.IsNullOrEmpty(more))
                {
                    break;
                }

                text += "\n" + more;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (text.Trim().Equals("exit", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            if (errors.Length > 0)
            {
                ShowParseErrors(errors, null);
                continue;
            }

            Execute(ps => ps.AddScript(text), addToHistory: true);
        }

        return _host.ShouldExit ? _host.ExitCode : 0;
    }

    /// <summary>A line of input; echoed after the prompt when it does not come from a terminal, so the output reads as a session.</summary>
    private string? ReadInputLine(TextReader input)
    {
        var line = input.ReadLine();
        if (line != null && !_host.TextUI.InteractiveInput)
        {
            UI.WriteLine(line);
        }

        return line;
    }

    /// <summary>Stops the running command (Ctrl+C); false when nothing is running.</summary>
    public bool StopCurrent()
    {
        lock (_gate)
        {
            if (_current == null)
            {
                return false;
            }

            _current.BeginStop(null, null);
            return true;
        }
    }

    /// <summary>What one command line did.</summary>
    public readonly record struct Outcome(bool ErrorShown, bool Stopped);

    /// <summary>Runs the built command piped to Out-Default, errors merged into the output as the console does.</summary>
    public Outcome Execute(Action<PowerShell> build, bool addToHistory = false)
    {
        var errorsBefore = UI.ErrorLines;
        var stopped = false;
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        build(ps);
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        var outDefault = new Command("Out-Default", isScript: false, useLocalScope: true)
        {
            MergeUnclaimedPreviousCommandResults = PipelineResultTypes.Error | PipelineResultTypes.Output,
        };
        ps.Commands.AddCommand(outDefault);
        lock (_gate)
        {
            _current = ps;
        }

        try
        {
            ps.Invoke(null, new PSInvocationSettings { AddToHistory = addToHistory });
        }
        catch (PipelineStoppedException)
        {
            stopped = true;
        }
        catch (RuntimeException ex)
        {
            ShowError(ex);
        }
        finally
        {
            lock (_gate)
            {
                _current = null;
            }

            UI.EndOfCommand();
        }

        return new Outcome(UI.ErrorLines > errorsBefore, stopped);
    }

    /// <summary>A terminating error, shown the console's way: the record through Out-Default to the error stream.</summary>
    private void ShowError(Exception exception)
    {
        var record = (exception as IContainsErrorRecord)?.ErrorRecord ?? new ErrorRecord(exception, "Exception", ErrorCategory.NotSpecified, null);
        var before = UI.ErrorLines;
        try
        {
            var wrapped = new PSObject(record);
            wrapped.Properties.Add(new PSNoteProperty("writeErrorStream", true));
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddCommand("Out-Default");
            ps.Invoke(new[] { wrapped });
        }
        catch (RuntimeException)
        {
            // Fall through to the plain message below.
        }

        if (UI.ErrorLines == before)
        {
            UI.WriteErrorLine(exception.Message);
        }
    }

    private void ShowParseErrors(ParseError[] errors, string? file)
    {
        foreach (var error in errors)
        {
            var extent = error.Extent;
            var where = file == null ? $"line {extent.StartLineNumber}" : $"{file}:{extent.StartLineNumber}";
            var lineText = extent.StartScriptPosition.Line.TrimEnd('\r', '\n');
            var width = extent.EndLineNumber == extent.StartLineNumber ? Math.Max(1, extent.EndColumnNumber - extent.StartColumnNumber) : Math.Max(1, lineText.Length - extent.StartColumnNumber + 1);
            var number = extent.StartLineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            UI.WriteErrorLine($"ParserError: {where}");
            UI.WriteErrorLine("Line |");
            UI.WriteErrorLine($"{number,4} |  {lineText}");
            UI.WriteErrorLine($"     |  {new string(' ', Math.Max(0, extent.StartColumnNumber - 1))}{new string('~', width)}");
            UI.WriteErrorLine($"     | {error.Message}");
        }
    }

    private int ExitCode(Outcome outcome)
    {
        if (outcome.Stopped)
        {
            return StoppedExitCode;
        }

        if (_host.ShouldExit)
        {
            return _host.ExitCode;
        }

        if (outcome.ErrorShown)
        {
            return 1;
        }

        // `exit N` inside a script file ends the script and sets $LASTEXITCODE, as with pwsh -File.
        return _runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int code ? code : 0;
    }

    private string Evaluate(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        return string.Concat(ps.Invoke().Select(r => r?.ToString()));
    }

    /// <summary>The result of the session's prompt function, as the console shows it.</summary>
    private string Prompt()
    {
        try
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddCommand("prompt");
            var result = ps.Invoke();
            var text = string.Concat(result.Select(r => r?.ToString()));
            return string.IsNullOrEmpty(text) ? "PS> " : text;
        }
        catch (RuntimeException)
        {
            return "PS> ";
        }
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>-Name and -Name: stay parameter names; everything else is passed as a string, as pwsh -File does.</summary>
    private static string ArgumentToken(string argument)
    {
        var named = Regex.Match(argument, @"^(-[A-Za-z_][\w]*)(:)?(.*)$", RegexOptions.Singleline);
        if (!named.Success)
        {
            return Quote(argument);
        }

        if (!named.Groups[2].Success)
        {
            return named.Groups[3].Length == 0 ? named.Groups[1].Value : Quote(argument);
        }

        var value = named.Groups[3].Value;
        return named.Groups[1].Value + ":" + (value is "$true" or "$false" ? value : Quote(value));
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>Exit codes of the runner itself.</summary>
public static class TryExitCodes
{
    public const int BadCommandLine = 64;
}
