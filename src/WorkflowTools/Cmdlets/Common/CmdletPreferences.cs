using System;
using System.Management.Automation;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>A running cmdlet's effective preferences: the common parameter when given, else the preference variable in scope.</summary>
    internal static class CmdletPreferences
    {
        /// <summary>Whether -Verbose/-Debug (or the preference variable) lets the stream through: no trace text is built otherwise.</summary>
        public static bool StreamEnabled(PSCmdlet cmdlet, string switchName, string preferenceVariable)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue(switchName, out var bound))
            {
                return bound is SwitchParameter sw ? sw.IsPresent : LanguagePrimitives.IsTrue(bound);
            }

            var preference = Effective(cmdlet, null, preferenceVariable);
            return preference != null && preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
        }

        /// <summary>The value of common parameter <paramref name="parameterName"/> when bound, else of <paramref name="preferenceVariable"/>.</summary>
        public static ActionPreference? Effective(PSCmdlet cmdlet, string? parameterName, string preferenceVariable)
        {
            object? value = null;
            if (parameterName == null || !cmdlet.MyInvocation.BoundParameters.TryGetValue(parameterName, out value))
            {
                value = cmdlet.GetVariableValue(preferenceVariable);
            }

            if (value is PSObject pso)
            {
                value = pso.BaseObject;
            }

            if (value is ActionPreference action)
            {
                return action;
            }

            return value != null && Enum.TryParse(value.ToString(), true, out ActionPreference parsed) ? parsed : (ActionPreference?)null;
        }
    }
}
