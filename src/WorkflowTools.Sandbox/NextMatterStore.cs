using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>A form field ("action") of a Next Matter step.</summary>
/// <param name="Id">Action id (used as <c>action_id</c> in complete_step).</param>
/// <param name="Name">Label.</param>
/// <param name="Type">One of text, number, url, date, dropdown, radio, checklist, address, decision (checked against the documented
/// input_object shapes), multi_dropdown (<c>itemsSelected</c>), or file, user, table (passed through). A seed's <c>raw.type</c> is the
/// name the sandbox serves instead (a tenant's own name, from Export-WorkflowToolsSandboxSeed).</param>
/// <param name="Required">complete_step fails when a required action has no value.</param>
/// <param name="Options">Choices of dropdown / radio / checklist fields.</param>
public sealed record SandboxAction(long Id, string Name, string Type, bool Required = false, IReadOnlyList<string>? Options = null)
{
    /// <summary>Properties from a seed file that the sandbox does not model, served back as given.</summary>
    public JsonObject? Raw { get; init; }
}

/// <summary>A Next Matter workflow step with its form fields.</summary>
public sealed record SandboxStep(long Id, string Name, IReadOnlyList<SandboxAction> Actions)
{
    /// <summary>Convenience constructor: <c>new SandboxStep(42, "Personal details", action1, action2)</c>.</summary>
    public SandboxStep(long id, string name, params SandboxAction[] actions) : this(id, name, (IReadOnlyList<SandboxAction>)actions) { }

    /// <summary>User the step is assigned to by default (the sandbox bot user).</summary>
    public long AssigneeUserId { get; init; } = NextMatterStore.BotUserId;

    /// <summary>Properties from a seed file that the sandbox does not model, served back as given.</summary>
    public JsonObject? Raw { get; init; }
}

/// <summary>A Next Matter workflow ("process").</summary>
/// <param name="Id">Numeric workflow id.</param>
/// <param name="Name">Workflow name.</param>
/// <param name="Steps">Steps in execution order.</param>
/// <param name="AutoNamed">When true the server names instances ("Name #id") and a non-empty name is rejected.</param>
public sealed record NmProcess(long Id, string Name, IReadOnlyList<SandboxStep> Steps, bool AutoNamed = false)
{
    /// <summary>Properties from a seed file that the sandbox does not model, served back as given.</summary>
    public JsonObject? Raw { get; init; }
}

/// <summary>An API key and the user it acts as.</summary>
public sealed class NmApiKey
{
    internal NmApiKey(string key, long userId, DateTimeOffset? expiresAt) { Key = key; UserId = userId; ExpiresAt = expiresAt; }
    /// <summary>The key text (prefix.secret).</summary>
    public string Key { get; }
    /// <summary>User the key acts as.</summary>
    public long UserId { get; }
    /// <summary>Key stops working at this sandbox-clock time.</summary>
    public DateTimeOffset? ExpiresAt { get; internal set; }
    /// <summary>Revoked keys are rejected.</summary>
    public bool Revoked { get; internal set; }
}

/// <summary>
/// One workflow instance. Mutated only by the store under its lock; read freely in tests once
/// the requests of interest have completed.
/// </summary>
public sealed class NmInstance
{
    internal readonly Dictionary<long, JsonNode?> ValuesByAction = new();
    internal readonly Dictionary<long, DateTimeOffset> StepCompleted = new();
    internal readonly Dictionary<long, long> Assignments = new();

    internal NmInstance(long id, NmProcess process) { Id = id; Process = process; }

