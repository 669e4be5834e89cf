using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkflowTools.Sandbox;

/// <summary>
/// Keeps passwords out of the request log: a JSON body's <c>password</c> and <c>valpassword</c> (user writes) and a
/// form body's <c>password</c> (the OAuth password grant) are logged as <see cref="Mask"/>. The handlers still read the
/// real body; only the recorded copy changes.
/// </summary>
internal static class SecretRedaction
{
    /// <summary>What a password is logged as.</summary>
    public const string Mask = "[redacted]";

    private static readonly string[] Keys = { "password", "valpassword" };
    private static readonly Regex FormPassword = new("(^|&)((?:val)?password)=[^&]*", RegexOptions.CultureInvariant);

    public static string Redact(string body)
    {
        if (body.Length == 0 || body.IndexOf("password", StringComparison.OrdinalIgnoreCase) < 0) return body;
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject o && Keys.Any(o.ContainsKey))
                {
                    foreach (var k in Keys.Where(o.ContainsKey)) o[k] = Mask;
                    return o.ToJsonString(SandboxJson.WriteOptions);
                }
                return body;
            }
            catch (JsonException)
            {
                return body;
            }
        }
        return FormPassword.Replace(body, m => m.Groups[1].Value + m.Groups[2].Value + "=" + Uri.EscapeDataString(Mask));
    }
}
