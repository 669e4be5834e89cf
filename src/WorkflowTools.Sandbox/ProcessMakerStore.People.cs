using System;
using System.Collections.Generic;
using System.Linq;

namespace WorkflowTools.Sandbox;

// People in the ProcessMaker half of the sandbox: users (soft delete and restore, status), groups, and the
// group_members table (users and groups as members; nested groups). PM4 4.15.6: Models/User.php (boot: deleting
// sets INACTIVE and detaches the groups, restoring sets ACTIVE), Models/Group.php, Models/GroupMember.php.

/// <summary>The user columns the sandbox models beyond the constructor's.</summary>
public sealed partial record PmUser
{
    /// <summary>ACTIVE, INACTIVE, OUT_OF_OFFICE, SCHEDULED or BLOCKED (User::rules).</summary>
    public string Status { get; init; } = "ACTIVE";
    /// <summary>Soft-delete time; null for a live user. Deleted users are not listed, found or let in.</summary>
    public DateTimeOffset? DeletedAt { get; init; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; } = SandboxOptions.DefaultClockStart.AddDays(-400);
    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; init; } = SandboxOptions.DefaultClockStart.AddDays(-400);
    /// <summary>The other fillable text columns the API serves (title, phone, city, timezone, …), by wire name.</summary>
    public IReadOnlyDictionary<string, string?> Profile { get; init; } = new Dictionary<string, string?>();
}

/// <summary>The group columns the sandbox models beyond the constructor's.</summary>
public sealed partial record PmGroup
{
    /// <summary>Description.</summary>
    public string Description { get; init; } = "";
    /// <summary>ACTIVE or INACTIVE (Group::rules).</summary>
    public string Status { get; init; } = "ACTIVE";
    /// <summary>Groups that are members of this one (group_members rows with member_type Group).</summary>
    public IReadOnlyList<long> MemberGroups { get; init; } = Array.Empty<long>();
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; } = SandboxOptions.DefaultClockStart.AddDays(-400);
    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; init; } = SandboxOptions.DefaultClockStart.AddDays(-400);
}

/// <summary>One group_members row: <paramref name="MemberIsGroup"/> false = a user (member_type ProcessMaker\Models\User).</summary>
public sealed record PmMembership(long Id, long GroupId, long MemberId, bool MemberIsGroup, DateTimeOffset CreatedAt)
{
    /// <summary>PM4's member_type: the model class.</summary>
    public string MemberType => MemberIsGroup ? ProcessMakerStore.GroupClass : ProcessMakerStore.UserClass;
}

public sealed partial class ProcessMakerStore
{
    /// <summary>member_type of a user member.</summary>
    public const string UserClass = "ProcessMaker\\Models\\User";
    /// <summary>member_type of a group member.</summary>
    public const string GroupClass = "ProcessMaker\\Models\\Group";

    private readonly Dictionary<(long Group, bool IsGroup, long Member), (long Id, DateTimeOffset At)> _membershipRows = new();
    private long _nextMembershipId = 1;

    /// <summary>All users, deleted ones included, by id.</summary>
    public IReadOnlyList<PmUser> AllUsers { get { lock (Gate) return _users.Values.OrderBy(u => u.Id).ToArray(); } }

    /// <summary>All groups by id.</summary>
    public IReadOnlyList<PmGroup> Groups { get { lock (Gate) return _groups.Values.OrderBy(g => g.Id).ToArray(); } }

    /// <summary>A group by id, or null.</summary>
    public PmGroup? FindGroup(long id) { lock (Gate) return _groups.GetValueOrDefault(id); }

    /// <summary>Adds a user with the next free id (the template's id is ignored).</summary>
    internal PmUser CreateUser(PmUser template)
    {
        lock (Gate)
        {
            var now = _clock.Now;
            var user = template with { Id = _users.Keys.DefaultIfEmpty(0).Max() + 1, CreatedAt = now, UpdatedAt = now };
            _users[user.Id] = user;
            return user;
        }
    }

    /// <summary>Replaces a user record (same id), stamping the change time.</summary>
    internal PmUser ReplaceUser(PmUser user)
    {
        lock (Gate) return _users[user.Id] = user with { UpdatedAt = _clock.Now };
    }

    /// <summary>PM4's soft delete: INACTIVE, deleted_at set, removed from every group (User::boot, removeFromGroups).</summary>
    internal void SoftDeleteUser(long id)
    {
        lock (Gate)
        {
            var now = _clock.Now;
            _users[id] = _users[id] with { Status = "INACTIVE", DeletedAt = now, UpdatedAt = now };
            foreach (var g in _groups.Values.Where(g => g.Members.Contains(id)).ToList()) SetMembers(g, g.Members.Where(m => m != id).ToArray(), g.MemberGroups);
        }
    }

    /// <summary>PM4's restore: deleted_at cleared and status ACTIVE; the groups it lost stay lost.</summary>
    internal void RestoreUser(long id)
    {
        lock (Gate) _users[id] = _users[id] with { Status = "ACTIVE", DeletedAt = null, UpdatedAt = _clock.Now };
    }

