using System;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace WorkflowTools.Http
{
    /// <summary>What the retry policy needs to know of an attempt that got an answer.</summary>
    internal interface IAttemptAnswer
    {
        int StatusCode { get; }

        /// <summary>The server's Retry-After, when it gave a readable one.</summary>
        TimeSpan? RetryAfter { get; }
    }

    /// <summary>How often and how long to retry: the connection's settings.</summary>
    internal sealed class RetrySettings
    {
        public int MaxRetries { get; set; }

        /// <summary>Total time one call may take, attempts and waits included; zero or infinite for none.</summary>
        public TimeSpan Timeout { get; set; }

        public TimeSpan RetryBaseDelay { get; set; }

        public TimeSpan MaxRetryDelay { get; set; }
    }

    /// <summary>
    /// The one retry policy, as a Polly pipeline: the total timeout around everything, exponential backoff with
    /// jitter, a Retry-After honoured up to <see cref="RetrySettings.MaxRetryDelay"/>, and <see cref="RetryRules"/>
    /// deciding what may be sent again. The HTTP core's requests and the OAuth token requests both go through it;
    /// each execution says whether its request is safe to repeat (<see cref="Idempotent"/>).
    /// </summary>
    internal static class RetryPolicy
    {
        /// <summary>Whether the request of this execution may be repeated after an ambiguous failure.</summary>
        public static readonly ResiliencePropertyKey<bool> Idempotent = new ResiliencePropertyKey<bool>("WorkflowTools.Idempotent");

        /// <summary>
        /// The pipeline; <paramref name="onRetry"/> (may be null) runs before each wait, for pacing and traces.
        /// An attempt reports a failure as an exception outcome; a cancellation of the call's own token is final.
        /// </summary>
        public static ResiliencePipeline<T> Build<T>(RetrySettings settings, Func<OnRetryArguments<T>, ValueTask>? onRetry)
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
                        return new ValueTask<bool>(RetryRules.MayRetry(outcome, idempotent));
                    },
                    DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result?.RetryAfter is TimeSpan wait ? Cap(wait, maxDelay) : (TimeSpan?)null),
                    OnRetry = onRetry,
                });
            }

            return builder.Build();
        }

        /// <summary>A server's wait, cut to the longest one honoured.</summary>
        public static TimeSpan Cap(TimeSpan wait, TimeSpan maxDelay) => wait > maxDelay ? maxDelay : wait;
    }
}
