using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>A ProcessMaker user.</summary>
public sealed partial record PmUser(long Id, string Username, string Firstname, string Lastname, bool IsAdministrator, string Password)
{
    /// <summary>PM4 permission names held directly (e.g. <c>view-processes</c>); groups add theirs (<see cref="ProcessMakerStore.HasPermission"/>).</summary>
    public IReadOnlyList<string> Permissions { get; init; } = Array.Empty<string>();

    /// <summary>E-mail shown in user resources.</summary>
    public string Email { get; init; } = $"{Username}@sandbox.local";
}

/// <summary>A BPMN start event. <paramref name="Kind"/>: none, message, signal, conditional (startable), timer, webentry (not startable via API lists).</summary>
public sealed record PmStartEvent(string Id, string Name, string Kind = "none")
{
    /// <summary>True when the start event can be triggered with process_events (not timer, not web entry).</summary>
    public bool Startable => Kind is not ("timer" or "webentry");
    /// <summary>Users who may start here (BPMN <c>pm:assignment="user"</c>, <c>pm:assignedUsers</c>); none = administrators only.</summary>
    public IReadOnlyList<long> AssignedUsers { get; init; } = Array.Empty<long>();
    /// <summary>Groups whose members may start here (<c>pm:assignment="group"</c>, <c>pm:assignedGroups</c>).</summary>
    public IReadOnlyList<long> AssignedGroups { get; init; } = Array.Empty<long>();
    /// <summary>The process manager may start (<c>pm:assignment="process_manager"</c>).</summary>
    public bool ProcessManager { get; init; }
}

/// <summary>A ProcessMaker group and its members (user ids). PM4 checks direct membership for cancel rights and self service.</summary>
public sealed partial record PmGroup(long Id, string Name, IReadOnlyList<long> Members)
{
    /// <summary>PM4 permission names every member holds.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = Array.Empty<string>();
}

/// <summary>
/// Who may take a self-service task (PM4's <c>self_service_groups</c> of the token: <c>{"users":[...],"groups":[...]}</c>,
/// ids as strings on the wire, as the BPMN's comma-separated lists give them).
/// </summary>
public sealed record PmSelfService(IReadOnlyList<long> Groups, IReadOnlyList<long> Users);

/// <summary>A user task of a process, in execution order; <paramref name="SelfService"/> set: it opens unassigned, for those users and groups to claim.</summary>
public sealed partial record PmTaskDefinition(string ElementId, string Name, PmSelfService? SelfService = null);

/// <summary>A ProcessMaker process definition.</summary>
public sealed record PmProcess(long Id, string Name, IReadOnlyList<PmStartEvent> StartEvents, IReadOnlyList<PmTaskDefinition> Tasks)
{
    /// <summary>ACTIVE, INACTIVE or ARCHIVED.</summary>
    public string Status { get; init; } = "ACTIVE";
    /// <summary>Description (searched by <c>filter</c>).</summary>
    public string Description { get; init; } = "";
    /// <summary>Id of the current process version.</summary>
    public long ProcessVersionId { get; init; }
    /// <summary>Category id (<see cref="ProcessMakerStore.AddCategory"/>); null = uncategorised.</summary>
    public long? ProcessCategoryId { get; init; } = 1;
    /// <summary>Users who may edit its requests' data (PM4's processables with method EDIT_DATA).</summary>
    public IReadOnlyList<long> EditDataUsers { get; init; } = Array.Empty<long>();
    /// <summary>Groups whose members may edit its requests' data.</summary>
    public IReadOnlyList<long> EditDataGroups { get; init; } = Array.Empty<long>();
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; } = SandboxOptions.DefaultClockStart.AddDays(-365);
    /// <summary>Properties from a seed file that the sandbox does not model, served back as given.</summary>
    public JsonObject? Raw { get; init; }
    /// <summary>Users who may cancel this process's requests (PM4: the process's <c>cancel_request.users</c>).</summary>
    public IReadOnlyList<long> CancelUsers { get; init; } = Array.Empty<long>();
    /// <summary>Groups whose members may cancel this process's requests (<c>cancel_request.groups</c>).</summary>
    public IReadOnlyList<long> CancelGroups { get; init; } = Array.Empty<long>();
    /// <summary>The process manager (<c>properties.manager_id</c>), or null.</summary>
    public long? ManagerId { get; init; }
    /// <summary>The manager may cancel (<c>cancel_request.pseudousers</c> has "manager": <c>properties.manager_can_cancel_request</c>).</summary>
    public bool ManagerCanCancel { get; init; }
}

