using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Concurrency;
using WorkflowTools.Http;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// The queue of the -ThrottleLimit cmdlets on its own. Requests are TaskCompletionSources that the test
    /// completes; the owner thread is scripted: each time the queue blocks, the owner runs the next step of the
    /// script (what "meanwhile" happens on other threads). A queue that blocks when the test expects it not to, or
    /// more often, finds the script empty and fails; nothing depends on timing.
    /// </summary>
    public class ThrottledQueueTests
    {
        private sealed class ScriptedOwner : IOwnerThread
        {
            private readonly Queue<Action> _steps = new Queue<Action>();

            public int Waits { get; private set; }

            public int Wakes;

            public ScriptedOwner Then(Action step)
            {
                _steps.Enqueue(step);
                return this;
            }

            public int StepsLeft => _steps.Count;

            public void RunPosted(bool wait)
            {
                if (!wait)
                {
                    return;
                }

                Waits++;
                if (_steps.Count == 0)
                {
                    throw new InvalidOperationException($"The queue blocked (wait {Waits}) with nothing left in the script to complete.");
                }

                _steps.Dequeue()();
            }

            public void Wake() => Interlocked.Increment(ref Wakes);
        }

        /// <summary>The queue under test with what it handed out, in order: "r:&lt;result&gt;", "e:&lt;target&gt;", "also:&lt;target&gt;".</summary>
        private sealed class Harness
        {
            public readonly ScriptedOwner Owner = new ScriptedOwner();
            public readonly List<string> Out = new List<string>();
            public readonly ThrottledQueue Queue;

            public Harness(int maxInFlight, bool keepInputOrder = true, bool stopAtFirstError = false, bool errorStops = false)
            {
                Queue = new ThrottledQueue(Owner, maxInFlight, keepInputOrder, stopAtFirstError)
                {
                    AlsoFailed = (target, _) => Out.Add("also:" + target),
                };
                ErrorStops = errorStops;
            }

            /// <summary>Whether an item's error throws (as WriteError does under -ErrorAction Stop).</summary>
            public bool ErrorStops { get; }

            public TaskCompletionSource<string> Add(string name)
            {
                var tcs = new TaskCompletionSource<string>();
                Queue.Add(tcs.Task, name, r => Out.Add("r:" + r), _ =>
                {
                    Out.Add("e:" + name);
                    if (ErrorStops)
                    {
                        throw new StopException(name);
                    }
                });
                return tcs;
            }

            public void Add(string name, Task<string> request) =>
                Queue.Add(request, name, r => Out.Add("r:" + r), _ => Out.Add("e:" + name));
        }

        private sealed class StopException : Exception
        {
            public StopException(string item)
                : base("stopped at " + item)
            {
            }
        }

        private static ApiException NotFound() => new ApiException(ApiErrorKind.NotFound, "no such item");

        [Fact]
        public void Add_returns_at_once_while_fewer_than_MaxInFlight_are_running()
        {
            var h = new Harness(maxInFlight: 3);
            h.Add("a");
            h.Add("b");

            Assert.Equal(0, h.Owner.Waits);
            Assert.Equal(2, h.Queue.Pending);
            Assert.Empty(h.Out);
        }

        [Fact]
        public void Add_blocks_while_MaxInFlight_are_running_and_hands_out_what_finished_meanwhile()
        {
            var h = new Harness(maxInFlight: 2);
            var a = h.Add("a");
            h.Owner.Then(() => a.SetResult("A"));

            // Two in flight is not fewer than two: the queue waits until one of them has finished.
            h.Add("b");

            Assert.Equal(1, h.Owner.Waits);
            Assert.Equal(new[] { "r:A" }, h.Out);
            Assert.Equal(1, h.Queue.Pending);
        }

        [Fact]
        public void Results_keep_input_order_when_later_requests_finish_first()
        {
            var h = new Harness(maxInFlight: 4);
            var a = h.Add("a");
            var b = h.Add("b");
            var c = h.Add("c");
            c.SetResult("C");
            b.SetResult("B");
            h.Owner.Then(() => a.SetResult("A"));

            h.Queue.Complete();

            Assert.Equal(new[] { "r:A", "r:B", "r:C" }, h.Out);
            Assert.Equal(0, h.Queue.Pending);
            Assert.Equal(3, h.Queue.Done);
            Assert.Equal(0, h.Owner.StepsLeft);
        }

        [Fact]
        public void Unordered_hands_results_out_as_they_finish()
        {
            var h = new Harness(maxInFlight: 4, keepInputOrder: false);
            var a = h.Add("a");
            var b = h.Add("b");
            var c = h.Add("c");
            h.Owner.Then(() => c.SetResult("C")).Then(() => a.SetResult("A")).Then(() => b.SetResult("B"));

            h.Queue.Complete();

            Assert.Equal(new[] { "r:C", "r:A", "r:B" }, h.Out);
        }

        [Fact]
        public void In_input_order_at_most_WindowFactor_times_MaxInFlight_items_wait_behind_a_slow_first_one()
        {
            var h = new Harness(maxInFlight: 2);
            var first = h.Add("0");
            var window = 2 * ThrottledQueue.WindowFactor;
            for (var i = 1; i < window - 1; i++)
            {
                h.Add(i.ToString(), Task.FromResult(i.ToString()));
            }

            Assert.Equal(0, h.Owner.Waits);
            Assert.Empty(h.Out);

            // One more fills the window: the queue waits for the first item although only one request is in flight.
            h.Owner.Then(() => first.SetResult("0"));
            h.Add("last", Task.FromResult("last"));

            Assert.Equal(1, h.Owner.Waits);
            Assert.Equal(Enumerable.Range(0, window - 1).Select(i => "r:" + i).Concat(new[] { "r:last" }), h.Out);
        }

        [Fact]
        public void Without_stop_at_error_a_failed_item_is_handed_to_its_error_callback_in_its_place()
        {
            var h = new Harness(maxInFlight: 4);
            var a = h.Add("a");
            var b = h.Add("b");
            var c = h.Add("c");
            a.SetResult("A");
            b.SetException(NotFound());
            c.SetResult("C");

            h.Queue.Complete();

            Assert.Equal(new[] { "r:A", "e:b", "r:C" }, h.Out);
        }

        [Fact]
        public void Stopping_at_the_first_error_first_reports_every_request_already_sent_behind_it()
        {
            var h = new Harness(maxInFlight: 5, stopAtFirstError: true, errorStops: true);
            var a = h.Add("a");
            var b = h.Add("b");
            var c = h.Add("c");
            var d = h.Add("d");
            a.SetResult("A");
            b.SetException(NotFound());

            // b failed: before its error stops the command, c and d (already sent) are waited for.
            h.Owner.Then(() => c.SetResult("C")).Then(() => d.SetException(NotFound()));
            var stop = Assert.Throws<StopException>(() => h.Queue.Complete());

            Assert.Equal("stopped at b", stop.Message);
            Assert.Equal(new[] { "r:A", "r:C", "also:d", "e:b" }, h.Out);
            Assert.Equal(0, h.Queue.Pending);
            Assert.Equal(0, h.Owner.StepsLeft);
        }

        [Fact]
        public void Stopping_at_an_error_in_unordered_mode_reports_the_others_in_input_order()
        {
            var h = new Harness(maxInFlight: 4, keepInputOrder: false, stopAtFirstError: true, errorStops: true);
            var a = h.Add("a");
            var b = h.Add("b");
            var c = h.Add("c");
            c.SetException(NotFound());
            h.Owner.Then(() => b.SetResult("B")).Then(() => a.SetResult("A"));

            Assert.Throws<StopException>(() => h.Queue.Complete());

            Assert.Equal(new[] { "r:A", "r:B", "e:c" }, h.Out);
        }

        [Fact]
        public void A_cancelled_request_stops_the_hand_out_nothing_behind_it_is_written()
        {
            using var stop = new CancellationTokenSource();
            var h = new Harness(maxInFlight: 4);
            var a = h.Add("a");
            var b = new TaskCompletionSource<string>();
            stop.Token.Register(() => b.TrySetCanceled(stop.Token));
            h.Add("b", b.Task);
            var c = h.Add("c");
            c.SetResult("C");
            a.SetResult("A");

            // Ctrl+C while the queue waits for b: b ends cancelled and the cancellation comes out.
            h.Owner.Then(stop.Cancel);
            Assert.ThrowsAny<OperationCanceledException>(() => h.Queue.Complete());

            Assert.Equal(new[] { "r:A" }, h.Out);
        }

        [Fact]
        public void A_failure_that_is_not_an_API_error_propagates_and_is_not_written_as_an_item_error()
        {
            var h = new Harness(maxInFlight: 2);
            var a = h.Add("a");
            a.SetException(new InvalidOperationException("bug"));

            var ex = Assert.Throws<InvalidOperationException>(() => h.Queue.Complete());

            Assert.Equal("bug", ex.Message);
            Assert.Empty(h.Out);
        }

        [Fact]
        public void Every_request_wakes_the_owner_when_it_finishes()
        {
            var h = new Harness(maxInFlight: 8);
            var requests = Enumerable.Range(0, 5).Select(i => h.Add(i.ToString())).ToList();
            foreach (var r in requests)
            {
                r.SetResult("x");
            }

            Assert.Equal(5, h.Owner.Wakes);
            h.Queue.Complete();
            Assert.Equal(5, h.Queue.Done);
        }
    }
}
