using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.Sandbox;

// These tests block on purpose: a blocking caller is what they are about.
#pragma warning disable xUnit1031

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// A caller marked as blocking (a sequential cmdlet's pipeline thread) gets its request sent synchronously;
    /// everyone else stays async. ResilienceTestsFromABlockingCaller runs every fault through the same path.
    /// </summary>
    public class SynchronousSendTests : IAsyncLifetime
    {
        private SandboxServer _sandbox = null!;

        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        private NmConnection Connect(HttpMessageHandler? handler = null) =>
            NmConnection.Create(_sandbox.NextMatterBaseUri, SecretAuthorization.FromPlainText(_sandbox.NextMatterApiKey), new ConnectionSettings { RetryBaseDelay = TimeSpan.FromMilliseconds(10) }, handler);

        private long AnyInstance => _sandbox.NextMatter.Instances.First().Id;

        [Fact]
        public void A_blocking_caller_gets_its_answer_before_the_call_returns()
        {
            using var c = Connect();
            var task = BlockingCaller.Start(() => c.Client.GetInstanceAsync(AnyInstance, false, CancellationToken.None));

            Assert.True(task.IsCompleted, "sent synchronously, the task is complete when the call returns");
            Assert.Equal(AnyInstance, task.Result.Id);
        }

        [Fact]
        public async Task Any_other_caller_is_not_held_up_by_the_request()
        {
            using var c = Connect();
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.Delay, Delay = TimeSpan.FromMilliseconds(800), Times = 1 });
            var watch = Stopwatch.StartNew();
            var task = c.Client.GetInstanceAsync(AnyInstance, false, CancellationToken.None);
            Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(500), $"the call held the caller for {watch.Elapsed}");
            Assert.False(task.IsCompleted);
            Assert.Equal(AnyInstance, (await task).Id);
        }

        [Fact]
        public void The_mark_covers_the_call_only_and_nests()
        {
            Assert.False(BlockingCaller.IsActive);
            BlockingCaller.Start(() =>
            {
                Assert.True(BlockingCaller.IsActive);
                BlockingCaller.Start(
                    () =>
                    {
                        Assert.False(BlockingCaller.IsActive);
                        return 0;
                    },
                    blocking: false);
                Assert.True(BlockingCaller.IsActive);
                return 0;
            });
            Assert.False(BlockingCaller.IsActive);
            Assert.Throws<InvalidOperationException>(() => BlockingCaller.Start<int>(() => throw new InvalidOperationException()));
            Assert.False(BlockingCaller.IsActive);
        }

        [Fact]
        public async Task The_mark_never_reaches_what_resumes_after_an_await()
        {
            var resumedMarked = true;
            var work = BlockingCaller.Start(async () =>
            {
                Assert.True(BlockingCaller.IsActive);
                await Task.Delay(20);
                resumedMarked = BlockingCaller.IsActive;
            });
            Assert.False(BlockingCaller.IsActive);
            await work;
            Assert.False(resumedMarked);
            Assert.False(BlockingCaller.IsActive);
        }

        [Fact]
        public void A_handler_given_by_the_caller_is_only_ever_used_async()
        {
            // HttpMessageHandler.Send throws unless a handler implements it; a handler passed in is never asked.
            using var c = Connect(new AsyncOnlyHandler(new HttpClientHandler()));
            var instance = BlockingCaller.Start(() => c.Client.GetInstanceAsync(AnyInstance, false, CancellationToken.None)).GetAwaiter().GetResult();
            Assert.Equal(AnyInstance, instance.Id);
        }

        [Fact]
        public void Cancelling_stops_a_synchronous_send_at_once()
        {
            using var c = Connect();
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.Delay, Delay = TimeSpan.FromSeconds(10), Times = 1 });
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            Exception? caught = null;
            try
            {
                BlockingCaller.Start(() => c.Client.GetInstanceAsync(AnyInstance, false, cts.Token)).GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                caught = ex;
            }

            Assert.IsAssignableFrom<OperationCanceledException>(caught);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        }

        [Fact]
        public void A_prefetched_page_is_never_fetched_synchronously_under_a_blocking_consumer()
        {
            // Page 2 takes a second: fetched synchronously it would hold the consumer for that second in the
            // middle of page 1, fetched async it overlaps with writing the rest of page 1.
            Task<Page<int>> Fetch(Uri uri, CancellationToken ct)
            {
                var n = int.Parse(uri.Query.Split('=')[1]);
                var page = new Page<int>(Enumerable.Range(n * 100, 10).ToList(), n < 2 ? new Uri("http://127.0.0.1/list/?page=2") : null, 20);
                if (n == 1)
                {
                    return Task.FromResult(page);
                }

                if (BlockingCaller.IsActive)
                {
                    Thread.Sleep(1000);
                    return Task.FromResult(page);
                }

                return Task.Delay(1000, ct).ContinueWith(_ => page, ct, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            var items = Pager.StreamAsync(new Uri("http://127.0.0.1/list/?page=1"), Fetch, null).GetAsyncEnumerator();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 10; i++)
            {
                Assert.True(BlockingCaller.Start(() => items.MoveNextAsync().AsTask()).GetAwaiter().GetResult());
            }

            Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(600), $"page 1 took {watch.Elapsed} to hand out");
            var rest = 0;
            while (items.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                rest++;
            }

            Assert.Equal(10, rest);
        }

        private sealed class AsyncOnlyHandler : DelegatingHandler
        {
            public AsyncOnlyHandler(HttpMessageHandler inner)
                : base(inner)
            {
            }

            protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
                throw new InvalidOperationException("The synchronous send of a handler given by the caller was used.");
        }
    }
}