    /// <summary>The groups a user is a direct member of become exactly <paramref name="groupIds"/> (PUT users/{id}/groups: sync).</summary>
    internal void SyncUserGroups(long userId, IReadOnlyCollection<long> groupIds)
    {
        lock (Gate)
        {
            foreach (var g in _groups.Values.ToList())
            {
                var member = g.Members.Contains(userId);
                var wanted = groupIds.Contains(g.Id);
                if (member && !wanted) SetMembers(g, g.Members.Where(m => m != userId).ToArray(), g.MemberGroups);
                else if (!member && wanted) SetMembers(g, g.Members.Append(userId).ToArray(), g.MemberGroups);
            }
        }
    }

    /// <summary>Adds a group with the next free id.</summary>
    internal PmGroup CreateGroup(string name, string description, string status)
    {
        lock (Gate)
        {
            var now = _clock.Now;
            var group = new PmGroup(_groups.Keys.DefaultIfEmpty(0).Max() + 1, name, Array.Empty<long>())
            {
                Description = description, Status = status, CreatedAt = now, UpdatedAt = now,
            };
            _groups[group.Id] = group;
            return group;
        }
    }

    /// <summary>Replaces a group record (same id, members kept as given), stamping the change time.</summary>
    internal PmGroup ReplaceGroup(PmGroup group)
    {
        lock (Gate) return _groups[group.Id] = group with { UpdatedAt = _clock.Now };
    }

    /// <summary>Deletes a group (a hard delete in PM4) with its rows in group_members, both as group and as member.</summary>
    internal void DeleteGroup(long id)
    {
        lock (Gate)
        {
            _groups.Remove(id);
            foreach (var g in _groups.Values.Where(g => g.MemberGroups.Contains(id)).ToList()) SetMembers(g, g.Members, g.MemberGroups.Where(m => m != id).ToArray());
            foreach (var key in _membershipRows.Keys.Where(k => k.Group == id || (k.IsGroup && k.Member == id)).ToList()) _membershipRows.Remove(key);
        }
    }

    /// <summary>Every group_members row, oldest first. Rows of seeded groups get their ids on first sight.</summary>
    public IReadOnlyList<PmMembership> Memberships()
    {
        lock (Gate)
        {
            var rows = new List<PmMembership>();
            foreach (var g in _groups.Values.OrderBy(g => g.Id))
            {
                foreach (var u in g.Members) rows.Add(Row(g.Id, false, u));
                foreach (var m in g.MemberGroups) rows.Add(Row(g.Id, true, m));
            }
            return rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToList();
        }
    }

    /// <summary>Adds a member to a group; an existing row is returned as it is.</summary>
    internal PmMembership AddMember(long groupId, long memberId, bool memberIsGroup)
    {
        lock (Gate)
        {
            var g = _groups[groupId];
            if (memberIsGroup && !g.MemberGroups.Contains(memberId)) SetMembers(g, g.Members, g.MemberGroups.Append(memberId).ToArray());
            else if (!memberIsGroup && !g.Members.Contains(memberId)) SetMembers(g, g.Members.Append(memberId).ToArray(), g.MemberGroups);
            return Row(groupId, memberIsGroup, memberId);
        }
    }

    /// <summary>Removes one group_members row.</summary>
    internal void RemoveMembership(PmMembership row)
    {
        lock (Gate)
        {
            if (!_groups.TryGetValue(row.GroupId, out var g)) return;
            if (row.MemberIsGroup) SetMembers(g, g.Members, g.MemberGroups.Where(m => m != row.MemberId).ToArray());
            else SetMembers(g, g.Members.Where(m => m != row.MemberId).ToArray(), g.MemberGroups);
        }
    }

    /// <summary>The groups a group is a direct member of (its parents).</summary>
    internal IEnumerable<long> ParentGroupsOf(long groupId)
    {
        lock (Gate) return _groups.Values.Where(g => g.MemberGroups.Contains(groupId)).Select(g => g.Id).ToArray();
    }

    /// <summary>
    /// PM4's <c>Group::getRecursiveUsersAttribute</c>: the group's users and those of the groups inside it, to any depth
    /// (a cycle back to the top group stops).
    /// </summary>
    internal IReadOnlyCollection<long> RecursiveUsers(long groupId)
    {
        lock (Gate)
        {
            var users = new HashSet<long>();
            var seen = new HashSet<long>();
            var todo = new Stack<long>();
            todo.Push(groupId);
            while (todo.Count > 0)
            {
                var id = todo.Pop();
                if (!seen.Add(id) || !_groups.TryGetValue(id, out var g)) continue;
                users.UnionWith(g.Members);
                foreach (var m in g.MemberGroups) todo.Push(m);
            }
            return users;
        }
    }

    // Caller holds Gate. Keeps group_members row ids for rows that stay and drops those of rows that went.
    private void SetMembers(PmGroup g, IReadOnlyList<long> users, IReadOnlyList<long> groups)
    {
        var now = _clock.Now;
        _groups[g.Id] = g with { Members = users, MemberGroups = groups, UpdatedAt = now };
        foreach (var key in _membershipRows.Keys.Where(k => k.Group == g.Id && !(k.IsGroup ? groups : users).Contains(k.Member)).ToList())
            _membershipRows.Remove(key);
        foreach (var u in users) Row(g.Id, false, u);
        foreach (var m in groups) Row(g.Id, true, m);
    }

    // Caller holds Gate.
    private PmMembership Row(long group, bool isGroup, long member)
    {
        if (!_membershipRows.TryGetValue((group, isGroup, member), out var row))
            _membershipRows[(group, isGroup, member)] = row = (_nextMembershipId++, _clock.Now);
        return new PmMembership(row.Id, group, member, isGroup, row.At);
    }
}
