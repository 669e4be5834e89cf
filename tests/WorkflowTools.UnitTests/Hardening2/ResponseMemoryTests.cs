using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.UnitTests.Support;
using Xunit.Abstractions;

namespace WorkflowTools.UnitTests.Hardening2
{
    /// <summary>Runs alone: it counts the bytes the whole process allocates.</summary>
    [CollectionDefinition(nameof(ResponseMemory), DisableParallelization = true)]
    public sealed class ResponseMemory
    {
    }

    /// <summary>
    /// Issue 26 item 6: an answer that never ends costs about -MaxResponseSize and no more (not a buffer that
    /// doubles, copies and rounds up to the pool's next power of two, which would cost about 3.5 times the limit).
    /// </summary>
    [Collection(nameof(ResponseMemory))]
    public class ResponseMemoryTests
    {
        private const long Limit = 64L * 1024 * 1024;
        private readonly ITestOutputHelper _log;

        public ResponseMemoryTests(ITestOutputHelper log)
        {
            _log = log;
        }

        private static ApiClient Client(LookAlikeServer server, long limit) =>
            new ApiClient(new ConnectionSettings { BaseUri = new Uri(server.Root, "api/"), MaxRetries = 0, MaxResponseSize = limit, AttemptTimeout = TimeSpan.FromSeconds(60), Timeout = TimeSpan.FromSeconds(90) }, new WorkflowTools.Connections.SecretAuthorization("Api-Key", WorkflowTools.Connections.SecretAuthorization.FromPlainText("memory.key")));

        /// <summary>Writes 64 KB pieces of a JSON-looking body, without a length, until the client goes away.</summary>
        private static async Task Endless(HttpContext context)
        {
            context.Response.ContentType = "application/json";
            var piece = new byte[64 * 1024];
            Array.Fill(piece, (byte)' ');
            piece[0] = (byte)'[';
            try
            {
                while (!context.RequestAborted.IsCancellationRequested)
                {
                    await context.Response.Body.WriteAsync(piece, context.RequestAborted);
                    piece[0] = (byte)' ';
                }
            }
            catch (Exception e) when (e is OperationCanceledException or System.IO.IOException)
            {
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task An_endless_answer_costs_no_more_than_one_and_a_half_times_the_limit(bool pooled)
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => Endless(c));
            using var api = Client(server, Limit);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var error = await Assert.ThrowsAsync<ApiException>(() => api.SendAsync(new ApiRequest("GET", api.Resolve("endless/")) { PooledBody = pooled }, CancellationToken.None));
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            Assert.Equal(ApiErrorKind.ResponseTooLarge, error.Kind);
            _log.WriteLine($"limit {Limit >> 20} MB: {allocated >> 20} MB allocated while reading an endless answer (pooled {pooled}); peak working set of the process {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MB");
            Assert.InRange(allocated, Limit, Limit * 3 / 2);
        }

        [Theory]
        [InlineData(0, false)]
        [InlineData(1, true)]
        [InlineData(65535, true)]
        [InlineData(65536, true)]
        [InlineData(65537, false)]
        [InlineData(3 * 1024 * 1024 + 17, true)]
        [InlineData(40 * 1024 * 1024 + 3, false)]
        [InlineData(64 * 1024 * 1024, true)]
        public async Task An_answer_without_a_length_arrives_whole_in_one_buffer(int size, bool pooled)
        {
            var body = RandomNumberGenerator.GetBytes(size);
            await using var server = await LookAlikeServer.StartAsync(async (c, _) =>
            {
                c.Response.ContentType = "application/octet-stream";
                for (var at = 0; at < body.Length; at += 100_000)
                {
                    await c.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(100_000, body.Length - at)));
                    await c.Response.Body.FlushAsync();
                }
            });
            using var api = Client(server, Limit);

            using var response = await api.SendAsync(new ApiRequest("GET", api.Resolve("body/")) { PooledBody = pooled }, CancellationToken.None);

            Assert.Equal(size, response.Length);
            Assert.True(response.Content.Span.SequenceEqual(body));
        }

        [Fact]
        public async Task One_byte_past_the_limit_is_refused()
        {
            const int limit = 1024 * 1024;
            await using var server = await LookAlikeServer.StartAsync((c, _) => c.Response.Body.WriteAsync(new byte[limit + 1]).AsTask());
            using var api = Client(server, limit);
            var error = await Assert.ThrowsAsync<ApiException>(() => api.SendAsync(new ApiRequest("GET", api.Resolve("x/")) { PooledBody = true }, CancellationToken.None));
            Assert.Equal(ApiErrorKind.ResponseTooLarge, error.Kind);
        }
    }
}
