using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static WorkflowTools.Sandbox.SandboxJson;

namespace WorkflowTools.Sandbox;

// ProcessMaker 4's groups and group memberships, as 4.15.6 serves them: routes/api.php,
// Http/Controllers/Api/GroupController.php, GroupMemberController.php, Models/Group.php, Models/GroupMember.php.
internal sealed partial class ProcessMakerApi
{
    private void MapGroups(RouteGroupBuilder g)
    {
        g.MapGet("/groups", (HttpContext c) => ListGroups(c));
        g.MapGet("/groups/{id:long}", (HttpContext c, long id) => ShowGroup(c, id));
        g.MapPost("/groups", Routes.H(CreateGroup));
        g.MapPut("/groups/{id:long}", (HttpContext c, long id) => UpdateGroup(c, id));
        g.MapDelete("/groups/{id:long}", (HttpContext c, long id) => DeleteGroup(c, id));
        g.MapGet("/groups/{id:long}/users", (HttpContext c, long id) => GroupUsers(c, id));
        g.MapGet("/groups/{id:long}/groups", (HttpContext c, long id) => GroupGroups(c, id));
        g.MapGet("/group_members", (HttpContext c) => ListMemberships(c));
        g.MapGet("/group_members/{id:long}", (HttpContext c, long id) => ShowMembership(c, id));
        g.MapPost("/group_members", Routes.H(CreateMembership));
        g.MapDelete("/group_members/{id:long}", (HttpContext c, long id) => DeleteMembership(c, id));
    }

    private IResult ListGroups(HttpContext context)
    {
        var me = Me(context);
        if (!AnyOf(Store, me, "view-groups", "create-processes", "edit-processes", "create-projects", "view-projects"))
            return Forbidden("Not authorized to view groups.");
        var q = context.Request.Query;
        IEnumerable<PmGroup> rows = Store.Groups;
        var filter = q["filter"].ToString();
        if (filter.Length > 0) rows = rows.Where(g => Like(g.Name, filter) || Like(g.Description, filter));
        if (q["status"].ToString() is { Length: > 0 } status) rows = rows.Where(g => string.Equals(g.Status, status, StringComparison.OrdinalIgnoreCase));
        var orderBy = OrderField(context, "name"); var direction = Direction(context);
        Func<PmGroup, IComparable?>? key = GroupKey(orderBy);
        if (key == null) return ServerError();
        var count = Includes(context).Contains("membersCount");
        var list = Sort(rows, key, direction, g => g.Id).Select(g =>
        {
            var o = GroupResource(g);
            if (count) o["group_members_count"] = g.Members.Count + g.MemberGroups.Count;
            return (JsonNode)o;
        }).ToList();
        return Page(context, list);
    }

    private static Func<PmGroup, IComparable?>? GroupKey(string orderBy) => orderBy switch
    {
        "id" => g => g.Id,
        "name" => g => g.Name.ToLowerInvariant(),
        "description" => g => g.Description.ToLowerInvariant(),
        "status" => g => g.Status,
        "created_at" => g => g.CreatedAt,
        "updated_at" => g => g.UpdatedAt,
        _ => null,
    };

    private IResult ShowGroup(HttpContext context, long id)
    {
        if (Store.FindGroup(id) is not { } group) return NotFound();
        if (!AnyOf(Store, Me(context), "view-groups", "create-processes", "edit-processes")) return Forbidden("Not authorized to view groups.");
        return Json(200, GroupResource(group));
    }

    private async Task<IResult> CreateGroup(HttpContext context)
    {
        if (!Store.HasPermission(Me(context), "create-groups")) return Forbidden();
        var (node, _) = await ReadBodyAsync(context);
        var body = node as JsonObject ?? new JsonObject();
        var errors = PmPeopleRules.CheckGroup(body, null, Store.Groups);
        if (errors.Any) return Validation(errors);
        var group = Store.CreateGroup(PmPeopleRules.Text(body, "name")!, PmPeopleRules.Text(body, "description") ?? "", PmPeopleRules.Text(body, "status") ?? "ACTIVE");
        Store.RecordSecurityEvent(Me(context).Id, "GroupCreated", PmPeopleEvents.GroupCreated(context, group));
        return Json(201, GroupResource(group));
    }