/// <summary>A process request (a running or finished case). Mutated by the store under its lock.</summary>
public sealed class PmRequest
{
    internal PmRequest(long id, PmProcess process) { Id = id; Process = process; Name = process.Name; }
    /// <summary>Request id.</summary>
    public long Id { get; }
    /// <summary>Its process.</summary>
    public PmProcess Process { get; }
    /// <summary>Process id.</summary>
    public long ProcessId => Process.Id;
    /// <summary>Requester.</summary>
    public long UserId { get; internal set; }
    /// <summary>ACTIVE, COMPLETED, CANCELED, ERROR.</summary>
    public string Status { get; internal set; } = "ACTIVE";
    /// <summary>Request name (PM4 copies the process name at start; a seed or an update may give another).</summary>
    public string Name { get; internal set; }
    /// <summary>Start event used.</summary>
    public string StartEventId { get; internal set; } = "node_1";
    /// <summary>Start time.</summary>
    public DateTimeOffset InitiatedAt { get; internal set; }
    /// <summary>Completion time.</summary>
    public DateTimeOffset? CompletedAt { get; internal set; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; internal set; }
    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; internal set; }
    /// <summary>Request data (stored as sanitised; keys starting with "_" are hidden from API output).</summary>
    public JsonObject Data { get; internal set; } = new();
    /// <summary><see cref="RecordedRequest.Sequence"/> of the HTTP request that started it; null when seeded/added by a test.</summary>
    public long? CreatedByRequestSequence { get; internal set; }
}

/// <summary>A task (user activity) of a request.</summary>
public sealed class PmTask
{
    internal PmTask(long id, PmRequest request, PmTaskDefinition definition) { Id = id; Request = request; Definition = definition; }
    /// <summary>Task id.</summary>
    public long Id { get; }
    /// <summary>The request it belongs to.</summary>
    public PmRequest Request { get; }
    /// <summary>Its BPMN definition.</summary>
    public PmTaskDefinition Definition { get; }
    /// <summary>BPMN element id, e.g. node_2.</summary>
    public string ElementId => Definition.ElementId;
    /// <summary>Task name.</summary>
    public string ElementName => Definition.Name;
    /// <summary>ACTIVE or CLOSED.</summary>
    public string Status { get; internal set; } = "ACTIVE";
    /// <summary>Assignee; null while a self-service task is unclaimed.</summary>
    public long? UserId { get; internal set; }
    /// <summary>PM4's <c>is_self_service</c>: an unclaimed self-service task (claiming it clears the flag).</summary>
    public bool IsSelfService { get; internal set; }
    /// <summary>Who may claim it (kept after the claim, as PM4 keeps <c>self_service_groups</c>); null for an ordinary task.</summary>
    public PmSelfService? SelfServiceGroups => Definition.SelfService;
    /// <summary>Due time.</summary>
    public DateTimeOffset? DueAt { get; internal set; }
    /// <summary>Completion time.</summary>
    public DateTimeOffset? CompletedAt { get; internal set; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; internal set; }
    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; internal set; }
}

/// <summary>A bearer token and its user (null user = client-credentials token, rejected by the API).</summary>
public sealed class PmToken
{
    internal PmToken(string token, long? userId, DateTimeOffset? expiresAt) { Token = token; UserId = userId; ExpiresAt = expiresAt; }
    /// <summary>Token text.</summary>
    public string Token { get; }
    /// <summary>User, or null.</summary>
    public long? UserId { get; }
    /// <summary>Expiry on the sandbox clock.</summary>
    public DateTimeOffset? ExpiresAt { get; internal set; }
    /// <summary>Revoked tokens get 401.</summary>
    public bool Revoked { get; internal set; }
}

/// <summary>State and rules of the ProcessMaker half of the sandbox. Thread-safe.</summary>
public sealed partial class ProcessMakerStore
{
    /// <summary>Administrator (token from options; OAuth admin/admin).</summary>
    public const long AdminUserId = 1;
    /// <summary>Ordinary user "jdoe" (OAuth jdoe/jdoe).</summary>
    public const long OrdinaryUserId = 2;
    /// <summary>Token of the ordinary user (always present).</summary>
    public const string UserToken = "sandbox-processmaker-user-token";
    /// <summary>OAuth client id accepted by /processmaker/oauth/token.</summary>
    public const string OAuthClientId = "sandbox-client";
    /// <summary>OAuth client secret.</summary>
    public const string OAuthClientSecret = "sandbox-secret";

