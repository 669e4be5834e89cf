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
    /// A 429 is handled as ApiClient handles it with Next Matter's defaults (a 5-minute time limit per request, a 75 s
    /// attempt timeout): the pacer is told (<see cref="RequestPacer.OnThrottled(TimeSpan?, TimeSpan?)"/>: a Retry-After
    /// in full up to 5 minutes; without one, the advised pause cut to what the request can still afford), and the
    /// request is retried after the retry delay (the Retry-After, else 1, 2, 4, 8, 16 s) and its next slot, at most
    /// five times; a Retry-After longer than the request's time left fails it at once. What is not simulated: jitter
    /// of the backoff and of the network, the HTTP stack itself.
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
            var events = new PriorityQueue<(int Kind, int Worker, int Attempt, int Wait, TimeSpan Started), (TimeSpan, long)>();
            var limit = TimeSpan.FromMinutes(5);
            var attemptTimeout = TimeSpan.FromSeconds(75);
            long order = 0;
            int accepted = 0, throttled = 0, failed = 0;

            for (var w = 0; w < inFlight; w++)
            {
                events.Enqueue((0, w, 0, 0, TimeSpan.Zero), (TimeSpan.Zero, order++));
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
                        // A new request's first slot is waited for before its time limit starts, as in ApiClient.
                        var wait = pacer.Reserve();
                        var started = e.Attempt == 0 ? clock.Now + wait : e.Started;
                        events.Enqueue((1, e.Worker, e.Attempt, 0, started), (clock.Now + wait + half, order++));
                        break;
                    case 1:
                        events.Enqueue((2, e.Worker, e.Attempt, server.Take("key", origin + clock.Now), e.Started), (clock.Now + half, order++));
                        break;
                    default:
                        if (e.Wait == 0)
                        {
                            accepted++;
                            pacer.OnSuccess();
                            events.Enqueue((0, e.Worker, 0, 0, TimeSpan.Zero), (clock.Now, order++));
                            break;
                        }

                        throttled++;
                        TimeSpan? header = retryAfter ? TimeSpan.FromSeconds(e.Wait) : null;
                        var left = limit - (clock.Now - e.Started);
                        left = left < TimeSpan.Zero ? TimeSpan.Zero : left;
                        var backoff = header ?? TimeSpan.FromSeconds(Math.Pow(2, e.Attempt));
                        // As ApiClient: the server's wait in full for the connection (up to one request's limit); without
                        // one, the advised pause leaves this request room for one more attempt.
                        pacer.OnThrottled(header > limit ? limit : header, left - backoff - ApiClient.RoomForAttempt(left, attemptTimeout));
                        if (e.Attempt >= 5 || (header is TimeSpan asked && !RetryPolicy.Fits(asked, left)) || backoff >= left)
                        {
                            failed++;
                            events.Enqueue((0, e.Worker, 0, 0, TimeSpan.Zero), (clock.Now, order++));
                            break;
                        }

                        events.Enqueue((0, e.Worker, e.Attempt + 1, 0, e.Started), (clock.Now + backoff, order++));
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
