using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Concurrency;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>Base of the cmdlets of one service: resolves -Connection or the session's connection.</summary>
    public abstract class ConnectedCmdlet<TConnection> : WorkflowCmdlet
        where TConnection : ServiceConnection
    {
        private readonly string _service;
        private readonly string _connectCommand;
        private readonly Func<SessionState, TConnection?> _sessionConnection;

        private protected ConnectedCmdlet(string service, string connectCommand, Func<SessionState, TConnection?> sessionConnection)
        {
            _service = service;
            _connectCommand = connectCommand;
            _sessionConnection = sessionConnection;
        }

        /// <summary>The connection to use instead of the session's current one.</summary>
        [Parameter]
        [ValidateNotNull]
        public TConnection? Connection { get; set; }

        protected TConnection ActiveConnection { get; private set; } = null!;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var connection = Connection ?? _sessionConnection(SessionState);
            if (connection == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"Not connected to {_service}. Run {_connectCommand} first, or pass -Connection."),
                    "WorkflowTools.NotConnected",
                    ErrorCategory.ConnectionError,
                    null));
            }

            ActiveConnection = connection!;
        }

        /// <summary>The error record for a failed request about <paramref name="target"/> (the one way each service shapes its errors; <paramref name="errorId"/> replaces the kind's id).</summary>
        private protected virtual ErrorRecord ErrorRecordFor(ApiException exception, object? target, string? errorId = null) => ErrorRecords.From(exception, target, errorId);

        /// <summary>
        /// Reads each id with a request of its own and writes what comes back (the -Id path of the Get- cmdlets); a
        /// failure is a non-terminating error about that id, and the next id is still read.
        /// </summary>
        /// <param name="ids">The ids, in the order given.</param>
        /// <param name="read">Reads one (a client's Get… method).</param>
        private protected void WriteEach<T>(long[] ids, Func<long, CancellationToken, Task<T>> read)
        {
            foreach (var id in ids)
            {
                try
                {
                    WriteObject(Run(ct => read(id, ct)));
                }
                catch (ApiException ex)
                {
                    WriteError(ErrorRecordFor(ex, id));
                }
            }
        }

        /// <summary>
        /// Writes a listing as it streams, with -First, -Skip and -IncludeTotalCount, a progress bar once it spans
        /// pages and a warning when its count changes while it is read. An API failure becomes a non-terminating
        /// error about <paramref name="target"/>, after the items already written.
        /// </summary>
        /// <param name="activity">The progress bar's activity.</param>
        /// <param name="target">What the listing is of, as the error record's target.</param>
        /// <param name="source">Opens the listing (a client's List… method).</param>
        /// <param name="where">Which items to write (default: all); the others do not count for -First and -Skip.</param>
        /// <param name="output">What to write for an item (default: the item).</param>
        /// <param name="errorRecord">The error record for a failure (default: <see cref="ErrorRecordFor"/>).</param>
        private protected void WriteListing<T>(
            string activity,
            object? target,
            Func<Listing<T>> source,
            Func<T, bool>? where = null,
            Func<T, object?>? output = null,
            Func<ApiException, ErrorRecord>? errorRecord = null)
        {
            var paging = new PagedOutput(this, activity);
            Listing<T>.Enumerator? items = null;
            try
            {
                Stream(
                    ct => items = source().GetAsyncEnumerator(ct),
                    () =>
                    {
                        if (items!.TakePage() is PageInfo page)
                        {
                            paging.OnPage(page);
                        }

                        WriteInvalidRows(items, target);
                    },
                    item => (where != null && !where(item)) || paging.Offer(output == null ? item : output(item)));
            }
            catch (ApiException ex)
            {
                if (items != null)
                {
                    WriteInvalidRows(items, target);
                }

                WriteError(errorRecord?.Invoke(ex) ?? ErrorRecordFor(ex, target));
            }
            finally
            {
                paging.Complete();
            }
        }

        /// <summary>
        /// A listing row that could not become an object (no usable id, not an object) is a non-terminating error
        /// in its place in the output, never an object a downstream command could act on.
        /// </summary>
        private void WriteInvalidRows<T>(Listing<T>.Enumerator items, object? target)
        {
            foreach (var row in items.TakeInvalidRows())
            {
                WriteError(ErrorRecords.From(row, target, Rows.InvalidRowErrorId));
            }
        }

        /// <summary>
        /// Writes the items of one answer (a JSON array's items, or the one object) with -First, -Skip and
        /// -IncludeTotalCount, whose count is the number of items in that answer.
        /// </summary>
        private protected void WriteAnswerItems(System.Collections.Generic.IReadOnlyList<object?> items)
        {
            var paging = new PagedOutput(this, string.Empty);
            paging.OnAnswer(items.Count);
            foreach (var item in items)
            {
                if (!paging.Offer(item))
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Base of the cmdlets that change one thing per pipeline item: adds -ThrottleLimit and -Unordered, and
    /// keeps up to -ThrottleLimit requests in flight in a <see cref="ThrottledQueue"/>.
    /// </summary>
    /// <remarks>
    /// ProcessRecord validates the item, asks ShouldProcess, copies the bound parameters it needs into locals
    /// (PowerShell rebinds the properties for the next item) and makes one call:
    /// <code>
    /// if (!ShouldProcess(target, "Stop instance")) return;
    /// var id = InstanceId;                       // locals, not properties
    /// Enqueue(id, ct => Api.StopInstanceAsync(id, ct), WriteObject);
    /// </code>
    /// Results reach <c>onResult</c> on the pipeline thread in input order (as they complete with -Unordered);
    /// an <see cref="ApiException"/> goes to <c>onError</c>, by default a non-terminating ErrorRecord with the
    /// item as target. EndProcessing is sealed: it sends what <see cref="NowOrAfterInput"/> kept, then waits for every request
    /// still in flight. Ctrl+C, or a downstream command that needs no more input, cancels every request in
    /// flight. The connection's rate limiter and retry pipeline sit below, inside the HTTP core, so concurrency
    /// never pushes past -RequestsPerMinute. With -ErrorAction Stop the first failed item stops the command, after
    /// the requests already sent behind it were waited for and written (failed ones as warnings).
    /// </remarks>
    public abstract class ThrottledCmdlet<TConnection> : ConnectedCmdlet<TConnection>
        where TConnection : ServiceConnection
    {
        private const int ProgressId = 7301;
        private readonly Stopwatch _watch = new Stopwatch();
        private ThrottledQueue? _queue;
        private TimeSpan _lastProgress;
        private bool _progressShown;
        private readonly System.Collections.Generic.List<Action> _afterInput = new System.Collections.Generic.List<Action>();

        private protected ThrottledCmdlet(string service, string connectCommand, Func<SessionState, TConnection?> sessionConnection)
            : base(service, connectCommand, sessionConnection)
        {
        }

        /// <summary>
        /// How many requests may be in flight at once, 1–64. The default, 1, sends one after another.
        /// The connection's -RequestsPerMinute still paces every request.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>Write each result as soon as it completes instead of in input order (with -ThrottleLimit above 1).</summary>
        [Parameter]
        public SwitchParameter Unordered { get; set; }

        private ThrottledQueue Queue => _queue ??= new ThrottledQueue(
            Mailbox,
            ThrottleLimit,
            keepInputOrder: !Unordered.IsPresent,
            stopAtFirstError: CmdletPreferences.Effective(this, "ErrorAction", "ErrorActionPreference") == ActionPreference.Stop)
        {
            HandedOut = ReportProgress,
            AlsoFailed = WarnAlsoFailed,
        };

        /// <summary>
        /// Queues one item's request: starts <paramref name="work"/> now and returns while fewer than
        /// -ThrottleLimit requests are in flight, else waits for room, writing finished items meanwhile.
        /// Call it from ProcessRecord (or through <see cref="NowOrAfterInput"/>) after ShouldProcess, with locals only.
        /// </summary>
        /// <param name="target">The item, as TargetObject of its ErrorRecord.</param>
        /// <param name="work">The request; gets the cmdlet's cancellation token (Ctrl+C).</param>
        /// <param name="onResult">Called on the pipeline thread with the result, usually WriteObject.</param>
        /// <param name="onError">Called on the pipeline thread for an API failure; default: a non-terminating ErrorRecord with <paramref name="target"/>.</param>
        protected void Enqueue<T>(object? target, Func<CancellationToken, Task<T>> work, Action<T> onResult, Action<ApiException>? onError = null)
        {
            if (!_watch.IsRunning)
            {
                _watch.Start();
            }

            var request = Start(work);
            StopAllWhenStopping(() => Queue.Add(request, target, onResult, onError ?? (ex => WriteError(ErrorRecordFor(ex, target)))));
        }

        /// <summary>
        /// Runs <paramref name="send"/> (which queues one item's request) at once for arguments, or once the input
        /// has ended for piped items: a change can take items out of a listing still being read upstream (deleting,
        /// restoring, reassigning), so piped items are collected first. Capture locals only.
        /// </summary>
        private protected void NowOrAfterInput(Action send)
        {
            if (MyInvocation.ExpectingInput)
            {
                _afterInput.Add(send);
            }
            else
            {
                send();
            }
        }

        protected sealed override void EndProcessing()
        {
            foreach (var send in _afterInput)
            {
                send();
            }

            if (_queue != null)
            {
                StopAllWhenStopping(_queue.Complete);
            }

            if (_progressShown)
            {
                WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, $"{Queue.Done} done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>Runs queue work; when the command stops (Ctrl+C, or downstream wants no more), every request in flight is cancelled.</summary>
        private void StopAllWhenStopping(Action action)
        {
            try
            {
                action();
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (PipelineStoppedException)
            {
                CancelAll();
                throw;
            }
        }

        /// <summary>
        /// Bulk pipelines (two items or more) that take longer than a second show how many items are done; the
        /// total is not known while input still arrives. Silent when $ProgressPreference says so (PowerShell filters the records).
        /// </summary>
        private void ReportProgress()
        {
            var elapsed = _watch.Elapsed;
            if (elapsed < TimeSpan.FromSeconds(1) || elapsed - _lastProgress < TimeSpan.FromMilliseconds(250))
            {
                return;
            }

            // One item is no bulk: a slow single create shows no "1 done, 0 waiting" (a host without a progress
            // bar, such as the Try runner, prints it as a line of text).
            if (Queue.Done + Queue.Pending < 2)
            {
                return;
            }

            _lastProgress = elapsed;
            _progressShown = true;
            WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, $"{Queue.Done} done, {Queue.Pending} waiting or in flight"));
        }

        private void WarnAlsoFailed(object? target, Exception failure)
        {
            try
            {
                WriteWarning($"Also failed while the command was stopping at an error ({target}): {failure.Message}");
            }
            catch (ActionPreferenceStopException)
            {
                // -WarningAction Stop: the stopping error follows anyway.
            }
        }
    }

    /// <summary>Base of the Next Matter cmdlets.</summary>
    public abstract class NmCmdlet : ConnectedCmdlet<NmConnection>
    {
        protected NmCmdlet()
            : base(NextMatterService.Name, NextMatterService.ConnectCommand, SessionConnections.GetNextMatter)
        {
        }

        internal NmClient Api => ActiveConnection.Client;
    }

    /// <summary>Base of the Next Matter cmdlets that change one thing per pipeline item (-ThrottleLimit, -Unordered).</summary>
    public abstract class NmThrottledCmdlet : ThrottledCmdlet<NmConnection>
    {
        protected NmThrottledCmdlet()
            : base(NextMatterService.Name, NextMatterService.ConnectCommand, SessionConnections.GetNextMatter)
        {
        }

        internal NmClient Api => ActiveConnection.Client;
    }

    /// <summary>Base of the ProcessMaker cmdlets.</summary>
    public abstract class PmCmdlet : ConnectedCmdlet<PmConnection>
    {
        protected PmCmdlet()
            : base(ProcessMakerService.Name, ProcessMakerService.ConnectCommand, SessionConnections.GetProcessMaker)
        {
        }

        internal PmClient Api => ActiveConnection.Client;

        private protected override ErrorRecord ErrorRecordFor(ApiException exception, object? target, string? errorId = null) => WorkflowTools.Cmdlets.ProcessMaker.PmErrors.From(exception, target, errorId);
    }

    /// <summary>Base of the ProcessMaker cmdlets that change one thing per pipeline item (-ThrottleLimit, -Unordered).</summary>
    public abstract class PmThrottledCmdlet : ThrottledCmdlet<PmConnection>
    {
        protected PmThrottledCmdlet()
            : base(ProcessMakerService.Name, ProcessMakerService.ConnectCommand, SessionConnections.GetProcessMaker)
        {
        }

        internal PmClient Api => ActiveConnection.Client;

        private protected override ErrorRecord ErrorRecordFor(ApiException exception, object? target, string? errorId = null) => WorkflowTools.Cmdlets.ProcessMaker.PmErrors.From(exception, target, errorId);
    }

    internal static class NextMatterService
    {
        public const string Name = "Next Matter";
        public const string ConnectCommand = "Connect-NmService";
    }

    internal static class ProcessMakerService
    {
        public const string Name = "ProcessMaker";
        public const string ConnectCommand = "Connect-PmServer";
    }
}
