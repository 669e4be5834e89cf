using System;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Connections;
using WorkflowTools.NextMatter;
using WorkflowTools.Waiting;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Waits until Next Matter instances have finished, and writes each one as it finishes.</summary>
    /// <remarks>
    /// Wait-NmInstance takes instance ids (numbers, or the Id or InstanceId property of piped objects, so
    /// `New-NmInstance … | Wait-NmInstance` waits for what it created) and, once the input has ended, reads them
    /// again every -PollInterval (default 15 seconds) until each is Completed or Aborted, or the state given with
    /// -Status. Each instance is written once, as soon as a check finds it finished.
    ///
    /// Next Matter allows 100 requests a minute, shared with everything else the connection does, so the wait is
    /// frugal: the instances of one workflow are read 100 at a time by a single listing request (instance_ids), and
    /// checks are spaced so that polling takes at most half of the connection's -RequestsPerMinute; the connection's
    /// pacer keeps the rest of the script within the limit too. An instance given as a bare id costs one request the
    /// first time (to learn its workflow); piped instances, or -ProcessId, save it.
    ///
    /// An instance that ends in the state not waited for is a WorkflowTools.WaitEndedOtherwise error for it; one that
    /// does not exist is a NotFound error for it alone. When -Timeout runs out, one WorkflowTools.WaitTimeout error
    /// names every instance still running (its TargetObject is their ids). A progress bar shows how many are done
    /// while it waits, and Ctrl+C stops at once.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Wait, "NmInstance")]
    [OutputType(typeof(NmInstance))]
    public sealed class WaitNmInstanceCommand : WaitCmdlet<NmConnection, NmInstance>
    {
        public WaitNmInstanceCommand()
            : base(NextMatterService.Name, NextMatterService.ConnectCommand, SessionConnections.GetNextMatter)
        {
        }

        /// <summary>The instances; binds from the pipeline and from an Id or InstanceId property (New-NmInstance and Get-NmInstance output).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The workflow of the instances (bound from piped instances): saves the first read of each instance on its own.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NmProcessIdCompleter))]
        public long ProcessId { get; set; }

        /// <summary>The piped object itself, bound from the pipeline: -Id comes from its Id or InstanceId property, and a piped workflow (Get-NmProcess output, or a CSV row of one), whose Id is the workflow's, is refused with the error WorkflowTools.WorkflowNotInstance.</summary>
        [Parameter(ValueFromPipeline = true)]
        [PipedRow("Id", "InstanceId", "ProcessId", "StepCount")]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public PSObject? InputObject { get; set; }

        /// <summary>The states to wait for: Completed and/or Aborted (default: both, that is until the instance has ended).</summary>
        [Parameter]
        [EnumArgument(typeof(NmInstanceStatus), "Completed", "Aborted")]
        [ValidateSet("Completed", "Aborted", IgnoreCase = true)]
        public NmInstanceStatus[] Status { get; set; } = NmInstanceWait.FinalStates;

        private protected override TimeSpan DefaultPollInterval => TimeSpan.FromSeconds(15);

        private protected override string Noun => "instance";

        private protected override string WantedText => Listed(Status.Distinct().Select(s => s.ToString()).ToArray());

        protected override void ProcessRecord()
        {
            if (PipedWorkflow.Is(InputObject))
            {
                foreach (var workflowId in Id)
                {
                    WriteError(PipedWorkflow.Refused(MyInvocation.MyCommand.Name, workflowId));
                }

                return;
            }

            foreach (var id in Id)
            {
                Collect(id, ProcessId > 0 ? ProcessId : (long?)null);
            }
        }

        private protected override WaitSet<NmInstance> CreateSet() => NmInstanceWait.CreateSet(ActiveConnection.Client, Status.Distinct().ToArray());

        private protected override long IdOf(NmInstance item) => item.Id;

        private protected override string StateOf(NmInstance item) => item.Status?.ToString() ?? "Unknown";
    }
}
