using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Deletes ProcessMaker groups.</summary>
    /// <remarks>
    /// Remove-PmGroup deletes each group it is given (DELETE /groups/{id}, which needs the delete-groups permission),
    /// with its memberships: its users and subgroups stay, only no longer in it. Unlike users, a deleted group cannot be
    /// restored. It asks for confirmation (high impact) unless -Confirm:$false or -Force. Groups come by -Id or from the
    /// pipeline (GroupId); piped groups are collected first and deleted once the input has ended. -PassThru writes each
    /// group as read just before the delete.
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "PmGroup", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PmGroup))]
    public sealed class RemovePmGroupCommand : PmThrottledCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ByGroupIdSet = "ByGroupId";
        private readonly List<long> _piped = new List<long>();

        /// <summary>The groups to delete (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The groups to delete, from the GroupId property of piped objects.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByGroupIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] GroupId { get; set; } = Array.Empty<long>();

        /// <summary>Delete without asking for confirmation (for scheduled scripts); -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each deleted group (as read just before the delete).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in ParameterSetName == ByIdSet ? Id : GroupId)
            {
                if (!Forced.ShouldProcess(this, Force, $"group {id.ToString(CultureInfo.InvariantCulture)}", "Delete (cannot be undone)"))
                {
                    continue;
                }

                if (MyInvocation.ExpectingInput)
                {
                    _piped.Add(id);
                }
                else
                {
                    Delete(id);
                }
            }
        }

        protected override void EndOfInput()
        {
            foreach (var id in _piped)
            {
                Delete(id);
            }
        }

        private void Delete(long id)
        {
            var passThru = PassThru.IsPresent;
            Enqueue(
                id,
                async ct =>
                {
                    var before = passThru ? await Api.GetGroupAsync(id, ct).ConfigureAwait(false) : null;
                    await Api.DeleteGroupAsync(id, ct).ConfigureAwait(false);
                    return before;
                },
                group =>
                {
                    WriteVerbose($"Group {id} deleted.");
                    if (group != null)
                    {
                        WriteObject(group);
                    }
                },
                ex => WriteError(PmErrors.From(ex, id)));
        }
    }
}
