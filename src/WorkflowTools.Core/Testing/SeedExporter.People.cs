using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Testing
{
    /// <summary>
    /// ProcessMaker's people in a seed (<see cref="SeedExportOptions.IncludePeople"/>): users (status, administrator
    /// flag), groups (description, user members, nested groups). Never a password, hash or token: the seed's users get
    /// the sandbox's default password (their user name) and no token. Without <see cref="SeedExportOptions.IncludePersonalData"/>
    /// user names become <c>user&lt;id&gt;</c>, names "User &lt;id&gt;" and e-mails the sandbox's default. Users 1 and 2 are
    /// the sandbox's own (admin, jdoe) and are not written; memberships naming them are kept. Permissions are not
    /// read: PM4 hides them from the user and group resources.
    /// </summary>
    internal sealed partial class SeedExporter
    {
        private async Task AddPeopleAsync(PmClient pm, JsonObject seed, CancellationToken cancellationToken)
        {
            var users = new JsonArray();
            var userIds = new HashSet<long> { 1, 2 };
            await foreach (var user in pm.ListUsersAsync(new PmUserQuery { PageSize = 100 }).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (user.Id <= 2)
                {
                    continue;
                }

                userIds.Add(user.Id);
                var id = user.Id.ToString(CultureInfo.InvariantCulture);
                var o = new JsonObject
                {
                    ["id"] = user.Id,
                    ["username"] = _options.IncludePersonalData ? user.UserName : "user" + id,
                    ["firstname"] = _options.IncludePersonalData ? user.FirstName : "User",
                    ["lastname"] = _options.IncludePersonalData ? user.LastName : id,
                };
                if (_options.IncludePersonalData && !string.IsNullOrEmpty(user.Email))
                {
                    o["email"] = user.Email;
                }

                o["status"] = user.StatusText ?? "ACTIVE";
                if (user.IsAdministrator)
                {
                    o["admin"] = true;
                }

                users.Add(o);
            }

            var groups = new JsonArray();
            var groupRows = new List<PmGroup>();
            await foreach (var group in pm.ListGroupsAsync(new PmGroupQuery { PageSize = 100 }).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                groupRows.Add(group);
            }

            var groupIds = new HashSet<long>(groupRows.Select(g => g.Id));
            foreach (var group in groupRows)
            {
                var members = await pm.ListAllGroupMembersAsync(group.Id, null, cancellationToken).ConfigureAwait(false);
                var o = new JsonObject { ["id"] = group.Id, ["name"] = group.Name };
                if (!string.IsNullOrEmpty(group.Description))
                {
                    o["description"] = group.Description;
                }

                var userMembers = members.Where(m => m.MemberType == PmMemberType.User && userIds.Contains(m.MemberId)).Select(m => m.MemberId).Distinct().ToList();
                var nested = members.Where(m => m.MemberType == PmMemberType.Group && groupIds.Contains(m.MemberId)).Select(m => m.MemberId).Distinct().ToList();
                if (userMembers.Count > 0)
                {
                    o["members"] = new JsonArray(userMembers.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
                }

                if (nested.Count > 0)
                {
                    o["groups"] = new JsonArray(nested.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
                }

                groups.Add(o);
            }

            if (!(seed["processMaker"] is JsonObject part))
            {
                part = new JsonObject();
                seed["processMaker"] = part;
            }

            // Users and groups first, as a person reads the file (the reader does not mind the order).
            var ordered = new JsonObject { ["users"] = users, ["groups"] = groups };
            foreach (var key in part.Select(kv => kv.Key).ToList())
            {
                var value = part[key];
                part.Remove(key);
                ordered[key] = value;
            }

            seed["processMaker"] = ordered;
        }
    }
}
