using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>A process category (PM4's <c>process_categories</c>); category 1 "Uncategorized" always exists.</summary>
public sealed record PmCategory(long Id, string Name)
{
    /// <summary>ACTIVE or INACTIVE; the start list shows processes of ACTIVE categories only.</summary>
    public string Status { get; init; } = "ACTIVE";
}

// Who may do what with processes and requests, as PM4 4.15.6 decides it (the policies and scopes named on each
// method). Permission names are asked of HasPermission; assignments (start events, edit-data lists) are read here.
public sealed partial class ProcessMakerStore
{
    /// <summary>PM4's default category.</summary>
    public const long UncategorizedId = 1;

    private readonly Dictionary<long, PmCategory> _categories = new() { [UncategorizedId] = new PmCategory(UncategorizedId, "Uncategorized") };

    /// <summary>Add or replace a category.</summary>
    public PmCategory AddCategory(PmCategory category) { lock (Gate) _categories[category.Id] = category; return category; }

    /// <summary>A category by id, or null.</summary>
    public PmCategory? FindCategory(long? id) { lock (Gate) return id is { } i ? _categories.GetValueOrDefault(i) : null; }

    /// <summary>All categories by id.</summary>
    public IReadOnlyCollection<PmCategory> Categories { get { lock (Gate) return _categories.Values.OrderBy(c => c.Id).ToArray(); } }

    private bool InAnyGroup(long userId, IEnumerable<long> groups) =>
        groups.Any(g => _groups.TryGetValue(g, out var group) && group.Members.Contains(userId));

    /// <summary>
    /// Process::getStartEvents(true): an administrator gets every start event; anyone else those assigned to them,
    /// to one of their groups, or to the process manager when they manage the process.
    /// </summary>
    public IReadOnlyList<PmStartEvent> StartEventsFor(PmUser user, PmProcess process)
    {
        if (user.IsAdministrator) return process.StartEvents;
        lock (Gate)
            return process.StartEvents.Where(e => e.AssignedUsers.Contains(user.Id) || InAnyGroup(user.Id, e.AssignedGroups)
                || (e.ProcessManager && process.ManagerId == user.Id)).ToList();
    }

    /// <summary>
    /// ProcessPolicy::start (the route's <c>can:start,process</c>): administrators; the users and group members the
    /// event names; the process manager when any start event of the process is assigned to the manager.
    /// </summary>
    public bool CanStart(PmUser user, PmProcess process, string eventId)
    {
        if (user.IsAdministrator) return true;
        lock (Gate)
        {
            var e = process.StartEvents.FirstOrDefault(x => x.Id == eventId);
            if (e != null && (e.AssignedUsers.Contains(user.Id) || InAnyGroup(user.Id, e.AssignedGroups))) return true;
            return process.ManagerId == user.Id && process.StartEvents.Any(x => x.ProcessManager);
        }
    }

    /// <summary>ProcessVersionPolicy::editData: the process's edit-data users and groups.</summary>
    internal bool MayEditDataOfProcess(PmUser user, PmProcess process)
    {
        lock (Gate) return process.EditDataUsers.Contains(user.Id) || InAnyGroup(user.Id, process.EditDataGroups);
    }

    /// <summary>
    /// ProcessRequestPolicy::editData: edit-task_data while the request is ACTIVE, edit-request_data after, or the
    /// process's edit-data assignment. (Administrators pass every policy.)
    /// </summary>
    internal bool CanEditData(PmUser user, PmRequest request) =>
        user.IsAdministrator || HasPermission(user, request.Status == "ACTIVE" ? "edit-task_data" : "edit-request_data") || MayEditDataOfProcess(user, request.Process);

    /// <summary>ProcessRequestPolicy::update: the requester, whoever may cancel, edit-request_data, or the process's edit-data assignment.</summary>
    internal bool MayUpdate(PmUser user, PmRequest request) =>
        user.IsAdministrator || request.UserId == user.Id || CanCancel(user, request) || HasPermission(user, "edit-request_data") || MayEditDataOfProcess(user, request.Process);

    /// <summary>
    /// ForUserScope::scopeForUser (the request listing and ProcessRequestPolicy::view): administrators and holders of
    /// edit-request_data or view-all_requests see every request; anyone else the requests they started, took part in,
    /// may self-serve a task of, or whose process lets them edit data.
    /// </summary>
    internal bool CanSeeRequest(PmUser user, PmRequest request)
    {
        if (user.IsAdministrator || HasPermission(user, "edit-request_data") || HasPermission(user, "view-all_requests")) return true;
        if (request.UserId == user.Id || MayEditDataOfProcess(user, request.Process)) return true;
        lock (Gate)
            return _tasks.Any(t => t.Request == request && (t.UserId == user.Id
                || (t.IsSelfService && t.SelfServiceGroups is { } who && (who.Users.Contains(user.Id) || InAnyGroup(user.Id, who.Groups)))));
    }

    /// <summary>
    /// ProcessRequest::valueAliasParticipant: requests with a task (or start event) whose user is
    /// <paramref name="userId"/>; the sandbox's start token belongs to the requester.
    /// </summary>
    internal bool HasParticipant(PmRequest request, long userId)
    {
        lock (Gate) return request.UserId == userId || _tasks.Any(t => t.Request == request && t.UserId == userId);
    }

    /// <summary>A user by username, or null (PMQL's requester and participant name users).</summary>
    public PmUser? FindUserByName(string username) { lock (Gate) return _users.Values.FirstOrDefault(u => u.Username == username); }

    /// <summary>
    /// ProcessRequestController::update's last branch: the validated fields are written as given (<c>fill</c>); the
    /// data replaces the old data and a status is set without touching the tasks.
    /// </summary>
    internal void Fill(PmRequest request, string name, JsonObject data, string? status)
    {
        lock (Gate)
        {
            request.Name = name;
            request.Data = data;
            if (status != null) request.Status = status;
            request.UpdatedAt = _clock.Now;
        }
    }

    /// <summary>ProcessRequestController::completeRequest (an administrator, from ERROR): COMPLETED, its open tasks closed.</summary>
    internal void CompleteFromError(PmRequest request)
    {
        lock (Gate)
        {
            var now = _clock.Now;
            request.Status = "COMPLETED";
            request.CompletedAt = now;
            request.UpdatedAt = now;
            foreach (var t in _tasks.Where(t => t.Request == request && t.Status == "ACTIVE")) { t.Status = "CLOSED"; t.CompletedAt = now; t.UpdatedAt = now; }
        }
    }
}
