using System;

namespace WorkflowTools.Http
{
    /// <summary>
    /// Where a connection's credentials may go: the scheme, host and port of its base URL, and a path under
    /// the base path. Every request the HTTP core sends carries them, so every request is checked here:
    /// a page's <c>next</c> link, a user's <c>-Path</c>, a URL built by a client.
    /// </summary>
    internal static class OriginRule
    {
        /// <summary>The origin of a URL as a message shows it: <c>https://host:port</c>.</summary>
        public static string OriginOf(Uri uri) =>
            uri.IsAbsoluteUri ? uri.Scheme + "://" + uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : uri.OriginalString;

        /// <summary>Null when <paramref name="target"/> is under <paramref name="baseUri"/>, else what breaks the rule.</summary>
        public static string? Violation(Uri baseUri, Uri target)
        {
            if (!target.IsAbsoluteUri)
            {
                return "it is not an absolute URL";
            }

            if (!string.Equals(target.Scheme, baseUri.Scheme, StringComparison.OrdinalIgnoreCase))
            {
                return baseUri.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp
                    ? "it is plain http:// and the connection is https://"
                    : $"its scheme is '{target.Scheme}:', the connection's is '{baseUri.Scheme}:'";
            }

            if (!string.Equals(target.IdnHost, baseUri.IdnHost, StringComparison.OrdinalIgnoreCase))
            {
                return $"its host is '{target.Host}', the connection's is '{baseUri.Host}'";
            }

            if (target.Port != baseUri.Port)
            {
                return $"its port is {target.Port}, the connection's is {baseUri.Port}";
            }

            if (!string.IsNullOrEmpty(target.UserInfo))
            {
                return "it carries a user name";
            }

            var basePath = baseUri.AbsolutePath.EndsWith("/", StringComparison.Ordinal) ? baseUri.AbsolutePath : baseUri.AbsolutePath + "/";
            var path = target.AbsolutePath;
            if (!path.StartsWith(basePath, StringComparison.Ordinal) && path + "/" != basePath)
            {
                return $"its path '{path}' is not under '{basePath}'";
            }

            // Uri has already removed plain and %2e dot segments; one hidden behind an encoded slash
            // ('..%2f') would still climb out on a server that decodes the slash first.
            var decoded = Uri.UnescapeDataString(path.Substring(basePath.Length > path.Length ? path.Length : basePath.Length));
            foreach (var segment in decoded.Split('/', '\\'))
            {
                if (segment == "." || segment == "..")
                {
                    return $"its path '{path}' climbs out of '{basePath}'";
                }
            }

            return null;
        }

        /// <summary>
        /// Every request carries the connection's credentials, so none leaves the base URL's origin and path: not a
        /// server's next link, not a user's path. A token request (the OAuth token endpoint, beside the API root) may
        /// go anywhere on the origin. Null when the request may go; else the error to throw, with nothing sent.
        /// </summary>
        internal static ApiException? Refusal(Connections.ConnectionSettings options, ApiRequest request)
        {
            var violation = Violation(request.TokenRequest ? new Uri(options.BaseUri, "/") : options.BaseUri, request.Uri);
            if (violation == null)
            {
                return null;
            }

            var shown = request.Uri.IsAbsoluteUri ? OriginOf(request.Uri) + request.Uri.AbsolutePath : request.Uri.OriginalString;
            return new ApiException(
                ApiErrorKind.OriginRefused,
                $"Refused to send {request.Method} {shown}: {violation}. {options.ServiceName}'s credentials go only to {options.BaseUri}, so nothing was sent.")
            {
                Method = request.Method,
                RequestPath = request.Uri.IsAbsoluteUri ? request.Uri.PathAndQuery : request.Uri.OriginalString,
                Attempts = 0,
            };
        }
    }
}
