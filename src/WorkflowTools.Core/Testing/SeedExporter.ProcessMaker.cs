using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Testing
{
    // The processMaker part of an exported seed: the processes (status, category, start events with who may start
    // them, tasks, manager), the categories and the users and groups they name, and with -IncludeInstances the
    // requests (status, age, open task, own name); with personal data also the requests' files. The server's
    // environment variables come along (names and descriptions only: SeedExporter.Data.cs).
    internal sealed partial class SeedExporter
    {
        /// <summary>Users 1 and 2 are the sandbox's own (admin, jdoe); a seed names users from 3 on.</summary>
        private const long FirstSeedUser = 3;

        private async Task<JsonObject> ExportProcessMakerAsync(PmClient pm, IReadOnlyList<long> pmProcessIds, CancellationToken cancellationToken)
        {
            var processes = new JsonArray();
            var requests = new JsonArray();
            var categories = new SortedDictionary<long, JsonObject>();
            var people = new People();
            foreach (var id in pmProcessIds)
            {
                var p = Json(await pm.SendAsync("GET", $"processes/{Id(id)}?include=events,category", null, true, cancellationToken).ConfigureAwait(false));
                if (p.ValueKind != JsonValueKind.Object)
                {
                    _warn($"ProcessMaker process {id}: the answer is not a JSON object; left out.");
                    continue;
                }

                if (p.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.Object && Long(c, "id") is long cid
                    && !(cid == 1 && Str(c, "name") == "Uncategorized"))
                {
                    var category = new JsonObject { ["id"] = cid, ["name"] = Str(c, "name") ?? $"Category {cid}" };
                    if (Str(c, "status") == "INACTIVE")
                    {
                        category["status"] = "INACTIVE";
                    }

                    categories[cid] = category;
                }

                var tasks = Json(await pm.SendAsync("GET", $"tasks?process_id={Id(id)}&per_page=200&order_by=id&order_direction=asc", null, true, cancellationToken).ConfigureAwait(false));
                var process = PmProcess(p, id, Data(tasks), people);
                processes.Add(process);
                if (_options.IncludeInstances)
                {
                    var list = Json(await pm.SendAsync("GET", $"requests?type=all&per_page=200&order_by=id&order_direction=desc", null, true, cancellationToken).ConfigureAwait(false));
                    var openTasks = Data(tasks).Where(t => Str(t, "status") == "ACTIVE").ToList();
                    foreach (var r in Data(list).Where(r => Long(r, "process_id") == id).Take(_options.InstanceLimit))
                    {
                        requests.Add(PmRequest(r, id, openTasks, (string?)process["name"]));
                    }
                }
            }

            var part = new JsonObject();
            var (users, groups) = await PeopleAsync(pm, people, cancellationToken).ConfigureAwait(false);
            if (users.Count > 0)
            {
                part["users"] = users;
            }

            if (groups.Count > 0)
            {
                part["groups"] = groups;
            }

            if (categories.Count > 0)
            {
                part["categories"] = new JsonArray(categories.Values.Cast<JsonNode>().ToArray());
            }

            part["processes"] = processes;
            if (_options.IncludeInstances)
            {
                part["requests"] = new JsonArray(requests.OrderBy(r => (long?)r!["id"] ?? 0).Select(r => r!.DeepClone()).ToArray());
                if (_options.IncludePersonalData)
                {
                    await AddFilesAsync(pm, part["requests"]!.AsArray(), cancellationToken).ConfigureAwait(false);
                }
            }

            await AddVariablesAsync(pm, part, cancellationToken).ConfigureAwait(false);

            // Assignments naming people the export could not read are dropped, so the seed loads.
            foreach (var process in processes.OfType<JsonObject>())
            {
                people.Prune(process, users, groups);
            }

            return part;
        }

        /// <summary>Users and groups the processes name (start events, manager).</summary>
        private sealed class People
        {
            public SortedSet<long> Users { get; } = new SortedSet<long>();

            public SortedSet<long> Groups { get; } = new SortedSet<long>();

            public void Prune(JsonObject process, JsonArray users, JsonArray groups)
            {
                var userIds = new HashSet<long>(users.Select(u => (long)u!["id"]!)) { 1, 2 };
                var groupIds = new HashSet<long>(groups.Select(g => (long)g!["id"]!));
                if (process["manager"] is JsonNode m && !userIds.Contains((long)m))
                {
                    process.Remove("manager");
                }

                foreach (var e in process["startEvents"]!.AsArray().OfType<JsonObject>())
                {
                    Keep(e, "assignedUsers", userIds);
                    Keep(e, "assignedGroups", groupIds);
                    if (!process.ContainsKey("manager"))
                    {
                        e.Remove("processManager");
                    }
                }
            }

            private static void Keep(JsonObject e, string key, HashSet<long> known)
            {
                if (e[key] is JsonArray ids)
                {
                    var kept = ids.Select(i => (long)i!).Where(known.Contains).ToArray();
                    if (kept.Length == 0)
                    {
                        e.Remove(key);
                    }
                    else
                    {
                        e[key] = new JsonArray(kept.Select(i => (JsonNode)i).ToArray());
                    }
                }
            }
        }

        /// <summary>
        /// Reads the named users (GET users/{id}) and groups (GET groups/{id}, GET groups/{id}/users). Without
        /// -IncludePersonalData a user is written as "user{id}" with no names. ProcessMaker's API hides a user's
        /// permissions (User::$hidden), so none are written; a warning says so.
        /// </summary>
        private async Task<(JsonArray Users, JsonArray Groups)> PeopleAsync(PmClient pm, People people, CancellationToken cancellationToken)
        {
            var groups = new JsonArray();
            foreach (var gid in people.Groups)
            {
                try
                {
                    var g = Json(await pm.SendAsync("GET", $"groups/{Id(gid)}", null, true, cancellationToken).ConfigureAwait(false));
                    var members = Json(await pm.SendAsync("GET", $"groups/{Id(gid)}/users?per_page=1000", null, true, cancellationToken).ConfigureAwait(false));
                    var memberIds = Data(members).Select(m => Long(m, "id")).OfType<long>().ToArray();
                    foreach (var m in memberIds.Where(m => m >= FirstSeedUser))
                    {
                        people.Users.Add(m);
                    }

                    groups.Add(new JsonObject { ["id"] = gid, ["name"] = Str(g, "name") ?? $"Group {gid}", ["members"] = new JsonArray(memberIds.Select(m => (JsonNode)m).ToArray()) });
                }
                catch (ApiException e)
                {
                    _warn($"ProcessMaker group {gid}: not read ({e.Message}); its start-event assignments are left out.");
                }
            }

            var users = new JsonArray();
            foreach (var uid in people.Users.Where(u => u >= FirstSeedUser))
            {
                try
                {
                    var u = Json(await pm.SendAsync("GET", $"users/{Id(uid)}", null, true, cancellationToken).ConfigureAwait(false));
                    var user = new JsonObject { ["id"] = uid, ["username"] = _options.IncludePersonalData ? Str(u, "username") ?? $"user{uid}" : $"user{uid}" };
                    if (_options.IncludePersonalData)
                    {
                        user["firstname"] = Str(u, "firstname") ?? string.Empty;
                        user["lastname"] = Str(u, "lastname") ?? string.Empty;
                    }

                    if (u.ValueKind == JsonValueKind.Object && u.TryGetProperty("is_administrator", out var admin) && admin.ValueKind == JsonValueKind.True)
                    {
                        user["admin"] = true;
                    }

                    users.Add(user);
                }
                catch (ApiException e)
                {
                    _warn($"ProcessMaker user {uid}: not read ({e.Message}); left out of the assignments.");
                }
            }

            // Group members that could not be read cannot stay members.
            var known = new HashSet<long>(users.Select(u => (long)u!["id"]!)) { 1, 2 };
            foreach (var g in groups.OfType<JsonObject>())
            {
                g["members"] = new JsonArray(g["members"]!.AsArray().Select(m => (long)m!).Where(known.Contains).Select(m => (JsonNode)m).ToArray());
            }

            if (users.Count > 0 || groups.Count > 0)
            {
                _warn("ProcessMaker's API does not show users' and groups' permissions; add \"permissions\" (e.g. view-processes) to the exported users and groups by hand where a script needs them.");
            }

            return (users, groups);
        }

        private JsonObject PmProcess(JsonElement p, long id, IEnumerable<JsonElement> tasks, People people)
        {
            var o = new JsonObject { ["id"] = Long(p, "id") ?? id, ["name"] = Str(p, "name") ?? $"Process {id}" };
            if (Str(p, "description") is string d && d.Length > 0)
            {
                o["description"] = d;
            }

            var status = Str(p, "status");
            o["status"] = status is "ARCHIVED" or "INACTIVE" ? status : "ACTIVE";
            if (p.TryGetProperty("process_category_id", out var pc) && pc.ValueKind == JsonValueKind.Null)
            {
                o["category"] = null;
            }
            else if (Long(p, "process_category_id") is long category && category > 0)
            {
                o["category"] = category;
            }

            var manager = Long(p, "manager_id");
            if (manager is long m)
            {
                o["manager"] = m;
                people.Users.Add(m);
            }

            var events = new JsonArray();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in new[] { "events", "start_events", "startEvents" })
            {
                if (p.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var e in list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
                    {
                        if (Str(e, "id") is string eid && seen.Add(eid))
                        {
                            events.Add(StartEvent(e, eid, manager != null, people));
                        }
                    }
                }
            }

            if (events.Count == 0)
            {
                _warn($"ProcessMaker process {id}: no start events in the answer; written with one manual start event node_1.");
                events.Add(new JsonObject { ["id"] = "node_1", ["name"] = "Start", ["type"] = "manual" });
            }

            o["startEvents"] = events;
            var taskList = new JsonArray();
            var taskIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in tasks)
            {
                if (Str(t, "element_id") is string tid && taskIds.Add(tid) && !seen.Contains(tid))
                {
                    taskList.Add(new JsonObject { ["id"] = tid, ["name"] = Str(t, "element_name") ?? tid });
                }
            }

            o["tasks"] = taskList;
            AddRaw(o, p, "id", "name", "description", "status", "process_category_id", "category", "events", "start_events", "startEvents", "created_at", "updated_at", "user_id", "bpmn", "manager_id");
            return o;
        }

        /// <summary>A start event and who may start it (pm:assignment with assignedUsers / assignedGroups, comma lists of ids).</summary>
        private static JsonObject StartEvent(JsonElement e, string id, bool hasManager, People people)
        {
            var o = new JsonObject { ["id"] = id, ["name"] = Str(e, "name") ?? string.Empty, ["type"] = StartEventType(e) };
            var assignment = Str(e, "assignment");
            long[] Ids(string key) => (Str(e, key) ?? string.Empty).Split(',')
                .Select(x => long.TryParse(x.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0).Where(v => v > 0).Distinct().ToArray();
            if (assignment is "user" or "user_group" && Ids("assignedUsers") is { Length: > 0 } users)
            {
                o["assignedUsers"] = new JsonArray(users.Select(u => (JsonNode)u).ToArray());
                people.Users.UnionWith(users);
            }

            if (assignment is "group" or "user_group" && Ids("assignedGroups") is { Length: > 0 } groups)
            {
                o["assignedGroups"] = new JsonArray(groups.Select(g => (JsonNode)g).ToArray());
                people.Groups.UnionWith(groups);
            }

            if (assignment == "process_manager" && hasManager)
            {
                o["processManager"] = true;
            }

            return o;
        }

        private static string StartEventType(JsonElement e)
        {
            if (e.TryGetProperty("eventDefinitions", out var defs) && defs.ValueKind == JsonValueKind.Array)
            {
                foreach (var d in defs.EnumerateArray())
                {
                    var t = Str(d, "$type") ?? string.Empty;
                    foreach (var kind in new[] { "timer", "message", "signal", "conditional" })
                    {
                        if (t.StartsWith(kind, StringComparison.OrdinalIgnoreCase))
                        {
                            return kind;
                        }
                    }
                }
            }

            var config = Str(e, "config") ?? string.Empty;
            return config.IndexOf("web_entry", StringComparison.Ordinal) >= 0 && config.IndexOf("\"web_entry\":null", StringComparison.Ordinal) < 0 ? "webEntry" : "manual";
        }

        private JsonObject PmRequest(JsonElement r, long processId, List<JsonElement> openTasks, string? processName)
        {
            var id = Long(r, "id") ?? 0;
            var status = Str(r, "status") ?? "ACTIVE";
            var o = new JsonObject { ["id"] = id, ["process"] = processId };
            if (Str(r, "name") is string name && name != processName)
            {
                o["name"] = name;
            }

            o["status"] = status is "ACTIVE" or "COMPLETED" or "CANCELED" or "ERROR" ? status : "ACTIVE";
            if ((Time(r, "initiated_at") ?? Time(r, "created_at")) is DateTimeOffset started)
            {
                o["age"] = Duration(_options.Now - started);
            }

            if (status == "ACTIVE" && openTasks.FirstOrDefault(t => Long(t, "process_request_id") == id) is JsonElement open && open.ValueKind == JsonValueKind.Object)
            {
                o["openTask"] = Str(open, "element_id");
            }

            return o;
        }

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    }
}
