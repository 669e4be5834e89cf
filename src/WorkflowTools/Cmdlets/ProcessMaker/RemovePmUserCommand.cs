using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Deletes ProcessMaker users (a soft delete: Restore-PmUser brings them back).</summary>
    /// <remarks>
    /// Remove-PmUser deletes each user it is given (DELETE /users/{id}, which needs the delete-users permission).
    /// ProcessMaker deletes softly: the user becomes Inactive, leaves every group, can no longer sign in and is listed
    /// only by `Get-PmUser -Deleted`; Restore-PmUser makes them Active again (the groups are not given back). The user
    /// name stays taken. It asks for confirmation (high impact) unless -Confirm:$false or -Force. Users come by -Id or
    /// from the pipeline (UserId); piped users are collected first and deleted once the input has ended, since deleting
    /// takes users out of the listing being read. -PassThru writes each user as read just before the delete.
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "PmUser", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PmUser))]
    public sealed class RemovePmUserCommand : PmRemoveCmdlet<PmUser>
    {
        private const string ByIdSet = "ById";
        private const string ByUserIdSet = "ByUserId";

        /// <summary>The users to delete (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The users to delete, from the UserId property of piped objects (users, group members, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByUserIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] UserId { get; set; } = Array.Empty<long>();

        /// <summary>Delete without asking for confirmation (for scheduled scripts); -WhatIf still only shows what would happen.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each deleted user (as read just before the delete).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override long[] Ids => ParameterSetName == ByIdSet ? Id : UserId;

        private protected override bool Forcing => Force.IsPresent;

        private protected override bool PassingThru => PassThru.IsPresent;

        private protected override string Noun => "user";

        private protected override string DeleteAction => "Delete (soft: Restore-PmUser brings it back)";

        private protected override Task<PmUser> ReadAsync(long id, CancellationToken cancellationToken) => Api.GetUserAsync(id, cancellationToken);

        private protected override Task DeleteAsync(long id, CancellationToken cancellationToken) => Api.DeleteUserAsync(id, cancellationToken);
    }
}