    /// <summary>Instance id.</summary>
    public long Id { get; }
    /// <summary>The workflow this instance runs.</summary>
    public NmProcess Process { get; }
    /// <summary>Workflow id.</summary>
    public long ProcessId => Process.Id;
    /// <summary>Instance name.</summary>
    public string Name { get; internal set; } = "";
    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; internal set; } = System.Array.Empty<string>();
    /// <summary>"V", "H" or null (regular).</summary>
    public string? Priority { get; internal set; }
    /// <summary>Deadline or null.</summary>
    public DateTimeOffset? Deadline { get; internal set; }
    /// <summary>Start time.</summary>
    public DateTimeOffset StartedTime { get; internal set; }
    /// <summary>Completion time (status completed).</summary>
    public DateTimeOffset? CompletedTime { get; internal set; }
    /// <summary>Abort time (status aborted).</summary>
    public DateTimeOffset? AbortedTime { get; internal set; }
    /// <summary>Last change.</summary>
    public DateTimeOffset LastUpdatedTime { get; internal set; }
    /// <summary>Ids of the steps waiting to be completed (one at a time in the sandbox).</summary>
    public IReadOnlyList<long> ActiveStepIds { get; internal set; } = System.Array.Empty<long>();
    /// <summary>User whose key created the instance (the instance lead).</summary>
    public long CreatedByUserId { get; internal set; } = NextMatterStore.BotUserId;
    /// <summary><see cref="RecordedRequest.Sequence"/> of the request that created it; null for seeded/test-added instances.</summary>
    public long? CreatedByRequestSequence { get; internal set; }
    /// <summary>Values given in complete_step, by action id (the input_object as sent).</summary>
    public IReadOnlyDictionary<long, JsonNode?> Values => ValuesByAction;
    /// <summary>When each step was completed.</summary>
    public IReadOnlyDictionary<long, DateTimeOffset> StepCompletedTimes => StepCompleted;
    /// <summary>"running", "completed" or "aborted" (derived from the time fields).</summary>
    public string Status => AbortedTime != null ? "aborted" : CompletedTime != null ? "completed" : "running";
    /// <summary>End time: completion or abort.</summary>
    public DateTimeOffset? EndedTime => CompletedTime ?? AbortedTime;

    /// <summary>Duration: end - start, or now - start while running.</summary>
    public TimeSpan TotalRuntime(DateTimeOffset now) => (EndedTime ?? now) - StartedTime;

    /// <summary>Percentage of steps completed (100 when completed).</summary>
    public int Progress => CompletedTime != null ? 100
        : Process.Steps.Count == 0 ? 0 : (int)(100L * StepCompleted.Count / Process.Steps.Count);
}

/// <summary>State and business rules of the Next Matter half of the sandbox. Thread-safe.</summary>
public sealed class NextMatterStore
{
    /// <summary>The user of the default API key (admin / bot user).</summary>
    public const long BotUserId = 1;
    /// <summary>An ordinary second user; owns no steps of the seeded workflows.</summary>
    public const long OtherUserId = 2;
    /// <summary>API key of <see cref="OtherUserId"/> (always present).</summary>
    public const string OtherUserApiKey = "sandbox.other-user-api-key";

    internal readonly object Gate = new();
    private readonly SandboxClock _clock;
    private readonly Dictionary<long, NmProcess> _processes = new();
    private readonly List<NmInstance> _instances = new();
    private readonly Dictionary<long, NmInstance> _byId = new();
    private readonly Dictionary<string, NmApiKey> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _users = new() { [BotUserId] = "Sandbox Bot", [OtherUserId] = "Other User" };
    private long _nextInstanceId = 1001;

    internal NextMatterStore(SandboxClock clock, string defaultKey)
    {
        _clock = clock;
        AddApiKey(defaultKey, BotUserId);
        AddApiKey(OtherUserApiKey, OtherUserId);
    }

    /// <summary>Register a workflow.</summary>
    public NmProcess AddProcess(long id, string name, params SandboxStep[] steps) => AddProcess(new NmProcess(id, name, steps));

    /// <summary>Register a workflow.</summary>
    public NmProcess AddProcess(NmProcess process)
    {
        lock (Gate) _processes[process.Id] = process;
        return process;
    }

    /// <summary>All workflows.</summary>
    public IReadOnlyCollection<NmProcess> Processes { get { lock (Gate) return _processes.Values.ToArray(); } }

    /// <summary>A workflow by id, or null.</summary>
    public NmProcess? FindProcess(long id) { lock (Gate) return _processes.GetValueOrDefault(id); }

    /// <summary>Snapshot of all instances (id order).</summary>
    public IReadOnlyCollection<NmInstance> Instances { get { lock (Gate) return _instances.ToArray(); } }

    /// <summary>An instance by id, or null.</summary>
    public NmInstance? FindInstance(long id) { lock (Gate) return _byId.GetValueOrDefault(id); }

