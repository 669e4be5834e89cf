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
    /// Base of every WorkflowTools cmdlet. Starts the async core from the pipeline thread and lets it
    /// complete on the thread pool, while the pipeline thread stays the only one that writes to PowerShell's streams: trace lines, progress and results
    /// are posted to a mailbox that the pipeline thread drains while it waits. Ctrl+C cancels at once.
    /// </summary>
    /// <remarks>
    /// <para><b>Bulk work with -ThrottleLimit.</b> A cmdlet that changes one thing per pipeline item
    /// (create, start, complete, stop, …) derives from <see cref="NmBulkCmdlet"/> or
    /// <see cref="PmBulkCmdlet"/> instead of NmCmdlet/PmCmdlet (that is the whole migration for a cmdlet
    /// written against the old base: change the base class, replace <c>WriteObject(Run(…))</c> in its
    /// try/catch by the one Enqueue call below), which add <c>-ThrottleLimit</c> (1–64, default 1 = one request after
    /// another, exactly the sequential behaviour) and <c>-Unordered</c>. In ProcessRecord it validates
    /// the input, asks ShouldProcess, copies the bound parameters it needs into locals (PowerShell
    /// rebinds the properties for the next item) and makes ONE call:</para>
    /// <code>
    /// if (!ShouldProcess(target, "Stop instance")) return;
    /// var id = InstanceId;                       // locals, not properties
    /// Enqueue(id, ct => Api.StopInstanceAsync(id, ct), WriteObject);
    /// </code>
    /// <para><see cref="Enqueue{T}"/> starts the work and returns at once while fewer than
    /// ThrottleLimit requests are in flight, otherwise it waits (writing finished results meanwhile).
    /// Results are handed to <c>onResult</c> on the pipeline thread in input order (as they complete
    /// with -Unordered); an <see cref="ApiException"/> goes to <c>onError</c>, by default a
    /// non-terminating ErrorRecord with the item as target, the same record the sequential code wrote.
    /// EndProcessing (this class's) waits for what is still in flight, so a subclass that overrides
    /// EndProcessing calls base.EndProcessing() first. Ctrl+C cancels every request in flight. The
    /// connection's rate limiter and retry pipeline sit below, inside ApiClient.SendAsync, so
    /// concurrency never pushes past -RequestsPerMinute. With -ErrorAction Stop the first failed item
    /// stops the command, but the items behind it were already sent and cannot be taken back: they are
    /// waited for and written (failed ones as warnings) before the stopping error, so no applied
    /// change goes unreported.</para>
    /// </remarks>
    public abstract class WorkflowCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly BlockingCollection<Action> _mailbox = new BlockingCollection<Action>();
        private readonly List<Queued> _queued = new List<Queued>();
        private MailboxTrace? _trace;
        private bool _errorsStop;

        protected CancellationToken Cancellation => _stop.Token;

        /// <summary>How many queued requests may be in flight at once; bulk cmdlets bind it to -ThrottleLimit.</summary>
        protected virtual int MaxInFlight => 1;

        /// <summary>Whether queued results are written in input order; bulk cmdlets bind it to -Unordered.</summary>
        protected virtual bool KeepInputOrder => true;

        protected override void BeginProcessing()
        {
            _trace = new MailboxTrace(this, TraceEnabled("Verbose", "VerbosePreference"), TraceEnabled("Debug", "DebugPreference"));
            _errorsStop = Preference("ErrorAction", "ErrorActionPreference") == ActionPreference.Stop;
        }

        private const int BulkProgressId = 7301;
        private readonly System.Diagnostics.Stopwatch _bulkWatch = new System.Diagnostics.Stopwatch();
        private int _itemsDone;
        private TimeSpan _lastProgress;
        private bool _bulkProgressShown;

        protected override void EndProcessing()
        {
            if (_queued.Count > 0)
            {
                Settle(0);
            }

            CompleteBulkProgress();
        }

        protected override void StopProcessing()
        {
            _stop.Cancel();
        }

        /// <summary>A verbose line that does not prompt under -Debug (see <see cref="VerboseLines"/>).</summary>
        public new void WriteVerbose(string text) => VerboseLines.Write(this, text);

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
            var task = Start(work, blocking: true);
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
            // The trace sink stays set for the whole listing rather than per item (setting it costs an
            // execution context): a WorkflowTools cmdlet further down the pipeline sets and restores its own.
            var previous = ApiTrace.Current;
            ApiTrace.Current = _trace ??= new MailboxTrace(this, true, true);
            IAsyncEnumerator<T> enumerator;
            try
            {
                enumerator = source(_stop.Token).GetAsyncEnumerator(_stop.Token);
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
                DrainMailbox();
            }
        }

        /// <summary>
        /// Queues one item's request: starts <paramref name="work"/> now and returns while fewer than
        /// <see cref="MaxInFlight"/> requests are in flight, else waits for room, writing finished items
        /// meanwhile. Call it from ProcessRecord after ShouldProcess, with locals only (see the class remarks).
        /// </summary>
        /// <param name="target">The item, as TargetObject of its ErrorRecord.</param>
        /// <param name="work">The request; gets the cmdlet's cancellation token (Ctrl+C).</param>
        /// <param name="onResult">Called on the pipeline thread with the result, usually WriteObject.</param>
        /// <param name="onError">Called on the pipeline thread for an API failure; default: a non-terminating ErrorRecord with <paramref name="target"/>.</param>
        protected void Enqueue<T>(object? target, Func<CancellationToken, Task<T>> work, Action<T> onResult, Action<ApiException>? onError = null)
        {
            if (work == null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            if (!_bulkWatch.IsRunning)
            {
                _bulkWatch.Start();
            }

            // One at a time, the pipeline thread waits for each request anyway, so it may send it itself.
            var task = Start(work, blocking: MaxInFlight <= 1);
            var item = new Queued(task, target, () =>
            {
                T result;
                try
                {
                    result = task.GetAwaiter().GetResult();
                }
                catch (ApiException ex)
                {
                    if (onError != null)
                    {
                        onError(ex);
                    }
                    else
                    {
                        WriteFailure(ex, target);
                    }

                    return;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }

                onResult(result);
            });
            _queued.Add(item);
            task.ContinueWith(_ => Post(Wake), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            var limit = Math.Max(1, MaxInFlight);
            Settle(limit, limit * 4);
        }

        /// <summary>Writes finished queued items and waits until fewer than <paramref name="running"/> are in flight (0: none left at all).</summary>
        private void Settle(int running, int window = 0)
        {
            try
            {
                while (true)
                {
                    DrainMailbox();
                    WriteFinished();
                    var inFlight = 0;
                    foreach (var q in _queued)
                    {
                        if (!q.Task.IsCompleted)
                        {
                            inFlight++;
                        }
                    }

                    if (running == 0 ? _queued.Count == 0 : inFlight < running && _queued.Count < window)
                    {
                        return;
                    }

                    if (_mailbox.TryTake(out var action, Timeout.Infinite))
                    {
                        action();
                    }
                }
            }
            catch (PipelineStoppedException)
            {
                _stop.Cancel();
                throw;
            }
        }

        private void WriteFinished()
        {
            while (_queued.Count > 0)
            {
                var index = KeepInputOrder ? (_queued[0].Task.IsCompleted ? 0 : -1) : _queued.FindIndex(q => q.Task.IsCompleted);
                if (index < 0)
                {
                    return;
                }

                var done = _queued[index];
                _queued.RemoveAt(index);
                if (_errorsStop && done.Task.IsFaulted && done.Task.Exception?.GetBaseException() is ApiException)
                {
                    // This error will stop the command (-ErrorAction Stop). The requests behind it were
                    // already sent and cannot be taken back: report them first, then stop.
                    ReportBeforeStop();
                }

                done.Emit();
                ReportBulkProgress();
            }
        }

        /// <summary>
        /// Bulk pipelines that take longer than a second show how many items are done; the total is not known
        /// while input still arrives. Silent when $ProgressPreference says so (PowerShell filters the records).
        /// </summary>
        private void ReportBulkProgress()
        {
            _itemsDone++;
            var elapsed = _bulkWatch.Elapsed;
            if (elapsed < TimeSpan.FromSeconds(1) || elapsed - _lastProgress < TimeSpan.FromMilliseconds(250))
            {
                return;
            }

            _lastProgress = elapsed;
            _bulkProgressShown = true;
            WriteProgress(new ProgressRecord(BulkProgressId, MyInvocation.MyCommand.Name, $"{_itemsDone} done, {_queued.Count} waiting or in flight"));
        }

        private void CompleteBulkProgress()
        {
            if (_bulkProgressShown)
            {
                WriteProgress(new ProgressRecord(BulkProgressId, MyInvocation.MyCommand.Name, $"{_itemsDone} done") { RecordType = ProgressRecordType.Completed });
            }
        }

        private void ReportBeforeStop()
        {
            var left = _queued.ToArray();
            _queued.Clear();
            foreach (var q in left)
            {
                try
                {
                    q.Task.Wait();
                }
                catch (AggregateException)
                {
                }

                try
                {
                    if (q.Task.Exception?.GetBaseException() is Exception failure)
                    {
                        WriteWarning($"Also failed while the command was stopping at an error ({q.Target}): {failure.Message}");
                    }
                    else
                    {
                        q.Emit();
                    }
                }
                catch (ActionPreferenceStopException)
                {
                    // -WarningAction Stop: the stopping error follows anyway.
                }
            }
        }

        private static void Wake()
        {
        }

        /// <param name="work">The async work; its synchronous start runs here, on the pipeline thread.</param>
        /// <param name="blocking">
        /// The pipeline thread will wait for this work before it does anything else: the HTTP core may then
        /// send the request synchronously on this thread (<see cref="BlockingCaller"/>), so a sequential
        /// command costs no thread hop per request; the task comes back completed.
        /// </param>
        private Task<T> Start<T>(Func<CancellationToken, Task<T>> work, bool blocking)
        {
            Task<T>? task;
            try
            {
                task = OnPipelineThread((Self: this, Work: work, Blocking: blocking), s => BlockingCaller.Start(() => s.Work(s.Self._stop.Token), s.Blocking));
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

        /// <summary>Whether -Verbose/-Debug (or the preference variable) lets the stream through: no trace text is built otherwise.</summary>
        private bool TraceEnabled(string switchName, string preferenceVariable)
        {
            if (MyInvocation.BoundParameters.TryGetValue(switchName, out var bound))
            {
                return bound is SwitchParameter sw ? sw.IsPresent : LanguagePrimitives.IsTrue(bound);
            }

            var preference = Preference(null, preferenceVariable);
            return preference != null && preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
        }

        /// <summary>The effective preference: the common parameter when given, else the preference variable in scope.</summary>
        private ActionPreference? Preference(string? parameterName, string preferenceVariable)
        {
            object? value = null;
            if (parameterName == null || !MyInvocation.BoundParameters.TryGetValue(parameterName, out value))
            {
                value = GetVariableValue(preferenceVariable);
            }

            if (value is PSObject pso)
            {
                value = pso.BaseObject;
            }

            if (value is ActionPreference action)
            {
                return action;
            }

            return value != null && Enum.TryParse(value.ToString(), true, out ActionPreference parsed) ? parsed : (ActionPreference?)null;
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
                // What the source reported before this item (a page's count, a trace line) is written first.
                if (_mailbox.Count > 0)
                {
                    DrainMailbox();
                }

                return step.Result;
            }

            var task = step.AsTask();
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

        /// <summary>The connection to use, or a terminating WorkflowTools.NotConnected error that says how to connect.</summary>
        protected T RequireConnection<T>(T? connection, string service, string connectCommand)
            where T : class
        {
            if (connection == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"Not connected to {service}. Run {connectCommand} first, or pass -Connection."),
                    "WorkflowTools.NotConnected",
                    ErrorCategory.ConnectionError,
                    null));
            }

            return connection!;
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

        private sealed class Queued
        {
            public Queued(Task task, object? target, Action emit)
            {
                Task = task;
                Target = target;
                Emit = emit;
            }

            public Task Task { get; }

            public object? Target { get; }

            public Action Emit { get; }
        }

        private sealed class MailboxTrace : IApiTrace, IApiTraceLevels
        {
            private readonly WorkflowCmdlet _owner;

            public MailboxTrace(WorkflowCmdlet owner, bool verbose, bool debug)
            {
                _owner = owner;
                VerboseEnabled = verbose;
                DebugEnabled = debug;
            }

            public bool VerboseEnabled { get; }

            public bool DebugEnabled { get; }

            public void Verbose(string message)
            {
                if (VerboseEnabled)
                {
                    _owner.Post(() => _owner.WriteVerbose(message));
                }
            }

            public void Debug(string message)
            {
                if (DebugEnabled)
                {
                    _owner.Post(() => _owner.WriteDebug(message));
                }
            }
        }
    }
}
