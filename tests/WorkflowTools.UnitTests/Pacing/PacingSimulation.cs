using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Sandbox;

namespace WorkflowTools.UnitTests.Pacing
{
    /// <summary>A clock the simulation moves: the pacer reads it, nothing sleeps.</summary>
    public sealed class ManualPacerClock : IPacerClock
    {
        public TimeSpan Now { get; set; }

        public TimeSpan Elapsed => Now;

        public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            Now += delay;
            return Task.CompletedTask;
        }
    }

    /// <summary>What one simulated run measured.</summary>
    public sealed class PacingResult
    {
        public TimeSpan Duration { get; init; }
        public int Accepted { get; init; }
        public int Throttled { get; init; }
        public int Failed { get; init; }
        public int Allowed { get; init; }
        public double FinalRatePerMinute { get; init; }

        public double ThroughputShare => Allowed == 0 ? 0 : (double)Accepted / Allowed;

        public double ThrottledShare => Accepted + Throttled == 0 ? 0 : (double)Throttled / (Accepted + Throttled);

        public override string ToString() =>
            $"{Duration.TotalMinutes:0} min: {Accepted} accepted of {Allowed} allowed ({ThroughputShare:P1}), {Throttled} answered 429 ({ThrottledShare:P2}), {Failed} failed, pacing at {FinalRatePerMinute:0.#}/min at the end";
    }

    /// <summary>
    /// Simulated time: the real <see cref="RequestPacer"/> (the module's code) against the real
    /// <see cref="SandboxRateLimiter"/> (the sandbox's code), both on one clock that jumps from event to event.
    /// <paramref name="inFlight"/> workers keep requests going like <c>-ThrottleLimit</c>; each request takes its
    /// slot from the shared pacer, reaches the server after half the latency and is answered after the other half.
    /// A 429 is handled as ApiClient handles it: the pacer is told (<see cref="RequestPacer.OnThrottled"/>, Retry-After
    /// capped at 60 s), and the
    /// request is retried after the retry delay (Retry-After capped at 60 s, else 1, 2, 4, 8, 16 s) and its next slot,
    /// at most five times. What is not simulated: jitter of the backoff and of the network, the HTTP stack itself.
    /// </summary>
    public static class PacingSimulation
    {
        public static PacingResult Run(TimeSpan duration, int? serverPerMinute, int? serverPerHour, bool retryAfter,
            int clientPerMinute = 100, int clientPerHour = 2950, int inFlight = 16, TimeSpan? latency = null)
        {
            var clock = new ManualPacerClock();
            var pacer = new RequestPacer(clientPerMinute, clientPerHour, clock: clock);
            var server = new SandboxRateLimiter(serverPerMinute, serverPerHour);
            var origin = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
            var half = TimeSpan.FromTicks((latency ?? TimeSpan.FromMilliseconds(50)).Ticks / 2);
            // Kind 0: the worker asks the pacer for a slot; 1: the request reaches the server; 2: the answer arrives.
            var events = new PriorityQueue<(int Kind, int Worker, int Attempt, int Wait), (TimeSpan, long)>();
            long order = 0;
            int accepted = 0, throttled = 0, failed = 0;

            for (var w = 0; w < inFlight; w++)
            {
                events.Enqueue((0, w, 0, 0), (TimeSpan.Zero, order++));
            }

            while (events.TryDequeue(out var e, out var at))
            {
                if (at.Item1 > duration)
                {
                    break;
                }

                clock.Now = at.Item1;
                switch (e.Kind)
                {
                    case 0:
                        events.Enqueue((1, e.Worker, e.Attempt, 0), (clock.Now + pacer.Reserve() + half, order++));
                        break;
                    case 1:
                        events.Enqueue((2, e.Worker, e.Attempt, server.Take("key", origin + clock.Now)), (clock.Now + half, order++));
                        break;
                    default:
                        if (e.Wait == 0)
                        {
                            accepted++;
                            pacer.OnSuccess();
                            events.Enqueue((0, e.Worker, 0, 0), (clock.Now, order++));
                            break;
                        }

                        throttled++;
                        TimeSpan? header = retryAfter ? TimeSpan.FromSeconds(e.Wait) : null;
                        // As ApiClient: a Retry-After is honoured up to MaxRetryDelay (60 s by default).
                        pacer.OnThrottled(header > TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : header);
                        if (e.Attempt >= 5)
                        {
                            failed++;
                            events.Enqueue((0, e.Worker, 0, 0), (clock.Now, order++));
                            break;
                        }

                        var backoff = header is TimeSpan h ? (h > TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : h) : TimeSpan.FromSeconds(Math.Pow(2, e.Attempt));
                        events.Enqueue((0, e.Worker, e.Attempt + 1, 0), (clock.Now + backoff, order++));
                        break;
                }
            }

            return new PacingResult
            {
                Duration = duration,
                Accepted = accepted,
                Throttled = throttled,
                Failed = failed,
                Allowed = Allowed(duration, serverPerMinute, serverPerHour),
                FinalRatePerMinute = pacer.CurrentRatePerMinute,
            };
        }

        /// <summary>The most a client could get accepted in <paramref name="duration"/> from sliding-window limits.</summary>
        public static int Allowed(TimeSpan duration, int? perMinute, int? perHour)
        {
            var byMinute = perMinute is int m ? (long)Math.Ceiling(duration.TotalMinutes) * m : long.MaxValue;
            var byHour = perHour is int h ? (long)Math.Ceiling(duration.TotalHours) * h : long.MaxValue;
            return (int)Math.Min(byMinute, byHour);
        }
    }
}
