using System;
using System.Text;

namespace WorkflowTools.Http
{
    /// <summary>
    /// A successful (2xx) answer, read whole. An answer to a request with <see cref="ApiRequest.PooledBody"/>
    /// holds its body in a buffer rented from the shared pool (a listing's pages: no large-object-heap array
    /// per page); whoever ends up owning it disposes it, which returns the buffer.
    /// </summary>
    internal sealed class ApiResponse : IDisposable
    {
        private byte[]? _body;
        private byte[]? _pooled;
        private readonly int _length;

        public ApiResponse(int statusCode, byte[] body, string? contentType, string method, string requestPath)
            : this(statusCode, body ?? throw new ArgumentNullException(nameof(body)), body.Length, false, contentType, method, requestPath)
        {
        }

        // pooled: body is rented from the shared pool and holds length bytes; Dispose returns it.
        internal ApiResponse(int statusCode, byte[] body, int length, bool pooled, string? contentType, string method, string requestPath)
        {
            if (pooled)
            {
                _pooled = body;
            }
            else
            {
                _body = body;
            }

            _length = length;
            StatusCode = statusCode;
            ContentType = contentType;
            Method = method;
            RequestPath = requestPath;
        }

        public int StatusCode { get; }

        /// <summary>The body; for a pooled answer, a copy (readers use <see cref="Content"/>).</summary>
        public byte[] Body => _body ??= Content.ToArray();

        /// <summary>The body without a copy; valid until the answer is disposed.</summary>
        public ReadOnlyMemory<byte> Content => _pooled != null
            ? new ReadOnlyMemory<byte>(_pooled, 0, _length)
            : _body != null ? new ReadOnlyMemory<byte>(_body) : throw new ObjectDisposedException(nameof(ApiResponse));

        public int Length => _length;

        public string? ContentType { get; }

        public string Method { get; }

        public string RequestPath { get; }

        /// <summary>The status line's reason phrase (kept for a <see cref="ApiRequest.TokenRequest"/>'s refusal message).</summary>
        internal string? ReasonPhrase { get; set; }

        /// <summary>How many attempts the call took (set for a <see cref="ApiRequest.TokenRequest"/>).</summary>
        internal int Attempts { get; set; }

        /// <summary>The connection's redactor, for messages quoting this body.</summary>
        internal SecretRedactor Redactor { get; set; } = SecretRedactor.None;

        public string BodyText => _pooled != null ? Encoding.UTF8.GetString(_pooled, 0, _length) : Encoding.UTF8.GetString(Body);

        /// <summary>Returns a pooled body to the pool; nothing to do for an ordinary one.</summary>
        public void Dispose()
        {
            var pooled = _pooled;
            _pooled = null;
            if (pooled != null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
            }
        }
    }

    /// <summary>One request to send. The body is already-serialised JSON.</summary>
    internal sealed class ApiRequest
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

        /// <summary>
        /// Read a successful answer's body into a buffer from the shared pool; the caller then owns the
        /// <see cref="ApiResponse"/> and disposes it (a listing's page does so when it is written).
        /// </summary>
        public bool PooledBody { get; set; }

        /// <summary>The body holds a secret (a password, an environment variable's value): it is never traced, not even redacted.</summary>
        public bool SecretBody { get; set; }

        public string PathAndQuery => Uri.PathAndQuery;

        /// <summary>A body other than JSON (a streamed multipart upload), made anew for each attempt; never traced.</summary>
        public Func<System.Net.Http.HttpContent>? Content { get; set; }

        /// <summary>
        /// Reads a successful answer's body itself (a download streamed to a file), under the attempt's token; the
        /// answer then carries no body. Called again, from the start, if the attempt is retried.
        /// </summary>
        public Func<System.Net.Http.HttpResponseMessage, System.Threading.CancellationToken, System.Threading.Tasks.Task>? ReadSuccess { get; set; }

        /// <summary>
        /// A request for the connection's credential itself (the OAuth2 token POST, with a <see cref="SecretBody"/> form):
        /// sent without an Authorization header (the token source is never asked, so it cannot call itself) and
        /// outside the pacer (as before the token road joined this one); it may go anywhere on the base URL's origin
        /// (the token endpoint is beside the API root, not under it); and every answer, whatever its status, is
        /// handed back for the caller to read: an OAuth refusal is the token source's to explain.
        /// </summary>
        public bool TokenRequest { get; set; }
    }
}
