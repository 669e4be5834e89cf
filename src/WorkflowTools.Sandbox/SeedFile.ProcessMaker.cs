using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

// The processMaker section of a seed file: users (with PM4 permission names), groups, categories, processes (status,
// start-event assignments, manager, cancel and edit-data rights) and requests (with their own names).
public sealed partial class SeedDocument
{
    /// <summary>ProcessMaker categories besides the built-in "Uncategorized" (1).</summary>
    public List<PmCategory> PmCategories { get; } = new();

    private sealed partial class SeedReader
    {
        // ---------- ProcessMaker ----------

        private void ReadProcessMaker(JsonObject pm, SeedDocument seed)
        {
            const string at = "processMaker";
            Known(pm, at, "users", "groups", "categories", "processes", "requests", "environmentVariables");
            var userIds = new HashSet<long> { ProcessMakerStore.AdminUserId, ProcessMakerStore.OrdinaryUserId };
            foreach (var (u, path) in Items(pm, "users", at))
            {
                Known(u, path, "id", "username", "firstname", "lastname", "admin", "password", "tokens", "email", "status", "permissions");
                var id = Id(u, "id", path);
                var username = Str(u, "username", path, required: true);
                var tokens = StringList(u, "tokens", path, allowEmpty: false) ?? Array.Empty<string>();
                if (id is { } i && (i == ProcessMakerStore.AdminUserId || i == ProcessMakerStore.OrdinaryUserId))
                    Error(u["id"], LineOf(u), path + ".id", $"user {i} is the sandbox's own ({(i == 1 ? "admin" : "jdoe")}); use 3 or more.");
                else if (id is { } j && !userIds.Add(j)) Error(u["id"], LineOf(u), path + ".id", $"user {j} is given twice.");
                if (id != null && username != null)
                    seed.PmUsers.Add(new SeedPmUser(new PmUser(id.Value, username, Str(u, "firstname", path) ?? username, Str(u, "lastname", path) ?? "",
                        Bool(u, "admin", path) ?? false, Str(u, "password", path) ?? username)
                    {
                        Email = Str(u, "email", path) ?? $"{username}@sandbox.local", Status = Str(u, "status", path) ?? "ACTIVE", Permissions = Permissions(u, path),
                    }, tokens));
            }

            var groupIds = new HashSet<long>();
            foreach (var (g, path) in Items(pm, "groups", at))
            {
                Known(g, path, "id", "name", "members", "description", "groups", "permissions");
                var id = Id(g, "id", path);
                var name = Str(g, "name", path, required: true);
                if (id is { } i && !groupIds.Add(i)) { Error(g["id"], LineOf(g), path + ".id", $"group {i} is given twice."); continue; }
                var members = IdList(g, "members", path, userIds, "user", "processMaker.users") ?? Array.Empty<long>();
                if (id != null && name != null) seed.PmGroups.Add(new PmGroup(id.Value, name, members)
                {
                    Description = Str(g, "description", path) ?? "", Permissions = Permissions(g, path), MemberGroups = PositiveIds(g, "groups", path),
                });
            }

            var categoryIds = ReadCategories(pm, seed);
            var processIds = new HashSet<long>();
            foreach (var (p, path) in Items(pm, "processes", at))
            {
                Known(p, path, "id", "name", "description", "status", "category", "startEvents", "tasks", "manager", "cancelRequest", "editData", "raw");
                var id = Id(p, "id", path);
                var name = Str(p, "name", path, required: true);
                var fresh = true;
                if (id is { } i && !processIds.Add(i)) { Error(p["id"], LineOf(p), path + ".id", $"process {i} is given twice."); fresh = false; }
                var status = Str(p, "status", path) ?? "ACTIVE";
                if (status is not ("ACTIVE" or "INACTIVE" or "ARCHIVED")) Error(p["status"], LineOf(p), path + ".status", $"'{status}' is not ACTIVE, INACTIVE or ARCHIVED.");
                var manager = Id(p, "manager", path, required: false);
                var events = new List<PmStartEvent>();
                var elementIds = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (e, epath) in Items(p, "startEvents", path))
                {
                    Known(e, epath, "id", "name", "type", "assignedUsers", "assignedGroups", "processManager");
                    var eid = Element(e, "id", epath);
                    var ename = Str(e, "name", epath) ?? "";
                    var type = Str(e, "type", epath) ?? "manual";
                    if (!PmStartEventTypes.TryGetValue(type, out var kind))
                        Error(e["type"], LineOf(e), epath + ".type", $"'{type}' is not a start event type ({string.Join(", ", PmStartEventTypes.Keys)}).");
                    if (eid != null && !elementIds.Add(eid)) Error(e["id"], LineOf(e), epath + ".id", $"element '{eid}' is given twice in this process.");
                    var assignedUsers = IdList(e, "assignedUsers", epath, userIds, "user", "processMaker.users") ?? Array.Empty<long>();
                    var assignedGroups = IdList(e, "assignedGroups", epath, groupIds, "group", "processMaker.groups") ?? Array.Empty<long>();
                    var byManager = Bool(e, "processManager", epath) ?? false;
                    if (byManager && manager == null) Error(e["processManager"], LineOf(e), epath + ".processManager", "the process has no manager; give one with \"manager\".");
                    if (eid != null && kind != null)
                        events.Add(new PmStartEvent(eid, ename, kind) { AssignedUsers = assignedUsers, AssignedGroups = assignedGroups, ProcessManager = byManager });
                }
                if (p["startEvents"] is JsonArray { Count: 0 } none) Error(none, LineOf(p), path + ".startEvents", "a process needs at least one start event.");
                var tasks = new List<PmTaskDefinition>();
                foreach (var (t, tpath) in Items(p, "tasks", path))
                {
                    Known(t, tpath, "id", "name", "selfService", "allowReassignment");
                    var tid = Element(t, "id", tpath);
                    var tname = Str(t, "name", tpath, required: true);
                    if (tid != null && !elementIds.Add(tid)) Error(t["id"], LineOf(t), tpath + ".id", $"element '{tid}' is given twice in this process.");
                    PmSelfService? selfService = null;
                    if (Obj(t, "selfService", tpath) is { } ss)
                    {
                        var spath = tpath + ".selfService";
                        Known(ss, spath, "groups", "users");
                        var groups = IdList(ss, "groups", spath, groupIds, "group", "processMaker.groups") ?? Array.Empty<long>();
                        var users = IdList(ss, "users", spath, userIds, "user", "processMaker.users") ?? Array.Empty<long>();
                        if (groups.Count == 0 && users.Count == 0) Error(ss, LineOf(t), spath, "name at least one group or user who may take the task.");
                        selfService = new PmSelfService(groups, users);
                    }
                    if (tid != null && tname != null) tasks.Add(new PmTaskDefinition(tid, tname, selfService) { AllowReassignment = Bool(t, "allowReassignment", tpath) ?? false });
                }
                if (manager is { } m && !userIds.Contains(m)) Error(p["manager"], LineOf(p), path + ".manager", $"user {m} is not in processMaker.users.");
                IReadOnlyList<long> cancelUsers = Array.Empty<long>(), cancelGroups = Array.Empty<long>();
                var managerCanCancel = false;
                if (Obj(p, "cancelRequest", path) is { } cr)
                {
                    var cpath = path + ".cancelRequest";
                    Known(cr, cpath, "users", "groups", "manager");
                    cancelUsers = IdList(cr, "users", cpath, userIds, "user", "processMaker.users") ?? Array.Empty<long>();
                    cancelGroups = IdList(cr, "groups", cpath, groupIds, "group", "processMaker.groups") ?? Array.Empty<long>();
                    managerCanCancel = Bool(cr, "manager", cpath) ?? false;
                    if (managerCanCancel && manager == null) Error(cr["manager"], LineOf(cr), cpath + ".manager", "the process has no manager; give one with \"manager\".");
                }
                // "category": null = uncategorised; an id the file does not list still loads (older seeds named any id).
                long? category = p.ContainsKey("category") && p["category"] == null ? null : Id(p, "category", path, required: false) ?? ProcessMakerStore.UncategorizedId;
                if (category is { } cid && !categoryIds.Contains(cid)) { categoryIds.Add(cid); seed.PmCategories.Add(new PmCategory(cid, $"Category {cid}")); }
                var (editUsers, editGroups) = EditData(p, path, userIds, groupIds);
                var raw = Raw(p, path);
                if (id != null && name != null && fresh)
                    seed.PmProcesses.Add(new PmProcess(id.Value, name, events, tasks)
                    {
                        Status = status, Description = Str(p, "description", path) ?? "", ProcessVersionId = id.Value * 10 + 1, ProcessCategoryId = category, Raw = raw,
                        ManagerId = manager, ManagerCanCancel = managerCanCancel, CancelUsers = cancelUsers, CancelGroups = cancelGroups,
                        EditDataUsers = editUsers, EditDataGroups = editGroups,
                    });
            }

