using System;
using System.Buffers;
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

        /// <summary>
        /// The body into a buffer rented from the shared pool (<paramref name="pooled"/>: the caller returns
        /// it) or into an array of exactly its length. A 500-row page is a few hundred KB: read into a fresh
        /// array it would be a large-object-heap allocation per page. An answer that announces its length and
        /// is not pooled is read straight into its own array, with no second copy.
        /// </summary>
        public static async Task<(byte[] Buffer, int Length)> ReadAsync(HttpResponseMessage response, bool pooled, long maxBytes, ApiRequest request, string serviceName, CancellationToken cancellationToken)
        {
            var limit = maxBytes <= 0 || maxBytes > Ceiling ? Ceiling : maxBytes;
            var content = response.Content;
            if (content == null)
            {
                return (Array.Empty<byte>(), 0);
            }

            var expected = content.Headers.ContentLength;
            if (expected is long announced && announced > limit)
            {
                throw TooLarge(request, serviceName, limit, announced);
            }

            cancellationToken.ThrowIfCancellationRequested();
            using var abort = cancellationToken.Register(static r => ((HttpResponseMessage)r!).Dispose(), response);
            if (!pooled && expected is long known && known >= 0)
            {
                return await ReadKnownLengthAsync(content, (int)known, limit, request, serviceName, cancellationToken).ConfigureAwait(false);
            }

            var pool = ArrayPool<byte>.Shared;
            var buffer = pool.Rent(expected is long n && n >= 0 ? (int)Math.Min(n + 1, limit + 1) : 64 * 1024);
            var length = 0;
            try
            {
                using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var bigger = pool.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                        Buffer.BlockCopy(buffer, 0, bigger, 0, length);
                        pool.Return(buffer);
                        buffer = bigger;
                    }

                    var read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > limit)
                    {
                        throw TooLarge(request, serviceName, limit, null);
                    }
                }
            }
            catch
            {
                pool.Return(buffer);
                throw;
            }

            if (pooled)
            {
                return (buffer, length);
            }

            var exact = length == 0 ? Array.Empty<byte>() : new byte[length];
            Buffer.BlockCopy(buffer, 0, exact, 0, length);
            pool.Return(buffer);
            return (exact, length);
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
