using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.Concurrency
{
    /// <summary>The thread a <see cref="ThrottledQueue"/> hands its results out on, and waits on.</summary>
    internal interface IOwnerThread
    {
        /// <summary>
        /// Runs what other threads posted for the owner thread. With <paramref name="wait"/>, first blocks until
        /// something is posted (a <see cref="Wake"/> counts).
        /// </summary>
        void RunPosted(bool wait);

        /// <summary>Ends a wait of <see cref="RunPosted"/>; safe from any thread.</summary>
        void Wake();
    }

    /// <summary>
    /// The requests of one command that sends one request per input item, at most <see cref="MaxInFlight"/> at a
    /// time. Every call runs on the owner thread, and so does every callback: results are handed out in input
    /// order (or as they complete, without <see cref="KeepInputOrder"/>), an <see cref="ApiException"/> goes to
    /// the item's error callback, any other failure of a request (a cancellation included) propagates from
    /// <see cref="Add{T}"/> or <see cref="Complete"/> and nothing behind it is handed out.
    /// </summary>
    /// <remarks>
    /// With <see cref="StopAtFirstError"/> (the command stops at its first error), the requests behind the first
    /// failed item were already sent and cannot be taken back: before that item's error is handed out, every one of
    /// them is waited for and handed out too, its failure to <see cref="AlsoFailed"/>, so no applied change goes
    /// unreported. Queued items hold their results until their turn: in input order at most
    /// <see cref="WindowFactor"/> × <see cref="MaxInFlight"/> items wait, so a slow first item does not let the
    /// queue grow without bound.
    /// </remarks>
    internal sealed class ThrottledQueue
    {
        /// <summary>How many items per allowed request may wait for their turn (finished or not).</summary>
        public const int WindowFactor = 4;

        private readonly IOwnerThread _owner;
        private readonly List<Entry> _entries = new List<Entry>();

        public ThrottledQueue(IOwnerThread owner, int maxInFlight, bool keepInputOrder, bool stopAtFirstError)
        {
            _owner = owner ?? throw new ArgumentNullException(nameof(owner));
            MaxInFlight = Math.Max(1, maxInFlight);
            KeepInputOrder = keepInputOrder;
            StopAtFirstError = stopAtFirstError;
        }

        public int MaxInFlight { get; }

        public bool KeepInputOrder { get; }

        public bool StopAtFirstError { get; }

        /// <summary>Items handed out so far.</summary>
        public int Done { get; private set; }

        /// <summary>Items added and not yet handed out (in flight or waiting for their turn).</summary>
        public int Pending => _entries.Count;

        /// <summary>Called after each item was handed out (for progress).</summary>
        public Action? HandedOut { get; set; }

        /// <summary>Gets each item that failed behind a stopping error: its target and its failure.</summary>
        public Action<object?, Exception>? AlsoFailed { get; set; }

        /// <summary>
        /// Adds a started request and returns once fewer than <see cref="MaxInFlight"/> requests are in flight
        /// (and the window has room), handing out finished items meanwhile.
        /// </summary>
        /// <param name="request">The request, already started.</param>
        /// <param name="target">The item the request is for (for <see cref="AlsoFailed"/>).</param>
        /// <param name="onResult">Gets the result.</param>
        /// <param name="onError">Gets an API failure.</param>
        public void Add<T>(Task<T> request, object? target, Action<T> onResult, Action<ApiException> onError)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            _entries.Add(new Entry(request, target, () =>
            {
                T result;
                try
                {
                    result = request.GetAwaiter().GetResult();
                }
                catch (ApiException ex)
                {
                    onError(ex);
                    return;
                }

                onResult(result);
            }));
            request.ContinueWith(_ => _owner.Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Settle(MaxInFlight, MaxInFlight * WindowFactor);
        }

        /// <summary>Hands out every item, waiting for the ones still in flight.</summary>
        public void Complete() => Settle(0, 0);

        /// <summary>Hands out finished items and waits until fewer than <paramref name="running"/> are in flight and fewer than <paramref name="window"/> wait (0: until none is left).</summary>
        private void Settle(int running, int window)
        {
            while (true)
            {
                _owner.RunPosted(wait: false);
                HandOutFinished();
                if (running == 0 ? _entries.Count == 0 : InFlight() < running && _entries.Count < window)
                {
                    return;
                }

                _owner.RunPosted(wait: true);
            }
        }

        private int InFlight()
        {
            var count = 0;
            foreach (var entry in _entries)
            {
                if (!entry.Request.IsCompleted)
                {
                    count++;
                }
            }

            return count;
        }

        private void HandOutFinished()
        {
            while (_entries.Count > 0)
            {
                var index = KeepInputOrder ? (_entries[0].Request.IsCompleted ? 0 : -1) : _entries.FindIndex(e => e.Request.IsCompleted);
                if (index < 0)
                {
                    return;
                }

                var done = _entries[index];
                _entries.RemoveAt(index);
                if (StopAtFirstError && done.Request.IsFaulted && done.Request.Exception?.GetBaseException() is ApiException)
                {
                    HandOutTheRestBeforeStopping();
                }

                HandOut(done);
            }
        }

        private void HandOutTheRestBeforeStopping()
        {
            var rest = _entries.ToArray();
            _entries.Clear();
            foreach (var entry in rest)
            {
                while (!entry.Request.IsCompleted)
                {
                    _owner.RunPosted(wait: true);
                }

                if (entry.Request.Exception?.GetBaseException() is Exception failure)
                {
                    Done++;
                    AlsoFailed?.Invoke(entry.Target, failure);
                }
                else
                {
                    HandOut(entry);
                }
            }
        }

        private void HandOut(Entry entry)
        {
            Done++;
            entry.HandOut();
            HandedOut?.Invoke();
        }

        private sealed class Entry
        {
            public Entry(Task request, object? target, Action handOut)
            {
                Request = request;
                Target = target;
                HandOut = handOut;
            }

            public Task Request { get; }

            public object? Target { get; }

            public Action HandOut { get; }
        }
    }
}