    /// <summary>Counts instances created through the API (not seeded or added by a test) that match <paramref name="predicate"/>.</summary>
    public int CountCreated(Func<NmInstance, bool> predicate) { lock (Gate) return _instances.Count(i => i.CreatedByRequestSequence != null && predicate(i)); }

    /// <summary>Counts instances matching <paramref name="predicate"/>.</summary>
    public int CountInstances(Func<NmInstance, bool> predicate) { lock (Gate) return _instances.Count(predicate); }

    /// <summary>Add (or replace) an API key for a user; it expires at <paramref name="expiresAt"/> on the sandbox clock.</summary>
    public NmApiKey AddApiKey(string key, long userId, DateTimeOffset? expiresAt = null)
    {
        var k = new NmApiKey(key, userId, expiresAt);
        lock (Gate)
        {
            _keys[key] = k;
            if (!_users.ContainsKey(userId)) _users[userId] = $"User {userId}";
        }
        return k;
    }

    /// <summary>Revoke a key: further requests with it get 401 "Invalid API key.".</summary>
    public void RevokeApiKey(string key) { lock (Gate) if (_keys.TryGetValue(key, out var k)) k.Revoked = true; }

    /// <summary>Make a key expire now (sandbox clock).</summary>
    public void ExpireApiKey(string key) { lock (Gate) if (_keys.TryGetValue(key, out var k)) k.ExpiresAt = _clock.Now; }

    internal NmApiKey? Authenticate(string key)
    {
        lock (Gate)
        {
            if (!_keys.TryGetValue(key, out var k) || k.Revoked) return null;
            if (k.ExpiresAt is { } exp && _clock.Now >= exp) return null;
            return k;
        }
    }

    internal bool UserExists(long id) { lock (Gate) return _users.ContainsKey(id); }

    /// <summary>Add a user (or rename one); seed files use it.</summary>
    internal void NameUser(long id, string name) { lock (Gate) _users[id] = name; }

    /// <summary>The next added instance gets at least <paramref name="id"/> (seed files give ids).</summary>
    internal void SkipInstanceIdsTo(long id) { lock (Gate) _nextInstanceId = Math.Max(_nextInstanceId, id); }

    /// <summary>
    /// Add an instance directly (no request). <paramref name="runtime"/>: for completed/aborted the time from start
    /// to end (default 1 h); for running, when <paramref name="started"/> is null, the instance started that long ago.
    /// <paramref name="activeStepId"/> places a running instance on that step (earlier steps count as done).
    /// </summary>
    public NmInstance AddInstance(long processId, string? name = null, DateTimeOffset? started = null, TimeSpan? runtime = null,
        string status = "running", string[]? tags = null, string? priority = null, long? activeStepId = null, long createdByUserId = BotUserId)
    {
        lock (Gate) return AddInstanceLocked(processId, name, started, runtime, status, tags, priority, activeStepId, createdByUserId);
    }

    /// <summary>
    /// Add many instances quickly (100,000 in well under 2 s). Names are "<paramref name="namePrefix"/> #id"
    /// (default the workflow name); returns the number added.
    /// </summary>
    public int AddInstances(long processId, int count, string status = "running", TimeSpan? runtime = null,
        string[]? tags = null, string? priority = null, string? namePrefix = null)
    {
        lock (Gate)
        {
            var process = _processes.GetValueOrDefault(processId) ?? throw new ArgumentException($"Unknown process {processId}.");
            _instances.Capacity = Math.Max(_instances.Capacity, _instances.Count + count);
            var prefix = namePrefix ?? process.Name;
            for (var i = 0; i < count; i++)
            {
                var id = _nextInstanceId;
                AddInstanceLocked(processId, $"{prefix} #{id}", null, runtime, status, tags, priority, null, BotUserId);
            }
        }
        return count;
    }

