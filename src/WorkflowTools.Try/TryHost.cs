using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Reflection;
using System.Security;
using System.Text;

namespace WorkflowTools.Try;

/// <summary>
/// A small PSHost for a text console: output and host lines go to standard output, error lines to standard
/// error, formatted tables are 120 columns wide. Colours become ANSI sequences only on a real terminal.
/// </summary>
public sealed class TryHost : PSHost
{
    private readonly TryHostUserInterface _ui;

    public TryHost(TextWriter output, TextWriter error, TextReader input, bool ansi, bool interactiveInput)
    {
        _ui = new TryHostUserInterface(output, error, input, ansi, interactiveInput);
    }

    public override string Name => "WorkflowTools.Try";

    public override Version Version { get; } = typeof(TryHost).Assembly.GetName().Version ?? new Version(0, 1);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override CultureInfo CurrentCulture { get; } = CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture { get; } = CultureInfo.CurrentUICulture;

    public override PSHostUserInterface UI => _ui;

    /// <summary>The host's UI with its counters.</summary>
    public TryHostUserInterface TextUI => _ui;

    /// <summary>True once the engine asked the host to exit (<c>exit</c> at the top level).</summary>
    public bool ShouldExit { get; private set; }

    /// <summary>The exit code passed with <c>exit N</c>.</summary>
    public int ExitCode { get; private set; }

    public override void SetShouldExit(int exitCode)
    {
        ShouldExit = true;
        ExitCode = exitCode;
    }

    public override void EnterNestedPrompt() =>
        throw new NotSupportedException("WorkflowTools.Try has no nested prompt (debugger and $Host.EnterNestedPrompt() need pwsh).");