    private async Task<IResult> UpdateGroup(HttpContext context, long id)
    {
        if (Store.FindGroup(id) is not { } group) return NotFound();
        if (!Store.HasPermission(Me(context), "edit-groups")) return Forbidden();
        var (node, _) = await ReadBodyAsync(context);
        var body = node as JsonObject ?? new JsonObject();
        var errors = PmPeopleRules.CheckGroup(body, group, Store.Groups);
        if (errors.Any) return Validation(errors);
        var stored = Store.ReplaceGroup(group with
        {
            Name = PmPeopleRules.Text(body, "name")!,
            Description = body.ContainsKey("description") ? PmPeopleRules.Text(body, "description") ?? "" : group.Description,
            Status = PmPeopleRules.Text(body, "status") ?? group.Status,
        });
        Store.RecordSecurityEvent(Me(context).Id, "GroupUpdated", PmPeopleEvents.GroupUpdated(context, group, stored));
        return Results.StatusCode(204);
    }

    private IResult DeleteGroup(HttpContext context, long id)
    {
        if (Store.FindGroup(id) is not { } group) return NotFound();
        if (!Store.HasPermission(Me(context), "delete-groups")) return Forbidden();
        // GroupController::destroy reads the user and group members before the delete, for GroupDeleted.
        var rows = Store.Memberships().Where(m => m.GroupId == id).ToList();
        var users = rows.Where(m => !m.MemberIsGroup).Select(m => Store.FindUser(m.MemberId)).OfType<PmUser>().ToList();
        var groups = rows.Where(m => m.MemberIsGroup).Select(m => Store.FindGroup(m.MemberId)).OfType<PmGroup>().ToList();
        Store.DeleteGroup(id);
        Store.RecordSecurityEvent(Me(context).Id, "GroupDeleted", PmPeopleEvents.GroupDeleted(context, group, users, groups, Now));
        return Results.StatusCode(204);
    }

    /// <summary>
    /// GroupController::users: <c>User::query()->leftJoin('group_members', …)</c> with no select, so each row holds the
    /// user's columns and then the membership's; where names clash (<c>id</c>, <c>created_at</c>, <c>updated_at</c>) the
    /// membership's win. A row's <c>id</c> is therefore the group_members id and the user's id is <c>member_id</c>.
    /// </summary>
    private IResult GroupUsers(HttpContext context, long id)
    {
        if (Store.FindGroup(id) == null) return NotFound();
        if (!Store.HasPermission(Me(context), "view-groups")) return Forbidden();
        var filter = context.Request.Query["filter"].ToString();
        var rows = Store.Memberships().Where(m => m.GroupId == id && !m.MemberIsGroup)
            .Select(m => (Row: m, User: Store.FindUser(m.MemberId)!)).Where(x => x.User != null);
        if (filter.Length > 0)
            rows = rows.Where(x => Like(x.User.Username, filter) || Like(x.User.Firstname, filter) || Like(x.User.Lastname, filter) || Like($"{x.User.Firstname} {x.User.Lastname}".Trim(), filter));
        var orderBy = OrderField(context, "username"); var direction = Direction(context);
        Func<(PmMembership Row, PmUser User), IComparable?> key = orderBy switch
        {
            "id" => x => x.Row.Id,
            "firstname" => x => x.User.Firstname.ToLowerInvariant(),
            "lastname" => x => x.User.Lastname.ToLowerInvariant(),
            "status" => x => x.User.Status,
            _ => x => x.User.Username.ToLowerInvariant(),
        };
        var list = Sort(rows, key, direction, x => x.Row.Id).Select(x =>
        {
            var o = UserResource(x.User);
            MergeMembership(o, x.Row);
            return (JsonNode)o;
        }).ToList();
        return Page(context, list);
    }

