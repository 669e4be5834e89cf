using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;

namespace WorkflowTools.Http
{
    /// <summary>
    /// A request's JSON body that knows whether the handler began to write it. The handler writes a body only
    /// once it holds a connection (and, for https, a finished handshake) and has written the headers; a server
    /// cannot act on a request whose body it never got (the headers announce its length). So an attempt that fails
    /// before the body was started certainly was not applied, and may be sent again even when it creates
    /// something. Derived from <see cref="HttpContent"/> itself, not ByteArrayContent, whose newer runtimes write
    /// through an overload this class could not see.
    /// </summary>
    internal sealed class TrackedContent : HttpContent
    {
        private readonly byte[] _body;
        private volatile bool _started;

        public TrackedContent(byte[] body)
        {
            _body = body ?? throw new ArgumentNullException(nameof(body));
        }

        /// <summary>True once the handler began to write the body to a connection.</summary>
        public bool Started => _started;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            _started = true;
            return stream.WriteAsync(_body, 0, _body.Length);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }

    /// <summary>An attempt that failed before its body was written (<see cref="TrackedContent"/>): nothing reached the server that it could apply.</summary>
    internal sealed class RequestNotSentException : HttpRequestException
    {
        public RequestNotSentException(string message, Exception inner, bool timedOut)
            : base(message, inner)
        {
            TimedOut = timedOut;
        }

        /// <summary>The attempt timeout ran out before a connection was ready.</summary>
        public bool TimedOut { get; }
    }
}
