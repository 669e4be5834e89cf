using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Http
{
    /// <summary>
    /// Reads an answer's body, every byte of it under a cancellation token and within a size limit.
    /// The token is honoured twice over: each read is given it, and cancelling it disposes the response,
    /// which aborts the connection on runtimes whose streams ignore a token once a read is under way
    /// (.NET Framework).
    /// </summary>
    internal static class BodyReader
    {
        /// <summary>The largest answer a buffer can hold (an array's limit, rounded down).</summary>
        public const long Ceiling = WorkflowTools.Connections.ConnectionDefaults.MaxResponseSizeLimit;

        /// <summary>Bodies up to this size are handed out in a pooled buffer when asked for; larger ones get an exact array.</summary>
        private const int LargestPooled = 1024 * 1024;

        /// <summary>The first piece of an answer read without a length (enough for most pages).</summary>
        private const int FirstPiece = 64 * 1024;

        /// <summary>The largest piece an answer without a length is read in: pieces double up to this size.</summary>
        private const int LargestPiece = 8 * 1024 * 1024;

        /// <summary>
        /// The body into a buffer rented from the shared pool (<c>Pooled</c> true: the caller returns it) or into
        /// an array of exactly its length. A 500-row page is a few hundred KB: read into a fresh array it would be
        /// a large-object-heap allocation per page. An answer that announces its length is read straight into one
        /// buffer, with no second copy (pooled only up to <see cref="LargestPooled"/>: the pool rounds a size up
        /// to a power of two). An answer without a length is read in pieces that are never copied while reading,
        /// so a body that never ends costs about the limit and no more before it is refused; one that ends is
        /// copied once into its buffer.
        /// </summary>
        public static async Task<(byte[] Buffer, int Length, bool Pooled)> ReadAsync(HttpResponseMessage response, bool pooled, long maxBytes, ApiRequest request, string serviceName, CancellationToken cancellationToken)
        {
            var limit = maxBytes <= 0 || maxBytes > Ceiling ? Ceiling : maxBytes;
            var content = response.Content;
            if (content == null)
            {
                return (Array.Empty<byte>(), 0, false);
            }

            var expected = content.Headers.ContentLength;
            if (expected is long announced && announced > limit)
            {
                throw TooLarge(request, serviceName, limit, announced);
            }

            cancellationToken.ThrowIfCancellationRequested();
            using var abort = cancellationToken.Register(static r => ((HttpResponseMessage)r!).Dispose(), response);
            if (expected is long known && known >= 0 && (!pooled || known >= LargestPooled))
            {
                var (exact, length) = await ReadKnownLengthAsync(content, (int)known, limit, request, serviceName, cancellationToken).ConfigureAwait(false);
                return (exact, length, false);
            }

            var pool = ArrayPool<byte>.Shared;
            var first = pool.Rent(expected is long n && n >= 0 ? (int)Math.Min(n + 1, limit + 1) : (int)Math.Min(FirstPiece, limit + 1));
            List<byte[]>? pieces = null;
            var current = first;
            var inCurrent = 0;
            long total = 0;
            try
            {
                using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
                while (true)
                {
                    if (inCurrent == current.Length)
                    {
                        // A new piece, never a bigger copy of the old ones; the pieces together never hold more than the limit and a byte.
                        pieces ??= new List<byte[]>();
                        pieces.Add(current);
                        current = new byte[(int)Math.Min(Math.Min((long)current.Length * 2, LargestPiece), limit + 1 - total)];
                        inCurrent = 0;
                    }

                    var read = await stream.ReadAsync(current, inCurrent, current.Length - inCurrent, cancellationToken).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    if (read == 0)
                    {
                        break;
                    }

                    inCurrent += read;
                    total += read;
                    if (total > limit)
                    {
                        throw TooLarge(request, serviceName, limit, null);
                    }
                }
            }
            catch
            {
                pool.Return(first);
                throw;
            }

            var size = (int)total;
            if (pieces == null && pooled)
            {
                // The whole answer is in the first, pooled piece: handed out as it is.
                return (first, size, true);
            }

            var keepPooled = pooled && size <= LargestPooled;
            var body = size == 0 ? Array.Empty<byte>() : keepPooled ? pool.Rent(size) : new byte[size];
            var at = 0;
            foreach (var piece in pieces ?? new List<byte[]>())
            {
                Buffer.BlockCopy(piece, 0, body, at, piece.Length);
                at += piece.Length;
            }

            Buffer.BlockCopy(current, 0, body, at, inCurrent);
            pool.Return(first);
            return (body, size, keepPooled && size > 0);
        }

        /// <summary>An answer of a known length, not pooled: read into an array of that length (one byte more tells a longer body).</summary>
        private static async Task<(byte[] Buffer, int Length)> ReadKnownLengthAsync(HttpContent content, int known, long limit, ApiRequest request, string serviceName, CancellationToken cancellationToken)
        {
            var buffer = known == 0 ? Array.Empty<byte>() : new byte[known];
            var length = 0;
            using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
            while (length < known)
            {
                var read = await stream.ReadAsync(buffer, length, known - length, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (read == 0)
                {
                    // Shorter than announced: the handler reports a truncated body itself; what arrived is what there is.
                    var exact = new byte[length];
                    Buffer.BlockCopy(buffer, 0, exact, 0, length);
                    return (exact, length);
                }

                length += read;
            }

            var probe = new byte[1];
            if (await stream.ReadAsync(probe, 0, 1, cancellationToken).ConfigureAwait(false) != 0)
            {
                // More than announced: never past the limit, and never silently cut.
                throw TooLarge(request, serviceName, limit, null);
            }

            return (buffer, length);
        }

        private static ApiException TooLarge(ApiRequest request, string serviceName, long limit, long? announced)
        {
            var size = announced is long a ? $"it announced {Size(a)}" : $"it went on past {Size(limit)}";
            var connect = serviceName == "Next Matter" ? "Connect-NmService" : serviceName == "ProcessMaker" ? "Connect-PmServer" : "Connect-*";
            return new ApiException(
                ApiErrorKind.ResponseTooLarge,
                $"The answer of {serviceName} to {request.Method} {request.PathAndQuery} is larger than this connection's limit of {Size(limit)} ({size}); nothing of it was used. Ask for less (a smaller -PageSize), or raise the limit with {connect} -MaxResponseSize (at most {Size(Ceiling)}).")
            {
                Method = request.Method,
                RequestPath = request.PathAndQuery,
            };
        }

        /// <summary>A size as people read it: "64 KB", "256 MB", "1 GB" (binary units).</summary>
        internal static string Size(long bytes) =>
            bytes >= 1L << 30 ? (bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GB"
            : bytes >= 1L << 20 ? (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
            : bytes >= 1L << 10 ? (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB"
            : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
    }
}
