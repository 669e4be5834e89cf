using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Start-PmRequest: starts a ProcessMaker request (a new instance of a process).</summary>
    /// <remarks>
    /// Starts a request of a ProcessMaker process at one of its start events (POST
    /// /process_events/{processId}?event={startEvent}) and writes the new request. The keys of -Data become
    /// the request's variables.
    /// <para/>
    /// -StartEvent is the BPMN id of the start event, such as node_1. When it is left out, the process is
    /// looked up once and its only start event you may trigger is used; a process with several asks you to
    /// choose, naming them. Timer and web-entry start events cannot be started through the API.
    /// <para/>
    /// Starting a request is not idempotent: when the answer is lost after the request was sent, the
    /// cmdlet reports the failure instead of trying again, so no request is started twice.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Start, "PmRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmRequest))]
    public sealed class StartPmRequestCommand : PmCmdlet
    {
        private readonly Dictionary<long, string> _startEvents = new Dictionary<long, string>();

        /// <summary>The process to start.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(PmProcessIdCompleter))]
        public long ProcessId { get; set; }

        /// <summary>The BPMN id of the start event (node_1); optional when the process has exactly one you may trigger.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        [ValidatePattern(@"^[A-Za-z_][\w.\-]*$")]
        [ArgumentCompleter(typeof(PmStartEventCompleter))]
        public string? StartEvent { get; set; }

        /// <summary>The request's data: its keys become the request's variables.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public IDictionary? Data { get; set; }

        protected override void ProcessRecord()
        {
            var processId = ProcessId;
            IDictionary? data = null;
            if (Data != null)
            {
                data = PsValues.ToPlain(Data) as IDictionary;
                if (!JsonBody.TryValidate(data, out var problem))
                {
                    WriteError(ErrorRecords.InvalidArgument($"-Data cannot be sent as JSON: {problem}", Data, "WorkflowTools.InvalidData"));
                    return;
                }
            }

            var target = $"process {processId.ToString(CultureInfo.InvariantCulture)}" + (StartEvent != null ? $" at start event {StartEvent}" : string.Empty);
            if (!ShouldProcess(target, "Start request"))
            {
                return;
            }

            try
            {
                var startEvent = StartEvent;
                if (startEvent == null && !_startEvents.TryGetValue(processId, out startEvent))
                {
                    startEvent = Run(ct => Api.ResolveStartEventAsync(processId, ct));
                    _startEvents[processId] = startEvent;
                    WriteVerbose($"Process {processId} has one start event you may trigger: {startEvent}.");
                }

                var eventId = startEvent!;
                WriteObject(Run(ct => Api.StartRequestAsync(processId, eventId, data, ct)));
            }
            catch (ApiException ex)
            {
                WriteFailure(ex, processId, ex.Kind == ApiErrorKind.InvalidInput ? "WorkflowTools.StartEventNotDetermined" : null);
            }
        }
    }
}
