using System.Collections.Generic;
using System.Globalization;
using WorkflowTools.Http;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>What a user listing asks for (<c>users</c>, or <c>deleted_users</c>); turns into ProcessMaker's query parameters.</summary>
    internal sealed class PmUserQuery
    {
        /// <summary>ProcessMaker's search: a substring of the user name, first or last name, or e-mail.</summary>
        public string? Filter { get; set; }

        /// <summary>Only users with this status (not sent for deleted users: that listing has no status filter).</summary>
        public PmUserStatus? Status { get; set; }

        /// <summary>Soft-deleted users (<c>deleted_users</c>) instead of live ones.</summary>
        public bool Deleted { get; set; }

        public int? PageSize { get; set; }

        public QueryString ToQuery() => new QueryString()
            .Add("filter", string.IsNullOrEmpty(Filter) ? null : Filter)
            .Add("status", !Deleted && Status is PmUserStatus s && s != PmUserStatus.Unknown ? PmUser.WireName(s) : null)
            .Add("order_by", "id")
            .Add("order_direction", "asc")
            .Add("per_page", PageSize?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>What a group listing asks for.</summary>
    internal sealed class PmGroupQuery
    {
        /// <summary>ProcessMaker's search: a substring of the name or description.</summary>
        public string? Filter { get; set; }

        public PmGroupStatus? Status { get; set; }

        public int? PageSize { get; set; }

        public QueryString ToQuery() => new QueryString()
            .Add("filter", string.IsNullOrEmpty(Filter) ? null : Filter)
            .Add("status", Status == PmGroupStatus.Active ? "ACTIVE" : Status == PmGroupStatus.Inactive ? "INACTIVE" : null)
            .Add("order_by", "id")
            .Add("order_direction", "asc")
            .Add("per_page", PageSize?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The fields of a user to write (null = leave as it is). <see cref="ToBody"/> lays them over the current user,
    /// because PM4 validates the whole user on update (User::rules: user name, names, e-mail and status required).
    /// </summary>
    internal sealed class PmUserChanges
    {
        public string? UserName { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
        public PmUserStatus? Status { get; set; }
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

        /// <summary>True when no field is given.</summary>
        public bool IsEmpty => UserName == null && FirstName == null && LastName == null && Email == null && Status == null && Title == null && Phone == null
            && Cell == null && Address == null && City == null && State == null && PostalCode == null && Country == null && Timezone == null && Language == null;

        /// <summary>The JSON body: the required fields (from <paramref name="current"/> unless changed) and every other field given.</summary>
        public Dictionary<string, object?> ToBody(PmUser? current)
        {
            var body = new Dictionary<string, object?>
            {
                ["username"] = UserName ?? current?.UserName,
                ["firstname"] = FirstName ?? current?.FirstName,
                ["lastname"] = LastName ?? current?.LastName,
                ["email"] = Email ?? current?.Email,
                ["status"] = PmUser.WireName(Status ?? current?.Status ?? PmUserStatus.Active),
            };
            void Optional(string key, string? value)
            {
                if (value != null)
                {
                    body[key] = value;
                }
            }

            Optional("title", Title);
            Optional("phone", Phone);
            Optional("cell", Cell);
            Optional("address", Address);
            Optional("city", City);
            Optional("state", State);
            Optional("postal", PostalCode);
            Optional("country", Country);
            Optional("timezone", Timezone);
            Optional("language", Language);
            return body;
        }
    }
}
