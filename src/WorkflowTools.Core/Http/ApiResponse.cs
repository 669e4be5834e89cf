using System;
using System.Text;

namespace WorkflowTools.Http
{
    /// <summary>A successful (2xx) answer, read whole.</summary>
    public sealed class ApiResponse
    {
        public ApiResponse(int statusCode, byte[] body, string? contentType, string method, string requestPath)
        {
            StatusCode = statusCode;
            Body = body;
            ContentType = contentType;
            Method = method;
            RequestPath = requestPath;
        }

        public int StatusCode { get; }

        public byte[] Body { get; }

        public string? ContentType { get; }

        public string Method { get; }

        public string RequestPath { get; }

        public string BodyText => Encoding.UTF8.GetString(Body);
    }

    /// <summary>One request to send. The body is already-serialised JSON.</summary>
    public sealed class ApiRequest
    {
        public ApiRequest(string method, Uri uri, byte[]? jsonBody = null, bool idempotent = true)
        {
            Method = method;
            Uri = uri;
            JsonBody = jsonBody;
            Idempotent = idempotent;
        }

        public string Method { get; }

        public Uri Uri { get; }

        public byte[]? JsonBody { get; }

        /// <summary>
        /// False for requests that create or change something and must not be resent after an ambiguous
        /// failure (create an instance, complete a step, start a request).
        /// </summary>
        public bool Idempotent { get; }

        /// <summary>What the request does, for an "outcome unknown" message ("create an instance").</summary>
        public string? Operation { get; set; }

        public string PathAndQuery => Uri.PathAndQuery;
    }
}
