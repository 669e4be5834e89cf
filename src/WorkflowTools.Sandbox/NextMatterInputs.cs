using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>Checks of complete_step's input_object by field type.</summary>
internal static class NextMatterInputs
{
    /// <summary>Returns a problem description, or null when the input fits the field type.</summary>
    public static string? Check(SandboxAction action, JsonNode? input, IReadOnlyCollection<long>? earlierSteps = null)
    {
        if (input is not JsonObject o) return "input_object must be an object.";
        var inputValue = o["inputValue"];
        switch (action.Type)
        {
            case "text":
                return inputValue is JsonValue v && v.TryGetValue<string>(out _) ? null : "inputValue must be a string.";
            case "dropdown":
            {
                var selected = o["itemSelected"] ?? (inputValue as JsonObject)?["itemSelected"];
                if (selected is not JsonValue sv || !sv.TryGetValue<string>(out var s)) return "itemSelected (or inputValue.itemSelected) must be a string.";
                return InOptions(action, s);
            }
            case "multi_dropdown":
            {
                // By the single dropdown's itemSelected and the data references' itemsSelected (Next Matter documents the reference, not the input).
                var selected = o["itemsSelected"] ?? (inputValue as JsonObject)?["itemsSelected"];
                if (selected is not JsonArray items) return "itemsSelected (or inputValue.itemsSelected) must be an array of strings.";
                foreach (var item in items)
                {
                    if (item is not JsonValue iv2 || !iv2.TryGetValue<string>(out var s)) return "itemsSelected must contain strings.";
                    var bad = InOptions(action, s);
                    if (bad != null) return bad;
                }
                return null;
            }
            case "radio":
            {
                var selected = (inputValue as JsonObject)?["radioItemSelected"];
                if (selected is not JsonValue sv || !sv.TryGetValue<string>(out var s)) return "inputValue.radioItemSelected must be a string.";
                return InOptions(action, s);
            }
            case "checklist":
            {
                if (inputValue is not JsonObject iv) return "inputValue must be an object with itemsChecked / itemsNotChecked arrays.";
                foreach (var key in new[] { "itemsChecked", "itemsNotChecked" })
                {
                    var arr = iv[key];
                    if (arr == null) continue;
                    if (arr is not JsonArray items) return $"inputValue.{key} must be an array.";
                    foreach (var item in items)
                    {
                        if (item is not JsonValue iv2 || !iv2.TryGetValue<string>(out var s)) return $"inputValue.{key} must contain strings.";
                        var bad = InOptions(action, s);
                        if (bad != null) return bad;
                    }
                }
                return iv["itemsChecked"] == null && iv["itemsNotChecked"] == null ? "inputValue needs itemsChecked or itemsNotChecked." : null;
            }
            case "date":
            {
                if (o["date"] is not JsonValue dv || !dv.TryGetValue<string>(out var s)) return "date must be an ISO 8601 string.";
                return DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _)
                    ? null : $"\"{s}\" is not a valid ISO 8601 date.";
            }
            case "address":
                return inputValue is JsonObject ? null : "inputValue must be an address object (street, city, zipCode, ...).";
            case "number":
            {
                // Documented: {"numberValue":10000,"formattedValue":"10.000"}.
                if (o["numberValue"] is not JsonValue nv || nv.GetValueKind() != System.Text.Json.JsonValueKind.Number)
                    return "numberValue must be a number.";
                if (o["formattedValue"] is { } fv && (fv is not JsonValue fvv || !fvv.TryGetValue<string>(out _)))
                    return "formattedValue must be a string.";
                return Only(o, "numberValue", "formattedValue");
            }
            case "url":
            {
                // Documented: {"url":{"url":"http://..."}}.
                if (o["url"] is not JsonObject link || link["url"] is not JsonValue uv || !uv.TryGetValue<string>(out var text))
                    return "url must be an object with a url string: {\"url\":{\"url\":\"https://...\"}}.";
                if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                    return $"\"{text}\" is not a valid URL.";
                return Only(o, "url");
            }
            case "decision":
            {
                // Documented routing shape: {"action":"complete|return|skip_forward|decline","comment":..,"label":..,"returnToStep":..}.
                if (o["action"] is not JsonValue av || !av.TryGetValue<string>(out var act) || act is not ("complete" or "return" or "skip_forward" or "decline"))
                    return "action must be one of complete, return, skip_forward, decline.";
                foreach (var key in new[] { "comment", "label" })
                    if (o[key] is { } field && (field is not JsonValue sv || !sv.TryGetValue<string>(out _)))
                        return $"{key} must be a string.";
                if (act == "return")
                {
                    if (o["returnToStep"] is not JsonValue rv || !rv.TryGetValue<long>(out var target))
                        return "returnToStep is required to return: a step id, -1 or -2.";
                    if (target is not (-1 or -2) && (earlierSteps == null || !earlierSteps.Contains(target)))
                        return $"returnToStep {target} is not an earlier step of this workflow.";
                }
                return Only(o, "action", "comment", "label", "returnToStep");
            }
            default: // file, user, table and anything else: passed through
                return null;
        }
    }

    private static string? Only(JsonObject o, params string[] keys)
    {
        foreach (var pair in o)
            if (Array.IndexOf(keys, pair.Key) < 0) return $"unexpected key \"{pair.Key}\" for this field type.";
        return null;
    }

    private static string? InOptions(SandboxAction action, string value) =>
        action.Options == null || action.Options.Contains(value) ? null : $"\"{value}\" is not a valid choice.";
}
