using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Start-PmRequest: starts a ProcessMaker request (a new instance of a process).</summary>
    [Cmdlet(VerbsLifecycle.Start, "PmRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmRequest))]
    public sealed class StartPmRequestCommand : PmBulkCmdlet
    {
        // One start-event lookup per process, shared by items in flight at the same time; a failed lookup is forgotten.
        private readonly Dictionary<long, Task<string>> _startEvents = new Dictionary<long, Task<string>>();

        /// <summary>The process to start.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        public long ProcessId { get; set; }

        /// <summary>The BPMN id of the start event (node_1); optional when the process has exactly one you may trigger.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        [ValidatePattern(@"^[A-Za-z_][\w.\-]*$")]
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

            var startEvent = StartEvent;
            Enqueue(
                processId,
                async ct => await Api.StartRequestAsync(processId, startEvent ?? await StartEventOf(processId, ct).ConfigureAwait(false), data, ct).ConfigureAwait(false),
                WriteObject,
                ex => WriteFailure(ex, processId, ex.Kind == ApiErrorKind.InvalidInput ? "WorkflowTools.StartEventNotDetermined" : null));
        }

        private Task<string> StartEventOf(long processId, CancellationToken cancellationToken)
        {
            lock (_startEvents)
            {
                if (_startEvents.TryGetValue(processId, out var known) && !known.IsFaulted && !known.IsCanceled)
                {
                    return known;
                }

                var lookup = Resolve();
                _startEvents[processId] = lookup;
                return lookup;
            }

            async Task<string> Resolve()
            {
                var eventId = await Api.ResolveStartEventAsync(processId, cancellationToken).ConfigureAwait(false);
                Post(() => WriteVerbose($"Process {processId} has one start event you may trigger: {eventId}."));
                return eventId;
            }
        }
    }
}
