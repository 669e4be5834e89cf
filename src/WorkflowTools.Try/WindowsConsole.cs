using System;
using System.Runtime.InteropServices;

namespace WorkflowTools.Try;

/// <summary>Windows consoles interpret ANSI sequences only after they are asked to (ENABLE_VIRTUAL_TERMINAL_PROCESSING).</summary>
internal static class WindowsConsole
{
    private const int StdOutputHandle = -11;
    private const int StdErrorHandle = -12;
    private const uint EnableVirtualTerminalProcessing = 0x0004;

    /// <summary>True when ANSI sequences will be shown as colours: always off Windows, on Windows when the mode could be set.</summary>
    public static bool TryEnableAnsi()
    {
        if (!OperatingSystem.IsWindows())
        {
            return true;
        }

        return Enable(StdOutputHandle) & Enable(StdErrorHandle);
    }

    private static bool Enable(int which)
    {
        var handle = GetStdHandle(which);
        if (handle == IntPtr.Zero || handle == new IntPtr(-1) || !GetConsoleMode(handle, out var mode))
        {
            return false;
        }

        return (mode & EnableVirtualTerminalProcessing) != 0 || SetConsoleMode(handle, mode | EnableVirtualTerminalProcessing);
    }

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern IntPtr GetStdHandle(int nStdHandle);

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern bool GetConsoleMode(IntPtr hConsoleHandle, out uint lpMode);

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern bool SetConsoleMode(IntPtr hConsoleHandle, uint dwMode);
}
