using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WorkflowTools.Sandbox;

/// <summary>
/// Who may talk to the sandbox. Every route answers only requests whose <c>Host</c> is <c>127.0.0.1</c>,
/// <c>localhost</c> or <c>[::1]</c> (with or without a port): a web page that rebinds its own name to 127.0.0.1
/// sends its own name and is refused. Everything under <c>/_sandbox</c> (the control API, and whatever route is
/// added there later) also needs the sandbox's random control token in the <see cref="TokenHeader"/> header:
/// another account on the machine can reach the port, but cannot read the token (it is printed to the console
/// that started the sandbox and written to its ready file, readable by its owner only).
/// </summary>
public static class SandboxAccess
{
    /// <summary>The header that carries the control token on <c>/_sandbox/</c> requests.</summary>
    public const string TokenHeader = "X-Sandbox-Token";

    /// <summary>A new random control token: 32 bytes, base64url.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Adds both checks in front of everything else (the request log included).</summary>
    internal static void Use(WebApplication app, SandboxServer server)
    {
        var expected = Encoding.UTF8.GetBytes(server.ControlToken);
        app.Use(async (context, next) =>
        {
            if (!IsLoopbackHost(context.Request.Host))
            {
                await RefuseAsync(context, 400, $"The sandbox answers only requests for Host 127.0.0.1, localhost or [::1]; this one named '{context.Request.Host.Value}'.");
                return;
            }

            if (context.Request.Path.StartsWithSegments("/_sandbox", StringComparison.OrdinalIgnoreCase) && !HasToken(context, expected))
            {
                await RefuseAsync(context, 401, $"The sandbox's control API needs its control token in the {TokenHeader} header (printed when the sandbox starts, and in its ready file).");
                return;
            }

            await next(context);
        });
    }

    /// <summary>True for 127.0.0.1, localhost and [::1], with an optional port.</summary>
    public static bool IsLoopbackHost(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        var name = host.Host;
        return name == "127.0.0.1" || name == "[::1]" || name == "::1" || string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasToken(HttpContext context, byte[] expected)
    {
        var given = context.Request.Headers[TokenHeader];
        if (given.Count != 1 || given[0] is not { Length: > 0 } text)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(text), expected);
    }

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"message\":" + System.Text.Json.JsonSerializer.Serialize(message) + "}");
    }
}