    public override void ExitNestedPrompt() =>
        throw new NotSupportedException("WorkflowTools.Try has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}

/// <summary>Text in and out for <see cref="TryHost"/>.</summary>
public sealed class TryHostUserInterface : PSHostUserInterface
{
    private readonly object _gate = new();
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly TextReader _in;
    private readonly bool _ansi;
    private readonly bool _interactiveInput;
    private readonly TryRawUserInterface _raw;
    private readonly Dictionary<long, ProgressRecord> _progress = new();
    private string? _progressShown;
    private string? _lastProgressLine;

    public TryHostUserInterface(TextWriter output, TextWriter error, TextReader input, bool ansi, bool interactiveInput)
    {
        _out = output;
        _err = error;
        _in = input;
        _ansi = ansi;
        _interactiveInput = interactiveInput;
        _raw = new TryRawUserInterface(this);
    }

    public override PSHostRawUserInterface RawUI => _raw;

    /// <summary>Tells $PSStyle (OutputRendering = Host) whether to keep ANSI sequences.</summary>
    public override bool SupportsVirtualTerminal => _ansi;

    /// <summary>How many times an error line was written: Out-Default writes error records this way.</summary>
    public int ErrorLines { get; private set; }

    /// <summary>Resets <see cref="ErrorLines"/> (per command in the interactive mode).</summary>
    public void ResetErrorCount() => ErrorLines = 0;

    internal bool InteractiveInput => _interactiveInput;

    internal TextReader Input => _in;

    // ---- output -------------------------------------------------------------------------------------

    public override void Write(string value) => Out(value, newLine: false);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
    {
        if (!_ansi || (foregroundColor == _raw.ForegroundColor && backgroundColor == _raw.BackgroundColor))
        {
            Out(value, newLine: false);
            return;
        }

        Out(Ansi.Colour(foregroundColor, backgroundColor, _raw.ForegroundColor, _raw.BackgroundColor, value), newLine: false);
    }

    public override void WriteLine(string value) => Out(value, newLine: true);

    public override void WriteErrorLine(string value)
    {
        lock (_gate)
        {
            ErrorLines++;
            ClearProgressLine();
            _out.Flush();
            value = GetOutputString(value, _ansi);
            _err.WriteLine(_ansi && !value.Contains('\u001b') ? Ansi.Wrap(Ansi.Red, value) : value);
            _err.Flush();
        }
    }

    public override void WriteDebugLine(string message) => Out(Styled(Ansi.Yellow, "DEBUG: " + message), newLine: true);

    public override void WriteVerboseLine(string message) => Out(Styled(Ansi.Yellow, "VERBOSE: " + message), newLine: true);

    public override void WriteWarningLine(string message) => Out(Styled(Ansi.Yellow, "WARNING: " + message), newLine: true);

    /// <summary>
    /// On a terminal one line redrawn in place and erased when done; otherwise one line per change of text.
    /// </summary>
    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        lock (_gate)
        {
            var key = (sourceId << 20) ^ record.ActivityId;
            if (record.RecordType == ProgressRecordType.Completed)
            {
                _progress.Remove(key);
                if (_progress.Count == 0)
                {
                    ClearProgressLine();
                    _lastProgressLine = null;
                }

                return;
            }

            _progress[key] = record;
            var line = ProgressLine(record);
            if (_ansi)
            {
                var width = _raw.BufferSize.Width - 1;
                _out.Write("\r\u001b[2K" + Ansi.Wrap(Ansi.Cyan, line.Length > width ? line.Substring(0, width) : line));
                _out.Flush();
                _progressShown = line;
            }
            else if (line != _lastProgressLine)
            {
                _out.WriteLine(line);
            }

            _lastProgressLine = line;
        }
    }

    /// <summary>A command line has finished: as in pwsh, progress it left behind disappears.</summary>
    public void EndOfCommand()
    {
        lock (_gate)
        {
            _progress.Clear();
            _lastProgressLine = null;
            ClearProgressLine();
            _out.Flush();
        }
    }

    internal static string ProgressLine(ProgressRecord record)
    {
        var text = new StringBuilder(record.Activity);
        if (!string.IsNullOrEmpty(record.StatusDescription))
        {
            text.Append(": ").Append(record.StatusDescription);
        }

        if (record.PercentComplete >= 0)
        {
            var filled = Math.Min(20, record.PercentComplete / 5);
            text.Append(" [").Append('=', filled).Append(' ', 20 - filled).Append("] ").Append(record.PercentComplete.ToString(CultureInfo.InvariantCulture)).Append('%');
        }

        if (record.SecondsRemaining > 0)
        {
            text.Append(' ').Append(TimeSpan.FromSeconds(record.SecondsRemaining).ToString("c", CultureInfo.InvariantCulture)).Append(" left");
        }

        if (!string.IsNullOrEmpty(record.CurrentOperation))
        {
            text.Append(" (").Append(record.CurrentOperation).Append(')');
        }

        return text.ToString();
    }

    internal void ClearScreen()
    {
        if (_ansi)
        {
            Out("\u001b[2J\u001b[3J\u001b[H", newLine: false);
        }
    }

    private string Styled(string sgr, string text) => _ansi ? Ansi.Wrap(sgr, text) : text;

    private void Out(string value, bool newLine)
    {
        lock (_gate)
        {
            ClearProgressLine();
            // Formatting styles table headers with $PSStyle; as in pwsh, the host drops the ANSI sequences when
            // $PSStyle.OutputRendering says so or the output is not a terminal.
            value = GetOutputString(value, _ansi);
            if (newLine)
            {
                _out.WriteLine(value);
            }
            else
            {
                _out.Write(value);
            }

            _out.Flush();
        }
    }

    private void ClearProgressLine()
    {
        if (_progressShown != null)
        {
            _out.Write("\r\u001b[2K");
            _progressShown = null;
        }
    }

    // ---- input --------------------------------------------------------------------------------------

    public override string ReadLine()
    {
        _out.Flush();
        var line = _in.ReadLine() ?? throw new PSInvalidOperationException("No more input: standard input has ended.");
        if (!_interactiveInput)
        {
            // Input from a pipe or file is not echoed by a terminal: show it, so the output reads as a session.
            Out(line, newLine: true);
        }

        return line;
    }

    public override SecureString ReadLineAsSecureString()
    {
        _out.Flush();
        var secure = new SecureString();
        if (_interactiveInput)
        {
            while (true)
            {
                var key = System.Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (secure.Length > 0)
                    {
                        secure.RemoveAt(secure.Length - 1);
                        _out.Write("\b \b");
                    }

                    continue;
                }

                secure.AppendChar(key.KeyChar);
                _out.Write('*');
            }

            _out.WriteLine();
        }
        else
        {
            var line = _in.ReadLine() ?? throw new PSInvalidOperationException("No more input: standard input has ended.");
            foreach (var c in line)
            {
                secure.AppendChar(c);
            }

            Out(new string('*', line.Length), newLine: true);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        WriteCaption(caption, message);
        var answers = new Dictionary<string, PSObject>();
        foreach (var field in descriptions)
        {
            var type = Type.GetType(field.ParameterAssemblyFullName) ?? typeof(string);
            var label = string.IsNullOrEmpty(field.Label) ? field.Name : field.Label.Replace("&", string.Empty, StringComparison.Ordinal);
            if (type == typeof(SecureString))
            {
                Write(label + ": ");
                answers[field.Name] = PSObject.AsPSObject(ReadLineAsSecureString());
            }
            else if (type == typeof(PSCredential))
            {
                answers[field.Name] = PSObject.AsPSObject(PromptForCredential(string.Empty, string.Empty, string.Empty, string.Empty));
            }
            else if (type.IsArray)
            {
                // As the console does: one element per line, an empty line ends the list.
                var items = new List<object?>();
                for (var i = 0; ; i++)
                {
                    Write($"{label}[{i}]: ");
                    var line = ReadLine();
                    if (line.Length == 0)
                    {
                        break;
                    }

                    items.Add(LanguagePrimitives.ConvertTo(line, type.GetElementType()!, CultureInfo.InvariantCulture));
                }

                answers[field.Name] = PSObject.AsPSObject(LanguagePrimitives.ConvertTo(items.ToArray(), type, CultureInfo.InvariantCulture));
            }
            else
            {
                Write(label + ": ");
                var line = ReadLine();
                answers[field.Name] = PSObject.AsPSObject(LanguagePrimitives.ConvertTo(line, type, CultureInfo.InvariantCulture));
            }
        }

        return answers;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        WriteCaption(caption, message);
        var hotkeys = new List<string>();
        var line = new StringBuilder();
        foreach (var choice in choices)
        {
            var (hotkey, label) = Hotkey(choice.Label);
            hotkeys.Add(hotkey);
            line.Append('[').Append(hotkey).Append("] ").Append(label).Append("  ");
        }

        line.Append("[?] Help");
        if (defaultChoice >= 0 && defaultChoice < choices.Count)
        {
            line.Append(" (default is \"").Append(hotkeys[defaultChoice]).Append("\")");
        }

        while (true)
        {
            Write(line + ": ");
            var answer = ReadLine().Trim();
            if (answer.Length == 0 && defaultChoice >= 0)
            {
                return defaultChoice;
            }

            if (answer == "?")
            {
                for (var i = 0; i < choices.Count; i++)
                {
                    WriteLine($"{hotkeys[i]} - {choices[i].HelpMessage}");
                }

                continue;
            }

            for (var i = 0; i < choices.Count; i++)
            {
                if (string.Equals(answer, hotkeys[i], StringComparison.OrdinalIgnoreCase)
                    || string.Equals(answer, choices[i].Label.Replace("&", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
    {
        WriteCaption(caption, message);
        if (string.IsNullOrEmpty(userName))
        {
            Write("User: ");
            userName = ReadLine();
        }

        Write($"Password for user {userName}: ");
        return new PSCredential(userName, ReadLineAsSecureString());
    }

    private void WriteCaption(string caption, string message)
    {
        if (!string.IsNullOrEmpty(caption))
        {
            WriteLine(caption);
        }

        if (!string.IsNullOrEmpty(message))
        {
            WriteLine(message);
        }
    }

    private static (string Hotkey, string Label) Hotkey(string label)
    {
        var amp = label.IndexOf('&', StringComparison.Ordinal);
        if (amp >= 0 && amp + 1 < label.Length)
        {
            return (char.ToUpperInvariant(label[amp + 1]).ToString(), label.Remove(amp, 1));
        }

        return (label.Length > 0 ? label.Substring(0, 1).ToUpperInvariant() : "?", label);
    }
}

/// <summary>The "screen" of <see cref="TryHost"/>: a text stream 120 columns wide, without a scroll-back buffer.</summary>
public sealed class TryRawUserInterface : PSHostRawUserInterface
{
    /// <summary>Formatted output (tables) wraps at this width, whatever the terminal says.</summary>
    public const int Width = 120;

    private readonly TryHostUserInterface _ui;
    private Size _bufferSize = new(Width, 9001);
    private Size _windowSize = new(Width, 50);

    internal TryRawUserInterface(TryHostUserInterface ui)
    {
        _ui = ui;
    }

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override Coordinates CursorPosition { get; set; }

    public override Coordinates WindowPosition { get; set; }

    public override int CursorSize { get; set; } = 25;

    public override Size BufferSize
    {
        get => _bufferSize;
        set => _bufferSize = value;
    }

    public override Size WindowSize
    {
        get => _windowSize;
        set => _windowSize = value;
    }

    public override Size MaxWindowSize => _bufferSize;

    public override Size MaxPhysicalWindowSize => _bufferSize;

    public override string WindowTitle { get; set; } = "WorkflowTools.Try";

    public override bool KeyAvailable => _ui.InteractiveInput && System.Console.KeyAvailable;

    public override void FlushInputBuffer()
    {
        while (KeyAvailable)
        {
            System.Console.ReadKey(intercept: true);
        }
    }

    public override KeyInfo ReadKey(ReadKeyOptions options)
    {
        if (_ui.InteractiveInput)
        {
            var key = System.Console.ReadKey(intercept: (options & ReadKeyOptions.NoEcho) != 0);
            var state = (key.Modifiers.HasFlag(ConsoleModifiers.Shift) ? ControlKeyStates.ShiftPressed : 0)
                | (key.Modifiers.HasFlag(ConsoleModifiers.Control) ? ControlKeyStates.LeftCtrlPressed : 0)
                | (key.Modifiers.HasFlag(ConsoleModifiers.Alt) ? ControlKeyStates.LeftAltPressed : 0);
            return new KeyInfo((int)key.Key, key.KeyChar, state, keyDown: true);
        }

        var c = _ui.Input.Read();
        if (c < 0)
        {
            throw new PSInvalidOperationException("No more input: standard input has ended.");
        }

        return new KeyInfo(0, (char)c, 0, keyDown: true);
    }

    /// <summary>Only "clear the whole screen" (what Clear-Host asks for) is supported.</summary>
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
        if (rectangle.Left == -1 && rectangle.Top == -1 && rectangle.Right == -1 && rectangle.Bottom == -1)
        {
            _ui.ClearScreen();
            return;
        }

        throw new NotSupportedException("WorkflowTools.Try writes a text stream; it has no screen buffer.");
    }

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) =>
        throw new NotSupportedException("WorkflowTools.Try writes a text stream; it has no screen buffer.");

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
        throw new NotSupportedException("WorkflowTools.Try writes a text stream; it has no screen buffer to read.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
        throw new NotSupportedException("WorkflowTools.Try writes a text stream; it has no screen buffer.");
}

/// <summary>ANSI SGR sequences for console colours.</summary>
internal static class Ansi
{
    public const string Red = "\u001b[91m";
    public const string Yellow = "\u001b[93m";
    public const string Cyan = "\u001b[96m";
    private const string Reset = "\u001b[0m";

    public static string Wrap(string sgr, string text) => sgr + text + Reset;

    public static string Colour(ConsoleColor fg, ConsoleColor bg, ConsoleColor defaultFg, ConsoleColor defaultBg, string text)
    {
        var codes = new List<string>();
        if (fg != defaultFg)
        {
            codes.Add(Code(fg).ToString(CultureInfo.InvariantCulture));
        }

        if (bg != defaultBg)
        {
            codes.Add((Code(bg) + 10).ToString(CultureInfo.InvariantCulture));
        }

        return codes.Count == 0 ? text : "\u001b[" + string.Join(";", codes) + "m" + text + Reset;
    }

    private static int Code(ConsoleColor colour) => colour switch
    {
        ConsoleColor.Black => 30,
        ConsoleColor.DarkRed => 31,
        ConsoleColor.DarkGreen => 32,
        ConsoleColor.DarkYellow => 33,
        ConsoleColor.DarkBlue => 34,
        ConsoleColor.DarkMagenta => 35,
        ConsoleColor.DarkCyan => 36,
        ConsoleColor.Gray => 37,
        ConsoleColor.DarkGray => 90,
        ConsoleColor.Red => 91,
        ConsoleColor.Green => 92,
        ConsoleColor.Yellow => 93,
        ConsoleColor.Blue => 94,
        ConsoleColor.Magenta => 95,
        ConsoleColor.Cyan => 96,
        _ => 97,
    };
}
