using System;
using WorkflowTools.Http;

namespace WorkflowTools.Waiting
{
    /// <summary>
    /// When a wait polls: rounds start one poll interval apart (measured from the start of the previous round, so
    /// a finished item is seen at most one interval after it finished), the last one at the deadline. Where the
    /// connection has a rate limit, polling takes at most half of it: rounds of n requests are spaced so that no
    /// 60-second window holds more than limit / 2 of them, and the other half stays for whatever else the connection does. The connection's
    /// pacer still paces every request below this.
    /// </summary>
    internal sealed class WaitSchedule
    {
        /// <summary>The share of a connection's per-minute limit polling may use.</summary>
        public const double RateShare = 0.5;

        private readonly IPacerClock _clock;
        private readonly TimeSpan _start;

        /// <param name="clock">The time source (real time, or a test's clock).</param>
        /// <param name="pollInterval">The wanted time between the starts of two rounds.</param>
        /// <param name="timeout">How long to wait in all; null = no limit.</param>
        /// <param name="requestsPerMinute">The connection's limit; 0 = none.</param>
        public WaitSchedule(IPacerClock clock, TimeSpan pollInterval, TimeSpan? timeout, int requestsPerMinute)
        {
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            if (pollInterval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(pollInterval));
            }

            PollInterval = pollInterval;
            Timeout = timeout;
            RequestsPerMinute = requestsPerMinute;
            _start = clock.Elapsed;
        }

        public TimeSpan PollInterval { get; }

        public TimeSpan? Timeout { get; }

        public int RequestsPerMinute { get; }

        /// <summary>Time since the wait began.</summary>
        public TimeSpan Elapsed => _clock.Elapsed - _start;

        /// <summary>Time left before the deadline; null without one.</summary>
        public TimeSpan? Remaining => Timeout is TimeSpan t ? (t - Elapsed > TimeSpan.Zero ? t - Elapsed : TimeSpan.Zero) : (TimeSpan?)null;

        /// <summary>The interval between rounds of <paramref name="roundCost"/> requests: the wanted one, or longer to keep within the rate share.</summary>
        public TimeSpan IntervalFor(int roundCost)
        {
            if (RequestsPerMinute <= 0 || roundCost <= 0)
            {
                return PollInterval;
            }

            // Any 60-second window holds floor(60 / interval) + 1 round starts; with interval = 60 × cost / (budget - cost)
            // that is at most budget / cost rounds, so at most the budget in requests. A round dearer than the budget
            // gets a minute per budget's worth (the pacer spreads its own requests).
            var budget = RequestsPerMinute * RateShare;
            var seconds = budget > roundCost ? 60.0 * roundCost / (budget - roundCost) : 60.0 * roundCost / budget;
            var floor = TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond));
            return floor > PollInterval ? floor : PollInterval;
        }

        /// <summary>
        /// How long to wait before the next round, given when the last one started (<see cref="Elapsed"/> then);
        /// null when the deadline has passed, so no round is left.
        /// </summary>
        public TimeSpan? NextDelay(int nextRoundCost, TimeSpan lastRoundStartedAt)
        {
            var now = Elapsed;
            if (Timeout is TimeSpan limit && now >= limit)
            {
                return null;
            }

            var next = lastRoundStartedAt + IntervalFor(nextRoundCost);
            if (Timeout is TimeSpan deadline && next > deadline)
            {
                next = deadline;
            }

            var delay = next - now;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }
    }
}
