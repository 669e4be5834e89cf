using System.Collections;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Completes ProcessMaker tasks with form data.</summary>
    /// <remarks>
    /// Complete-PmTask submits a task (PUT /tasks/{id} with status COMPLETED) with -Data as the form's values; the
    /// keys become request variables. Data is always sent, as {} when you give none (ProcessMaker fails without
    /// it). Tasks bind from the pipeline by their TaskId property, so `Get-PmRequest -Id 5 | Get-PmTask -Status
    /// Active | Complete-PmTask -Data @{ approved = $true }` completes a request's open task. It writes the
    /// closed task. A task that is already closed gives the error WorkflowTools.TaskAlreadyClosed; a task that
    /// is not yours gives PermissionDenied. A completion is never sent twice: when the answer is lost the error
    /// says its outcome is unknown, so check with Get-PmTask before you try again. Piped tasks are collected first
    /// and completed once the input has ended, so `Get-PmTask -Status Active | Complete-PmTask` completes every task
    /// the listing found (a task completed while the listing is still being read would shift the pages after it).
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Complete, "PmTask", DefaultParameterSetName = "TaskId", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmTask))]
    public sealed class CompletePmTaskCommand : PmThrottledCmdlet
    {
        /// <summary>The task to complete (binds from the TaskId of piped tasks).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "TaskId", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long TaskId { get; set; }

        /// <summary>
        /// The task to complete, as -Id names the item in the other cmdlets. Not taken from piped objects: a piped
        /// request's Id is not a task id.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = "Id")]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long Id { get; set; }

        /// <summary>The form's values: a hashtable whose keys become request variables.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNull]
        public IDictionary? Data { get; set; }

        protected override void ProcessRecord()
        {
            var taskId = ParameterSetName == "Id" ? Id : TaskId;
            IDictionary data = new Hashtable();
            if (Data != null)
            {
                data = PsValues.ToPlain(Data) as IDictionary ?? new Hashtable();
                if (!JsonBody.TryValidate(data, out var problem))
                {
                    WriteError(ErrorRecords.InvalidArgument($"-Data cannot be sent as JSON: {problem}", Data, "WorkflowTools.InvalidData"));
                    return;
                }
            }

            if (!ShouldProcess($"task {taskId.ToString(CultureInfo.InvariantCulture)}", "Complete"))
            {
                return;
            }

            NowOrAfterInput(() => Complete(taskId, data));
        }

        private void Complete(long taskId, IDictionary data)
        {
            Enqueue(
                taskId,
                ct => Api.CompleteTaskAsync(taskId, data, ct),
                WriteObject,
                ex =>
                {
                    if (ex.StatusCode == 422 && ex.FieldErrors.Count == 0 && (ex.Detail ?? string.Empty).IndexOf("closed", System.StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        WriteError(new ErrorRecord(
                            new ApiException(ApiErrorKind.Conflict, $"Task {taskId} is already closed; nothing was changed. ({ex.Detail})", ex),
                            "WorkflowTools.TaskAlreadyClosed",
                            ErrorCategory.InvalidOperation,
                            taskId));
                        return;
                    }

                    WriteError(ErrorRecordFor(ex, taskId));
                });
        }
    }
}