    private NmInstance AddInstanceLocked(long processId, string? name, DateTimeOffset? started, TimeSpan? runtime, string status,
        string[]? tags, string? priority, long? activeStepId, long createdBy)
    {
        var process = _processes.GetValueOrDefault(processId) ?? throw new ArgumentException($"Unknown process {processId}.");
        var now = _clock.Now;
        var instance = new NmInstance(_nextInstanceId++, process)
        {
            Tags = tags ?? System.Array.Empty<string>(),
            Priority = priority,
            CreatedByUserId = createdBy,
        };
        instance.Name = string.IsNullOrEmpty(name) ? $"{process.Name} #{instance.Id}" : name;
        switch (status)
        {
            case "running":
                instance.StartedTime = started ?? now - (runtime ?? TimeSpan.Zero);
                if (activeStepId is { } wanted && process.Steps.All(x => x.Id != wanted))
                    throw new ArgumentException($"Step {wanted} is not a step of process {processId}.", nameof(activeStepId));
                var firstActive = activeStepId ?? process.Steps.FirstOrDefault()?.Id;
                foreach (var s in process.Steps)
                {
                    if (s.Id == firstActive) break;
                    instance.StepCompleted[s.Id] = instance.StartedTime;
                }
                instance.ActiveStepIds = firstActive is { } a ? new[] { a } : System.Array.Empty<long>();
                instance.LastUpdatedTime = instance.StartedTime;
                break;
            case "completed":
                instance.StartedTime = started ?? now - (runtime ?? TimeSpan.FromHours(1));
                instance.CompletedTime = instance.StartedTime + (runtime ?? TimeSpan.FromHours(1));
                foreach (var s in process.Steps) instance.StepCompleted[s.Id] = instance.CompletedTime.Value;
                instance.LastUpdatedTime = instance.CompletedTime.Value;
                break;
            case "aborted":
                instance.StartedTime = started ?? now - (runtime ?? TimeSpan.FromHours(1));
                instance.AbortedTime = instance.StartedTime + (runtime ?? TimeSpan.FromHours(1));
                instance.LastUpdatedTime = instance.AbortedTime.Value;
                break;
            default:
                throw new ArgumentException("status must be running, completed or aborted.", nameof(status));
        }
        _instances.Add(instance);
        _byId[instance.Id] = instance;
        return instance;
    }

    /// <summary>Create via the API (validated by the caller): starts now, first step active.</summary>
    internal NmInstance CreateFromApi(NmProcess process, string? name, DateTimeOffset? deadline, string? priority, string[] tags,
        IReadOnlyDictionary<long, long> assignments, long userId, long? sequence)
    {
        lock (Gate)
        {
            var i = AddInstanceLocked(process.Id, name, _clock.Now, null, "running", tags, priority, null, userId);
            i.Deadline = deadline;
            i.CreatedByRequestSequence = sequence;
            foreach (var a in assignments) i.Assignments[a.Key] = a.Value;
            return i;
        }
    }

    internal void Update(NmInstance instance, Action<NmInstance> change)
    {
        lock (Gate)
        {
            change(instance);
            instance.LastUpdatedTime = _clock.Now;
        }
    }

    /// <summary>Abort running instances (completed/aborted ones are left as they are). Unknown ids: returns them, changes nothing.</summary>
    internal IReadOnlyList<long> Abort(IReadOnlyList<long> ids)
    {
        lock (Gate)
        {
            var missing = ids.Where(id => !_byId.ContainsKey(id)).ToArray();
            if (missing.Length > 0) return missing;
            var now = _clock.Now;
            foreach (var id in ids)
            {
                var i = _byId[id];
                if (i.Status != "running") continue;
                i.AbortedTime = now;
                i.ActiveStepIds = System.Array.Empty<long>();
                i.LastUpdatedTime = now;
            }
            return System.Array.Empty<long>();
        }
    }

    /// <summary>Delete instances. Unknown ids: returns them, changes nothing.</summary>
    internal IReadOnlyList<long> Delete(IReadOnlyList<long> ids)
    {
        lock (Gate)
        {
            var missing = ids.Where(id => !_byId.ContainsKey(id)).ToArray();
            if (missing.Length > 0) return missing;
            var set = new HashSet<long>(ids);
            foreach (var id in set) _byId.Remove(id);
            _instances.RemoveAll(i => set.Contains(i.Id));
            return System.Array.Empty<long>();
        }
    }

    /// <summary>Instances of a workflow, snapshot.</summary>
    internal List<NmInstance> InstancesOf(long processId)
    {
        lock (Gate) return _instances.Where(i => i.ProcessId == processId).ToList();
    }

