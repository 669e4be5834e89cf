using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Changes ProcessMaker users: names, e-mail, status, password, groups.</summary>
    /// <remarks>
    /// Set-PmUser changes the fields it is given and leaves the others as they are (PUT /users/{id}: ProcessMaker wants
    /// the whole user, so the current one is read first). `-Status Inactive` deactivates a user: they can no longer sign
    /// in, and their work stays. -GroupId makes exactly those groups the user's groups (PUT /users/{id}/groups; an
    /// empty list takes the user out of every group). ProcessMaker asks for more rights on some changes: another user
    /// needs edit-users; a new user name needs edit-user-and-password; a new e-mail needs your own password
    /// (-CurrentPassword). -Password takes the new password as a SecureString; it never reaches any stream or log.
    /// Users come by -Id or from the pipeline (the UserId of users, tasks, group members, CSV rows); piped users are
    /// collected first and changed once the input has ended, so `Get-PmUser -Status Active | Set-PmUser -Status
    /// Inactive` changes every user the listing found. It writes nothing unless -PassThru asks for each user as read
    /// back after the change.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "PmUser", DefaultParameterSetName = ByUserIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PmUser))]
    public sealed class SetPmUserCommand : PmUserFieldsCmdlet
    {
        // ByUserId is the default: piped users bind their fields (FirstName, …) in both sets, so PowerShell would
        // otherwise settle on ById and find no Id. Numbers still bind -Id by value, and `Set-PmUser 2` is positional.
        private const string ByIdSet = "ById";
        private const string ByUserIdSet = "ByUserId";

        /// <summary>The users to change (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The users to change, from the UserId property of piped objects (users, tasks, group members, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByUserIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] UserId { get; set; } = Array.Empty<long>();

        /// <summary>A new user name (needs edit-user-and-password unless you are an administrator).</summary>
        [Parameter]
        [ValidatePattern(@"^[a-zA-Z0-9.!#$*+=^_`|~\-@]{2,255}$")]
        public string? NewUserName { get; set; }

        /// <summary>A new password, as a SecureString.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Password { get; set; }

        /// <summary>Your own password: ProcessMaker asks for it when an e-mail address changes.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? CurrentPassword { get; set; }

        /// <summary>Makes exactly these groups the user's groups (an empty list: no group at all).</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[]? GroupId { get; set; }

        /// <summary>Write each changed user (read back from the server).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in ParameterSetName == ByIdSet ? Id : UserId)
            {
                if (!ShouldProcess($"user {id.ToString(CultureInfo.InvariantCulture)}", Describe()))
                {
                    continue;
                }

                // The fields are taken now: with piped input they are this item's (a CSV row's), not the last one's.
                var changes = Changes(NewUserName);
                NowOrAfterInput(() => Change(id, changes));
            }
        }

        /// <summary>What will change, for -WhatIf and -Confirm ("Set Status=Inactive, groups").</summary>
        private string Describe()
        {
            var parts = new List<string>();
            foreach (var name in new[] { "FirstName", "LastName", "Email", "Title", "Phone", "Cell", "Address", "City", "State", "PostalCode", "Country", "Timezone", "Language" })
            {
                if (MyInvocation.BoundParameters.ContainsKey(name))
                {
                    parts.Add(name);
                }
            }

            if (Status != null) parts.Add($"Status={Status}");
            if (NewUserName != null) parts.Add($"UserName={NewUserName}");
            if (Password != null) parts.Add("password");
            if (GroupId != null) parts.Add(GroupId.Length == 0 ? "groups=none" : "groups=" + string.Join(",", GroupId));
            return "Set " + (parts.Count == 0 ? "nothing" : string.Join(", ", parts));
        }

        private void Change(long id, PmUserChanges changes)
        {
            var groups = GroupId?.Distinct().ToArray();
            var onlyGroups = groups != null && Password == null && changes.IsEmpty;
            SecureString? password = Password?.Copy();
            SecureString? current = CurrentPassword?.Copy();
            var passThru = PassThru.IsPresent;
            Enqueue(
                id,
                async ct =>
                {
                    try
                    {
                        if (!onlyGroups)
                        {
                            await Api.UpdateUserAsync(id, changes, password, current, ct).ConfigureAwait(false);
                        }

                        if (groups != null)
                        {
                            await Api.SetUserGroupsAsync(id, groups, ct).ConfigureAwait(false);
                        }

                        return passThru ? await Api.GetUserAsync(id, ct).ConfigureAwait(false) : null;
                    }
                    finally
                    {
                        password?.Dispose();
                        current?.Dispose();
                    }
                },
                user =>
                {
                    WriteVerbose($"User {id} changed.");
                    if (user != null)
                    {
                        WriteObject(user);
                    }
                },
                ex => WriteError(ErrorRecordFor(ex, id)));
        }
    }
}
