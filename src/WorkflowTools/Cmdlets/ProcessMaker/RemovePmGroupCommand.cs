using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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
    public sealed class RemovePmGroupCommand : PmRemoveCmdlet<PmGroup>
    {
        private const string ByIdSet = "ById";
        private const string ByGroupIdSet = "ByGroupId";

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

        private protected override long[] Ids => ParameterSetName == ByIdSet ? Id : GroupId;

        private protected override bool Forcing => Force.IsPresent;

        private protected override bool PassingThru => PassThru.IsPresent;

        private protected override string Noun => "group";

        private protected override string DeleteAction => "Delete (cannot be undone)";

        private protected override Task<PmGroup> ReadAsync(long id, CancellationToken cancellationToken) => Api.GetGroupAsync(id, cancellationToken);

        private protected override Task DeleteAsync(long id, CancellationToken cancellationToken) => Api.DeleteGroupAsync(id, cancellationToken);
    }
}
