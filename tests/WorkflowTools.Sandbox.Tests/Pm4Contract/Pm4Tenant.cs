using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace WorkflowTools.Sandbox.Tests.Pm4Contract;

/// <summary>
/// What a PM4 feature test's factories create, written as a sandbox seed (processMaker section only, no demo data),
/// so each contract case sets up its tenant the way a user's seed file would. User <c>n</c> gets the token
/// <c>token-n</c>; the administrator is the sandbox's own user 1.
/// </summary>
internal sealed class Pm4Tenant
{
    private readonly JsonArray _users = new(), _groups = new(), _categories = new(), _processes = new(), _requests = new();

    public const long Admin = ProcessMakerStore.AdminUserId;

    public Pm4Tenant User(long id, string username, bool admin = false, params string[] permissions)
    {
        var u = new JsonObject { ["id"] = id, ["username"] = username, ["admin"] = admin, ["tokens"] = new JsonArray("token-" + username) };
        if (permissions.Length > 0) u["permissions"] = new JsonArray(permissions.Select(p => (JsonNode)p).ToArray());
        _users.Add(u);
        return this;
    }

    public Pm4Tenant Group(long id, string name, long[] members, params string[] permissions)
    {
        var g = new JsonObject { ["id"] = id, ["name"] = name, ["members"] = Ids(members) };
        if (permissions.Length > 0) g["permissions"] = new JsonArray(permissions.Select(p => (JsonNode)p).ToArray());
        _groups.Add(g);
        return this;
    }

    public Pm4Tenant Category(long id, string name)
    {
        _categories.Add(new JsonObject { ["id"] = id, ["name"] = name });
        return this;
    }

    /// <summary>A process; by default start event node_1 "Start" (assigned to nobody) and task node_2 "Task".</summary>
    public Pm4Tenant Process(long id, string name, Action<JsonObject>? more = null)
    {
        var p = new JsonObject
        {
            ["id"] = id, ["name"] = name,
            ["startEvents"] = new JsonArray(new JsonObject { ["id"] = "node_1", ["name"] = "Start" }),
            ["tasks"] = new JsonArray(new JsonObject { ["id"] = "node_2", ["name"] = "Task" }),
        };
        more?.Invoke(p);
        _processes.Add(p);
        return this;
    }

    public Pm4Tenant Request(long process, string status = "ACTIVE", long user = Admin, string? name = null, JsonObject? data = null, string age = "01:00:00", string? openTask = null)
    {
        var r = new JsonObject { ["process"] = process, ["status"] = status, ["user"] = user, ["age"] = age };
        if (name != null) r["name"] = name;
        if (data != null) r["data"] = data;
        if (openTask != null) r["openTask"] = openTask;
        _requests.Add(r);
        return this;
    }

    /// <summary>Repeats <see cref="Request"/> <paramref name="count"/> times.</summary>
    public Pm4Tenant Requests(int count, long process, string status = "ACTIVE", long user = Admin, string? name = null)
    {
        for (var i = 0; i < count; i++) Request(process, status, user, name);
        return this;
    }

    public static JsonArray Ids(IEnumerable<long> ids) => new(ids.Select(i => (JsonNode)i).ToArray());

    /// <summary>A start event for <see cref="Process"/>'s <c>more</c>: assignment by users, groups and/or the process manager.</summary>
    public static JsonObject StartEvent(string id, string name, string? type = null, long[]? users = null, long[]? groups = null, bool manager = false)
    {
        var e = new JsonObject { ["id"] = id, ["name"] = name };
        if (type != null) e["type"] = type;
        if (users != null) e["assignedUsers"] = Ids(users);
        if (groups != null) e["assignedGroups"] = Ids(groups);
        if (manager) e["processManager"] = true;
        return e;
    }

    public JsonObject ToSeed()
    {
        var pm = new JsonObject();
        if (_users.Count > 0) pm["users"] = _users.DeepClone();
        if (_groups.Count > 0) pm["groups"] = _groups.DeepClone();
        if (_categories.Count > 0) pm["categories"] = _categories.DeepClone();
        if (_processes.Count > 0) pm["processes"] = _processes.DeepClone();
        if (_requests.Count > 0) pm["requests"] = _requests.DeepClone();
        return new JsonObject { ["version"] = 1, ["processMaker"] = pm };
    }

    public Task<SandboxServer> StartAsync() => SandboxServer.StartAsync(new SandboxOptions
    {
        Seed = SeedDocument.Load(Encoding.UTF8.GetBytes(ToSeed().ToJsonString()), SandboxOptions.DefaultClockStart),
    });

    public static HttpClient As(SandboxServer s, string? username = null) => TestSupport.PmClient(s, username == null ? null : "token-" + username);

    /// <summary>Ids of a listing's rows, in order.</summary>
    public static long[] Ids(JsonNode? body) => body!["data"]!.AsArray().Select(x => (long)x!["id"]!).ToArray();

    /// <summary>PHPUnit's assertJsonStructure for one object: every key is present.</summary>
    public static void HasKeys(JsonNode? node, params string[] keys)
    {
        var o = node!.AsObject();
        var missing = keys.Where(k => !o.ContainsKey(k)).ToArray();
        if (missing.Length > 0) throw new Xunit.Sdk.XunitException("missing keys: " + string.Join(", ", missing) + " in " + o.ToJsonString());
    }
}
