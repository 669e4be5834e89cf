using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Base of every WorkflowTools cmdlet. Runs the async core on the thread pool while the pipeline
    /// thread stays the only one that writes to PowerShell's streams: trace lines, progress and results
    /// are posted to a mailbox that the pipeline thread drains while it waits. Ctrl+C cancels at once.
    /// </summary>
    public abstract class WorkflowCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly BlockingCollection<Action> _mailbox = new BlockingCollection<Action>();
        private MailboxTrace? _trace;

        protected CancellationToken Cancellation => _stop.Token;

        protected override void BeginProcessing()
        {
            _trace = new MailboxTrace(this);
        }

        protected override void StopProcessing()
        {
            _stop.Cancel();
        }

        /// <summary>Queues work for the pipeline thread (safe from any thread).</summary>
        protected void Post(Action action)
        {
            try
            {
                _mailbox.Add(action);
            }
            catch (InvalidOperationException)
            {
                // The cmdlet has finished; late messages are dropped.
            }
        }

        /// <summary>Runs async work and waits for it on the pipeline thread, writing what it reports meanwhile.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            var previous = ApiTrace.Current;
            ApiTrace.Current = _trace ??= new MailboxTrace(this);
            Task<T> task;
            try
            {
                task = Task.Run(() => work(_stop.Token));
            }
            finally
            {
                ApiTrace.Current = previous;
            }

            Pump(task);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Streams an async sequence, calling <paramref name="each"/> on the pipeline thread for every item.</summary>
        protected void Stream<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, Func<T, bool> each)
        {
            var previous = ApiTrace.Current;
            ApiTrace.Current = _trace ??= new MailboxTrace(this);
            IAsyncEnumerator<T> enumerator;
            try
            {
                enumerator = source(_stop.Token).GetAsyncEnumerator(_stop.Token);
            }
            finally
            {
                ApiTrace.Current = previous;
            }

            try
            {
                while (true)
                {
                    var hasNext = Run(_ => enumerator.MoveNextAsync().AsTask());
                    if (!hasNext || !each(enumerator.Current))
                    {
                        break;
                    }
                }
            }
            finally
            {
                // Disposing stops the paging (and cancels a prefetched page) when the consumer stopped early.
                try
                {
                    enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                }
                catch (ApiException)
                {
                }

                DrainMailbox();
            }
        }

        protected void Pump(Task task)
        {
            if (!task.IsCompleted)
            {
                task.ContinueWith(_ => Post(() => { }), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                while (!task.IsCompleted)
                {
                    if (_mailbox.TryTake(out var action, Timeout.Infinite))
                    {
                        action();
                    }
                }
            }

            DrainMailbox();
        }

        protected void DrainMailbox()
        {
            while (_mailbox.TryTake(out var action))
            {
                action();
            }
        }

        /// <summary>Writes a non-terminating error for one failed item.</summary>
        protected void WriteFailure(Exception exception, object? target, string? errorId = null)
        {
            WriteError(ErrorRecords.From(exception, target, errorId));
        }

        /// <summary>Stops the command with a terminating error.</summary>
        protected void Fail(Exception exception, object? target, string? errorId = null)
        {
            ThrowTerminatingError(ErrorRecords.From(exception, target, errorId));
        }

        private sealed class MailboxTrace : IApiTrace
        {
            private readonly WorkflowCmdlet _owner;

            public MailboxTrace(WorkflowCmdlet owner)
            {
                _owner = owner;
            }

            public void Verbose(string message) => _owner.Post(() => _owner.WriteVerbose(message));

            public void Debug(string message) => _owner.Post(() => _owner.WriteDebug(message));
        }
    }
}
