using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>
    /// ProcessMaker's people API (PM4 4.15.6, routes/api.php): users (<c>users</c>, <c>deleted_users</c>,
    /// <c>users/restore</c>, <c>users/{id}/groups</c>), groups (<c>groups</c>, <c>groups/{id}/users</c>,
    /// <c>groups/{id}/groups</c>), memberships (<c>group_members</c>) and task reassignment (<c>PUT tasks/{id}</c> with
    /// <c>user_id</c>). Passwords arrive as <see cref="SecureString"/>, are plain text only inside the request body,
    /// whose bytes are cleared once sent and never traced.
    /// </summary>
    internal sealed partial class PmClient
    {
        public Listing<PmUser> ListUsersAsync(PmUserQuery query) =>
            List(query.Deleted ? "deleted_users" : "users", query.ToQuery(), PmUser.FromJson);

        public async Task<PmUser> GetUserAsync(long id, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", _api.Resolve($"users/{Id(id)}")), cancellationToken).ConfigureAwait(false);
            return ReadOne(response, "a user", PmUser.FromJson);
        }

        /// <summary>Creates a user (<c>POST users</c>, 201). Not resent after an ambiguous failure: the user name is then looked up.</summary>
        public async Task<PmUser> CreateUserAsync(PmUserChanges fields, SecureString password, CancellationToken cancellationToken)
        {
            var body = fields.ToBody(null);
            var request = new ApiRequest("POST", _api.Resolve("users"), SecretBody(body, "password", password), idempotent: false)
            {
                Operation = $"create user {fields.UserName}",
                SecretBody = true,
            };
            try
            {
                var response = await SendClearingAsync(request, cancellationToken).ConfigureAwait(false);
                return ReadOne(response, "a user", PmUser.FromJson);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.OutcomeUnknown && fields.UserName != null)
            {
                var found = await FindUserByNameAsync(fields.UserName, cancellationToken).ConfigureAwait(false);
                throw ex.WithReconciliation(found != null
                    ? $"Checked: user {found.Id} '{found.UserName}' exists now, so it was most likely created."
                    : $"Checked: there is no user '{fields.UserName}', so it was not created.");
            }
        }

        /// <summary>The live user with exactly this user name (case-insensitive, as MySQL compares), or null.</summary>
        public async Task<PmUser?> FindUserByNameAsync(string userName, CancellationToken cancellationToken)
        {
            await foreach (var user in ListUsersAsync(new PmUserQuery { Filter = userName, PageSize = 100 }).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (string.Equals(user.UserName, userName, StringComparison.OrdinalIgnoreCase))
                {
                    return user;
                }
            }

            return null;
        }

        /// <summary>
        /// Changes a user (<c>PUT users/{id}</c>, 204). PM4 validates the whole user on update (user name, names, e-mail
        /// and status are required), so the current user is read first and the changes laid over it. A new e-mail needs
        /// the caller's own password (<paramref name="callerPassword"/>, PM4's <c>valpassword</c>).
        /// </summary>
        public async Task UpdateUserAsync(long id, PmUserChanges changes, SecureString? newPassword, SecureString? callerPassword, CancellationToken cancellationToken)
        {
            var current = await GetUserAsync(id, cancellationToken).ConfigureAwait(false);
            var body = changes.ToBody(current);
            var emailChanges = changes.Email != null && !string.Equals(changes.Email, current.Email, StringComparison.Ordinal);
            if (emailChanges && callerPassword == null)
            {
                throw new ApiException(ApiErrorKind.InvalidInput, $"User {id}'s e-mail was not changed: ProcessMaker asks for your own password to change an e-mail address. Give it with -CurrentPassword.");
            }

            byte[] bytes;
            if (newPassword != null || emailChanges)
            {
                var secrets = new List<KeyValuePair<string, SecureString>>();
                if (newPassword != null)
                {
                    secrets.Add(new KeyValuePair<string, SecureString>("password", newPassword));
                }

                if (emailChanges)
                {
                    secrets.Add(new KeyValuePair<string, SecureString>("valpassword", callerPassword!));
                }

                bytes = SecretBody(body, secrets.ToArray());
            }
            else
            {
                bytes = JsonBody.Serialize(body);
            }

            var request = new ApiRequest("PUT", _api.Resolve($"users/{Id(id)}"), bytes) { Operation = $"update user {id}", SecretBody = newPassword != null || emailChanges };
            await SendClearingAsync(request, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Soft-deletes a user (<c>DELETE users/{id}</c>, 204): PM4 sets it INACTIVE and takes it out of every group.</summary>
        public Task DeleteUserAsync(long id, CancellationToken cancellationToken) =>
            _api.SendAsync(new ApiRequest("DELETE", _api.Resolve($"users/{Id(id)}")) { Operation = $"delete user {id}" }, cancellationToken);

        /// <summary>
        /// Restores a deleted user (<c>PUT users/restore {"id":…}</c>). PM4 answers 200 whether or not it found one, so
        /// the user is read back: still missing means there was no deleted user with that id.
        /// </summary>
        public async Task<PmUser> RestoreUserAsync(long id, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object?> { ["id"] = id };
            await _api.SendAsync(new ApiRequest("PUT", _api.Resolve("users/restore"), JsonBody.Serialize(body)) { Operation = $"restore user {id}" }, cancellationToken).ConfigureAwait(false);
            try
            {
                return await GetUserAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.NotFound)
            {
                throw new ApiException(ApiErrorKind.NotFound, $"User {id} was not restored: ProcessMaker has no deleted user with that id.", ex) { StatusCode = 404 };
            }
        }

        /// <summary>Makes <paramref name="groupIds"/> exactly the user's groups (<c>PUT users/{id}/groups</c>, PM4's sync).</summary>
        public Task SetUserGroupsAsync(long id, IReadOnlyCollection<long> groupIds, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object?> { ["groups"] = groupIds.ToArray() };
            return _api.SendAsync(new ApiRequest("PUT", _api.Resolve($"users/{Id(id)}/groups"), JsonBody.Serialize(body)) { Operation = $"set the groups of user {id}" }, cancellationToken);
        }

        public Listing<PmGroup> ListGroupsAsync(PmGroupQuery query) => List("groups", query.ToQuery(), PmGroup.FromJson);

        public async Task<PmGroup> GetGroupAsync(long id, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", _api.Resolve($"groups/{Id(id)}")), cancellationToken).ConfigureAwait(false);
            return ReadOne(response, "a group", PmGroup.FromJson);
        }

        /// <summary>Creates a group (<c>POST groups</c>, 201). Not resent after an ambiguous failure.</summary>
        public async Task<PmGroup> CreateGroupAsync(string name, string? description, PmGroupStatus? status, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object?> { ["name"] = name };
            if (description != null)
            {
                body["description"] = description;
            }

            if (status is PmGroupStatus s && s != PmGroupStatus.Unknown)
            {
                body["status"] = s == PmGroupStatus.Inactive ? "INACTIVE" : "ACTIVE";
            }

            var request = new ApiRequest("POST", _api.Resolve("groups"), JsonBody.Serialize(body), idempotent: false) { Operation = $"create group {name}" };
            var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ReadOne(response, "a group", PmGroup.FromJson);
        }

        /// <summary>Changes a group (<c>PUT groups/{id}</c>, 204); the name is required there, so the current one is read first.</summary>
        public async Task UpdateGroupAsync(long id, string? name, string? description, PmGroupStatus? status, CancellationToken cancellationToken)
        {
            var current = await GetGroupAsync(id, cancellationToken).ConfigureAwait(false);
            var body = new Dictionary<string, object?> { ["name"] = name ?? current.Name, ["description"] = description ?? current.Description };
            if (status is PmGroupStatus s && s != PmGroupStatus.Unknown)
            {
                body["status"] = s == PmGroupStatus.Inactive ? "INACTIVE" : "ACTIVE";
            }

            await _api.SendAsync(new ApiRequest("PUT", _api.Resolve($"groups/{Id(id)}"), JsonBody.Serialize(body)) { Operation = $"update group {id}" }, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Deletes a group and its memberships (<c>DELETE groups/{id}</c>, 204).</summary>
        public Task DeleteGroupAsync(long id, CancellationToken cancellationToken) =>
            _api.SendAsync(new ApiRequest("DELETE", _api.Resolve($"groups/{Id(id)}")) { Operation = $"delete group {id}" }, cancellationToken);

        /// <summary>The users (or the groups) inside a group: <c>groups/{id}/users</c> or <c>groups/{id}/groups</c>.</summary>
        public Listing<PmGroupMember> ListGroupMembersAsync(long groupId, string? groupName, PmMemberType type, int? pageSize)
        {
            var query = new QueryString().Add("per_page", pageSize?.ToString(CultureInfo.InvariantCulture)).Add("order_by", "id").Add("order_direction", "asc");
            return List($"groups/{Id(groupId)}/{(type == PmMemberType.User ? "users" : "groups")}", query, row => PmGroupMember.FromJoinedRow(row, groupId, groupName, type));
        }

        /// <summary>Every member of a group, users first, then subgroups (or only <paramref name="type"/>), each row naming the group.</summary>
        public async Task<IReadOnlyList<PmGroupMember>> ListAllGroupMembersAsync(long groupId, PmMemberType? type, CancellationToken cancellationToken)
        {
            var group = await GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
            var rows = new List<PmGroupMember>();
            foreach (var kind in new[] { PmMemberType.User, PmMemberType.Group })
            {
                if (type != null && type != kind)
                {
                    continue;
                }

                await foreach (var row in ListGroupMembersAsync(groupId, group.Name, kind, 100).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(row);
                }
            }

            return rows;
        }

        /// <summary>
        /// The groups a user or a group is a direct member of (<c>group_members?member_id=</c>). PM4 matches member_id
        /// whatever the member type, and shows a non-administrator only their own rows, so rows are kept only when
        /// they are the asked member's.
        /// </summary>
        public async Task<IReadOnlyList<PmGroupMember>> ListMembershipsOfAsync(long memberId, PmMemberType type, string? memberName, CancellationToken cancellationToken)
        {
            var query = new QueryString().Add("member_id", Id(memberId)).Add("per_page", "100");
            var rows = new List<PmGroupMember>();
            await foreach (var row in List("group_members", query, r => PmGroupMember.FromMembershipRow(r, memberName)).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (row.MemberId == memberId && row.MemberType == type)
                {
                    rows.Add(row);
                }
            }

            return rows;
        }

        /// <summary>
        /// Adds a user or group to a group (<c>POST group_members</c>, 201). PM4 answers an existing membership with
        /// 201 and an empty array: then null is returned (nothing was changed).
        /// </summary>
        public async Task<PmGroupMember?> AddGroupMemberAsync(long groupId, long memberId, PmMemberType type, bool describe, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object?>
            {
                ["group_id"] = groupId,
                ["member_id"] = memberId,
                ["member_type"] = type == PmMemberType.User ? PmGroupMember.UserClass : PmGroupMember.GroupClass,
            };
            // Adding the same member twice changes nothing (PM4 checks first), so a retry is safe.
            var request = new ApiRequest("POST", _api.Resolve("group_members"), JsonBody.Serialize(body)) { Operation = $"add {type.ToString().ToLowerInvariant()} {memberId} to group {groupId}" };
            var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            PmGroupMember? row;
            using (var doc = JsonAnswer.Parse(response))
            {
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                {
                    return null;
                }

                if (root.ValueKind != JsonValueKind.Object || !(root.Long("id") > 0))
                {
                    throw JsonAnswer.Malformed(response, "a group membership (an object with a positive id)");
                }

                row = PmGroupMember.FromMembershipRow(root, null);
                // PM4's answer carries the group and the member that associate() loaded.
                row.GroupName = root.Prop("group") is JsonElement g ? g.Str("name") : null;
                row.MemberName = root.Prop("member") is JsonElement m ? (type == PmMemberType.User ? m.Str("username") : m.Str("name")) : null;
            }

            if (describe && (row.GroupName == null || row.MemberName == null))
            {
                // The answer is the bare row: the names come from the group and the member, when this user may read them.
                row.GroupName = await TryAsync(async () => (await GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false)).Name).ConfigureAwait(false);
                row.MemberName = type == PmMemberType.User
                    ? await TryAsync(async () => (await GetUserAsync(memberId, cancellationToken).ConfigureAwait(false)).UserName).ConfigureAwait(false)
                    : await TryAsync(async () => (await GetGroupAsync(memberId, cancellationToken).ConfigureAwait(false)).Name).ConfigureAwait(false);
            }

            return row;
        }

        private static async Task<string?> TryAsync(Func<Task<string?>> read)
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.Forbidden || ex.Kind == ApiErrorKind.NotFound)
            {
                return null;
            }
        }

        /// <summary>
        /// Takes a user or group out of a group: finds the membership in the group's member list, then
        /// <c>DELETE group_members/{id}</c>. Null when it was not a member (nothing was sent); otherwise the membership removed.
        /// </summary>
        public async Task<PmGroupMember?> RemoveGroupMemberAsync(long groupId, long memberId, PmMemberType type, CancellationToken cancellationToken)
        {
            PmGroupMember? found = null;
            await foreach (var row in ListGroupMembersAsync(groupId, null, type, 100).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (row.MemberId == memberId)
                {
                    found = row;
                    break;
                }
            }

            if (found == null)
            {
                return null;
            }

            await _api.SendAsync(new ApiRequest("DELETE", _api.Resolve($"group_members/{Id(found.MembershipId)}")) { Operation = $"remove {type.ToString().ToLowerInvariant()} {memberId} from group {groupId}" }, cancellationToken).ConfigureAwait(false);
            return found;
        }

        /// <summary>
        /// Gives a task to a user (<c>PUT tasks/{id} {"user_id":…}</c>); to oneself, for an unclaimed self-service task,
        /// it is a claim. PM4 answers 200 even where it did not move the task (a server without the Advanced User
        /// Manager's assignment process keeps the assignee), so the answer's assignee is checked.
        /// </summary>
        public async Task<PmTask> AssignTaskAsync(long taskId, long userId, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object?> { ["user_id"] = userId };
            var request = new ApiRequest("PUT", _api.Resolve($"tasks/{Id(taskId)}"), JsonBody.Serialize(body)) { Operation = $"assign task {taskId} to user {userId}" };
            var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var task = response.Body.Length == 0 ? await GetTaskAsync(taskId, false, cancellationToken).ConfigureAwait(false) : ReadTask(response);
            if (task.UserId != userId)
            {
                var now = task.UserId is long u ? $"user {u.ToString(CultureInfo.InvariantCulture)}" : "nobody";
                throw new ApiException(ApiErrorKind.Conflict, $"ProcessMaker accepted the reassignment of task {taskId} to user {userId} but the task is still assigned to {now}. A server without the Advanced User Manager's \"Assignment process\" records the request and keeps the assignee (ProcessRequestToken::reassignTo).") { StatusCode = 200 };
            }

            return task;
        }

        /// <summary>One object answer (unwrapped or in <c>data</c>) with a positive id.</summary>
        private static T ReadOne<T>(ApiResponse response, string what, Func<JsonElement, T> map)
        {
            using var doc = JsonAnswer.Parse(response);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.Long("id") == null && root.Prop("data") is JsonElement wrapped && wrapped.ValueKind == JsonValueKind.Object)
            {
                root = wrapped;
            }

            if (root.ValueKind != JsonValueKind.Object || !(root.Long("id") > 0))
            {
                throw JsonAnswer.Malformed(response, what + " (an object with a positive id)");
            }

            return map(root);
        }

        /// <summary>Sends, then clears the body's bytes (they may hold a password), whatever happened.</summary>
        private async Task<ApiResponse> SendClearingAsync(ApiRequest request, CancellationToken cancellationToken)
        {
            try
            {
                return await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (request.SecretBody && request.JsonBody != null)
                {
                    Array.Clear(request.JsonBody, 0, request.JsonBody.Length);
                }
            }
        }

        private static byte[] SecretBody(Dictionary<string, object?> body, string key, SecureString secret) =>
            SecretBody(body, new KeyValuePair<string, SecureString>(key, secret));

        /// <summary>The body as JSON bytes with the secrets written in; the plain strings live only while the bytes are made.</summary>
        internal static byte[] SecretBody(Dictionary<string, object?> body, params KeyValuePair<string, SecureString>[] secrets)
        {
            foreach (var secret in secrets)
            {
                body[secret.Key] = Plain(secret.Value);
            }

            try
            {
                return JsonBody.Serialize(body);
            }
            finally
            {
                foreach (var secret in secrets)
                {
                    body.Remove(secret.Key);
                }
            }
        }

        /// <summary>The secret as a plain string, for the moment a body is made.</summary>
        internal static string Plain(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }
    }
}
