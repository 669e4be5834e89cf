using System;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Restores deleted ProcessMaker users.</summary>
    /// <remarks>
    /// Restore-PmUser brings back users that Remove-PmUser (or ProcessMaker's own screens) deleted (PUT /users/restore,
    /// which needs the create-users permission): they become Active and can sign in again. The groups they were in are
    /// not given back; add them with Set-PmUser -GroupId or Add-PmGroupMember. ProcessMaker answers the same whether or
    /// not it found a deleted user, so each user is read back: an id that names no deleted user is a NotFound error.
    /// Pipe `Get-PmUser -Deleted` into it to choose. -PassThru writes each restored user.
    /// </remarks>
    [Cmdlet(VerbsData.Restore, "PmUser", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmUser))]
    public sealed class RestorePmUserCommand : PmThrottledCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ByUserIdSet = "ByUserId";

        /// <summary>The deleted users to restore (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The users to restore, from the UserId property of piped objects (Get-PmUser -Deleted, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByUserIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] UserId { get; set; } = Array.Empty<long>();

        /// <summary>Write each restored user.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in ParameterSetName == ByIdSet ? Id : UserId)
            {
                if (!ShouldProcess($"user {id.ToString(CultureInfo.InvariantCulture)}", "Restore"))
                {
                    continue;
                }

                // Restoring takes users out of a `Get-PmUser -Deleted` listing still being read: collect them first.
                NowOrAfterInput(() => Restore(id));
            }
        }

        private void Restore(long id)
        {
            var passThru = PassThru.IsPresent;
            Enqueue(
                id,
                ct => Api.RestoreUserAsync(id, ct),
                user =>
                {
                    WriteVerbose($"User {id} restored.");
                    if (passThru)
                    {
                        WriteObject(user);
                    }
                },
                ex => WriteError(ErrorRecordFor(ex, id)));
        }
    }
}
