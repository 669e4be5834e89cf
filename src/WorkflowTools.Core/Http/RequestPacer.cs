using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Http
{
    /// <summary>
    /// Client-side rate limiter of one connection: a token bucket that hands out slots in order, so
    /// bulk work paces itself below the service's limit instead of collecting 429 answers. When the
    /// server does answer 429, <see cref="Defer"/> pauses every caller of the connection.
    /// </summary>
    internal sealed class RequestPacer
    {
        private readonly object _gate = new object();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly double _perSecond;
        private readonly double _capacity;
        private double _tokens;
        private double _lastSeconds;
        private double _pausedUntilSeconds;

        /// <param name="requestsPerMinute">0 or less: no limit.</param>
        /// <param name="burst">How many requests may go at once after a quiet spell; defaults to a tenth of a minute's worth.</param>
        public RequestPacer(int requestsPerMinute, int? burst = null)
        {
            RequestsPerMinute = Math.Max(0, requestsPerMinute);
            _perSecond = RequestsPerMinute / 60.0;
            _capacity = Math.Max(1, burst ?? Math.Max(1, RequestsPerMinute / 10));
            _tokens = _capacity;
        }

        public int RequestsPerMinute { get; }

        public bool IsUnlimited => RequestsPerMinute == 0;

        /// <summary>How long the caller must wait for its slot; the slot is taken at once.</summary>
        public TimeSpan Reserve()
        {
            lock (_gate)
            {
                var now = _clock.Elapsed.TotalSeconds;
                double wait = Math.Max(0, _pausedUntilSeconds - now);
                if (IsUnlimited)
                {
                    return TimeSpan.FromSeconds(wait);
                }

                if (now > _lastSeconds)
                {
                    _tokens = Math.Min(_capacity, _tokens + (now - _lastSeconds) * _perSecond);
                    _lastSeconds = now;
                }

                _tokens -= 1;
                if (_tokens < 0)
                {
                    wait += -_tokens / _perSecond;
                }

                return TimeSpan.FromSeconds(wait);
            }
        }

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            var wait = Reserve();
            if (wait > TimeSpan.Zero)
            {
                ApiTrace.Debug($"Rate limiter: waiting {wait.TotalSeconds:0.00} s for a request slot.");
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Holds back every caller of this connection for <paramref name="delay"/> (the server asked for it).</summary>
        public void Defer(TimeSpan delay)
        {
            lock (_gate)
            {
                var until = _clock.Elapsed.TotalSeconds + delay.TotalSeconds;
                if (until > _pausedUntilSeconds)
                {
                    _pausedUntilSeconds = until;
                }

                // The bucket starts empty after a pause so a burst does not trigger the limit again.
                if (!IsUnlimited)
                {
                    _tokens = Math.Min(_tokens, 0);
                    _lastSeconds = Math.Max(_lastSeconds, until);
                }
            }
        }
    }
}
