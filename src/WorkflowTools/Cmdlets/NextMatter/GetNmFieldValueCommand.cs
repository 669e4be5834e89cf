using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Gets one form field's value across a workflow's instances.</summary>
    /// <remarks>
    /// Reads Next Matter's field-value listing (GET processes/{id}/steps/{id}/actions/{id}/): one row per
    /// instance with the instance's id and name and the field's value, written as each page arrives. The instance
    /// filters of Get-NmInstance apply (status, runtime, tags, times, …), and -InstanceId narrows the rows to
    /// given instances. Value holds what a person reads (the text, the selected item, the checked items as
    /// a;b, the date in UTC); InputObject holds the stored input object. Pipe Get-NmProcess -Action into this
    /// cmdlet to read a field without looking up its ids; without -StepId, the step is found in the workflow's
    /// definition.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "NmFieldValue", DefaultParameterSetName = ByProcess, SupportsPaging = true)]
    [OutputType(typeof(NmFieldValue))]
    public sealed class GetNmFieldValueCommand : NmInstanceFilterCmdlet
    {
        /// <summary>The workflow id.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NmProcessIdCompleter))]
        public long ProcessId { get; set; }

        /// <summary>The step the form field belongs to; without it, the step whose form has -ActionId, from the workflow's definition.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long StepId { get; set; }

        /// <summary>The form field (action) id; binds from the Id of a Get-NmProcess -Action row.</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long ActionId { get; set; }

        /// <summary>Only these instances (Next Matter's instance_ids filter).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[]? InstanceId { get; set; }

        internal override long[]? InstanceIdsInQuery => InstanceId?.Distinct().ToArray();

        protected override void ProcessRecord()
        {
            var target = $"workflow {ProcessId.ToString(CultureInfo.InvariantCulture)} step {StepId.ToString(CultureInfo.InvariantCulture)} action {ActionId.ToString(CultureInfo.InvariantCulture)}";
            var query = BuildQuery(target);
            if (query == null)
            {
                return;
            }

            var (processId, stepId, actionId) = (ProcessId, StepId, ActionId);
            if (stepId == 0)
            {
                try
                {
                    stepId = Run(ct => Api.FindStepOfActionAsync(processId, actionId, ct));
                    WriteVerbose($"Form field {actionId.ToString(CultureInfo.InvariantCulture)} is in step {stepId.ToString(CultureInfo.InvariantCulture)} of workflow {processId.ToString(CultureInfo.InvariantCulture)}.");
                }
                catch (ApiException ex)
                {
                    WriteFailure(ex, $"workflow {processId.ToString(CultureInfo.InvariantCulture)} action {actionId.ToString(CultureInfo.InvariantCulture)}");
                    return;
                }

                target = $"workflow {processId.ToString(CultureInfo.InvariantCulture)} step {stepId.ToString(CultureInfo.InvariantCulture)} action {actionId.ToString(CultureInfo.InvariantCulture)}";
            }

            WriteListing($"Reading the values of form field {actionId.ToString(CultureInfo.InvariantCulture)}", target, () => Api.ListFieldValuesAsync(processId, stepId, actionId, query));
        }
    }
}
