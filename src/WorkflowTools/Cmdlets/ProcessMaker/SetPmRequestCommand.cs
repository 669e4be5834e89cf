using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Json;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Changes the data of ProcessMaker requests.</summary>
    /// <remarks>
    /// Set-PmRequest merges -Data into each request's data, as ProcessMaker does (PUT /requests/{id} with only data):
    /// the keys given replace those of the same name, the other keys stay. A nested hashtable replaces the whole value
    /// of its key. ProcessMaker trims strings and stores an empty string as null. It takes request ids (numbers, or
    /// the RequestId property of piped requests, tasks and CSV rows). Use -WhatIf to see which requests and keys would
    /// change without sending anything; -PassThru writes each request read back with its data. ProcessMaker asks for
    /// the permission edit-task_data while a request is active and edit-request_data once it has finished; without it
    /// the error is PermissionDenied for that request and the others go on. An edit is never sent twice: when the
    /// answer is lost, the error says its outcome is unknown (read the request with Get-PmRequest -IncludeData).
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "PmRequest", DefaultParameterSetName = "ById", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmRequest))]
    public sealed class SetPmRequestCommand : PmThrottledCmdlet
    {
        /// <summary>The ids of the requests to change (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ById", ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>Request ids from the RequestId property of piped objects (requests, tasks, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByRequestId", ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] RequestId { get; set; } = Array.Empty<long>();

        /// <summary>The keys and values to merge into each request's data (a hashtable; at least one key).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public IDictionary Data { get; set; } = new Hashtable();

        /// <summary>Write each changed request, read back with its data.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private IDictionary? _plain;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Data.Count == 0)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("-Data has no keys: there is nothing to change.", Data, "WorkflowTools.InvalidData"));
            }

            _plain = PsValues.ToPlain(Data) as IDictionary ?? new Hashtable();
            if (!JsonBody.TryValidate(_plain, out var problem))
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument($"-Data cannot be sent as JSON: {problem}", Data, "WorkflowTools.InvalidData"));
            }
        }

        protected override void ProcessRecord()
        {
            var keys = string.Join(", ", _plain!.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)));
            foreach (var id in ParameterSetName == "ById" ? Id : RequestId)
            {
                if (!ShouldProcess($"request {id.ToString(CultureInfo.InvariantCulture)}", $"Merge data keys {keys}"))
                {
                    continue;
                }

                var requestId = id;
                var data = _plain;
                var passThru = PassThru.IsPresent;
                var client = new PmRequestDataClient(Api);
                Enqueue(
                    requestId,
                    async ct =>
                    {
                        await client.MergeDataAsync(requestId, data, ct).ConfigureAwait(false);
                        return passThru ? await Api.GetRequestAsync(requestId, true, ct).ConfigureAwait(false) : null;
                    },
                    changed =>
                    {
                        WriteVerbose($"Request {requestId} data changed ({keys}).");
                        if (changed != null)
                        {
                            WriteObject(changed);
                        }
                    },
                    ex => WriteError(ErrorRecordFor(ex, requestId)));
            }
        }
    }
}
