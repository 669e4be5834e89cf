using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Xml;

namespace WorkflowTools.Sandbox;

/// <summary>A Next Matter user of a seed file and the API keys that act as them.</summary>
public sealed record SeedNmUser(long Id, string? Name, string? Email, IReadOnlyList<string> ApiKeys);

/// <summary>A Next Matter instance of a seed file. <see cref="Started"/> is absolute (resolved from <c>age</c> at load).</summary>
public sealed record SeedNmInstance(long? Id, long ProcessId, string? Name, string Status, DateTimeOffset Started, TimeSpan? Runtime,
    long? ActiveStep, IReadOnlyList<string> Tags, string? Priority, long? CreatedBy, IReadOnlyDictionary<long, JsonNode?> Values);

/// <summary>A ProcessMaker user of a seed file and their bearer tokens.</summary>
public sealed record SeedPmUser(PmUser User, IReadOnlyList<string> Tokens);

/// <summary>A ProcessMaker request of a seed file (<see cref="Name"/> null = the process name).</summary>
public sealed record SeedPmRequest(long? Id, long ProcessId, string Status, DateTimeOffset Started, long UserId, string? StartEvent, string? OpenTask, JsonObject Data)
{
    /// <summary>The request's name when it differs from the process name.</summary>
    public string? Name { get; init; }

    /// <summary>Files attached to the request (SeedFile.Data.cs).</summary>
    public IReadOnlyList<SeedPmFile> Files { get; init; } = Array.Empty<SeedPmFile>();
}

/// <summary>
/// A seed file read and checked: the data the sandbox starts with instead of (or besides) the built-in demo set.
/// The format is documented in <c>src/WorkflowTools.Sandbox/README.md</c> ("Seed files") and described by
/// <c>workflowtools-sandbox-seed.schema.json</c>; <see cref="Load"/> reports every problem with its line and JSON path.
/// </summary>
public sealed partial class SeedDocument
{
    /// <summary>The only format version so far.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Next Matter field types the seed accepts (the documented ones, plus the undocumented file, user and table).</summary>
    public static readonly IReadOnlyList<string> NmFieldTypes = new[] { "text", "number", "date", "dropdown", "radio", "checklist", "address", "url", "decision", "file", "user", "table", "multi_dropdown" };