    /// <summary>
    /// complete_step rules. Returns null on success, else (status, DRF-style body).
    /// </summary>
    internal (int Status, JsonNode Body)? CompleteStep(NmInstance instance, long userId, long stepId, IReadOnlyList<(long ActionId, JsonNode? Input)> actions)
    {
        lock (Gate)
        {
            var step = instance.Process.Steps.FirstOrDefault(s => s.Id == stepId);
            if (step == null)
                return (400, new JsonObject { ["step_id"] = new JsonArray($"Invalid pk \"{stepId}\" - object does not exist.") });
            if (!instance.ActiveStepIds.Contains(stepId))
                // Next Matter documents only "400 … attempting to complete already completed steps", not its
                // wording; this text names neither state so that no client can lean on it.
                return (400, new JsonObject { ["detail"] = $"Step {stepId} cannot be completed." });
            var assignee = instance.Assignments.TryGetValue(stepId, out var a) ? a : step.AssigneeUserId;
            if (userId != assignee && userId != instance.CreatedByUserId && userId != BotUserId)
                return (403, new JsonObject { ["detail"] = "You do not have permission to perform this action." });

            var errors = new List<string>();
            var given = new Dictionary<long, JsonNode?>();
            foreach (var (actionId, input) in actions)
            {
                var action = step.Actions.FirstOrDefault(x => x.Id == actionId);
                if (action == null) { errors.Add($"Action {actionId} does not belong to step {stepId}."); continue; }
                var earlier = instance.Process.Steps.TakeWhile(x => x.Id != stepId).Select(x => x.Id).ToArray();
                var problem = NextMatterInputs.Check(action, input, earlier);
                if (problem != null) { errors.Add($"Action {actionId} ({action.Type}): {problem}"); continue; }
                given[actionId] = input?.DeepClone();
            }
            foreach (var action in step.Actions.Where(x => x.Required))
                if (!given.ContainsKey(action.Id) && !instance.ValuesByAction.ContainsKey(action.Id) && !errors.Any(e => e.StartsWith($"Action {action.Id} ", StringComparison.Ordinal)))
                    errors.Add($"Action {action.Id} (\"{action.Name}\") is required.");
            if (errors.Count > 0)
                return (400, new JsonObject { ["actions"] = SandboxJson.Strings(errors) });

            var now = _clock.Now;
            foreach (var g in given) instance.ValuesByAction[g.Key] = g.Value;
            instance.StepCompleted[stepId] = now;
            var steps = instance.Process.Steps.ToList();
            var index = steps.FindIndex(s => s.Id == stepId);

            // A decision field routes the instance [I: the effects are not documented beyond the action names]:
            // decline stops it (aborted_time, as the docs say of routing that stops an instance), return goes back to
            // returnToStep (-1: the previous step, -2: the first), skip_forward skips the next step.
            var decision = given.Select(g => (Action: step.Actions.First(a => a.Id == g.Key), Input: g.Value as JsonObject))
                .FirstOrDefault(x => x.Action.Type == "decision" && x.Input != null).Input;
            var route = (string?)decision?["action"];
            if (route == "decline")
            {
                instance.ActiveStepIds = System.Array.Empty<long>();
                instance.AbortedTime = now;
                instance.LastUpdatedTime = now;
                return null;
            }
            if (route == "return")
            {
                var target = (long)decision!["returnToStep"]!;
                var to = target == -2 ? 0 : target == -1 ? Math.Max(0, index - 1) : steps.FindIndex(s => s.Id == target);
                foreach (var s in steps.Skip(to)) instance.StepCompleted.Remove(s.Id);
                instance.ActiveStepIds = new[] { steps[to].Id };
                instance.LastUpdatedTime = now;
                return null;
            }
            if (route == "skip_forward" && index + 1 < steps.Count) instance.StepCompleted[steps[index + 1].Id] = now;
            var next = steps.Skip(index + 1).FirstOrDefault(s => !instance.StepCompleted.ContainsKey(s.Id));
            if (next == null)
            {
                instance.ActiveStepIds = System.Array.Empty<long>();
                instance.CompletedTime = now;
            }
            else
            {
                instance.ActiveStepIds = new[] { next.Id };
            }
            instance.LastUpdatedTime = now;
            return null;
        }
    }
}
