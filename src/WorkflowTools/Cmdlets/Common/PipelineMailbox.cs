using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Concurrency;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// What other threads hand to a cmdlet's pipeline thread, the only thread that may write to PowerShell's
    /// streams: actions are posted from anywhere and run on the pipeline thread while it waits.
    /// </summary>
    internal sealed class PipelineMailbox : IOwnerThread
    {
        private static readonly Action NoOp = () => { };
        private readonly BlockingCollection<Action> _actions = new BlockingCollection<Action>();

        public bool HasPosted => _actions.Count > 0;

        /// <summary>Posts an action for the pipeline thread (safe from any thread).</summary>
        public void Post(Action action)
        {
            try
            {
                _actions.Add(action);
            }
            catch (InvalidOperationException)
            {
                // The cmdlet has finished; late messages are dropped.
            }
        }

        public void Wake() => Post(NoOp);

        public void RunPosted(bool wait)
        {
            if (wait && _actions.TryTake(out var first, Timeout.Infinite))
            {
                first();
            }

            while (_actions.TryTake(out var action))
            {
                action();
            }
        }

        /// <summary>Runs posted actions until <paramref name="task"/> has completed, then what is left.</summary>
        public void Pump(Task task)
        {
            if (!task.IsCompleted)
            {
                task.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                while (!task.IsCompleted)
                {
                    RunPosted(wait: true);
                }
            }

            RunPosted(wait: false);
        }
    }
}
