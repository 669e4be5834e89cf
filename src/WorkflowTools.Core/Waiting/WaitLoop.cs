using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.Waiting
{
    /// <summary>
    /// The wait itself: poll every pending id, hand out the round, pause until the schedule's next round (in steps of
    /// at most <see cref="PauseStep"/>, reporting the time left), until nothing is pending or the deadline passed.
    /// The first round starts at once. A failed poll (an <see cref="ApiException"/> after the connection's retries)
    /// ends the wait by propagating; cancellation ends it at once.
    /// </summary>
    internal static class WaitLoop
    {
        /// <summary>The longest single delay, so progress can be shown while waiting.</summary>
        public static readonly TimeSpan PauseStep = TimeSpan.FromSeconds(1);

        /// <summary>Returns the ids still pending when the deadline passed; empty when every id was settled.</summary>
        /// <param name="set">The ids to wait for.</param>
        /// <param name="schedule">When rounds start.</param>
        /// <param name="clock">The clock the schedule reads, for the pauses.</param>
        /// <param name="onRound">Gets each round (on a pool thread: post it to wherever it is written).</param>
        /// <param name="onPause">Gets the time left until the next round, at each step of a pause.</param>
        /// <param name="cancellationToken">Ctrl+C.</param>
        public static async Task<IReadOnlyList<long>> RunAsync<T>(
            WaitSet<T> set,
            WaitSchedule schedule,
            IPacerClock clock,
            Action<WaitRound<T>> onRound,
            Action<TimeSpan>? onPause,
            CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = schedule.Elapsed;
                var round = await set.PollAsync(cancellationToken).ConfigureAwait(false);
                onRound(round);
                if (set.PendingCount == 0)
                {
                    return Array.Empty<long>();
                }

                var delay = schedule.NextDelay(set.NextRoundCost(), started);
                if (delay == null)
                {
                    return set.Pending;
                }

                var until = schedule.Elapsed + delay.Value;
                while (true)
                {
                    var left = until - schedule.Elapsed;
                    onPause?.Invoke(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                    if (left <= TimeSpan.Zero)
                    {
                        break;
                    }

                    await clock.DelayAsync(left < PauseStep ? left : PauseStep, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