    /// <summary>GroupController::groups: the groups inside a group, joined as <see cref="GroupUsers"/> joins users.</summary>
    private IResult GroupGroups(HttpContext context, long id)
    {
        if (Store.FindGroup(id) == null) return NotFound();
        if (!Store.HasPermission(Me(context), "view-groups")) return Forbidden();
        var filter = context.Request.Query["filter"].ToString();
        var rows = Store.Memberships().Where(m => m.GroupId == id && m.MemberIsGroup)
            .Select(m => (Row: m, Group: Store.FindGroup(m.MemberId)!)).Where(x => x.Group != null);
        if (filter.Length > 0) rows = rows.Where(x => Like(x.Group.Name, filter) || Like(x.Group.Description, filter));
        var orderBy = OrderField(context, "name"); var direction = Direction(context);
        var groupKey = GroupKey(orderBy) ?? (g => g.Name.ToLowerInvariant());
        var list = Sort(rows, x => groupKey(x.Group), direction, x => x.Row.Id).Select(x =>
        {
            var o = GroupResource(x.Group);
            MergeMembership(o, x.Row);
            return (JsonNode)o;
        }).ToList();
        return Page(context, list);
    }

    private static void MergeMembership(JsonObject o, PmMembership m)
    {
        o["id"] = m.Id;
        o["group_id"] = m.GroupId;
        o["member_id"] = m.MemberId;
        o["member_type"] = m.MemberType;
        o["created_at"] = PmTime(m.CreatedAt);
        o["updated_at"] = PmTime(m.CreatedAt);
    }