    /// <summary>ProcessMaker start event types and the sandbox's BPMN kind for each.</summary>
    public static readonly IReadOnlyDictionary<string, string> PmStartEventTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["manual"] = "none", ["timer"] = "timer", ["webEntry"] = "webentry", ["message"] = "message", ["signal"] = "signal", ["conditional"] = "conditional",
    };

    /// <summary>Also load the built-in demo data (default false: a seed file replaces it).</summary>
    public bool DemoData { get; internal set; }
    /// <summary>Clock start written in the file, or null (the sandbox's own default).</summary>
    public DateTimeOffset? Clock { get; internal set; }
    /// <summary>The time ages were resolved against.</summary>
    public DateTimeOffset Now { get; internal set; }
    /// <summary>Next Matter users.</summary>
    public List<SeedNmUser> NmUsers { get; } = new();
    /// <summary>Next Matter workflows.</summary>
    public List<NmProcess> NmProcesses { get; } = new();
    /// <summary>Next Matter instances.</summary>
    public List<SeedNmInstance> NmInstances { get; } = new();
    /// <summary>ProcessMaker users.</summary>
    public List<SeedPmUser> PmUsers { get; } = new();
    /// <summary>ProcessMaker processes.</summary>
    public List<PmProcess> PmProcesses { get; } = new();
    /// <summary>ProcessMaker groups (for self-service tasks and cancel rights).</summary>
    public List<PmGroup> PmGroups { get; } = new();
    /// <summary>ProcessMaker requests.</summary>
    public List<SeedPmRequest> PmRequests { get; } = new();

    /// <summary>Reads and checks a seed file; ages count back from the file's <c>clock</c> or else <paramref name="now"/>.</summary>
    /// <exception cref="SeedFileException">The file is not a valid seed; every problem is listed.</exception>
    public static SeedDocument LoadFile(string path, DateTimeOffset now)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SeedFileException(path, new[] { new SeedError(0, "", "Cannot read the file: " + e.Message) });
        }
        return Load(bytes, now, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Reads and checks seed JSON (UTF-8); file paths in it start at <paramref name="folder"/> (none: no paths allowed).</summary>
    /// <exception cref="SeedFileException">Not a valid seed; every problem is listed.</exception>
    public static SeedDocument Load(byte[] utf8, DateTimeOffset now, string source = "seed", string? folder = null)
    {
        var json = LineTrackedJson.Parse(utf8, out var syntax);
        if (syntax != null) throw new SeedFileException(source, new[] { syntax });
        var reader = new SeedReader(json) { Folder = folder };
        var seed = reader.Read(json.Root, now);
        if (reader.Errors.Count > 0) throw new SeedFileException(source, reader.Errors);
        return seed;
    }

    /// <summary>Puts the seed's data into a server's stores (new ones, at start and at a reset).</summary>
    internal void Apply(NextMatterStore nm, ProcessMakerStore pm)
    {
        foreach (var u in NmUsers)
        {
            nm.NameUser(u.Id, u.Name ?? $"User {u.Id}");
            foreach (var key in u.ApiKeys) nm.AddApiKey(key, u.Id);
        }
        foreach (var p in NmProcesses) nm.AddProcess(p);
        foreach (var i in NmInstances)
        {
            if (i.Id is { } id) nm.SkipInstanceIdsTo(id);
            var instance = nm.AddInstance(i.ProcessId, i.Name, i.Started, i.Runtime, i.Status, i.Tags.ToArray(), i.Priority, i.ActiveStep, i.CreatedBy ?? NextMatterStore.BotUserId);
            foreach (var (action, value) in i.Values) instance.ValuesByAction[action] = value?.DeepClone();
        }

        foreach (var u in PmUsers)
        {
            pm.AddUser(u.User);
            foreach (var t in u.Tokens) pm.AddToken(t, u.User.Id);
        }
        foreach (var g in PmGroups) pm.AddGroup(g);
        foreach (var c in PmCategories) pm.AddCategory(c);
        foreach (var p in PmProcesses) pm.AddProcess(p);
        foreach (var r in PmRequests)
        {
            if (r.Id is { } id) pm.SkipRequestIdsTo(id);
            var request = pm.AddRequest(r.ProcessId, r.Status, r.Started, r.UserId, (JsonObject)r.Data.DeepClone(), r.StartEvent, r.OpenTask, r.Name);
            foreach (var f in r.Files) pm.AddFile(request.Id, f.Name, f.MimeType, f.Content, f.DataName, r.UserId);
        }
        foreach (var v in PmEnvironmentVariables) pm.AddVariable(v.Name, v.Description, v.Value);
    }

    /// <summary>Reads <c>age</c> and duration values: Next Matter's <c>"3 04:05:06"</c>, <c>"04:05:06"</c>, or ISO 8601 <c>"P3DT4H"</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        if (DjangoDuration.TryParse(text, out value)) return true;
        if (text.StartsWith('P'))
        {
            try
            {
                value = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException)
            {
            }
            catch (OverflowException)
            {
            }
        }
        value = default;
        return false;
    }

    /// <summary>The checks, one method per object kind; every problem is collected, none stops the walk.</summary>
    private sealed partial class SeedReader
    {
        private readonly LineTrackedJson _json;

        public SeedReader(LineTrackedJson json) => _json = json;

        public List<SeedError> Errors { get; } = new();

        private void Error(JsonNode? node, int fallbackLine, string path, string message) =>
            Errors.Add(new SeedError(_json.LineOf(node, fallbackLine), path, message));

        private int LineOf(JsonNode? node) => _json.LineOf(node, 1);

        public SeedDocument Read(JsonNode? root, DateTimeOffset defaultNow)
        {
            var seed = new SeedDocument();
            if (root is not JsonObject o)
            {
                Error(root, 1, "", "A seed file is a JSON object with \"version\": 1 (see workflowtools-sandbox-seed.schema.json).");
                return seed;
            }
            Known(o, "", "$schema", "version", "demoData", "clock", "nextMatter", "processMaker");
            if (!o.ContainsKey("version")) Error(o, 1, "version", "is required; write \"version\": 1.");
            else if (Long(o, "version", "") is { } v && v != CurrentVersion) Error(o["version"], LineOf(o), "version", $"{v} is not a version this sandbox reads (only {CurrentVersion}).");
            seed.DemoData = Bool(o, "demoData", "") ?? false;
            seed.Clock = Time(o, "clock", "");
            seed.Now = seed.Clock ?? defaultNow;

            if (Obj(o, "nextMatter", "") is { } nm) ReadNextMatter(nm, seed);
            if (Obj(o, "processMaker", "") is { } pm) ReadProcessMaker(pm, seed);
            return seed;
        }

        // ---------- Next Matter ----------

        private void ReadNextMatter(JsonObject nm, SeedDocument seed)
        {
            const string at = "nextMatter";
            Known(nm, at, "users", "processes", "instances");
            var userIds = new HashSet<long> { NextMatterStore.BotUserId, NextMatterStore.OtherUserId };
            foreach (var (u, path) in Items(nm, "users", at))
            {
                Known(u, path, "id", "name", "email", "apiKeys");
                var id = Id(u, "id", path);
                var keys = StringList(u, "apiKeys", path, allowEmpty: false) ?? Array.Empty<string>();
                if (id is { } i)
                {
                    if (!userIds.Add(i) && i != NextMatterStore.BotUserId && i != NextMatterStore.OtherUserId) Error(u["id"], LineOf(u), path + ".id", $"user {i} is given twice.");
                    seed.NmUsers.Add(new SeedNmUser(i, Str(u, "name", path), Str(u, "email", path), keys));
                }
            }

            var processIds = new HashSet<long>();
            var actionIds = new HashSet<long>();
            var stepIds = new HashSet<long>();
            foreach (var (p, path) in Items(nm, "processes", at))
            {
                Known(p, path, "id", "name", "autoNamed", "steps", "raw");
                var id = Id(p, "id", path);
                var name = Str(p, "name", path, required: true);
                var fresh = true;
                if (id is { } i && !processIds.Add(i)) { Error(p["id"], LineOf(p), path + ".id", $"workflow {i} is given twice."); fresh = false; }
                var steps = new List<SandboxStep>();
                foreach (var (s, spath) in Items(p, "steps", path))
                {
                    Known(s, spath, "id", "name", "assignee", "fields", "raw");
                    var sid = Id(s, "id", spath);
                    var sname = Str(s, "name", spath, required: true);
                    if (sid is { } si && !stepIds.Add(si)) Error(s["id"], LineOf(s), spath + ".id", $"step {si} is given twice (step ids are unique across workflows).");
                    var assignee = Id(s, "assignee", spath, required: false);
                    if (assignee is { } a && !userIds.Contains(a)) Error(s["assignee"], LineOf(s), spath + ".assignee", $"user {a} is not in nextMatter.users (nor 1 or 2, the sandbox's own).");
                    var fields = new List<SandboxAction>();
                    foreach (var (f, fpath) in Items(s, "fields", spath))
                    {
                        Known(f, fpath, "id", "name", "type", "required", "options", "raw");
                        var fid = Id(f, "id", fpath);
                        var fname = Str(f, "name", fpath, required: true);
                        var type = Str(f, "type", fpath, required: true);
                        if (type != null && !NmFieldTypes.Contains(type))
                            Error(f["type"], LineOf(f), fpath + ".type", $"'{type}' is not a field type ({string.Join(", ", NmFieldTypes)}).");
                        var options = StringList(f, "options", fpath, allowEmpty: false);
                        if (options != null && type is not ("dropdown" or "radio" or "checklist" or "multi_dropdown"))
                            Error(f["options"], LineOf(f), fpath + ".options", "only dropdown, multi_dropdown, radio and checklist fields have options.");
                        if (fid is { } fi && !actionIds.Add(fi)) Error(f["id"], LineOf(f), fpath + ".id", $"field {fi} is given twice (field ids are unique across workflows).");
                        var raw = Raw(f, fpath);
                        if (fid != null && fname != null && type != null)
                            fields.Add(new SandboxAction(fid.Value, fname, type, Bool(f, "required", fpath) ?? false, options) { Raw = raw });
                    }
                    var sraw = Raw(s, spath);
                    if (sid != null && sname != null)
                        steps.Add(new SandboxStep(sid.Value, sname, fields) { AssigneeUserId = assignee ?? NextMatterStore.BotUserId, Raw = sraw });
                }
                var autoNamed = Bool(p, "autoNamed", path) ?? false;
                var praw = Raw(p, path);
                if (id != null && name != null && fresh) seed.NmProcesses.Add(new NmProcess(id.Value, name, steps, autoNamed) { Raw = praw });
            }

            var known = seed.NmProcesses.ToDictionary(p => p.Id);
            if (seed.DemoData)
                foreach (var demo in new long[] { 1, 2 })
                    known.TryAdd(demo, null!);
            long lastInstanceId = 0;
            foreach (var (i, path) in Items(nm, "instances", at))
            {
                Known(i, path, "id", "process", "name", "status", "age", "started", "runtime", "activeStep", "tags", "priority", "createdBy", "values");
                var id = Id(i, "id", path, required: false);
                if (id is { } iid)
                {
                    if (iid <= lastInstanceId) Error(i["id"], LineOf(i), path + ".id", $"instance ids must increase through the file ({iid} follows {lastInstanceId}).");
                    else if (seed.DemoData && iid <= 1030) Error(i["id"], LineOf(i), path + ".id", $"{iid} is taken by the demo data (1001-1030); use 1031 or more.");
                    lastInstanceId = Math.Max(lastInstanceId, iid);
                }
                var pid = Id(i, "process", path);
                known.TryGetValue(pid ?? -1, out var process);
                if (pid is { } p && !known.ContainsKey(p)) Error(i["process"], LineOf(i), path + ".process", $"workflow {p} is not in nextMatter.processes.");
                var status = Str(i, "status", path) ?? "running";
                if (status is not ("running" or "completed" or "aborted"))
                    Error(i["status"], LineOf(i), path + ".status", $"'{status}' is not running, completed or aborted.");
                var started = Started(i, path, seed.Now);
                var runtime = Duration(i, "runtime", path);
                if (runtime != null && status == "running") Error(i["runtime"], LineOf(i), path + ".runtime", "a running instance has no runtime yet; give its age.");
                var active = Id(i, "activeStep", path, required: false);
                if (active != null && status != "running") Error(i["activeStep"], LineOf(i), path + ".activeStep", "only a running instance has an active step.");
                if (active is { } st && process != null && process.Steps.All(s => s.Id != st))
                    Error(i["activeStep"], LineOf(i), path + ".activeStep", $"step {st} is not a step of workflow {process.Id}.");
                var priority = Str(i, "priority", path);
                if (priority is not (null or "V" or "H")) Error(i["priority"], LineOf(i), path + ".priority", $"'{priority}' is not V (very high), H (high) or null (regular).");
                var createdBy = Id(i, "createdBy", path, required: false);
                if (createdBy is { } c && !userIds.Contains(c)) Error(i["createdBy"], LineOf(i), path + ".createdBy", $"user {c} is not in nextMatter.users.");
                var tags = StringList(i, "tags", path, allowEmpty: true) ?? Array.Empty<string>();
                var values = new Dictionary<long, JsonNode?>();
                if (Obj(i, "values", path) is { } vals)
                {
                    foreach (var (key, value) in vals)
                    {
                        var vpath = $"{path}.values.{key}";
                        if (!long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var actionId))
                            Error(value, LineOf(vals), vpath, "keys of values are field ids (numbers).");
                        else if (process != null && process.Steps.SelectMany(s => s.Actions).All(a => a.Id != actionId))
                            Error(value, LineOf(vals), vpath, $"field {actionId} is not a field of workflow {process.Id}.");
                        else if (value is not JsonObject)
                            Error(value, LineOf(vals), vpath, "a value is the input_object complete_step takes, e.g. {\"inputValue\": \"text\"}.");
                        else values[actionId] = value;
                    }
                }
                if (pid != null && started != null)
                    seed.NmInstances.Add(new SeedNmInstance(id, pid.Value, Str(i, "name", path), status, started.Value, runtime, active, tags, priority, createdBy, values));
            }
        }

        // ---------- value readers ----------

        private void Known(JsonObject o, string path, params string[] keys)
        {
            foreach (var (key, value) in o)
                if (!keys.Contains(key, StringComparer.Ordinal))
                {
                    var near = keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                    Error(value, LineOf(o), Join(path, key), near != null
                        ? $"unknown property; did you mean \"{near}\"? (names are case-sensitive)"
                        : $"unknown property (known here: {string.Join(", ", keys)}).");
                }
        }

        private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

        private IEnumerable<(JsonObject Item, string Path)> Items(JsonObject o, string key, string path)
        {
            var at = Join(path, key);
            if (!o.TryGetPropertyValue(key, out var node) || node == null) yield break;
            if (node is not JsonArray array)
            {
                Error(node, LineOf(o), at, "must be a list ([ ... ]).");
                yield break;
            }
            for (var n = 0; n < array.Count; n++)
            {
                if (array[n] is JsonObject item) yield return (item, $"{at}[{n}]");
                else Error(array[n], LineOf(array), $"{at}[{n}]", "must be an object ({ ... }).");
            }
        }

        private JsonObject? Obj(JsonObject o, string key, string path)
        {
            if (!o.TryGetPropertyValue(key, out var node) || node == null) return null;
            if (node is JsonObject r) return r;
            Error(node, LineOf(o), Join(path, key), "must be an object ({ ... }).");
            return null;
        }

        private JsonObject? Raw(JsonObject o, string path) => Obj(o, "raw", path);

        private long? Long(JsonObject o, string key, string path)
        {
            if (!o.TryGetPropertyValue(key, out var node) || node == null) return null;
            if (node is JsonValue v && v.TryGetValue<long>(out var l)) return l;
            Error(node, LineOf(o), Join(path, key), $"must be a whole number, not {Describe(node)}.");
            return null;
        }

        private long? Id(JsonObject o, string key, string path, bool required = true)
        {
            if (!o.ContainsKey(key) || o[key] == null)
            {
                if (required) Error(o, 1, Join(path, key), "is required.");
                return null;
            }
            var l = Long(o, key, path);
            if (l is <= 0) { Error(o[key], LineOf(o), Join(path, key), $"must be a positive number, not {l}."); return null; }
            return l;
        }

        private string? Str(JsonObject o, string key, string path, bool required = false)
        {
            if (!o.TryGetPropertyValue(key, out var node) || node == null)
            {
                if (required) Error(o, 1, Join(path, key), "is required.");
                return null;
            }
            if (node is JsonValue v && v.TryGetValue<string>(out var s))
            {
                if (required && s.Trim().Length == 0) { Error(node, LineOf(o), Join(path, key), "must not be empty."); return null; }
                return s;
            }
            Error(node, LineOf(o), Join(path, key), $"must be a string, not {Describe(node)}.");
            return null;
        }

        private string? Element(JsonObject o, string key, string path, bool required = true)
        {
            var s = Str(o, key, path, required);
            if (s != null && !System.Text.RegularExpressions.Regex.IsMatch(s, "^[A-Za-z_][A-Za-z0-9_.-]*$"))
            {
                Error(o[key], LineOf(o), Join(path, key), $"'{s}' is not a BPMN element id (such as node_1).");
                return null;
            }
            return s;
        }

        private bool? Bool(JsonObject o, string key, string path)
        {
            if (!o.TryGetPropertyValue(key, out var node) || node == null) return null;
            if (node is JsonValue v && v.TryGetValue<bool>(out var b)) return b;
            Error(node, LineOf(o), Join(path, key), $"must be true or false, not {Describe(node)}.");
            return null;
        }

        /// <summary>A list of ids, each of which must be in <paramref name="known"/> (<paramref name="what"/> ids listed in <paramref name="where"/>).</summary>
        private IReadOnlyList<long>? IdList(JsonObject o, string key, string path, IReadOnlySet<long> known, string what, string where)
        {
            if (!o.TryGetPropertyValue(key, out var node) || node == null) return null;
            if (node is not JsonArray a) { Error(node, LineOf(o), Join(path, key), $"must be a list of {what} ids."); return null; }
            var list = new List<long>();
            for (var n = 0; n < a.Count; n++)
            {
                var at = $"{Join(path, key)}[{n}]";
                if (a[n] is JsonValue v && v.TryGetValue<long>(out var id) && id > 0)
                {
                    if (known.Contains(id)) list.Add(id);
                    else Error(a[n], LineOf(a), at, $"{what} {id} is not in {where}.");
                }
                else Error(a[n], LineOf(a), at, $"must be a positive {what} id.");
            }
            return list;
        }

        private IReadOnlyList<string>? StringList(JsonObject o, string key, string path, bool allowEmpty)
        {
            if (!o.TryGetPropertyValue(key, out var node) || node == null) return null;
            if (node is not JsonArray a) { Error(node, LineOf(o), Join(path, key), "must be a list of strings."); return null; }
            var list = new List<string>();
            for (var n = 0; n < a.Count; n++)
            {
                if (a[n] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0) list.Add(s);
                else Error(a[n], LineOf(a), $"{Join(path, key)}[{n}]", "must be a non-empty string.");
            }
            if (!allowEmpty && a.Count == 0) Error(a, LineOf(o), Join(path, key), "must not be empty.");
            return list;
        }

        private TimeSpan? Duration(JsonObject o, string key, string path)
        {
            var s = Str(o, key, path);
            if (s == null) return null;
            if (TryParseDuration(s, out var t) && t >= TimeSpan.Zero) return t;
            Error(o[key], LineOf(o), Join(path, key), $"'{s}' is not a duration (\"3 00:00:00\" is three days, \"02:30:00\" two and a half hours, or ISO 8601 \"P3D\").");
            return null;
        }

        private DateTimeOffset? Time(JsonObject o, string key, string path)
        {
            var s = Str(o, key, path);
            if (s == null) return null;
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                && s.Contains('T')) return t;
            Error(o[key], LineOf(o), Join(path, key), $"'{s}' is not an ISO 8601 time such as 2026-01-05T09:00:00Z.");
            return null;
        }

        private DateTimeOffset? Started(JsonObject o, string path, DateTimeOffset now)
        {
            if (o.ContainsKey("age") && o.ContainsKey("started"))
            {
                Error(o["started"], LineOf(o), path + ".started", "give age or started, not both.");
                return null;
            }
            if (o.ContainsKey("started")) return Time(o, "started", path);
            if (o.ContainsKey("age")) return Duration(o, "age", path) is { } age ? now - age : null;
            return now;
        }

        private static string Describe(JsonNode node) => node switch
        {
            JsonObject => "an object",
            JsonArray => "a list",
            JsonValue v when v.TryGetValue<string>(out var s) => $"the string \"{s}\"",
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            _ => node.ToJsonString(),
        };
    }
}
