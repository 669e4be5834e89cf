using System;
using System.Text.Json;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>A ProcessMaker user's status (PM4's User::rules: ACTIVE, INACTIVE, OUT_OF_OFFICE, SCHEDULED, BLOCKED).</summary>
    public enum PmUserStatus
    {
        Unknown = 0,
        Active,
        Inactive,
        OutOfOffice,
        Scheduled,
        Blocked,
    }

    /// <summary>A ProcessMaker group's status.</summary>
    public enum PmGroupStatus
    {
        Unknown = 0,
        Active,
        Inactive,
    }

    /// <summary>What a group member is: a user or a group (a nested group).</summary>
    public enum PmMemberType
    {
        User,
        Group,
    }

    /// <summary>
    /// A ProcessMaker user. Times are UTC. It never holds the password hash or the remember token, even when a server
    /// sends them (PM4 4.15.6 does send <c>remember_token</c>: it is not in User::$hidden).
    /// </summary>
    public sealed class PmUser
    {
        public long Id { get; set; }

        public string? UserName { get; set; }

        public string? FirstName { get; set; }

        public string? LastName { get; set; }

        public string? FullName { get; set; }

        public string? Email { get; set; }

        public PmUserStatus Status { get; set; }

        /// <summary>The status exactly as the server wrote it (for values this module does not know).</summary>
        public string? StatusText { get; set; }

        public bool IsAdministrator { get; set; }

        public string? Title { get; set; }

        public string? Phone { get; set; }

        public string? Cell { get; set; }

        public string? Address { get; set; }

        public string? City { get; set; }

        public string? State { get; set; }

        public string? PostalCode { get; set; }

        public string? Country { get; set; }

        public string? Timezone { get; set; }

        public string? Language { get; set; }

        public DateTime? CreatedAt { get; set; }

        public DateTime? UpdatedAt { get; set; }

        /// <summary>When the user was deleted (soft delete); null for a live user.</summary>
        public DateTime? DeletedAt { get; set; }

        /// <summary>The user id again, named for pipeline binding into <c>Get-PmTask -UserId</c> and <c>Add-PmGroupMember</c>.</summary>
        public long UserId => Id;

        public override string ToString() => $"{Id} {UserName}";

        internal static PmUser FromJson(JsonElement e) => FromJson(e, e.Long("id") ?? 0);

        /// <summary>A user row; <paramref name="id"/> given apart for rows whose <c>id</c> is not the user's (group member listings).</summary>
        internal static PmUser FromJson(JsonElement e, long id)
        {
            var statusText = e.Str("status");
            var first = e.Str("firstname");
            var last = e.Str("lastname");
            return new PmUser
            {
                Id = id,
                UserName = e.Str("username"),
                FirstName = first,
                LastName = last,
                FullName = e.Str("fullname") ?? $"{first} {last}".Trim(),
                Email = e.Str("email"),
                StatusText = statusText,
                Status = ParseStatus(statusText),
                IsAdministrator = e.Prop("is_administrator") is JsonElement admin && (admin.ValueKind == JsonValueKind.True || (admin.ValueKind == JsonValueKind.Number && admin.TryGetInt64(out var n) && n != 0)),
                Title = e.Str("title"),
                Phone = e.Str("phone"),
                Cell = e.Str("cell"),
                Address = e.Str("address"),
                City = e.Str("city"),
                State = e.Str("state"),
                PostalCode = e.Str("postal"),
                Country = e.Str("country"),
                Timezone = e.Str("timezone"),
                Language = e.Str("language"),
                CreatedAt = e.Date("created_at"),
                UpdatedAt = e.Date("updated_at"),
                DeletedAt = e.Date("deleted_at"),
            };
        }

        public static PmUserStatus ParseStatus(string? text)
        {
            switch (text?.Trim().ToUpperInvariant())
            {
                case "ACTIVE": return PmUserStatus.Active;
                case "INACTIVE": return PmUserStatus.Inactive;
                case "OUT_OF_OFFICE": return PmUserStatus.OutOfOffice;
                case "SCHEDULED": return PmUserStatus.Scheduled;
                case "BLOCKED": return PmUserStatus.Blocked;
                default: return PmUserStatus.Unknown;
            }
        }

        /// <summary>The wire value of a status.</summary>
        public static string WireName(PmUserStatus status)
        {
            switch (status)
            {
                case PmUserStatus.Inactive: return "INACTIVE";
                case PmUserStatus.OutOfOffice: return "OUT_OF_OFFICE";
                case PmUserStatus.Scheduled: return "SCHEDULED";
                case PmUserStatus.Blocked: return "BLOCKED";
                default: return "ACTIVE";
            }
        }
    }

    /// <summary>A ProcessMaker group. Times are UTC.</summary>
    public sealed class PmGroup
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        public string? Description { get; set; }

        public PmGroupStatus Status { get; set; }

        /// <summary>The status exactly as the server wrote it.</summary>
        public string? StatusText { get; set; }

        public DateTime? CreatedAt { get; set; }

        public DateTime? UpdatedAt { get; set; }

        /// <summary>The group id again, named for pipeline binding into <c>Get-PmGroupMember</c> and <c>Add-PmGroupMember</c>.</summary>
        public long GroupId => Id;

        public override string ToString() => $"{Id} {Name}";

        internal static PmGroup FromJson(JsonElement e) => FromJson(e, e.Long("id") ?? 0);

        internal static PmGroup FromJson(JsonElement e, long id)
        {
            var statusText = e.Str("status");
            return new PmGroup
            {
                Id = id,
                Name = e.Str("name"),
                Description = e.Str("description"),
                StatusText = statusText,
                Status = string.Equals(statusText, "ACTIVE", StringComparison.OrdinalIgnoreCase) ? PmGroupStatus.Active
                    : string.Equals(statusText, "INACTIVE", StringComparison.OrdinalIgnoreCase) ? PmGroupStatus.Inactive : PmGroupStatus.Unknown,
                CreatedAt = e.Date("created_at"),
                UpdatedAt = e.Date("updated_at"),
            };
        }
    }

    /// <summary>
    /// One membership: a user or a group (<see cref="MemberType"/>, <see cref="MemberId"/>) in the group
    /// <see cref="GroupId"/>. Flat, one row per membership, so a CSV of it reads as "who is in which group".
    /// </summary>
    public sealed class PmGroupMember
    {
        /// <summary>The membership's own id (PM4's group_members row), which Remove-PmGroupMember deletes.</summary>
        public long MembershipId { get; set; }

        public long GroupId { get; set; }

        public string? GroupName { get; set; }

        public PmMemberType MemberType { get; set; }

        /// <summary>The user's id, or the member group's id.</summary>
        public long MemberId { get; set; }

        /// <summary>The user's user name, or the member group's name.</summary>
        public string? MemberName { get; set; }

        /// <summary>The user's full name (empty for a group).</summary>
        public string? FullName { get; set; }

        /// <summary>The user's e-mail (empty for a group).</summary>
        public string? Email { get; set; }

        /// <summary>The user's or the member group's status as the server wrote it.</summary>
        public string? Status { get; set; }

        /// <summary>When the membership was made.</summary>
        public DateTime? CreatedAt { get; set; }

        /// <summary>The member's user id, for pipeline binding (null when the member is a group).</summary>
        public long? UserId => MemberType == PmMemberType.User ? MemberId : (long?)null;

        /// <summary>The member group's id, for pipeline binding (null when the member is a user).</summary>
        public long? MemberGroupId => MemberType == PmMemberType.Group ? MemberId : (long?)null;

        public override string ToString() => $"{GroupName} <- {MemberType} {MemberName}";

        internal const string UserClass = "ProcessMaker\\Models\\User";
        internal const string GroupClass = "ProcessMaker\\Models\\Group";

        internal static PmMemberType? TypeOf(string? memberType) =>
            string.Equals(memberType, UserClass, StringComparison.OrdinalIgnoreCase) ? PmMemberType.User
            : string.Equals(memberType, GroupClass, StringComparison.OrdinalIgnoreCase) ? PmMemberType.Group : (PmMemberType?)null;

        /// <summary>
        /// A row of <c>groups/{id}/users</c> or <c>groups/{id}/groups</c>: PM4 joins the member's columns with the
        /// membership's, and the membership's <c>id</c> wins, so the member is <c>member_id</c>.
        /// </summary>
        internal static PmGroupMember FromJoinedRow(JsonElement e, long groupId, string? groupName, PmMemberType type) => new PmGroupMember
        {
            MembershipId = e.Long("id") ?? 0,
            GroupId = e.Long("group_id") ?? groupId,
            GroupName = groupName,
            MemberType = type,
            MemberId = e.Long("member_id") ?? 0,
            MemberName = type == PmMemberType.User ? e.Str("username") : e.Str("name"),
            FullName = type == PmMemberType.User ? e.Str("fullname") ?? $"{e.Str("firstname")} {e.Str("lastname")}".Trim() : null,
            Email = type == PmMemberType.User ? e.Str("email") : null,
            Status = e.Str("status"),
            CreatedAt = e.Date("created_at"),
        };

        /// <summary>A row of <c>group_members</c>: the membership plus the group's name.</summary>
        internal static PmGroupMember FromMembershipRow(JsonElement e, string? memberName) => new PmGroupMember
        {
            MembershipId = e.Long("id") ?? 0,
            GroupId = e.Long("group_id") ?? 0,
            GroupName = e.Str("name"),
            MemberType = TypeOf(e.Str("member_type")) ?? PmMemberType.User,
            MemberId = e.Long("member_id") ?? 0,
            MemberName = memberName,
            CreatedAt = e.Date("created_at"),
        };
    }
}
