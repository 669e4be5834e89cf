using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>
    /// Tells a piped workflow (a Get-NmProcess row, or a CSV of them) from an instance. Both carry an Id, and the
    /// instance cmdlets bind -Id from an Id property, so without this check `Get-NmProcess -ProcessId 7 |
    /// Stop-NmInstance` would act on instance 7. A workflow row is the one with a StepCount property: each instance
    /// cmdlet has a hidden -StepCount parameter bound from it by property name. (A parameter that takes the piped
    /// object itself cannot do this: PowerShell would then pick the parameter set before it sees a ProcessId
    /// property, or convert a CSV row into a workflow.)
    /// </summary>
    internal static class PipedWorkflow
    {
        /// <summary>The error for a workflow piped into a cmdlet that acts on instances: nothing is sent for it.</summary>
        public static ErrorRecord Refused(string command, long workflowId)
        {
            var id = workflowId.ToString(CultureInfo.InvariantCulture);
            return ErrorRecords.InvalidArgument(
                $"{command} acts on instances, and workflow {id} was piped; its Id is the workflow's, not an instance's, so nothing was sent for it. Pipe the workflow's instances instead: Get-NmInstance -ProcessId {id} | {command}.",
                $"workflow {id}",
                "WorkflowTools.WorkflowNotInstance");
        }
    }
}
