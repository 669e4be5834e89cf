using System;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;
using WorkflowTools.Waiting;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Waits until ProcessMaker requests have finished, and writes each one as it finishes.</summary>
    /// <remarks>
    /// Wait-PmRequest takes request ids (numbers, or the RequestId property of piped requests, tasks and CSV rows, so
    /// `Start-PmRequest … | Wait-PmRequest` waits for what it started) and, once the input has ended, reads them
    /// again every -PollInterval (default 5 seconds) until each is Completed, Canceled or Error, or the states given
    /// with -Status. Each request is written once, as soon as a check finds it finished; the output is the request as
    /// ProcessMaker lists it. One check reads up to 50 requests in a single listing request (PMQL id = … OR …), so
    /// waiting for 100 requests costs two requests per check, not 100.
    ///
    /// A request that ends in a final state not given with -Status (for example Canceled while you wait for Completed)
    /// is a WorkflowTools.WaitEndedOtherwise error for that request, and the others are still waited for. A request
    /// that does not exist is a NotFound error for it alone. When -Timeout runs out, one WorkflowTools.WaitTimeout
    /// error names every request still running (its TargetObject is their ids), after the finished ones were
    /// written; with -ErrorAction Stop it stops the script. A progress bar shows how many are done while it waits,
    /// and Ctrl+C stops at once.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Wait, "PmRequest", DefaultParameterSetName = "ById")]
    [OutputType(typeof(PmRequest))]
    public sealed class WaitPmRequestCommand : WaitCmdlet<PmConnection, PmRequest>
    {
        public WaitPmRequestCommand()
            : base(ProcessMakerService.Name, ProcessMakerService.ConnectCommand, SessionConnections.GetProcessMaker)
        {
        }

        /// <summary>The ids of the requests to wait for (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ById", ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>Request ids from the RequestId property of piped objects (Start-PmRequest and Get-PmRequest output, tasks, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByRequestId", ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] RequestId { get; set; } = Array.Empty<long>();

        /// <summary>The states to wait for: Completed, Canceled and/or Error (default: all three, that is until the request has finished).</summary>
        [Parameter]
        [EnumArgument(typeof(PmRequestStatus), "Completed", "Canceled", "Error")]
        [ValidateSet("Completed", "Canceled", "Error", IgnoreCase = true)]
        public PmRequestStatus[] Status { get; set; } = PmRequestWait.FinalStates;

        private protected override TimeSpan DefaultPollInterval => TimeSpan.FromSeconds(5);

        private protected override string Noun => "request";

        private protected override string WantedText => Listed(Status.Distinct().Select(s => s.ToString()).ToArray());

        protected override void ProcessRecord()
        {
            foreach (var id in ParameterSetName == "ById" ? Id : RequestId)
            {
                Collect(id, 0L);
            }
        }

        private protected override WaitSet<PmRequest> CreateSet() => PmRequestWait.CreateSet(ActiveConnection.Client, Status.Distinct().ToArray());

        private protected override long IdOf(PmRequest item) => item.Id;

        private protected override string StateOf(PmRequest item) => item.StatusText ?? item.Status.ToString();

        private protected override ErrorRecord ErrorRecordFor(ApiException exception, object? target, string? errorId = null) => PmErrors.From(exception, target, errorId);
    }
}
