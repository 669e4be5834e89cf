using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using WorkflowTools.Connections;

namespace WorkflowTools.Http
{
    /// <summary>What the retry policy needs to know of an attempt that got an answer.</summary>
    internal interface IAttemptAnswer
    {
        int StatusCode { get; }

        /// <summary>The server's Retry-After, when it gave a readable one.</summary>
        TimeSpan? RetryAfter { get; }
    }

    /// <summary>
    /// The one retry policy, as a Polly pipeline: the total timeout around everything, exponential backoff with
    /// jitter up to <see cref="ConnectionSettings.MaxRetryDelay"/>, a server's Retry-After honoured in full when it ends
    /// within the call's remaining total time (else no retry, and the user is told), and <see cref="RetryRules"/>
    /// deciding what may be sent again. The HTTP core's requests and the OAuth token requests both go through it;
    /// each execution says whether its request is safe to repeat (<see cref="Idempotent"/>).
    /// </summary>
    internal static class RetryPolicy
    {
        /// <summary>Whether the request of this execution may be repeated after an ambiguous failure.</summary>
        public static readonly ResiliencePropertyKey<bool> Idempotent = new ResiliencePropertyKey<bool>("WorkflowTools.Idempotent");

        /// <summary>How long one call may wait between attempts, in all, before the user is told without -Verbose.</summary>
        public static readonly TimeSpan LongWaitNotice = TimeSpan.FromSeconds(3);

        private static readonly ResiliencePropertyKey<WaitTally> WaitsKey = new ResiliencePropertyKey<WaitTally>("WorkflowTools.Waits");

        /// <summary>When the call began (a <see cref="Stopwatch"/> timestamp): the start of its total time (<see cref="ConnectionSettings.Timeout"/>).</summary>
        private static readonly ResiliencePropertyKey<long> StartedKey = new ResiliencePropertyKey<long>("WorkflowTools.Started");

        /// <summary>Marks the start of a call's total time; callers do it just before they execute the pipeline.</summary>
        public static void MarkStart(ResilienceContext context) => context.Properties.Set(StartedKey, Stopwatch.GetTimestamp());

        /// <summary>
        /// What is left of the call's total time <paramref name="timeout"/>: null when there is no limit; the whole limit
        /// when the start was not marked.
        /// </summary>
        public static TimeSpan? Remaining(ResilienceContext context, TimeSpan timeout)
        {
            if (timeout <= TimeSpan.Zero || timeout == System.Threading.Timeout.InfiniteTimeSpan)
            {
                return null;
            }

            if (!context.Properties.TryGetValue(StartedKey, out var started))
            {
                return timeout;
            }

            var elapsed = TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - started) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            var left = timeout - elapsed;
            return left < TimeSpan.Zero ? TimeSpan.Zero : left;
        }

        /// <summary>
        /// Whether a server's Retry-After of <paramref name="wait"/> can be honoured with <paramref name="remaining"/> of
        /// the call's time left: the wait must end before the time does (a retry sent earlier than the server allows
        /// would only be refused again).
        /// </summary>
        public static bool Fits(TimeSpan wait, TimeSpan? remaining) => remaining == null || wait < remaining.Value;

