using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.NextMatter
{
    // The raw API (Invoke-NmApi): any path under the connection's base URL, with its auth, retries and errors.
    internal sealed partial class NmClient
    {
        /// <summary>
        /// The URL for a raw call: a path relative to the base URL, or an absolute URL under it (a <c>next</c> link).
        /// Any other host is refused: the API key must never travel anywhere else.
        /// </summary>
        public Uri ResolveRaw(string pathOrUrl, QueryString? query)
        {
            if (string.IsNullOrWhiteSpace(pathOrUrl))
            {
                throw new ArgumentException("The path is empty.");
            }

            var uri = _api.Resolve(pathOrUrl.Trim());
            var baseUri = _api.BaseUri;
            if (OriginRule.Violation(baseUri, uri) is string violation)
            {
                throw new ArgumentException($"'{pathOrUrl}' is not under the connection's base URL {baseUri} ({violation}); give a path relative to it (e.g. 'instances/5/').");
            }

            if (query == null || query.Count == 0)
            {
                return uri;
            }

            var text = query.ToString();
            return new Uri(uri.AbsoluteUri + (string.IsNullOrEmpty(uri.Query) ? text : "&" + text.Substring(1)));
        }

        /// <summary>Sends any request with the connection's auth, retries and error handling; returns the JSON answer as a <see cref="JsonTree"/> (HasBody false for an empty one).</summary>
        public async Task<(bool HasBody, object? Json)> SendRawAsync(string method, Uri uri, byte[]? jsonBody, CancellationToken cancellationToken)
        {
            var answer = await SendRawElementAsync(method, uri, jsonBody, cancellationToken).ConfigureAwait(false);
            return answer is JsonElement json ? (true, JsonTree.From(json)) : (false, null);
        }

        /// <summary>The same as <see cref="SendRawAsync"/>, for the core's own readers: the answer as a JsonElement, null when empty.</summary>
        internal async Task<JsonElement?> SendRawElementAsync(string method, Uri uri, byte[]? jsonBody, CancellationToken cancellationToken)
        {
            var verb = method.ToUpperInvariant();
            var idempotent = verb == "GET" || verb == "HEAD" || verb == "PUT" || verb == "DELETE" || verb == "OPTIONS";
            var request = new ApiRequest(verb, uri, jsonBody, idempotent) { Operation = $"{verb} {uri.PathAndQuery}" };
            var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Body.Length == 0 || response.BodyText.Trim().Length == 0)
            {
                return null;
            }

            using var doc = JsonAnswer.Parse(response);
            return doc.RootElement.Clone();
        }

        /// <summary>
        /// A raw GET that follows DRF pages: the rows of every page (<c>results</c>), streamed; a bare array gives its
        /// items; any other answer is handed out whole. Each as a <see cref="JsonTree"/>.
        /// </summary>
        public Listing<object?> StreamRawAsync(Uri first) =>
            Listing.Of(
                first,
                async (uri, ct) =>
                {
                    var response = await _api.SendAsync(new ApiRequest("GET", uri), ct).ConfigureAwait(false);
                    using var doc = JsonAnswer.Parse(response);
                    var root = doc.RootElement;
                    var isPage = root.ValueKind == JsonValueKind.Array
                        || (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array);
                    return isPage
                        ? Pager.ReadDrfPage(response, JsonTree.From)
                        : new Page<object?>(new[] { JsonTree.From(root) }, null, 1);
                });
    }
}
