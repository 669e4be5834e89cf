using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Http
{
    /// <summary>The bodies that are not plain JSON: secret ones (never traced) and streamed ones (file transfers).</summary>
    internal static class RequestBodies
    {
        /// <summary>The request's body as the -Debug trace shows it ("" when it has none).</summary>
        public static string Describe(ApiRequest request)
        {
            if (request.SecretBody)
            {
                return " Body: <not shown: it carries a secret>";
            }

            if (request.JsonBody != null)
            {
                return " Body: " + ApiErrorParser.Excerpt(Encoding.UTF8.GetString(request.JsonBody));
            }

            return request.Content != null ? " Body: <streamed>" : string.Empty;
        }

        /// <summary>
        /// The message's content: the JSON body (in <paramref name="tracked"/> when the attempt watches whether its body
        /// was written), or a streamed one made anew for this attempt; null for none.
        /// </summary>
        public static HttpContent? ContentOf(ApiRequest request, TrackedContent? tracked = null)
        {
            if (request.JsonBody != null)
            {
                var json = tracked ?? (HttpContent)new ByteArrayContent(request.JsonBody);
                json.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                return json;
            }

            return request.Content?.Invoke();
        }

        /// <summary>A successful answer whose body the request reads itself (<see cref="ApiRequest.ReadSuccess"/>): no body is kept.</summary>
        public static async Task<(byte[] Body, int Length, bool Pooled)> ReadOwnAsync(ApiRequest request, HttpResponseMessage response, CancellationToken cancellationToken)
        {
            await request.ReadSuccess!(response, cancellationToken).ConfigureAwait(false);
            return (Array.Empty<byte>(), 0, false);
        }
    }
}