            var known = seed.PmProcesses.ToDictionary(p => p.Id);
            long lastRequestId = 0;
            foreach (var (r, path) in Items(pm, "requests", at))
            {
                Known(r, path, "id", "process", "status", "age", "started", "user", "startEvent", "openTask", "data", "name", "files");
                var id = Id(r, "id", path, required: false);
                if (id is { } rid)
                {
                    if (rid <= lastRequestId) Error(r["id"], LineOf(r), path + ".id", $"request ids must increase through the file ({rid} follows {lastRequestId}).");
                    else if (seed.DemoData && rid <= 12) Error(r["id"], LineOf(r), path + ".id", $"{rid} is taken by the demo data (1-12); use 13 or more.");
                    lastRequestId = Math.Max(lastRequestId, rid);
                }
                var pid = Id(r, "process", path);
                var isDemo = seed.DemoData && pid is >= 1 and <= 4 && !known.ContainsKey(pid.Value);
                known.TryGetValue(pid ?? -1, out var process);
                if (pid is { } p && process == null && !isDemo) Error(r["process"], LineOf(r), path + ".process", $"process {p} is not in processMaker.processes.");
                var status = Str(r, "status", path) ?? "ACTIVE";
                if (status is not ("ACTIVE" or "COMPLETED" or "CANCELED" or "ERROR"))
                    Error(r["status"], LineOf(r), path + ".status", $"'{status}' is not ACTIVE, COMPLETED, CANCELED or ERROR.");
                var started = Started(r, path, seed.Now);
                var user = Id(r, "user", path, required: false) ?? ProcessMakerStore.AdminUserId;
                if (!userIds.Contains(user)) Error(r["user"], LineOf(r), path + ".user", $"user {user} is not in processMaker.users.");
                var start = Element(r, "startEvent", path, required: false);
                if (start != null && process != null && process.StartEvents.All(e => e.Id != start))
                    Error(r["startEvent"], LineOf(r), path + ".startEvent", $"'{start}' is not a start event of process {process.Id} ({string.Join(", ", process.StartEvents.Select(e => e.Id))}).");
                var open = Element(r, "openTask", path, required: false);
                if (open != null && status != "ACTIVE") Error(r["openTask"], LineOf(r), path + ".openTask", "only an ACTIVE request has an open task.");
                else if (open != null && process != null && process.Tasks.All(t => t.ElementId != open))
                    Error(r["openTask"], LineOf(r), path + ".openTask", $"'{open}' is not a task of process {process.Id} ({string.Join(", ", process.Tasks.Select(t => t.ElementId))}).");
                var data = Obj(r, "data", path) ?? new JsonObject();
                var files = ReadFiles(r, path);
                if (pid != null && started != null)
                    seed.PmRequests.Add(new SeedPmRequest(id, pid.Value, status, started.Value, user, start, open, data) { Name = Str(r, "name", path), Files = files });
            }
            ReadVariables(pm, seed);
        }

