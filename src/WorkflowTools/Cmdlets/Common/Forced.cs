using System.Management.Automation;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>-Force for the high-impact Remove- cmdlets: no prompt, but -WhatIf still only shows what would happen.</summary>
    internal static class Forced
    {
        public static bool ShouldProcess(PSCmdlet cmdlet, bool force, string target, string action)
        {
            if (force && !cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm"))
            {
                var whatIf = cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w)
                    ? ((SwitchParameter)w).IsPresent
                    : LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference"));
                return !whatIf || cmdlet.ShouldProcess(target, action);
            }

            return cmdlet.ShouldProcess(target, action);
        }
    }
}