    /// <summary>
    /// GroupMemberController::index: view-groups or view-users. Administrators may filter by <c>member_id</c> (any
    /// member type: a user and a group with the same id both match); anyone else sees only their own rows. Each row is
    /// the membership plus the group's name and description. There is no group_id filter.
    /// </summary>
    private IResult ListMemberships(HttpContext context)
    {
        var me = Me(context);
        if (!AnyOf(Store, me, "view-groups", "view-users")) return Forbidden("Not authorized to view groups.");
        var q = context.Request.Query;
        IEnumerable<PmMembership> rows = Store.Memberships();
        if (me.IsAdministrator)
        {
            if (long.TryParse(q["member_id"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var memberId)) rows = rows.Where(m => m.MemberId == memberId);
        }
        else rows = rows.Where(m => m.MemberId == me.Id);
        var orderBy = OrderField(context, "created_at"); var direction = Direction(context);
        Func<PmMembership, IComparable?> key = orderBy switch
        {
            "id" => m => m.Id,
            "group_id" => m => m.GroupId,
            "member_id" => m => m.MemberId,
            "name" => m => Store.FindGroup(m.GroupId)?.Name.ToLowerInvariant(),
            _ => m => m.CreatedAt,
        };
        var list = Sort(rows, key, direction, m => m.Id).Select(m =>
        {
            var o = MembershipResource(m);
            var group = Store.FindGroup(m.GroupId);
            o["name"] = group?.Name;
            o["description"] = group?.Description;
            return (JsonNode)o;
        }).ToList();
        return Page(context, list);
    }

    private IResult ShowMembership(HttpContext context, long id)
    {
        if (Store.Memberships().FirstOrDefault(m => m.Id == id) is not { } row) return NotFound();
        if (!Store.HasPermission(Me(context), "view-groups")) return Forbidden();
        return Json(200, MembershipResource(row));
    }

    /// <summary>
    /// GroupMemberController::store: a row that already exists answers 201 with an empty array before any validation;
    /// then GroupMember::rules(), then findOrFail on the group and the member (404); the new row comes with them.
    /// </summary>
    private async Task<IResult> CreateMembership(HttpContext context)
    {
        if (!Store.HasPermission(Me(context), "edit-groups")) return Forbidden();
        var (node, _) = await ReadBodyAsync(context);
        var body = node as JsonObject ?? new JsonObject();
        var groupText = PmPeopleRules.Text(body, "group_id");
        var memberText = PmPeopleRules.Text(body, "member_id");
        var type = PmPeopleRules.Text(body, "member_type");
        long.TryParse(groupText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var groupId);
        long.TryParse(memberText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var memberId);
        var isGroup = type == ProcessMakerStore.GroupClass;
        if (Store.Memberships().Any(m => m.GroupId == groupId && m.MemberId == memberId && m.MemberType == type)) return Json(201, new JsonArray());

        var errors = new PmPeopleRules.Errors();
        if (groupText == null) errors.Add("group_id", "The Group id field is required.");
        if (memberText == null) errors.Add("member_id", "The Member id field is required.");
        if (type == null) errors.Add("member_type", "The Member type field is required.");
        else if (type is not (ProcessMakerStore.UserClass or ProcessMakerStore.GroupClass)) errors.Add("member_type", "The selected Member type is invalid.");
        if (errors.Any) return Validation(errors);

        if (Store.FindGroup(groupId) == null) return NotFound();
        var memberExists = isGroup ? Store.FindGroup(memberId) != null : LiveUser(memberId) != null;
        if (!memberExists) return NotFound();
        // associate() leaves the group and the member loaded on the new row, so the answer carries both (as the
        // documentation's createGroupMembers schema shows).
        var created = MembershipResource(Store.AddMember(groupId, memberId, isGroup));
        created["group"] = GroupResource(Store.FindGroup(groupId)!);
        created["member"] = isGroup ? GroupResource(Store.FindGroup(memberId)!) : UserResource(Store.FindUser(memberId)!);
        Store.RecordSecurityEvent(Me(context).Id, "GroupMembersUpdated", PmPeopleEvents.GroupMembersUpdated(context, Store.FindGroup(groupId)!, memberId, isGroup, MemberLabel(memberId, isGroup), added: true));
        return Json(201, created);
    }

    private IResult DeleteMembership(HttpContext context, long id)
    {
        if (Store.Memberships().FirstOrDefault(m => m.Id == id) is not { } row) return NotFound();
        if (!Store.HasPermission(Me(context), "edit-groups")) return Forbidden();
        Store.RemoveMembership(row);
        if (Store.FindGroup(row.GroupId) is { } group)
            Store.RecordSecurityEvent(Me(context).Id, "GroupMembersUpdated", PmPeopleEvents.GroupMembersUpdated(context, group, row.MemberId, row.MemberIsGroup, MemberLabel(row.MemberId, row.MemberIsGroup), added: false));
        return Results.StatusCode(204);
    }

    /// <summary>GroupUsersUpdated's label for a member: a user's username, a group's name.</summary>
    private string MemberLabel(long id, bool isGroup) => (isGroup ? Store.FindGroup(id)?.Name : Store.FindUser(id)?.Username) ?? "";

    /// <summary>The group resource (Http/Resources/Groups: the model's columns).</summary>
    internal static JsonObject GroupResource(PmGroup g) => new()
    {
        ["id"] = g.Id,
        ["name"] = g.Name,
        ["description"] = g.Description,
        ["manager_id"] = null,
        ["status"] = g.Status,
        ["enabled_2fa"] = false,
        ["created_at"] = PmTime(g.CreatedAt),
        ["updated_at"] = PmTime(g.UpdatedAt),
    };

    /// <summary>The group member resource (Http/Resources/GroupMembers: the row's columns).</summary>
    private static JsonObject MembershipResource(PmMembership m) => new()
    {
        ["id"] = m.Id,
        ["group_id"] = m.GroupId,
        ["member_id"] = m.MemberId,
        ["member_type"] = m.MemberType,
        ["created_at"] = PmTime(m.CreatedAt),
        ["updated_at"] = PmTime(m.CreatedAt),
    };
}
