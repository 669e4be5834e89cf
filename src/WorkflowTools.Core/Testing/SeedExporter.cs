using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Testing
{
    /// <summary>What <see cref="SeedExporter"/> reads besides the definitions.</summary>
    internal sealed class SeedExportOptions
    {
        /// <summary>Also write instances (Next Matter) and requests (ProcessMaker): state and age, no form values.</summary>
        public bool IncludeInstances { get; set; }

        /// <summary>Keep names of instances and properties that look like people (e-mail, user, assignee, owner…); off by default.</summary>
        public bool IncludePersonalData { get; set; }

        /// <summary>At most this many instances or requests per workflow or process (the newest first page).</summary>
        public int InstanceLimit { get; set; } = 50;

        /// <summary>Also write ProcessMaker's users, groups and memberships (never passwords or tokens; names only with <see cref="IncludePersonalData"/>).</summary>
        public bool IncludePeople { get; set; }

        /// <summary>Ages of exported instances count back from this time (default: now).</summary>
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        /// <summary>The largest request file written into a seed (inline, base64); larger ones are left out with a warning.</summary>
        public long MaxFileBytes { get; set; } = 5L * 1024 * 1024;

        /// <summary>The seed's <c>$schema</c>: the schema file shipped with the module (a file URI), or none when null.</summary>
        public string? SchemaUri { get; set; }
    }

    /// <summary>
    /// Reads workflow and process definitions from a real service and writes them as a sandbox seed (version 1, see
    /// the sandbox's workflowtools-sandbox-seed.schema.json). Read tolerantly: Next Matter does not document the body
    /// of <c>GET processes/{id}/</c>, so only id, name, steps and their actions (id, name/title, type, required,
    /// options, also under settings) are interpreted; every other property is kept under <c>raw</c>, which the
    /// sandbox serves back as given. Personal data is left out unless asked for: property names that look like
    /// people (e-mail, user, assignee, owner, …) are dropped from <c>raw</c> and instance names are replaced.
    /// </summary>
    internal sealed partial class SeedExporter
    {
        /// <summary>The sandbox's field type for each kind of field the client knows (the seed schema's names).</summary>
        private static string? SandboxType(NmFieldKind kind, string tenantType)
        {
            switch (kind)
            {
                case NmFieldKind.Text: return "text";
                case NmFieldKind.Number: return "number";
                case NmFieldKind.Url: return "url";
                case NmFieldKind.Date: return "date";
                case NmFieldKind.Dropdown: return "dropdown";
                case NmFieldKind.MultiDropdown: return "multi_dropdown";
                case NmFieldKind.Radio: return "radio";
                case NmFieldKind.Checklist: return "checklist";
                case NmFieldKind.Address: return "address";
                case NmFieldKind.Decision: return "decision";
                case NmFieldKind.Undocumented:
                    var name = NmFormValues.Normalize(tenantType);
                    return name.StartsWith("user", StringComparison.Ordinal) ? "user" : name == "table" ? "table" : "file";
                default: return null;
            }
        }
        private static readonly Regex Personal = new Regex("e-?mail|phone|first_?name|last_?name|full_?name|user|assignee|owner|created_by|modified_by|updated_by|requester|participant|avatar|lead", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private readonly SeedExportOptions _options;
        private readonly Action<string> _warn;

        public SeedExporter(SeedExportOptions options, Action<string> warn)
        {
            _options = options;
            _warn = warn;
        }

        /// <summary>The seed file's text (indented JSON, LF line ends, non-ASCII kept readable) for the given workflows and processes.</summary>
        public async Task<string> ExportTextAsync(NmClient? nm, IReadOnlyList<long> nmProcessIds, PmClient? pm, IReadOnlyList<long> pmProcessIds, CancellationToken cancellationToken)
        {
            var seed = await ExportAsync(nm, nmProcessIds, pm, pmProcessIds, cancellationToken).ConfigureAwait(false);
            var text = seed.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            return text.Replace("\r\n", "\n") + "\n";
        }

        /// <summary>The seed document for the given workflows and processes.</summary>
        public async Task<JsonObject> ExportAsync(NmClient? nm, IReadOnlyList<long> nmProcessIds, PmClient? pm, IReadOnlyList<long> pmProcessIds, CancellationToken cancellationToken)
        {
            var seed = new JsonObject();
            if (_options.SchemaUri != null)
            {
                seed["$schema"] = _options.SchemaUri;
            }

            seed["version"] = 1;
            seed["clock"] = Iso(_options.Now);
            if (nm != null && nmProcessIds.Count > 0)
            {
                var processes = new JsonArray();
                var instances = new JsonArray();
                foreach (var id in nmProcessIds)
                {
                    var body = await nm.SendRawElementAsync("GET", nm.ProcessUrl(id), null, cancellationToken).ConfigureAwait(false);
                    if (body is JsonElement e && e.ValueKind == JsonValueKind.Object)
                    {
                        processes.Add(NmProcess(e, id));
                    }
                    else
                    {
                        _warn($"Next Matter workflow {id}: the answer is not a JSON object; left out.");
                        continue;
                    }

                    if (_options.IncludeInstances)
                    {
                        var rows = await nm.SendRawElementAsync("GET", nm.ResolveRaw($"processes/{id.ToString(CultureInfo.InvariantCulture)}/instances/", null), null, cancellationToken).ConfigureAwait(false);
                        foreach (var row in Rows(rows).Take(_options.InstanceLimit))
                        {
                            instances.Add(NmInstance(row, id));
                        }
                    }
                }

                var nmPart = new JsonObject { ["processes"] = processes };
                if (_options.IncludeInstances)
                {
                    nmPart["instances"] = new JsonArray(instances.OrderBy(i => (long?)i!["id"] ?? 0).Select(i => i!.DeepClone()).ToArray());
                }

                seed["nextMatter"] = nmPart;
            }

            if (pm != null && pmProcessIds.Count > 0)
            {
                seed["processMaker"] = await ExportProcessMakerAsync(pm, pmProcessIds, cancellationToken).ConfigureAwait(false);
            }

            if (pm != null && _options.IncludePeople)
            {
                await AddPeopleAsync(pm, seed, cancellationToken).ConfigureAwait(false);
            }

            return seed;
        }

        // ---------- Next Matter ----------

        private JsonObject NmProcess(JsonElement e, long id)
        {
            var o = new JsonObject { ["id"] = Long(e, "id") ?? id, ["name"] = Str(e, "name") ?? Str(e, "title") ?? $"Workflow {id}" };
            var steps = new JsonArray();
            if (e.TryGetProperty("steps", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var s in list.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object))
                {
                    steps.Add(NmStep(s, id));
                }
            }

            o["steps"] = steps;
            AddRaw(o, e, "id", "name", "title", "steps", "url");
            return o;
        }

        private JsonObject NmStep(JsonElement s, long processId)
        {
            var id = Long(s, "id") ?? 0;
            var o = new JsonObject { ["id"] = id, ["name"] = Str(s, "name") ?? Str(s, "title") ?? $"Step {id}" };
            var fields = new JsonArray();
            if (s.TryGetProperty("actions", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object))
                {
                    fields.Add(NmField(a, processId));
                }
            }

            o["fields"] = fields;
            AddRaw(o, s, "id", "name", "title", "actions");
            return o;
        }

        private JsonObject NmField(JsonElement a, long processId)
        {
            var id = Long(a, "id") ?? 0;
            // The tenant's own type name is what the next person needs to check the client's mapping against
            // (Next Matter does not publish the names): the sandbox type is the client's reading of it, and the
            // tenant's name, when it differs, goes under raw.type, which the sandbox serves as the field's type.
            var tenantType = Str(a, "type") ?? "text";
            var kind = NmFormValues.KindOf(tenantType);
            var sandboxType = SandboxType(kind, tenantType);
            var known = sandboxType != null;
            var o = new JsonObject { ["id"] = id, ["name"] = Str(a, "name") ?? Str(a, "title") ?? $"Field {id}" };
            if (!known)
            {
                _warn($"Next Matter workflow {processId}, field {id}: type '{tenantType}' is not one WorkflowTools knows; written as text, with the tenant's type name under raw.type (the sandbox serves it, so Complete-NmStep warns there as it will against the tenant).");
            }

            var type = sandboxType ?? "text";
            o["type"] = type;
            var settings = a.TryGetProperty("settings", out var st) && st.ValueKind == JsonValueKind.Object ? st : (JsonElement?)null;
            var required = a.TryGetProperty("required", out var r) ? r : settings?.TryGetProperty("required", out var sr) == true ? sr : (JsonElement?)null;
            if (required?.ValueKind == JsonValueKind.True)
            {
                o["required"] = true;
            }

            var options = a.TryGetProperty("options", out var op) ? op : settings?.TryGetProperty("options", out var so) == true ? so : (JsonElement?)null;
            if (options?.ValueKind == JsonValueKind.Array && (type == "dropdown" || type == "multi_dropdown" || type == "radio" || type == "checklist"))
            {
                var choices = options.Value.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.ValueKind == JsonValueKind.Object ? Str(x, "label") ?? Str(x, "name") ?? Str(x, "value") : null)
                    .Where(x => !string.IsNullOrEmpty(x)).Distinct().ToList();
                if (choices.Count > 0)
                {
                    o["options"] = new JsonArray(choices.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
                }
            }

            var raw = RawOf(a, "id", "name", "title", "type", "required", "options", "settings");
            if (settings is JsonElement s2)
            {
                var rest = RawOf(s2, "required", "options");
                if (rest != null)
                {
                    raw ??= new JsonObject();
                    raw["settings"] = rest;
                }
            }

            if (!string.Equals(tenantType, type, StringComparison.Ordinal))
            {
                raw ??= new JsonObject();
                raw["type"] = tenantType;
            }

            if (raw != null)
            {
                o["raw"] = raw;
            }

            return o;
        }

        private JsonObject NmInstance(JsonElement row, long processId)
        {
            var id = Long(row, "id") ?? 0;
            var o = new JsonObject { ["id"] = id, ["process"] = processId };
            o["name"] = _options.IncludePersonalData ? Str(row, "name") : $"Instance {id}";
            var started = Time(row, "started_time");
            var completed = Time(row, "completed_time");
            var aborted = Time(row, "aborted_time");
            o["status"] = aborted != null ? "aborted" : completed != null ? "completed" : "running";
            if (started is DateTimeOffset s)
            {
                o["age"] = Duration(_options.Now - s);
                if ((completed ?? aborted) is DateTimeOffset end)
                {
                    o["runtime"] = Duration(end - s);
                }
            }

            if (completed == null && aborted == null && row.TryGetProperty("active_step_ids", out var active) && active.ValueKind == JsonValueKind.Array && active.GetArrayLength() > 0 && active[0].TryGetInt64(out var step))
            {
                o["activeStep"] = step;
            }

            if (row.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
            {
                var t = tags.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String && x.GetString()!.Length > 0).Select(x => (JsonNode?)JsonValue.Create(x.GetString())).ToArray();
                if (t.Length > 0)
                {
                    o["tags"] = new JsonArray(t);
                }
            }

            var priority = Str(row, "priority");
            if (priority == "V" || priority == "H")
            {
                o["priority"] = priority;
            }

            return o;
        }

        // ---------- helpers ----------

        private void AddRaw(JsonObject target, JsonElement source, params string[] modelled)
        {
            if (RawOf(source, modelled) is JsonObject raw)
            {
                target["raw"] = raw;
            }
        }

        /// <summary>The properties of <paramref name="e"/> not in <paramref name="modelled"/>, people's data removed unless asked for; null when none.</summary>
        private JsonObject? RawOf(JsonElement e, params string[] modelled)
        {
            var raw = new JsonObject();
            foreach (var p in e.EnumerateObject())
            {
                if (modelled.Contains(p.Name, StringComparer.Ordinal) || (!_options.IncludePersonalData && Personal.IsMatch(p.Name)))
                {
                    continue;
                }

                raw[p.Name] = Clean(JsonNode.Parse(p.Value.GetRawText()));
            }

            return raw.Count == 0 ? null : raw;
        }

        private JsonNode? Clean(JsonNode? node)
        {
            if (_options.IncludePersonalData)
            {
                return node;
            }

            if (node is JsonObject o)
            {
                foreach (var key in o.Select(kv => kv.Key).ToList())
                {
                    if (Personal.IsMatch(key))
                    {
                        o.Remove(key);
                    }
                    else
                    {
                        Clean(o[key]);
                    }
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var item in a)
                {
                    Clean(item);
                }
            }

            return node;
        }

        private static JsonElement Json(ApiResponse response)
        {
            using (response)
            {
                if (response.Body.Length == 0)
                {
                    return default;
                }

                using var doc = JsonDocument.Parse(response.Body);
                return doc.RootElement.Clone();
            }
        }

        private static IEnumerable<JsonElement> Data(JsonElement page) =>
            page.ValueKind == JsonValueKind.Object && page.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array ? d.EnumerateArray().ToList() : new List<JsonElement>();

        private static IEnumerable<JsonElement> Rows(JsonElement? body)
        {
            if (body is JsonElement b)
            {
                if (b.ValueKind == JsonValueKind.Array)
                {
                    return b.EnumerateArray().ToList();
                }

                if (b.ValueKind == JsonValueKind.Object && b.TryGetProperty("results", out var r) && r.ValueKind == JsonValueKind.Array)
                {
                    return r.EnumerateArray().ToList();
                }
            }

            return new List<JsonElement>();
        }

        private static string? Str(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static long? Long(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : (long?)null;

        private static DateTimeOffset? Time(JsonElement e, string name) =>
            Str(e, name) is string s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : (DateTimeOffset?)null;

        private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>Next Matter's duration form, "D HH:MM:SS" (whole seconds; never negative).</summary>
        private static string Duration(TimeSpan t)
        {
            if (t < TimeSpan.Zero)
            {
                t = TimeSpan.Zero;
            }

            return string.Format(CultureInfo.InvariantCulture, "{0} {1:00}:{2:00}:{3:00}", t.Days, t.Hours, t.Minutes, t.Seconds);
        }
    }
}
