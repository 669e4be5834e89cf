using System;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace WorkflowTools.Sandbox;

/// <summary>
/// What the request log keeps of a request body. A JSON body is kept as text, except an environment variable's
/// <c>value</c>, which is replaced (the sandbox, like PM4, never shows it again, and its log is no exception). A
/// multipart upload is not read here at all: its size is noted, the handler streams it, and Kestrel's default
/// 30 MB body limit is raised to <see cref="MaxUploadBytes"/> so a file as large as PM4 accepts can arrive.
/// </summary>
internal static class RequestLogBodies
{
    /// <summary>PM4's media-library max_file_size (256 MB) plus room for the multipart framing.</summary>
    public const long MaxUploadBytes = 256L * 1024 * 1024 + 1024 * 1024;

    /// <summary>What replaces an environment variable's value in the log.</summary>
    public const string Redacted = "<not recorded>";

    public static async Task<string> ReadAsync(HttpContext context)
    {
        var type = context.Request.ContentType ?? string.Empty;
        if (type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxUploadBytes;
            return $"<{type.Split(';')[0]} body of {context.Request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} bytes, not recorded>";
        }

        context.Request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, false, 4096, leaveOpen: true))
            body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Request.Body.Position = 0;
        return (context.Request.Path.Value ?? string.Empty).Contains("/environment_variables", StringComparison.Ordinal) ? WithoutValue(body) : body;
    }

    private static string WithoutValue(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject o && o.ContainsKey("value"))
            {
                o["value"] = Redacted;
                return o.ToJsonString();
            }

            return body;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: nothing in it can be shown safely.
            return Redacted;
        }
    }
}
