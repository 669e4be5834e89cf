using System;
using System.Net.Http;
using System.Reflection;

namespace WorkflowTools.Http
{
    /// <summary>
    /// HTTP/2 where the server offers it: on .NET 5 and later a request to an https URL asks for HTTP/2 and
    /// takes HTTP/1.1 when the server's TLS handshake does not offer h2 (RequestVersionOrLower). .NET Framework
    /// has no such policy and stays on HTTP/1.1; plain http stays on HTTP/1.1 (HTTP/2 without TLS needs prior
    /// knowledge that a server speaks it).
    /// </summary>
    internal static class HttpVersionChoice
    {
        private static readonly PropertyInfo? PolicyProperty = typeof(HttpRequestMessage).GetProperty("VersionPolicy");
        private static readonly object? OrLower = PolicyProperty != null ? Enum.Parse(PolicyProperty.PropertyType, "RequestVersionOrLower") : null;
        private static readonly Version Http2 = new Version(2, 0);

        public static bool Http2Supported => PolicyProperty != null;

        public static bool WantsHttp2(Uri uri) => Http2Supported && uri.Scheme == Uri.UriSchemeHttps;

        public static void AskForHttp2(HttpRequestMessage message)
        {
            message.Version = Http2;
            PolicyProperty!.SetValue(message, OrLower);
        }
    }
}
