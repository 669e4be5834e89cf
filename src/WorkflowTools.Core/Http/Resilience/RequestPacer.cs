using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Http
{
    /// <summary>The time source of a <see cref="RequestPacer"/>: real time, or a clock a test or a simulation drives.</summary>
    internal interface IPacerClock
    {
        /// <summary>Time since the clock started; never goes back.</summary>
        TimeSpan Elapsed { get; }

        /// <summary>Waits <paramref name="delay"/> on this clock.</summary>
        Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken);
    }

    /// <summary>Wall time (a <see cref="Stopwatch"/>) and <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.</summary>
    internal sealed class SystemPacerClock : IPacerClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public TimeSpan Elapsed => _watch.Elapsed;

        public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
    }

    /// <summary>
    /// The adaptive pacer of one connection, shared by all its parallel work. Every request takes a slot in
    /// order; a slot is given only where it keeps the limits in every window, the first one included:
    /// <list type="bullet">
    /// <item>no 60-second window holds more than <see cref="RequestsPerMinute"/> slots, and no hour more than
    /// <see cref="RequestsPerHour"/> (a log of the last slots, the way a sliding-window server counts);</item>
    /// <item>within that, slots are spread at the current rate with a small burst (a token bucket), so work does
    /// not arrive in clumps;</item>
    /// <item>a 429 (<see cref="OnThrottled(TimeSpan?)"/>) pauses every caller: for the server's Retry-After, or without one for
    /// Next Matter's documented advice (1 minute, then 5 minutes when the next attempt is refused again), and lowers
    /// the current rate by a fifth; after a quiet period without 429 the rate creeps back up, first to just under
    /// the rate that was refused, after half an hour without 429 to the limit.</item>
    /// </list>
    /// The limits themselves never rise: <see cref="RequestsPerMinute"/> caps whatever the pacer learns.
    /// </summary>
    internal sealed class RequestPacer
    {
        /// <summary>Slack added to each window: the server counts arrival times, and arrivals jitter.</summary>
        public static readonly TimeSpan MinuteMargin = TimeSpan.FromMilliseconds(500);

        /// <summary>Slack added to the hourly window.</summary>
        public static readonly TimeSpan HourMargin = TimeSpan.FromSeconds(2);

        /// <summary>Pause after a 429 without Retry-After (Next Matter: "retry the request after 1 minute").</summary>
        public static readonly TimeSpan FirstThrottlePause = TimeSpan.FromMinutes(1);

        /// <summary>Pause after a further 429 once the first pause is over ("or, if it still fails, 5 minutes").</summary>
        public static readonly TimeSpan RepeatedThrottlePause = TimeSpan.FromMinutes(5);

        /// <summary>How long the pacer must go without a 429 before the rate starts to rise again.</summary>
        public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(2);

        /// <summary>Between two rises of the rate (each by a twentieth of the limit).</summary>
        public static readonly TimeSpan RiseInterval = TimeSpan.FromSeconds(30);

        /// <summary>
        /// How long the rate a 429 taught stays the ceiling: the rate rises only to just under the rate that was
        /// refused, until this long has passed without a 429; then up to the limit again.
        /// </summary>
        public static readonly TimeSpan CeilingLifetime = TimeSpan.FromMinutes(30);

        private const int ScheduleSize = 4096;

        private readonly object _gate = new object();
        private readonly IPacerClock _clock;
        private readonly double _capacity;
        private readonly SlotLog? _minute;
        private readonly SlotLog? _hour;
        private readonly SlotLog _schedule = new SlotLog(ScheduleSize);
        private double _perSecond;
        private double _ceiling = double.PositiveInfinity;
        private double _tokens;
        private double _lastRefill;
        private double _lastSlot;
        private double _pausedUntil;
        private double _lastThrottle = double.NegativeInfinity;
        private double _lastRise = double.NegativeInfinity;
        private bool _throttledSinceSuccess;
        private long _throttles;

        /// <param name="requestsPerMinute">The per-minute limit; 0 or less: none.</param>
        /// <param name="requestsPerHour">The per-hour limit; 0 or less: none.</param>
        /// <param name="burst">How many requests may go at once after a quiet spell; defaults to a tenth of a minute's worth.</param>
        /// <param name="clock">The time source; wall time when null.</param>
        public RequestPacer(int requestsPerMinute, int requestsPerHour = 0, int? burst = null, IPacerClock? clock = null)
        {
            _clock = clock ?? new SystemPacerClock();
            RequestsPerMinute = Math.Max(0, requestsPerMinute);
            RequestsPerHour = Math.Max(0, requestsPerHour);
            if (RequestsPerMinute > 0)
            {
                _minute = new SlotLog(RequestsPerMinute);
                _perSecond = RequestsPerMinute / 60.0;
                _capacity = Math.Max(1, burst ?? Math.Max(1, RequestsPerMinute / 10));
            }
            else if (RequestsPerHour > 0)
            {
                _perSecond = RequestsPerHour / 3600.0;
                _capacity = Math.Max(1, burst ?? Math.Max(1, RequestsPerHour / 600));
            }

            if (RequestsPerHour > 0)
            {
                _hour = new SlotLog(RequestsPerHour);
            }

            _tokens = _capacity;
            _lastRefill = _clock.Elapsed.TotalSeconds;
        }

        /// <summary>The per-minute limit; 0 = none.</summary>
        public int RequestsPerMinute { get; }

        /// <summary>The per-hour limit; 0 = none.</summary>
        public int RequestsPerHour { get; }

        public bool IsUnlimited => RequestsPerMinute == 0 && RequestsPerHour == 0;

        public IPacerClock Clock => _clock;

        /// <summary>The rate the pacer spreads requests at now, per minute (the limit, or less after a 429).</summary>
        public double CurrentRatePerMinute
        {
            get
            {
                lock (_gate)
                {
                    return _perSecond * 60;
                }
            }
        }

        /// <summary>How many 429 answers the pacer was told of.</summary>
        public long Throttles => Interlocked.Read(ref _throttles);

        /// <summary>How long the caller must wait for its slot; the slot is taken at once.</summary>
        public TimeSpan Reserve()
        {
            lock (_gate)
            {
                var now = _clock.Elapsed.TotalSeconds;
                var slot = Math.Max(now, _pausedUntil);
                if (!IsUnlimited)
                {
                    Rise(now);
                    if (now > _lastRefill)
                    {
                        _tokens = Math.Min(_capacity, _tokens + ((now - _lastRefill) * _perSecond));
                        _lastRefill = now;
                    }

                    _tokens -= 1;
                    if (_tokens < 0)
                    {
                        // The debt counts from the last refill, which a pause may have put in the future.
                        slot = Math.Max(slot, Math.Max(now, _lastRefill) + (-_tokens / _perSecond));
                    }

                    // Slots are handed out in order, so the oldest of the last N is the one a window must clear.
                    slot = Math.Max(slot, _lastSlot);
                    if (_minute != null && _minute.Full)
                    {
                        slot = Math.Max(slot, _minute.Oldest + 60 + MinuteMargin.TotalSeconds);
                    }

                    if (_hour != null && _hour.Full)
                    {
                        slot = Math.Max(slot, _hour.Oldest + 3600 + HourMargin.TotalSeconds);
                    }

                    _minute?.Add(slot);
                    _hour?.Add(slot);
                    _lastSlot = slot;
                }

                _schedule.Add(slot);
                return TimeSpan.FromSeconds(slot - now);
            }
        }

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            var wait = Reserve();
            if (wait > TimeSpan.Zero)
            {
                ApiTrace.Debug($"Rate limiter: waiting {wait.TotalSeconds:0.00} s for a request slot.");
                await _clock.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Holds back every caller of this connection for <paramref name="delay"/> (the server asked for it).</summary>
        public void Defer(TimeSpan delay)
        {
            lock (_gate)
            {
                PauseUntil(_clock.Elapsed.TotalSeconds + delay.TotalSeconds);
            }
        }

        /// <summary>
        /// The server answered 429. Pauses every caller for <paramref name="retryAfter"/>, or without it for the
        /// documented 1 minute (5 minutes when the first pause is over and the server still refuses), and lowers
        /// the rate by a fifth. 429s to requests that were already under way when the pause began count as the same event.
        /// Returns how long from now new requests wait.
        /// </summary>
        public TimeSpan OnThrottled(TimeSpan? retryAfter) => OnThrottled(retryAfter, null);

        /// <summary>
        /// As <see cref="OnThrottled(TimeSpan?)"/>; without a Retry-After the documented pause is cut to
        /// <paramref name="longestAdvisedPause"/> (never below zero), the wait the call that got the 429 can afford and
        /// still make one more attempt within its time limit: Next Matter's "5 minutes" after a second 429 is as long as
        /// a call's default time limit, and would otherwise only end in a timeout. A server's Retry-After is never cut.
        /// </summary>
        public TimeSpan OnThrottled(TimeSpan? retryAfter, TimeSpan? longestAdvisedPause)
        {
            Interlocked.Increment(ref _throttles);
            lock (_gate)
            {
                var now = _clock.Elapsed.TotalSeconds;
                var sameEvent = now < _pausedUntil;
                if (!sameEvent)
                {
                    var pause = retryAfter ?? (_throttledSinceSuccess ? RepeatedThrottlePause : FirstThrottlePause);
                    if (retryAfter == null && longestAdvisedPause is TimeSpan most && pause > most)
                    {
                        pause = most < TimeSpan.Zero ? TimeSpan.Zero : most;
                    }

                    _throttledSinceSuccess = true;
                    PauseUntil(now + pause.TotalSeconds);
                    if (!IsUnlimited)
                    {
                        // Just under the refused rate is the most the server may take: stay below it for a while.
                        var floor = Math.Max(_perSecondLimit() / 16, 1.0 / 3600);
                        _ceiling = Math.Max(floor, _perSecond * 0.95);
                        _perSecond = Math.Max(floor, _perSecond * 0.8);
                    }
                }
                else if (retryAfter is TimeSpan asked)
                {
                    PauseUntil(now + asked.TotalSeconds);
                }

                _lastThrottle = now;
                return TimeSpan.FromSeconds(Math.Max(0, _pausedUntil - now));
            }
        }

        /// <summary>
        /// Forgets everything: the slots taken, pauses, what 429s taught, back to a full burst at the limit. For a
        /// server that forgot its own count (a sandbox reset), never for a real service.
        /// </summary>
        public void Restart()
        {
            lock (_gate)
            {
                _minute?.Clear();
                _hour?.Clear();
                _perSecond = RequestsPerMinute > 0 ? RequestsPerMinute / 60.0 : RequestsPerHour / 3600.0;
                _ceiling = double.PositiveInfinity;
                _tokens = _capacity;
                _lastRefill = _clock.Elapsed.TotalSeconds;
                _lastSlot = 0;
                _pausedUntil = 0;
                _lastThrottle = double.NegativeInfinity;
                _lastRise = double.NegativeInfinity;
                _throttledSinceSuccess = false;
            }
        }

        /// <summary>A request was answered without 429: the next 429 starts again with the short pause.</summary>
        public void OnSuccess()
        {
            if (!Volatile.Read(ref _throttledSinceSuccess))
            {
                return;
            }

            lock (_gate)
            {
                _throttledSinceSuccess = false;
            }
        }

        /// <summary>The last slots handed out (up to 4096), in order, as times on the pacer's clock.</summary>
        public IReadOnlyList<TimeSpan> RecentSlots()
        {
            lock (_gate)
            {
                var list = new List<TimeSpan>(_schedule.Count);
                foreach (var seconds in _schedule.Items())
                {
                    list.Add(TimeSpan.FromSeconds(seconds));
                }

                return list;
            }
        }

        private double _perSecondLimit() =>
            RequestsPerMinute > 0 ? RequestsPerMinute / 60.0 : RequestsPerHour / 3600.0;

        private void PauseUntil(double until)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }

            // The bucket starts empty after a pause so a burst does not trigger the limit again.
            if (!IsUnlimited)
            {
                _tokens = Math.Min(_tokens, 0);
                _lastRefill = Math.Max(_lastRefill, _pausedUntil);
            }
        }

        /// <summary>
        /// After a quiet period the rate rises by a twentieth of the limit per interval: up to just under the rate a
        /// 429 refused, and once that lesson is <see cref="CeilingLifetime"/> old, up to the limit.
        /// </summary>
        private void Rise(double now)
        {
            var limit = _perSecondLimit();
            if (now - _lastThrottle >= CeilingLifetime.TotalSeconds)
            {
                _ceiling = double.PositiveInfinity;
            }

            var top = Math.Min(limit, _ceiling);
            if (_perSecond >= top || now - _lastThrottle < QuietPeriod.TotalSeconds || now - _lastRise < RiseInterval.TotalSeconds)
            {
                return;
            }

            _perSecond = Math.Min(top, _perSecond + (limit / 20));
            _lastRise = now;
        }

        /// <summary>A ring of the last N slot times.</summary>
        private sealed class SlotLog
        {
            private readonly double[] _items;
            private int _next;

            public SlotLog(int size)
            {
                _items = new double[Math.Max(1, size)];
            }

            public int Count { get; private set; }

            public void Clear()
            {
                _next = 0;
                Count = 0;
            }

            public bool Full => Count == _items.Length;

            /// <summary>The oldest of the last N slots (valid when <see cref="Full"/>).</summary>
            public double Oldest => _items[_next];

            public void Add(double slot)
            {
                _items[_next] = slot;
                _next = (_next + 1) % _items.Length;
                if (Count < _items.Length)
                {
                    Count++;
                }
            }

            public IEnumerable<double> Items()
            {
                var start = Full ? _next : 0;
                for (var i = 0; i < Count; i++)
                {
                    yield return _items[(start + i) % _items.Length];
                }
            }
        }
    }
}
