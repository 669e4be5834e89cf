using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Changes the name, deadline, priority or tags of Next Matter instances.</summary>
    /// <remarks>
    /// Sends only the fields you give (PATCH instances/{id}/); when the server does not allow PATCH, the instance
    /// is read and sent whole with PUT. -Tag replaces all tags, -AddTag and -RemoveTag change the current ones
    /// (which costs one extra read per instance). -Deadline $null removes the deadline. -Priority Regular removes the
    /// priority the way Next Matter documents it, by leaving the field out: that takes a full PUT, so the instance
    /// is read first and sent whole without a priority (one extra read). Instance ids bind from the pipeline, so the output of Get-NmInstance can be piped
    /// in; -PassThru writes the changed instance as Next Matter returns it.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "NmInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NmInstance))]
    public sealed class SetNmInstanceCommand : NmCmdlet
    {
        /// <summary>The instance to change; binds from the pipeline and from an Id or InstanceId property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long Id { get; set; }

        /// <summary>The new name (at most 255 characters).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 255)]
        public string? Name { get; set; }

        /// <summary>The new deadline; $null removes it. Local times are converted to UTC.</summary>
        [Parameter]
        public DateTime? Deadline { get; set; }

        /// <summary>The new priority: Regular, High or VeryHigh.</summary>
        [Parameter]
        [EnumArgument(typeof(NmPriority), "Regular", "High", "VeryHigh")]
        public NmPriority? Priority { get; set; }

        /// <summary>Replaces all tags with these; an empty array removes every tag.</summary>
        [Parameter]
        [AllowEmptyCollection]
        [ValidateNotNull]
        public string[]? Tag { get; set; }

        /// <summary>Tags to add to the instance's current tags.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? AddTag { get; set; }

        /// <summary>Tags to take off the instance.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? RemoveTag { get; set; }

        /// <summary>Write the changed instance to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            var update = Update();
            if (update.IsEmpty)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("Nothing to change: give -Name, -Deadline, -Priority, -Tag, -AddTag or -RemoveTag.", null, "WorkflowTools.NothingToChange"));
            }

            var (tagProblem, badTag) = NmTags.Check((Tag ?? Array.Empty<string>()).Concat(AddTag ?? Array.Empty<string>()).Concat(RemoveTag ?? Array.Empty<string>()), inFilter: false);
            if (tagProblem != null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(tagProblem, badTag));
            }

            if (Tag != null && (AddTag != null || RemoveTag != null))
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("-Tag replaces all tags; use it without -AddTag and -RemoveTag.", Tag));
            }

            base.BeginProcessing();
        }

        /// <summary>The piped object itself, bound from the pipeline: -Id comes from its Id or InstanceId property, and a piped workflow (Get-NmProcess output, or a CSV row of one), whose Id is the workflow's, is refused with the error WorkflowTools.WorkflowNotInstance.</summary>
        [Parameter(ValueFromPipeline = true)]
        [PipedRow("Id", "InstanceId", "StepCount")]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            if (PipedWorkflow.Is(InputObject))
            {
                WriteError(PipedWorkflow.Refused(MyInvocation.MyCommand.Name, Id));
                return;
            }

            var update = Update();
            var id = Id;
            if (!ShouldProcess($"instance {id.ToString(CultureInfo.InvariantCulture)}", update.Describe()))
            {
                return;
            }

            try
            {
                var instance = Run(ct => Api.UpdateInstanceAsync(id, update, ct));
                if (PassThru)
                {
                    WriteObject(instance);
                }
            }
            catch (ApiException ex)
            {
                WriteFailure(ex, id);
            }
        }

        private NmInstanceUpdate Update() => new NmInstanceUpdate
        {
            SetName = Name != null,
            Name = Name,
            SetDeadline = MyInvocation.BoundParameters.ContainsKey(nameof(Deadline)),
            Deadline = Deadline,
            SetPriority = Priority != null,
            Priority = Priority ?? NmPriority.Regular,
            Tags = Tag,
            AddTags = AddTag,
            RemoveTags = RemoveTag,
        };
    }
}
