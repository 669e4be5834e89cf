using System;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Reassigns ProcessMaker tasks to another user, or claims self-service tasks.</summary>
    /// <remarks>
    /// Set-PmTask -AssignTo gives each task to that user (PUT /tasks/{id} with user_id); -Claim takes an unclaimed
    /// self-service task for the user the connection's token belongs to (a claim is a reassignment to oneself). Who may
    /// reassign is ProcessMaker's rule (ProcessRequestTokenPolicy): administrators; the process manager; the users and
    /// groups the process allows to reassign; and whoever may work on the task when its definition allows reassignment.
    /// A refusal is a PermissionDenied error for that task and the others go on. ProcessMaker answers 200 even where it
    /// did not move the task (servers without the Advanced User Manager's assignment process), so the answer is checked
    /// and such a task is an error, never a silent success.
    /// Tasks come by -Id or from the pipeline (the TaskId of Get-PmTask rows); where a task goes is only ever what
    /// -AssignTo or -Claim says: a piped task's own UserId is never used. Piped tasks are collected first and changed
    /// once the input has ended, so `Get-PmTask -UserId 12 -Status Active | Set-PmTask -AssignTo 34` moves every task
    /// the listing found (moving a task takes it out of that listing while it is being read). It writes nothing unless
    /// -PassThru asks for each task as the server answered.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "PmTask", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmTask))]
    public sealed class SetPmTaskCommand : PmThrottledCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ByTaskIdSet = "ByTaskId";
        private long _to;

        /// <summary>The tasks to change (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The tasks to change, from the TaskId property of piped tasks (Get-PmTask) and CSV rows.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByTaskIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] TaskId { get; set; } = Array.Empty<long>();

        /// <summary>The user id to give the tasks to. Always named, never taken from piped objects.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long AssignTo { get; set; }

        /// <summary>Claim the tasks (unclaimed self-service ones) for the user the connection's token belongs to.</summary>
        [Parameter]
        public SwitchParameter Claim { get; set; }

        /// <summary>Write each task as the server answered.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var assign = MyInvocation.BoundParameters.ContainsKey(nameof(AssignTo));
            if (assign == Claim.IsPresent)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("Give -AssignTo <user id> or -Claim (one of them): they say where the tasks go.", null));
            }

            if (assign)
            {
                _to = AssignTo;
                return;
            }

            long? me = null;
            try
            {
                me = Run(ct => Api.GetCurrentUserIdAsync(ct));
            }
            catch (ApiException ex)
            {
                ThrowTerminatingError(ErrorRecordFor(ex, null));
            }

            if (me == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("-Claim cannot tell whose token this is: it is not a ProcessMaker (Passport) JWT with a user id. Use -AssignTo <your user id> instead."),
                    "WorkflowTools.UserUnknown",
                    ErrorCategory.InvalidOperation,
                    null));
            }

            _to = me!.Value;
            WriteVerbose($"The connection's token belongs to user {_to}.");
        }

        protected override void ProcessRecord()
        {
            var action = Claim ? "Claim" : $"Reassign to user {_to.ToString(CultureInfo.InvariantCulture)}";
            foreach (var id in ParameterSetName == ByIdSet ? Id : TaskId)
            {
                if (!ShouldProcess($"task {id.ToString(CultureInfo.InvariantCulture)}", action))
                {
                    continue;
                }

                NowOrAfterInput(() => Assign(id));
            }
        }

        private void Assign(long taskId)
        {
            var to = _to;
            var passThru = PassThru.IsPresent;
            Enqueue(
                taskId,
                ct => Api.AssignTaskAsync(taskId, to, ct),
                task =>
                {
                    WriteVerbose($"Assigned task {taskId} to user {to}.");
                    if (passThru)
                    {
                        WriteObject(task);
                    }
                },
                ex => WriteError(ErrorRecordFor(ex, taskId)));
        }
    }
}
