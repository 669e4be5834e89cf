using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Base of every WorkflowTools cmdlet: the bridge between PowerShell's pipeline thread and the async core.
    /// </summary>
    /// <remarks>
    /// <see cref="Run{T}"/> and <see cref="Stream{T}"/> start async work on the pipeline thread and wait for it
    /// there, while the work completes on the thread pool. The pipeline thread stays the only one that writes to
    /// PowerShell's streams: what the work reports meanwhile (trace lines, <see cref="Post"/>ed actions) goes to a
    /// <see cref="PipelineMailbox"/> that the pipeline thread runs while it waits. Ctrl+C (StopProcessing)
    /// cancels <see cref="Cancellation"/>, which every piece of work gets, and the command stops at once.
    /// Commands that keep several requests in flight derive from <see cref="ThrottledCmdlet{TConnection}"/>.
    /// </remarks>
    public abstract class WorkflowCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private MailboxTrace? _trace;

        protected CancellationToken Cancellation => _stop.Token;

        internal PipelineMailbox Mailbox { get; } = new PipelineMailbox();

        protected override void BeginProcessing()
        {
            _trace = new MailboxTrace(this, CmdletPreferences.StreamEnabled(this, "Verbose", "VerbosePreference"), CmdletPreferences.StreamEnabled(this, "Debug", "DebugPreference"));
        }

        protected override void StopProcessing()
        {
            _stop.Cancel();
        }

        /// <summary>A verbose line that does not prompt under -Debug (see <see cref="DebugSafeStreams"/>).</summary>
        public new void WriteVerbose(string text) => DebugSafeStreams.WriteVerbose(this, text);

        /// <summary>A warning that does not prompt under -Debug (see <see cref="DebugSafeStreams"/>).</summary>
        public new void WriteWarning(string text) => DebugSafeStreams.WriteWarning(this, text);

        /// <summary>Cancels the work still running (the command is stopping).</summary>
        private protected void CancelAll() => _stop.Cancel();

        /// <summary>Queues work for the pipeline thread (safe from any thread).</summary>
        protected void Post(Action action) => Mailbox.Post(action);

        /// <summary>Runs async work and waits for it on the pipeline thread, writing what it reports meanwhile.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            var task = Start(work);
            Mailbox.Pump(task);
            return ResultOf(task);
        }

        /// <summary>
        /// Streams an async sequence on the pipeline thread: after every step (also the last one, which found no
        /// item) <paramref name="afterStep"/> runs, then <paramref name="each"/> gets the item, until it returns false.
        /// </summary>
        private protected void Stream<T>(Func<CancellationToken, IAsyncEnumerator<T>> open, Action afterStep, Func<T, bool> each)
        {
            // The trace sink stays set for the whole listing rather than per item (setting it costs an
            // execution context): a WorkflowTools cmdlet further down the pipeline sets and restores its own.
            var previous = ApiTrace.Current;
            ApiTrace.Current = _trace ??= new MailboxTrace(this, true, true);
            IAsyncEnumerator<T> enumerator;
            try
            {
                enumerator = open(_stop.Token);
            }
            catch
            {
                ApiTrace.Current = previous;
                throw;
            }

            try
            {
                while (true)
                {
                    var hasNext = Next(enumerator);
                    afterStep();
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

                ApiTrace.Current = previous;
                Mailbox.RunPosted(wait: false);
            }
        }

        /// <summary>The result of finished work; a cancellation by Ctrl+C stops the pipeline.</summary>
        private protected T ResultOf<T>(Task<T> task)
        {
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <param name="work">The async work; its synchronous start runs here, on the pipeline thread.</param>
        private protected Task<T> Start<T>(Func<CancellationToken, Task<T>> work)
        {
            if (work == null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            Task<T>? task;
            try
            {
                task = OnPipelineThread((Self: this, Work: work), s => s.Work(s.Self._stop.Token));
            }
            catch (Exception ex)
            {
                task = Task.FromException<T>(ex);
            }

            return task ?? Task.FromException<T>(new InvalidOperationException("The work returned no task."));
        }

        /// <summary>
        /// Runs the synchronous start of async work right here on the pipeline thread, which saves a thread hop
        /// per call: with this command's trace sink (set once for a whole listing by Stream, so then nothing to
        /// do) and without the host's synchronization context, so no continuation can come back to the pipeline
        /// thread (a host may have one; the Core awaits with ConfigureAwait(false) anyway). Both are restored.
        /// </summary>
        private TResult OnPipelineThread<TState, TResult>(TState state, Func<TState, TResult> start)
        {
            var previous = ApiTrace.Current;
            var context = SynchronizationContext.Current;
            if (!ReferenceEquals(previous, _trace ??= new MailboxTrace(this, true, true)))
            {
                ApiTrace.Current = _trace;
            }

            if (context != null)
            {
                SynchronizationContext.SetSynchronizationContext(null);
            }

            try
            {
                return start(state);
            }
            finally
            {
                if (context != null)
                {
                    SynchronizationContext.SetSynchronizationContext(context);
                }

                if (!ReferenceEquals(previous, _trace))
                {
                    ApiTrace.Current = previous;
                }
            }
        }

        /// <summary>
        /// One step of a streamed listing. Most steps are items of a page already read, which complete at
        /// once: they cost no task, no thread hop and no mailbox round.
        /// </summary>
        private bool Next<T>(IAsyncEnumerator<T> enumerator)
        {
            var step = OnPipelineThread(enumerator, e => e.MoveNextAsync());
            if (step.IsCompletedSuccessfully)
            {
                // What the source reported before this item (a trace line) is written first.
                if (Mailbox.HasPosted)
                {
                    Mailbox.RunPosted(wait: false);
                }

                return step.Result;
            }

            var task = step.AsTask();
            Mailbox.Pump(task);
            return ResultOf(task);
        }

        /// <summary>Writes a non-terminating error for one failed item.</summary>
        protected void WriteFailure(Exception exception, object? target, string? errorId = null)
        {
            WriteError(ErrorRecords.From(exception, target, errorId));
        }
    }
}
