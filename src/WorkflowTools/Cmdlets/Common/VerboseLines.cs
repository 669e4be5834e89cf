using System.Management.Automation;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Verbose lines that never prompt. PowerShell turns a compiled cmdlet's verbose preference into Inquire when
    /// -Debug is given without -Verbose, so every WriteVerbose then asks "Continue with this operation?" and, in a
    /// non-interactive host (a scheduled task), throws. The lines go to the debug stream in that case when the
    /// session asks for verbose output, and are left out otherwise, the way the HTTP trace treats them.
    /// </summary>
    internal static class VerboseLines
    {
        public static void Write(PSCmdlet cmdlet, string text)
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

        /// <summary>Whether -Debug without -Verbose makes WriteVerbose ask for confirmation.</summary>
        public static bool VerboseWouldInquire(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            return !bound.ContainsKey("Verbose") && bound.TryGetValue("Debug", out var debug) && IsOn(debug);
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
