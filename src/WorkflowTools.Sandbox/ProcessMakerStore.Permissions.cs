using System.Collections.Generic;
using System.Linq;

namespace WorkflowTools.Sandbox;

// PM4's permission check (ProcessMaker/Models/User::hasPermission, 4.15.6): administrators hold every
// permission; anyone else holds the permissions given to them directly and those of the groups they belong to,
// and (Traits/HasAuthorization::loadPermissionOfGroups) those of every group such a group is a member of, upwards.
// Every route that PM4 guards with `can:<permission>` middleware or a policy asks this one method.
public sealed partial class ProcessMakerStore
{
    /// <summary>True when <paramref name="user"/> holds <paramref name="permission"/> (a PM4 name such as <c>view-processes</c>).</summary>
    public bool HasPermission(PmUser user, string permission)
    {
        if (user.IsAdministrator || user.Permissions.Contains(permission)) return true;
        lock (Gate)
        {
            var seen = new HashSet<long>();
            var todo = new Stack<PmGroup>(_groups.Values.Where(g => g.Members.Contains(user.Id)));
            while (todo.Count > 0)
            {
                var g = todo.Pop();
                if (!seen.Add(g.Id)) continue;
                if (g.Permissions.Contains(permission)) return true;
                foreach (var parent in _groups.Values.Where(p => p.MemberGroups.Contains(g.Id))) todo.Push(parent);
            }
            return false;
        }
    }
}