        /// <summary>PM4 permission names (e.g. <c>view-processes</c>) of a user or group.</summary>
        private IReadOnlyList<string> Permissions(JsonObject o, string path) => StringList(o, "permissions", path, allowEmpty: true) ?? Array.Empty<string>();

        /// <summary>processMaker.categories: id and name (category 1 "Uncategorized" always exists); returns the known ids.</summary>
        private HashSet<long> ReadCategories(JsonObject pm, SeedDocument seed)
        {
            var ids = new HashSet<long> { ProcessMakerStore.UncategorizedId };
            foreach (var (c, path) in Items(pm, "categories", "processMaker"))
            {
                Known(c, path, "id", "name", "status");
                var id = Id(c, "id", path);
                var name = Str(c, "name", path, required: true);
                var status = Str(c, "status", path) ?? "ACTIVE";
                if (status is not ("ACTIVE" or "INACTIVE")) Error(c["status"], LineOf(c), path + ".status", $"'{status}' is not ACTIVE or INACTIVE.");
                if (id is { } i && i != ProcessMakerStore.UncategorizedId && !ids.Add(i)) { Error(c["id"], LineOf(c), path + ".id", $"category {i} is given twice."); continue; }
                if (id != null && name != null) seed.PmCategories.Add(new PmCategory(id.Value, name) { Status = status });
            }
            return ids;
        }

        /// <summary>A process's "editData": the users and groups who may edit its requests' data.</summary>
        private (IReadOnlyList<long> Users, IReadOnlyList<long> Groups) EditData(JsonObject p, string path, IReadOnlySet<long> userIds, IReadOnlySet<long> groupIds)
        {
            if (Obj(p, "editData", path) is not { } ed) return (Array.Empty<long>(), Array.Empty<long>());
            var epath = path + ".editData";
            Known(ed, epath, "users", "groups");
            return (IdList(ed, "users", epath, userIds, "user", "processMaker.users") ?? Array.Empty<long>(),
                IdList(ed, "groups", epath, groupIds, "group", "processMaker.groups") ?? Array.Empty<long>());
        }
    }
}
