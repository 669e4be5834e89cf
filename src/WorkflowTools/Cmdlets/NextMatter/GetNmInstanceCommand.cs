using System;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Gets Next Matter instances by id, or a workflow's instances filtered the way Next Matter filters them.</summary>
    /// <remarks>
    /// With -Id, each instance is read on its own; ids bind from the pipeline, so objects with an Id or InstanceId
    /// property can be piped in. A number without a parameter name is an instance id, as for Get-PmRequest and
    /// Get-PmTask: `Get-NmInstance 1001` reads instance 1001, and listing a workflow's instances takes the name,
    /// `Get-NmInstance -ProcessId 12`. With -ProcessId, the workflow's instances are listed with any of Next Matter's
    /// documented filters (runtime, status, name, tags, priority, active step, progress, times, lead user, free
    /// text) and sort orders, and written as each page arrives: -First, -Skip and -IncludeTotalCount work on the
    /// whole listing, and Select-Object -First stops the page requests at once.
    ///
    /// Durations keep Next Matter's meaning: '00:50' is 50 seconds and '01 09:30' is 1 day, 9 minutes and 30
    /// seconds; a [TimeSpan] is taken as it is. Times are sent in UTC. -IncludeValues adds the instances' form
    /// values (action id to value) in the Values property; for a listing this reads each instance once more.
    ///
    /// What a listing row holds is what Next Matter puts in it, and its public example of this listing shows only
    /// id, name, status and public_url. ProcessId is always filled in (the request names the workflow); a field the
    /// row does not carry (times, TotalRuntime, Priority, Tags, ActiveStepIds) is $null, never 0 or a default. Piped
    /// into Complete-NmStep without -StepId, a row without ActiveStepIds makes it read that instance once to find
    /// the active step; Get-NmInstance -Id (or -IncludeValues) gives the full detail.
    ///
    /// Next Matter pages by page number, so a listing that changes while it is read shifts its later pages: the
    /// cmdlet warns when the announced count changes between pages. When a pipeline changes what the listing
    /// filters on (completing the active step of -ActiveStepId instances, for example), collect the listing first
    /// with @(Get-NmInstance …). Stop-NmInstance and Remove-NmInstance wait for the end of their input themselves.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "NmInstance", DefaultParameterSetName = ById, SupportsPaging = true)]
    [OutputType(typeof(NmInstance))]
    public sealed class GetNmInstanceCommand : NmInstanceFilterCmdlet
    {
        private const string ById = "ById";

        /// <summary>Instance ids to read one by one (the first unnamed argument); binds from the pipeline and from an Id or InstanceId property.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The workflow whose instances to list: the number at the end of the workflow's URL in Next Matter. Always named (a bare number is an instance id); binds from a ProcessId property, so `Get-NmProcess -ProcessId 7 | Get-NmInstance` lists workflow 7's instances. Tab offers the workflows this session has already met (Next Matter has no endpoint that lists workflows), so in a new session it offers nothing until an instance or workflow has been read or created.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByProcess, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NmProcessIdCompleter))]
        public long ProcessId { get; set; }

        /// <summary>The piped object itself, bound from the pipeline: -Id comes from its Id or InstanceId property, and a piped workflow (Get-NmProcess output, or a CSV row of one) lists that workflow's instances, as its Id is a workflow id, never an instance id.</summary>
        [Parameter(ValueFromPipeline = true)]
        [PipedRow("Id", "InstanceId", "StepCount")]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public PSObject? InputObject { get; set; }

        /// <summary>Include the instances' form values (Next Matter's inject_values) in the Values property: action id to value.</summary>
        [Parameter]
        public SwitchParameter IncludeValues { get; set; }

        internal override bool IncludeValuesInQuery => IncludeValues;

        protected override void ProcessRecord()
        {
            var pipedWorkflow = ParameterSetName == ById && Id.Length == 1 && PipedWorkflow.Is(InputObject);
            if (ParameterSetName == ById && !pipedWorkflow)
            {
                foreach (var id in Id)
                {
                    try
                    {
                        WriteObject(Run(ct => Api.GetInstanceAsync(id, IncludeValues, ct)));
                    }
                    catch (ApiException ex)
                    {
                        WriteFailure(ex, id);
                    }
                }

                return;
            }

            var processId = pipedWorkflow ? Id[0] : ProcessId;
            var query = BuildQuery(processId);
            if (query == null)
            {
                return;
            }

            WriteListing($"Listing instances of workflow {processId.ToString(CultureInfo.InvariantCulture)}", processId, () => Api.ListInstancesAsync(processId, query));
        }
    }
}
