using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>
    /// Tells a piped workflow (a Get-NmProcess row, or a CSV of them) from an instance. Both carry an Id, and the
    /// instance cmdlets bind -Id from an Id property, so without this check `Get-NmProcess -ProcessId 7 |
    /// Stop-NmInstance` would act on instance 7. Each instance cmdlet sees the piped object whole in its -InputObject
    /// (<see cref="PipedRowAttribute"/>): an <see cref="NmProcess"/> is a workflow by its type, and a CSV row of one
    /// by its StepCount column, which no instance row has.
    /// </summary>
    internal static class PipedWorkflow
    {
        /// <summary>Whether the piped row is a workflow (its Id is a workflow id, never an instance id).</summary>
        public static bool Is(PSObject? row) => row?.BaseObject is NmProcess || PipedRow.Has(row, nameof(NmProcess.StepCount));

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
