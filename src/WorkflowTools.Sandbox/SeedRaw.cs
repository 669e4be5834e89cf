using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>Serves back the parts of a seeded definition that the sandbox does not model.</summary>
internal static class SeedRaw
{
    /// <summary>
    /// Adds the properties of <paramref name="raw"/> that <paramref name="modelled"/> does not have (a copy each),
    /// object into object: what the sandbox models wins, everything else a seed carried comes back as it was written.
    /// </summary>
    public static JsonObject Merge(JsonObject? raw, JsonObject modelled)
    {
        if (raw == null) return modelled;
        foreach (var (key, value) in raw)
        {
            if (!modelled.TryGetPropertyValue(key, out var mine)) modelled[key] = value?.DeepClone();
            else if (mine is JsonObject inner && value is JsonObject extra) Merge(extra, inner);
        }
        return modelled;
    }
}