        /// <summary>
        /// The pipeline. Before each wait it traces "<paramref name="describeRequest"/> failed (what); attempt n of m
        /// in s" to -Verbose and, once one call's waits add up to <see cref="LongWaitNotice"/>, once without -Verbose
        /// (a 60 s Retry-After or a run of refused connections is otherwise a silent hang). <paramref name="onRetry"/>
        /// (may be null) runs first, for pacing. An attempt reports a failure as an exception outcome; a cancellation
        /// of the call's own token is final.
        /// </summary>
        public static ResiliencePipeline<T> Build<T>(ConnectionSettings settings, Func<ResilienceContext, string> describeRequest, Action<OnRetryArguments<T>>? onRetry = null)
            where T : class, IAttemptAnswer
        {
            var builder = new ResiliencePipelineBuilder<T>();
            if (settings.Timeout > TimeSpan.Zero && settings.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            {
                builder.AddTimeout(settings.Timeout);
            }

            if (settings.MaxRetries > 0)
            {
                var maxDelay = settings.MaxRetryDelay;
                builder.AddRetry(new RetryStrategyOptions<T>
                {
                    MaxRetryAttempts = settings.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = settings.RetryBaseDelay,
                    MaxDelay = maxDelay,
                    ShouldHandle = args =>
                    {
                        var idempotent = args.Context.Properties.GetValue(Idempotent, false);
                        var outcome = args.Outcome.Exception != null
                            ? (args.Outcome.Exception is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested
                                ? AttemptOutcome.Final
                                : RetryRules.Classify(args.Outcome.Exception))
                            : RetryRules.Classify(args.Outcome.Result!.StatusCode);
                        var retry = RetryRules.MayRetry(outcome, idempotent);
                        if (retry && args.Outcome.Result?.RetryAfter is TimeSpan asked && Remaining(args.Context, settings.Timeout) is TimeSpan left && !Fits(asked, left))
                        {
                            // The server's wait is longer than the call may still take: say so now rather than wait and time out.
                            ApiTrace.LongWait($"{describeRequest(args.Context)} answered {args.Outcome.Result.StatusCode} and asks to wait {asked.TotalSeconds:0} s, more than the {left.TotalSeconds:0} s left of its time limit (-Timeout); not retried.");
                            retry = false;
                        }

                        return new ValueTask<bool>(retry);
                    },
                    // A server's Retry-After is honoured in full (ShouldHandle made sure it fits the call's time);
                    // without one, exponential backoff up to MaxRetryDelay.
                    DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result?.RetryAfter),
                    OnRetry = args =>
                    {
                        onRetry?.Invoke(args);
                        Trace(args.Context, describeRequest(args.Context), args.Outcome.Exception, args.Outcome.Result?.StatusCode, args.AttemptNumber, settings.MaxRetries, args.RetryDelay);
                        return default;
                    },
                });
            }

            return builder.Build();
        }

        private static void Trace(ResilienceContext context, string request, Exception? failure, int? status, int attemptNumber, int maxRetries, TimeSpan delay)
        {
            var what = failure != null ? Describe(failure) : status.GetValueOrDefault().ToString(CultureInfo.InvariantCulture);
            var message = $"{request} failed ({what}); attempt {attemptNumber + 2} of {maxRetries + 1} in {delay.TotalSeconds:0.0} s.";
            ApiTrace.Verbose(message);

            if (!context.Properties.TryGetValue(WaitsKey, out var waits))
            {
                waits = new WaitTally();
                context.Properties.Set(WaitsKey, waits);
            }

            waits.Waited += delay;
            if (!waits.Reported && waits.Waited >= LongWaitNotice)
            {
                waits.Reported = true;
                ApiTrace.LongWait($"{message} Still retrying; -Verbose shows every attempt.");
            }
        }

        /// <summary>The socket error under a failed attempt (refused, host not found, …), if it was one.</summary>
        public static System.Net.Sockets.SocketError? SocketErrorOf(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is System.Net.Sockets.SocketException socket)
                {
                    return socket.SocketErrorCode;
                }
            }

            return null;
        }

        /// <summary>A failed attempt as a trace line names it: "network error: ConnectionRefused", a timeout, or the message.</summary>
        public static string Describe(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is System.Net.Sockets.SocketException socket)
                {
                    return $"network error: {socket.SocketErrorCode}";
                }
            }

            if (exception is TimeoutException)
            {
                return exception.Message.TrimEnd('.');
            }

            return exception.InnerException != null && exception is System.Net.Http.HttpRequestException
                ? $"{exception.Message.TrimEnd('.')} ({exception.InnerException.Message.TrimEnd('.')})"
                : exception.Message.TrimEnd('.');
        }

        /// <summary>How long one call has waited between attempts, and whether the user was told.</summary>
        private sealed class WaitTally
        {
            public TimeSpan Waited;
            public bool Reported;
        }

        /// <summary>A server's wait, cut to the longest one honoured.</summary>
        public static TimeSpan Cap(TimeSpan wait, TimeSpan maxDelay) => wait > maxDelay ? maxDelay : wait;
    }
}
