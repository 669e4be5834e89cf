using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.Waiting;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Base of the Wait-* cmdlets: collects ids from the pipeline, then polls them in rounds (a
    /// <see cref="WaitSet{T}"/> reads many per request) on a <see cref="WaitSchedule"/>, writing each item once it
    /// reached a wanted state, a progress bar between rounds, and one WorkflowTools.WaitTimeout error naming what
    /// was still running when -Timeout ran out. Ctrl+C stops at once: every wait and request takes the command's
    /// cancellation token.
    /// </summary>
    public abstract class WaitCmdlet<TConnection, TItem> : ConnectedCmdlet<TConnection>
        where TConnection : ServiceConnection
    {
        private const int ProgressId = 7302;

        /// <summary>The shortest -PollInterval accepted.</summary>
        private static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(100);

        private readonly List<(long Id, long? Group)> _input = new List<(long, long?)>();

        private protected WaitCmdlet(string service, string connectCommand, Func<SessionState, TConnection?> sessionConnection)
            : base(service, connectCommand, sessionConnection)
        {
        }

        /// <summary>
        /// How long to wait in all: seconds or a TimeSpan (00:05:00). When it runs out, a WorkflowTools.WaitTimeout
        /// error names what was still running (the items that finished were already written). Default: no limit.
        /// </summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan Timeout { get; set; }

        /// <summary>
        /// The time between two reads of the items still running: seconds or a TimeSpan (at least 0.1 s). A round
        /// reads many items per request; where the connection has a rate limit (Next Matter), rounds are spaced so
        /// that polling uses at most half of it, whatever is given here.
        /// </summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan PollInterval { get; set; }

        /// <summary>The default -PollInterval of this service.</summary>
        private protected abstract TimeSpan DefaultPollInterval { get; }

        /// <summary>"request" or "instance", for messages.</summary>
        private protected abstract string Noun { get; }

        private protected abstract WaitSet<TItem> CreateSet();

        /// <summary>The item's id.</summary>
        private protected abstract long IdOf(TItem item);

        /// <summary>The item's state, as the message about an item that ended otherwise names it.</summary>
        private protected abstract string StateOf(TItem item);

        /// <summary>The states waited for, as messages name them.</summary>
        private protected abstract string WantedText { get; }

        /// <summary>Keeps one id (with its group, when the input tells it) until the input ends.</summary>
        private protected void Collect(long id, long? group) => _input.Add((id, group));

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(PollInterval)))
            {
                PollInterval = DefaultPollInterval;
            }
            else if (PollInterval < MinPollInterval)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument($"-PollInterval must be at least {MinPollInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", PollInterval));
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) && Timeout < TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("-Timeout cannot be negative.", Timeout));
            }
        }

        protected override void EndProcessing()
        {
            var set = CreateSet();
            foreach (var (id, group) in _input)
            {
                if (!set.Add(id, group))
                {
                    WriteVerbose($"{Capital(Noun)} {Text(id)} was given more than once; it is waited for once.");
                }
            }

            if (set.PendingCount == 0)
            {
                return;
            }

            var timeout = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : (TimeSpan?)null;
            var clock = new SystemPacerClock();
            var schedule = new WaitSchedule(clock, PollInterval, timeout, ActiveConnection.RequestsPerMinute);
            var activity = $"Waiting for {set.Total} {Noun}(s) to be {WantedText}";
            try
            {
                // Rounds and pauses are reported from the pool; the pipeline thread writes them while it waits.
                var stillRunning = Run(ct => WaitLoop.RunAsync(
                    set,
                    schedule,
                    clock,
                    round => Post(() => WriteRound(round)),
                    left => Post(() => WriteWaiting(activity, set, schedule, left)),
                    ct));
                if (stillRunning.Count > 0)
                {
                    WriteTimeout(set, schedule, stillRunning);
                }
            }
            catch (ApiException ex)
            {
                // The service could not be read even after the connection's retries: say what was still waited for.
                WriteError(ErrorRecordFor(ex, set.Pending.ToArray()));
            }
            catch (Exception)
            {
                // Downstream wants no more, or -ErrorAction Stop stopped at an item: no further request goes out.
                CancelAll();
                throw;
            }
            finally
            {
                if (!Cancellation.IsCancellationRequested)
                {
                    WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
        }

        private void WriteRound(WaitRound<TItem> round)
        {
            WriteVerbose($"Read {round.Finished.Count + round.EndedOtherwise.Count + round.Failures.Count} finished or missing {Noun}(s) in {round.Requests} request(s).");
            foreach (var item in round.Finished)
            {
                WriteObject(item);
            }

            foreach (var item in round.EndedOtherwise)
            {
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"{Capital(Noun)} {Text(IdOf(item))} ended {StateOf(item)}, not {WantedText}; it is no longer waited for."),
                    "WorkflowTools.WaitEndedOtherwise",
                    ErrorCategory.InvalidResult,
                    IdOf(item)));
            }

            foreach (var failure in round.Failures)
            {
                WriteError(ErrorRecordFor(failure.Value, failure.Key));
            }
        }

        /// <summary>The progress bar while waiting for the next round.</summary>
        private void WriteWaiting(string activity, WaitSet<TItem> set, WaitSchedule schedule, TimeSpan left)
        {
            var pending = set.Pending;
            var done = set.Total - pending.Count;
            var next = $"next check in {Math.Ceiling(left.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";
            WriteProgress(new ProgressRecord(ProgressId, activity, $"{done} of {set.Total} done; still running: {Preview(pending)}")
            {
                PercentComplete = set.Total > 0 ? done * 100 / set.Total : 0,
                CurrentOperation = schedule.Remaining is TimeSpan remaining ? $"{next}; time out in {Math.Ceiling(remaining.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s" : next,
            });
        }

        private void WriteTimeout(WaitSet<TItem> set, WaitSchedule schedule, IReadOnlyList<long> pending)
        {
            var waited = schedule.Timeout ?? schedule.Elapsed;
            var message = $"Timed out after {Duration(waited)}: {pending.Count} of {set.Total} {Noun}(s) still not {WantedText}: {Preview(pending, 20)}.";
            var record = new ErrorRecord(new TimeoutException(message), "WorkflowTools.WaitTimeout", ErrorCategory.OperationTimeout, pending.ToArray())
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Wait again for those ids with a longer -Timeout, or look at them (Get-{(Noun == "request" ? "PmRequest" : "NmInstance")} -Id …)." },
            };
            WriteError(record);
        }

        /// <summary>"A", "A or B", "A, B or C".</summary>
        private protected static string Listed(string[] names) =>
            names.Length <= 1 ? string.Join(string.Empty, names) : string.Join(", ", names.Take(names.Length - 1)) + " or " + names[names.Length - 1];

        private static string Preview(IReadOnlyList<long> ids, int max = 8)
        {
            var shown = string.Join(", ", ids.Take(max).Select(Text));
            return ids.Count > max ? $"{shown} and {ids.Count - max} more" : shown;
        }

        private static string Duration(TimeSpan span) =>
            span.TotalSeconds < 120 ? $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : span.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);

        private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

        private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
