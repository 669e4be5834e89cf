using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Creates ProcessMaker users.</summary>
    /// <remarks>
    /// New-PmUser creates a user (POST /users, which needs the create-users permission) and writes it. The password is
    /// a SecureString (-Password) or comes with the user name in a PSCredential (-Credential); it is never written to
    /// any stream, object, message or log. ProcessMaker's default password policy asks for at least 8 characters with
    /// an upper-case letter, a digit and a symbol; a password it refuses, a user name already taken (deleted users keep
    /// theirs) or a missing field is an error naming each field. -GroupId puts the new user into those groups. The
    /// fields bind from the pipeline by name, so `Import-Csv new-hires.csv | New-PmUser -Password $initial` creates
    /// one user per row; -ThrottleLimit sends several at a time. A create is never sent twice: when the answer is lost
    /// the error says whether the user exists now.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "PmUser", DefaultParameterSetName = PasswordSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(PmUser))]
    public sealed class NewPmUserCommand : PmUserFieldsCmdlet
    {
        private const string PasswordSet = "Password";
        private const string CredentialSet = "Credential";

        /// <summary>The user name people sign in with (letters, digits and . ! # $ * + = ^ _ ` | ~ - @; 2 to 255 characters).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PasswordSet, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^[a-zA-Z0-9.!#$*+=^_`|~\-@]{2,255}$")]
        public string UserName { get; set; } = string.Empty;

        /// <summary>The first password, as a SecureString (Read-Host -AsSecureString).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
        [ValidateNotNull]
        public SecureString? Password { get; set; }

        /// <summary>The user name and first password together (Get-Credential).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        /// <summary>Groups to put the new user into.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] GroupId { get; set; } = Array.Empty<long>();

        protected override void ProcessRecord()
        {
            var userName = ParameterSetName == CredentialSet ? Credential!.UserName : UserName;
            var password = ParameterSetName == CredentialSet ? Credential!.Password : Password!;
            var changes = Changes(userName);
            var missing = new List<string>();
            if (changes.FirstName == null) missing.Add("-FirstName");
            if (changes.LastName == null) missing.Add("-LastName");
            if (changes.Email == null) missing.Add("-Email");
            if (missing.Count > 0)
            {
                WriteError(ErrorRecords.InvalidArgument($"User '{userName}' was not created: ProcessMaker needs {string.Join(", ", missing)}.", userName));
                return;
            }

            if (!ShouldProcess($"user '{userName}' <{changes.Email}>", "Create"))
            {
                return;
            }

            // The password is copied: the caller may dispose theirs (a SecureString from a CSV loop) before the request runs.
            var secret = password.Copy();
            secret.MakeReadOnly();
            var groups = GroupId.Distinct().ToArray();
            Enqueue(
                userName,
                async ct =>
                {
                    try
                    {
                        var user = await Api.CreateUserAsync(changes, secret, ct).ConfigureAwait(false);
                        if (groups.Length > 0)
                        {
                            try
                            {
                                await Api.SetUserGroupsAsync(user.Id, groups, ct).ConfigureAwait(false);
                            }
                            catch (ApiException ex)
                            {
                                // The user exists now: say so, so that nobody creates it again.
                                throw new ApiException(ex.Kind, $"User '{userName}' was created (id {user.Id}) but not put into groups {string.Join(", ", groups)}: {ex.Message} Add the groups with Set-PmUser -Id {user.Id} -GroupId ...", ex)
                                {
                                    StatusCode = ex.StatusCode,
                                    Method = ex.Method,
                                    RequestPath = ex.RequestPath,
                                    Detail = ex.Detail,
                                    BodyExcerpt = ex.BodyExcerpt,
                                };
                            }
                        }

                        return user;
                    }
                    finally
                    {
                        secret.Dispose();
                    }
                },
                WriteObject,
                ex => WriteError(ErrorRecordFor(ex, userName)));
        }
    }
}
