using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Concurrency;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Starts a ProcessMaker request (a new case of a process).</summary>
    /// <remarks>
    /// Start-PmRequest triggers a start event of a process (POST /process_events/{id}?event=...) with -Data as the
    /// new request's data, and writes the new request. -StartEvent is the BPMN id of the start event (node_1);
    /// leave it out when the process has exactly one start event you may trigger, and the command finds it (it
    /// names the choices when there are none or several). ProcessId binds from the pipeline by property name, so
    /// `Get-PmProcess -Name 'Onboarding' | Start-PmRequest -Data @{ employee = 'Ada' }` and rows of a CSV file
    /// with a ProcessId column both work. A start is never sent twice: when the answer is lost, the error says
    /// the outcome is unknown, so look for the request with Get-PmRequest before you try again. -WhatIf sends
    /// nothing.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Start, "PmRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmRequest))]
    public sealed class StartPmRequestCommand : PmThrottledCmdlet
    {
        // One start-event lookup per process, shared by items in flight at the same time; a failed lookup is forgotten.
        private readonly Dictionary<long, Task<string>> _startEvents = new Dictionary<long, Task<string>>();

        // Every start of this run, so the check after an unknown outcome never names a request another input started.
        private readonly CreateRun<PmStartSent> _run = new CreateRun<PmStartSent>();

        /// <summary>The process to start.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(PmProcessIdCompleter))]
        public long ProcessId { get; set; }

        /// <summary>The BPMN id of the start event (node_1); optional when the process has exactly one you may trigger. Binds from a StartEvent property (a CSV column).</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
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

            var startEvent = StartEvent;
            // The error's target is this input (process, event and data), so a failed row of a bulk run can be
            // found and sent again; its message says which input it was.
            var input = new PmStartRequestInput(processId, startEvent, Data);
            Enqueue(
                processId,
                async ct => await Api.StartRequestAsync(processId, startEvent ?? await StartEventOf(processId, ct).ConfigureAwait(false), data, ct, _run).ConfigureAwait(false),
                WriteObject,
                ex =>
                {
                    var record = ErrorRecordFor(ex, input, ex.Kind == ApiErrorKind.InvalidInput ? "WorkflowTools.StartEventNotDetermined" : null);
                    var message = record.ErrorDetails?.Message ?? ex.Message;
                    // PowerShell shows the command's name before the message: the message names only the input.
                    record.ErrorDetails = new ErrorDetails($"No request started for {input}: {message}") { RecommendedAction = record.ErrorDetails?.RecommendedAction };
                    WriteError(record);
                });
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

    /// <summary>What one Start-PmRequest was asked to do: the target of its error record.</summary>
    public sealed class PmStartRequestInput
    {
        internal PmStartRequestInput(long processId, string? startEvent, IDictionary? data)
        {
            ProcessId = processId;
            StartEvent = startEvent;
            Data = data;
        }

        public long ProcessId { get; }

        /// <summary>The start event asked for; empty when the command was to find it.</summary>
        public string? StartEvent { get; }

        public IDictionary? Data { get; }

        /// <summary>"process 5 at node_1 with data {employee=Ada; row=17}": enough to find the row.</summary>
        public override string ToString()
        {
            var text = "process " + ProcessId.ToString(CultureInfo.InvariantCulture);
            if (StartEvent != null)
            {
                text += " at " + StartEvent;
            }

            if (Data != null && Data.Count > 0)
            {
                var pairs = new List<string>();
                foreach (DictionaryEntry entry in Data)
                {
                    var value = PsValues.ToPlain(entry.Value)?.ToString() ?? string.Empty;
                    pairs.Add($"{entry.Key}={(value.Length > 40 ? value.Substring(0, 40) + "…" : value)}");
                    if (pairs.Count == 5)
                    {
                        break;
                    }
                }

                text += " with data {" + string.Join("; ", pairs) + (Data.Count > pairs.Count ? "; …" : string.Empty) + "}";
            }

            return text;
        }
    }
}
