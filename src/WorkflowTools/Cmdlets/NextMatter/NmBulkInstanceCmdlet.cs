using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>
    /// Collects instance ids from the pipeline (after ShouldProcess for each) and, once the input has ended, sends
    /// them in bulk requests of -BatchSize ids. An id seen twice is sent once.
    /// </summary>
    /// <remarks>
    /// Nothing is sent before the input ends on purpose: the input is usually a listing filtered on what this
    /// cmdlet changes (Get-NmInstance -Status Running | Stop-NmInstance). Next Matter pages by page number, so
    /// aborting or deleting rows while later pages are still to be read would shift them and skip instances.
    /// Only the ids are kept, so even a very long input costs little memory.
    /// </remarks>
    public abstract class NmBulkInstanceCmdlet : NmCmdlet
    {
        private readonly List<long> _pending = new List<long>();
        private readonly HashSet<long> _seen = new HashSet<long>();

        /// <summary>The instances; binds from the pipeline and from an Id or InstanceId property (Get-NmInstance output).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The piped object itself, bound from the pipeline: -Id comes from its Id or InstanceId property, and a piped workflow (Get-NmProcess output, or a CSV row of one), whose Id is the workflow's, is refused with the error WorkflowTools.WorkflowNotInstance.</summary>
        [Parameter(ValueFromPipeline = true)]
        [PipedRow("Id", "InstanceId", "StepCount", "Status")]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public PSObject? InputObject { get; set; }

        /// <summary>How many ids go in one request (1–500, default 100).</summary>
        [Parameter]
        [ValidateRange(1, 500)]
        public int BatchSize { get; set; } = 100;

        /// <summary>Write one result per instance Next Matter accepted.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        internal abstract NmBulkOperation Operation { get; }

        /// <summary>The ShouldProcess decision for one instance.</summary>
        internal abstract bool Confirm(long id, string target);

        /// <summary>The confirmed ids that are to be sent, once the input has ended (all of them unless overridden).</summary>
        internal virtual List<long> Screen(List<long> confirmed) => confirmed;

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
                if (!_seen.Add(id))
                {
                    WriteVerbose($"Instance {id.ToString(CultureInfo.InvariantCulture)} was given more than once; it is sent once.");
                    continue;
                }

                if (!Confirm(id, $"instance {id.ToString(CultureInfo.InvariantCulture)}"))
                {
                    continue;
                }

                _pending.Add(id);
            }
        }

        protected override void EndProcessing()
        {
            var pending = Screen(_pending);
            var batches = (pending.Count + BatchSize - 1) / BatchSize;
            var activity = $"{(Operation == NmBulkOperation.Abort ? "Aborting" : "Deleting")} {pending.Count.ToString(CultureInfo.InvariantCulture)} instance(s)";
            for (var batch = 0; batch < batches; batch++)
            {
                if (batches > 1)
                {
                    WriteProgress(new ProgressRecord(ProgressId, activity, $"Request {batch + 1} of {batches}") { PercentComplete = batch * 100 / batches });
                }

                var start = batch * BatchSize;
                Send(pending.GetRange(start, Math.Min(BatchSize, pending.Count - start)).ToArray());
            }

            if (batches > 1)
            {
                WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        private const int ProgressId = 4711;

        private void Send(long[] ids)
        {
            WriteVerbose($"{Operation} {ids.Length} instance(s) in one request.");
            var outcomes = Run(ct => Api.BulkAsync(Operation, ids, ct));
            var now = DateTime.UtcNow;
            foreach (var outcome in outcomes)
            {
                if (outcome.Error != null)
                {
                    WriteFailure(outcome.Error, outcome.Id);
                }
                else if (PassThru)
                {
                    WriteObject(new NmBulkResult { InstanceId = outcome.Id, Operation = Operation, BatchSize = outcome.BatchSize, ConfirmedAt = now });
                }
            }
        }
    }
}
