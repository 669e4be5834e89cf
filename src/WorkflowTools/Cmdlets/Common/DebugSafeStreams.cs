using System.Management.Automation;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Verbose and warning lines that never prompt. PowerShell turns a compiled cmdlet's verbose and warning
    /// preferences into Inquire when -Debug is given without -Verbose (or -WarningAction), so every WriteVerbose and
    /// WriteWarning then asks "Continue with this operation?" and, in a non-interactive host (a scheduled task),
    /// throws. In that case a verbose line goes to the debug stream when the session asks for verbose output and is
    /// left out otherwise (the way the HTTP trace treats it), and a warning is shown by the host as a WARNING: line
    /// unless $WarningPreference hides warnings (it is then not in the warning stream, so -WarningVariable misses it).
    /// </summary>
    internal static class DebugSafeStreams
    {
        public static void WriteWarning(PSCmdlet cmdlet, string text)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (!bound.ContainsKey("WarningAction") && bound.TryGetValue("Debug", out var debug) && IsOn(debug))
            {
                if (PreferenceShows(cmdlet.GetVariableValue("WarningPreference")))
                {
                    cmdlet.Host.UI.WriteWarningLine(text);
                }

                return;
            }

            cmdlet.WriteWarning(text);
        }

        public static void WriteVerbose(PSCmdlet cmdlet, string text)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.TryGetValue("Verbose", out var verbose))
            {
                if (IsOn(verbose))
                {
                    cmdlet.WriteVerbose(text);
                }

                return;
            }

            if (bound.TryGetValue("Debug", out var debug) && IsOn(debug))
            {
                if (PreferenceShows(cmdlet.GetVariableValue("VerbosePreference")))
                {
                    cmdlet.WriteDebug(text);
                }

                return;
            }

            cmdlet.WriteVerbose(text);
        }

        private static bool IsOn(object value) => value is SwitchParameter sw ? sw.IsPresent : LanguagePrimitives.IsTrue(value);

        private static bool PreferenceShows(object? value)
        {
            if (value is PSObject pso)
            {
                value = pso.BaseObject;
            }

            if (value is ActionPreference preference)
            {
                return preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
            }

            return value is string s && LanguagePrimitives.TryConvertTo(s, out ActionPreference parsed)
                && parsed != ActionPreference.SilentlyContinue && parsed != ActionPreference.Ignore;
        }
    }
}
