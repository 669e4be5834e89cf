using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

// Seed readers for the people part of processMaker: a group's "groups" (the groups inside it, nested groups). The
// ids are not checked against the file's groups: an id that names no group simply has no effect.
public sealed partial class SeedDocument
{
    private sealed partial class SeedReader
    {
        /// <summary>A list of positive ids.</summary>
        private IReadOnlyList<long> PositiveIds(JsonObject o, string key, string path)
        {
            if (!o.TryGetPropertyValue(key, out var node) || node == null) return Array.Empty<long>();
            if (node is not JsonArray a) { Error(node, LineOf(o), Join(path, key), "must be a list of group ids."); return Array.Empty<long>(); }
            var list = new List<long>();
            for (var n = 0; n < a.Count; n++)
            {
                if (a[n] is JsonValue v && v.TryGetValue<long>(out var id) && id > 0) list.Add(id);
                else Error(a[n], LineOf(a), $"{Join(path, key)}[{n}]", "must be a positive group id.");
            }
            return list;
        }
    }
}