    internal readonly object Gate = new();
    private readonly SandboxClock _clock;
    private readonly TimeSpan _oauthLifetime;
    private readonly Dictionary<long, PmUser> _users = new();
    private readonly Dictionary<long, PmGroup> _groups = new();
    private readonly Dictionary<long, PmProcess> _processes = new();
    private readonly List<PmRequest> _requests = new();
    private readonly List<PmTask> _tasks = new();
    private readonly Dictionary<string, PmToken> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long UserId, DateTimeOffset ExpiresAt)> _refreshTokens = new(StringComparer.Ordinal);
    private long _nextRequestId = 1;
    private long _nextTaskId = 1;

    internal ProcessMakerStore(SandboxClock clock, string adminToken, TimeSpan oauthLifetime)
    {
        _clock = clock;
        _oauthLifetime = oauthLifetime;
        AddUser(new PmUser(AdminUserId, "admin", "Sandbox", "Admin", true, "admin"));
        AddUser(new PmUser(OrdinaryUserId, "jdoe", "John", "Doe", false, "jdoe"));
        AddToken(adminToken, AdminUserId);
        AddToken(UserToken, OrdinaryUserId);
    }

    /// <summary>Add a user.</summary>
    public PmUser AddUser(PmUser user) { lock (Gate) _users[user.Id] = user; return user; }

    /// <summary>A user by id, or null.</summary>
    public PmUser? FindUser(long id) { lock (Gate) return _users.GetValueOrDefault(id); }

    /// <summary>Add a group (members by user id).</summary>
    public PmGroup AddGroup(PmGroup group) { lock (Gate) _groups[group.Id] = group; return group; }

    /// <summary>The ids of the groups a user is a direct member of.</summary>
    public IReadOnlyCollection<long> GroupsOf(long userId) { lock (Gate) return _groups.Values.Where(g => g.Members.Contains(userId)).Select(g => g.Id).ToArray(); }

    /// <summary>Add a bearer token for a user (null = no user, like a client-credentials token).</summary>
    public PmToken AddToken(string token, long? userId, DateTimeOffset? expiresAt = null)
    {
        var t = new PmToken(token, userId, expiresAt);
        lock (Gate) _tokens[token] = t;
        return t;
    }

    /// <summary>Revoke a token (401 afterwards).</summary>
    public void RevokeToken(string token) { lock (Gate) if (_tokens.TryGetValue(token, out var t)) t.Revoked = true; }

    /// <summary>Make a token expire now.</summary>
    public void ExpireToken(string token) { lock (Gate) if (_tokens.TryGetValue(token, out var t)) t.ExpiresAt = _clock.Now; }

    /// <summary>Register a process.</summary>
    public PmProcess AddProcess(PmProcess process) { lock (Gate) _processes[process.Id] = process; return process; }

    /// <summary>All processes.</summary>
    public IReadOnlyCollection<PmProcess> Processes { get { lock (Gate) return _processes.Values.OrderBy(p => p.Id).ToArray(); } }

    /// <summary>A process by id, or null.</summary>
    public PmProcess? FindProcess(long id) { lock (Gate) return _processes.GetValueOrDefault(id); }

    /// <summary>Snapshot of all requests.</summary>
    public IReadOnlyCollection<PmRequest> Requests { get { lock (Gate) return _requests.ToArray(); } }

    /// <summary>Snapshot of all tasks.</summary>
    public IReadOnlyCollection<PmTask> Tasks { get { lock (Gate) return _tasks.ToArray(); } }

    /// <summary>Counts requests started through the API (not seeded or added by a test) that match <paramref name="predicate"/>.</summary>
    public int CountCreated(Func<PmRequest, bool> predicate) { lock (Gate) return _requests.Count(r => r.CreatedByRequestSequence != null && predicate(r)); }

    /// <summary>A request by id, or null.</summary>
    public PmRequest? FindRequest(long id) { lock (Gate) return _requests.FirstOrDefault(r => r.Id == id); }

    /// <summary>The next added request gets at least <paramref name="id"/> (seed files give ids).</summary>
    internal void SkipRequestIdsTo(long id) { lock (Gate) _nextRequestId = Math.Max(_nextRequestId, id); }

    /// <summary>A task by id, or null.</summary>
    public PmTask? FindTask(long id) { lock (Gate) return _tasks.FirstOrDefault(t => t.Id == id); }

    /// <summary>
    /// Add a request directly. ACTIVE: the task at <paramref name="atTask"/> (default the first) is open, earlier ones closed.
    /// COMPLETED: all tasks closed, completed one hour after start. CANCELED: first task closed, no completion time.
    /// </summary>
    public PmRequest AddRequest(long processId, string status = "ACTIVE", DateTimeOffset? initiatedAt = null, long userId = AdminUserId,
        JsonObject? data = null, string? startEventId = null, string? atTask = null, string? name = null)
    {
        lock (Gate)
        {
            var process = _processes.GetValueOrDefault(processId) ?? throw new ArgumentException($"Unknown process {processId}.");
            var start = initiatedAt ?? _clock.Now;
            var request = NewRequest(process, userId, start, data ?? new JsonObject(), startEventId ?? process.StartEvents.FirstOrDefault()?.Id ?? "node_1");
            if (name != null) request.Name = name;
            var t = start;
            foreach (var def in process.Tasks)
            {
                t += TimeSpan.FromMinutes(10);
                var open = status == "ACTIVE" && (atTask == null || def.ElementId == atTask);
                var task = NewTask(request, def, userId, t);
                if (open) break;
                // A closed self-service task was claimed (by the requester, here) before it was completed.
                task.UserId ??= userId;
                task.IsSelfService = false;
                task.Status = "CLOSED";
                task.CompletedAt = t;
                task.UpdatedAt = t;
                if (status == "CANCELED") break;
            }
            request.Status = status;
            if (status == "COMPLETED") request.CompletedAt = start + TimeSpan.FromHours(1);
            request.UpdatedAt = request.CompletedAt ?? t;
            return request;
        }
    }

    private PmRequest NewRequest(PmProcess process, long userId, DateTimeOffset at, JsonObject data, string startEvent)
    {
        var r = new PmRequest(_nextRequestId++, process)
        {
            UserId = userId, InitiatedAt = at, CreatedAt = at, UpdatedAt = at, Data = data, StartEventId = startEvent,
        };
        _requests.Add(r);
        return r;
    }

    private PmTask NewTask(PmRequest request, PmTaskDefinition def, long userId, DateTimeOffset at)
    {
        // PM4 (TokenRepository::persistActivityActivated): a self-service task opens with no user and is_self_service = 1.
        var selfService = def.SelfService != null;
        var t = new PmTask(_nextTaskId++, request, def)
        {
            UserId = selfService ? null : userId, IsSelfService = selfService, CreatedAt = at, UpdatedAt = at, DueAt = at + TimeSpan.FromHours(72),
        };
        _tasks.Add(t);
        return t;
    }

    // ---------- rules used by the API ----------

    internal PmToken? Authenticate(string token)
    {
        lock (Gate)
        {
            if (!_tokens.TryGetValue(token, out var t) || t.Revoked || t.UserId == null) return null;
            if (_users.GetValueOrDefault(t.UserId.Value)?.DeletedAt != null) return null; // Passport finds no soft-deleted user
            if (t.ExpiresAt is { } exp && _clock.Now >= exp) return null;
            return t;
        }
    }

    internal PmRequest Start(PmProcess process, PmStartEvent start, long userId, JsonObject data, long? sequence)
    {
        lock (Gate)
        {
            var now = _clock.Now;
            var request = NewRequest(process, userId, now, data, start.Id);
            request.CreatedByRequestSequence = sequence;
            var first = process.Tasks.FirstOrDefault();
            if (first != null) NewTask(request, first, userId, now);
            else { request.Status = "COMPLETED"; request.CompletedAt = now; }
            return request;
        }
    }

    internal void CompleteTask(PmTask task, JsonObject data)
    {
        lock (Gate)
        {
            var now = _clock.Now;
            task.Status = "CLOSED";
            task.CompletedAt = now;
            task.UpdatedAt = now;
            var request = task.Request;
            foreach (var kv in data) request.Data[kv.Key] = kv.Value?.DeepClone();
            var defs = request.Process.Tasks;
            var index = defs.ToList().FindIndex(d => d.ElementId == task.ElementId);
            if (index >= 0 && index + 1 < defs.Count) NewTask(request, defs[index + 1], request.UserId, now);
            else { request.Status = "COMPLETED"; request.CompletedAt = now; }
            request.UpdatedAt = now;
        }
    }

    internal void Cancel(PmRequest request)
    {
        lock (Gate)
        {
            var now = _clock.Now;
            request.Status = "CANCELED";
            request.UpdatedAt = now;
            foreach (var t in _tasks.Where(t => t.Request == request && t.Status == "ACTIVE")) { t.Status = "CLOSED"; t.UpdatedAt = now; }
        }
    }

    internal void UpdateData(PmRequest request, JsonObject data)
    {
        lock (Gate)
        {
            foreach (var kv in data) request.Data[kv.Key] = kv.Value?.DeepClone();
            request.UpdatedAt = _clock.Now;
        }
    }

    internal void Delete(PmRequest request)
    {
        lock (Gate)
        {
            _requests.Remove(request);
            _tasks.RemoveAll(t => t.Request == request);
        }
    }

    internal void Claim(PmTask task, long userId)
    {
        lock (Gate) { task.UserId = userId; task.IsSelfService = false; task.UpdatedAt = _clock.Now; }
    }

    internal bool IsParticipant(PmRequest r, long userId)
    {
        lock (Gate) return r.UserId == userId || _tasks.Any(t => t.Request == r && t.UserId == userId);
    }

    /// <summary>
    /// PM4's <c>User::canSelfServe</c>: the task is an unclaimed self-service one and the user is named in its users
    /// or is a direct member of one of its groups.
    /// </summary>
    internal bool CanSelfServe(PmUser user, PmTask task)
    {
        lock (Gate)
        {
            if (!task.IsSelfService || task.SelfServiceGroups is not { } who) return false;
            return who.Users.Contains(user.Id) || who.Groups.Any(g => _groups.TryGetValue(g, out var group) && group.Members.Contains(user.Id));
        }
    }

    /// <summary>
    /// PM4's task list filter for <c>user_id=N</c> (TaskControllerIndexMethods::applyUserIdFilter): the user's own
    /// tasks, or tasks with no user that are self service for the user or one of the user's groups. The status is
    /// not looked at, so a self-service task completed without a claim still shows.
    /// </summary>
    internal bool IsOwnOrSelfService(PmUser user, PmTask task)
    {
        lock (Gate)
        {
            if (task.UserId == user.Id) return true;
            if (task.UserId != null || !task.IsSelfService || task.SelfServiceGroups is not { } who) return false;
            return who.Users.Contains(user.Id) || who.Groups.Any(g => _groups.TryGetValue(g, out var group) && group.Members.Contains(user.Id));
        }
    }

    /// <summary>PM4's <c>User::availableSelfServiceTaskIds</c>: the unclaimed, ACTIVE self-service tasks the user may take.</summary>
    internal bool IsAvailableSelfService(PmUser user, PmTask task) => task.Status == "ACTIVE" && task.UserId == null && CanSelfServe(user, task);

    /// <summary>
    /// PM4's <c>ProcessVersionPolicy::cancel</c>: administrators; the users and the members of the groups the process
    /// allows to cancel; its manager when the process lets the manager cancel. The requester alone may not.
    /// </summary>
    internal bool CanCancel(PmUser user, PmRequest request)
    {
        if (user.IsAdministrator) return true;
        var p = request.Process;
        lock (Gate)
        {
            return p.CancelUsers.Contains(user.Id)
                || p.CancelGroups.Any(g => _groups.TryGetValue(g, out var group) && group.Members.Contains(user.Id))
                || (p.ManagerCanCancel && p.ManagerId == user.Id);
        }
    }

    internal List<PmTask> TasksOf(PmRequest r) { lock (Gate) return _tasks.Where(t => t.Request == r).ToList(); }

    // ---------- OAuth ----------

    internal PmUser? CheckPassword(string username, string password)
    {
        lock (Gate) return _users.Values.FirstOrDefault(u => u.Username == username && u.Password == password);
    }

    /// <summary>Issue an access + refresh token pair (user null = client credentials, no refresh token).</summary>
    internal (string Access, string? Refresh, int ExpiresIn) Issue(long? userId)
    {
        var now = _clock.Now;
        var access = PassportLikeJwt(userId, now, now + _oauthLifetime);
        AddToken(access, userId, now + _oauthLifetime);
        string? refresh = null;
        if (userId is { } uid)
        {
            refresh = "pm-refresh-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            lock (Gate) _refreshTokens[refresh] = (uid, now + TimeSpan.FromDays(30));
        }
        return (access, refresh, (int)_oauthLifetime.TotalSeconds);
    }

    /// <summary>
    /// An access token shaped like Passport's: a JWT (header.payload.signature, base64url) whose <c>sub</c> is the
    /// user id (empty for client credentials), with <c>jti</c>, <c>iat</c> and <c>exp</c>. The signature is random
    /// bytes: the sandbox looks tokens up, it never verifies them.
    /// </summary>
    public static string PassportLikeJwt(long? userId, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256" };
        var payload = new JsonObject
        {
            ["aud"] = OAuthClientId,
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant(),
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["sub"] = userId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["scopes"] = new JsonArray(),
        };
        return B64(System.Text.Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + B64(RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>Consumes a refresh token (single use); returns its user or null.</summary>
    internal long? Redeem(string refresh)
    {
        lock (Gate)
        {
            if (!_refreshTokens.Remove(refresh, out var entry) || _clock.Now >= entry.ExpiresAt) return null;
            return entry.UserId;
        }
    }
}
