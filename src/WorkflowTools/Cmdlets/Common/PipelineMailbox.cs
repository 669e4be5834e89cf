using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Concurrency;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// What other threads hand to a cmdlet's pipeline thread, the only thread that may write to PowerShell's
    /// streams: actions are posted from anywhere and run on the pipeline thread while it waits.
    /// </summary>
    /// <remarks>
    /// A sequential command waits here once per request: a short spin, then one lock and
    /// <see cref="Monitor.Wait(object)"/>, woken by <see cref="Monitor.Pulse"/> only when the pipeline thread is
    /// actually waiting; no linked cancellation source or continuation task per wait (what a
    /// <c>BlockingCollection</c> and <c>Task.ContinueWith</c> allocated before).
    /// </remarks>
    internal sealed class PipelineMailbox : IOwnerThread
    {
        /// <summary>Below the count at which <see cref="SpinWait.SpinOnce()"/> starts sleeping a millisecond.</summary>
        private const int SpinsBeforeBlocking = 19;

        private readonly object _gate = new object();
        private readonly Queue<Action> _actions = new Queue<Action>();
        private readonly Action _wake;
        private int _count;
        private bool _woken;
        private bool _waiting;

        public PipelineMailbox()
        {
            _wake = Wake;
        }

        public bool HasPosted => Volatile.Read(ref _count) > 0;

        /// <summary>Posts an action for the pipeline thread (safe from any thread).</summary>
        public void Post(Action action)
        {
            lock (_gate)
            {
                _actions.Enqueue(action);
                _count = _actions.Count;
                if (_waiting)
                {
                    Monitor.Pulse(_gate);
                }
            }
        }

        /// <summary>Ends a wait of <see cref="RunPosted"/> (safe from any thread); wakes that come together count once.</summary>
        public void Wake()
        {
            lock (_gate)
            {
                _woken = true;
                if (_waiting)
                {
                    Monitor.Pulse(_gate);
                }
            }
        }

        /// <summary>Runs what was posted; with <paramref name="wait"/>, first blocks until something is posted or <see cref="Wake"/> is called.</summary>
        public void RunPosted(bool wait)
        {
            if (wait)
            {
                SpinBriefly();
                lock (_gate)
                {
                    while (_actions.Count == 0 && !_woken)
                    {
                        _waiting = true;
                        try
                        {
                            Monitor.Wait(_gate);
                        }
                        finally
                        {
                            _waiting = false;
                        }
                    }

                    _woken = false;
                }
            }

            while (TryTake(out var action))
            {
                action();
            }
        }

        /// <summary>Runs posted actions until <paramref name="task"/> has completed, then what is left.</summary>
        public void Pump(Task task)
        {
            if (!task.IsCompleted)
            {
                // Runs on the thread that completes the task, and only wakes this one: no task, no closure.
                task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_wake);
                while (!task.IsCompleted)
                {
                    RunPosted(wait: true);
                }
            }

            RunPosted(wait: false);
        }

        /// <summary>
        /// Spins a little before blocking, as <c>SemaphoreSlim</c> (and so the <c>BlockingCollection</c> this class
        /// used before) does: busy at first, then yielding the core, which on a loaded machine hands it to the
        /// thread that is completing the request. When the answer comes meanwhile, no thread sleeps or is woken
        /// (measured: without this the process spent about a fifth more CPU time per call, most of it in the kernel).
        /// </summary>
        private void SpinBriefly()
        {
            var spinner = default(SpinWait);
            for (var i = 0; i < SpinsBeforeBlocking && Volatile.Read(ref _count) == 0 && !Volatile.Read(ref _woken); i++)
            {
                spinner.SpinOnce();
            }
        }

        private bool TryTake(out Action action)
        {
            lock (_gate)
            {
                if (_actions.Count == 0)
                {
                    // Everything posted has run: a wake that came meanwhile has nothing left to wake for.
                    _woken = false;
                    action = null!;
                    return false;
                }

                action = _actions.Dequeue();
                _count = _actions.Count;
                return true;
            }
        }
    }
}
