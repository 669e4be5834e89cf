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
        public const long Ceiling = 1L << 30;

        /// <summary>
        /// The body into a buffer rented from the shared pool (<paramref name="pooled"/>: the caller returns
        /// it) or into an array of exactly its length. A 500-row page is a few hundred KB: read into a fresh
        /// array it would be a large-object-heap allocation per page.
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

        private static ApiException TooLarge(ApiRequest request, string serviceName, long limit, long? announced)
        {
            var size = announced is long a ? $"announced {Megabytes(a)}" : $"more than {Megabytes(limit)}";
            return new ApiException(
                ApiErrorKind.InvalidResponse,
                $"The answer of {serviceName} to {request.Method} {request.PathAndQuery} is too large ({size}; the limit is {Megabytes(limit)}). Ask for smaller pages (-PageSize).")
            {
                Method = request.Method,
                RequestPath = request.PathAndQuery,
            };
        }

        private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";
    }
}
