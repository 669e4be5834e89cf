using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>
/// Takes the OAuth credentials out of a request body before the request log keeps it: a script under test
/// may connect with real credentials, and the log is printed by <c>Get-WorkflowToolsSandboxRequest</c> and
/// served by <c>GET /_sandbox/requests</c>. Form fields and top-level JSON properties named
/// <c>password</c>, <c>client_secret</c> or <c>refresh_token</c> (and <c>valpassword</c>, the confirmation of a user
/// write's password) keep their name; their value becomes
/// <see cref="Mark"/>. Everything else of the body is logged as received.
/// </summary>
internal static class RequestLogRedaction
{
    public const string Mark = "[redacted]";

    private static readonly HashSet<string> Secret = new(StringComparer.OrdinalIgnoreCase) { "password", "valpassword", "client_secret", "refresh_token" };

    public static string Redact(string body, string? contentType)
    {
        if (body.Length == 0)
        {
            return body;
        }

        var media = contentType ?? "";
        if (media.Contains("json", StringComparison.OrdinalIgnoreCase) || body.TrimStart().StartsWith('{'))
        {
            return RedactJson(body);
        }

        return RedactForm(body);
    }

    private static string RedactForm(string body)
    {
        var changed = false;
        var pairs = body.Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            var equals = pairs[i].IndexOf('=');
            var name = equals < 0 ? pairs[i] : pairs[i][..equals];
            if (equals >= 0 && Secret.Contains(Decode(name)))
            {
                pairs[i] = name + "=" + Mark;
                changed = true;
            }
        }

        return changed ? string.Join("&", pairs) : body;
    }

    private static string RedactJson(string body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            // Not JSON after all: a form body sent with a JSON content type is still a form.
            return RedactForm(body);
        }

        if (root is not JsonObject obj)
        {
            return body;
        }

        var names = obj.Select(p => p.Key).Where(Secret.Contains).ToList();
        if (names.Count == 0)
        {
            return body;
        }

        foreach (var name in names)
        {
            obj[name] = Mark;
        }

        return obj.ToJsonString();
    }

    private static string Decode(string name)
    {
        try
        {
            return Uri.UnescapeDataString(name.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return name;
        }
    }
}
