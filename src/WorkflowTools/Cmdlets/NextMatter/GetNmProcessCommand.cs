using System;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Gets a Next Matter workflow with its steps and form fields.</summary>
    /// <remarks>
    /// Reads a workflow (GET processes/{id}/) and writes it as one object with its steps. -Step writes one row
    /// per step instead, and -Action one row per form field (action) with its step, type, whether it is required
    /// and its options: the ids Complete-NmStep -Value and Get-NmFieldValue need, in a shape Export-Csv and
    /// Format-Table show well. Ids bind from the pipeline and from a ProcessId property, so instances can be piped in.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "NmProcess", DefaultParameterSetName = ProcessSet)]
    [OutputType(typeof(NmProcess), ParameterSetName = new[] { ProcessSet })]
    [OutputType(typeof(NmStep), ParameterSetName = new[] { StepSet })]
    [OutputType(typeof(NmStepAction), ParameterSetName = new[] { ActionSet })]
    public sealed class GetNmProcessCommand : NmCmdlet
    {
        private const string ProcessSet = "Process";
        private const string StepSet = "Step";
        private const string ActionSet = "Action";

        /// <summary>Workflow ids: the number at the end of the workflow's URL in Next Matter. Binds from the pipeline and from a ProcessId property (or the Id of a workflow object).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NmProcessIdCompleter))]
        public long[] ProcessId { get; set; } = Array.Empty<long>();

        /// <summary>Write one row per step instead of the workflow.</summary>
        [Parameter(Mandatory = true, ParameterSetName = StepSet)]
        public SwitchParameter Step { get; set; }

        /// <summary>Write one row per form field (action) instead of the workflow.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ActionSet)]
        public SwitchParameter Action { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in ProcessId)
            {
                NmProcess process;
                try
                {
                    process = Run(ct => Api.GetProcessAsync(id, ct));
                }
                catch (ApiException ex)
                {
                    WriteFailure(ex, id);
                    continue;
                }

                // Steps and fields without a usable id were left out of the workflow: say so, one error each.
                foreach (var leftOut in process.LeftOut)
                {
                    WriteError(ErrorRecords.From(leftOut, id, Rows.InvalidRowErrorId));
                }

                if (Step)
                {
                    foreach (var step in process.Steps)
                    {
                        WriteObject(step);
                    }
                }
                else if (Action)
                {
                    foreach (var step in process.Steps)
                    {
                        foreach (var action in step.Actions)
                        {
                            WriteObject(action);
                        }
                    }
                }
                else
                {
                    WriteObject(process);
                }
            }
        }
    }
}
