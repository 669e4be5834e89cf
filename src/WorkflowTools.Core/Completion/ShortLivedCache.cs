using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Completion
{
    /// <summary>
    /// A small time-limited cache: entries live for <see cref="TimeToLive"/>, the oldest go when it is
    /// full. Tab completion uses one per connection so that pressing Tab again does not ask the server again.
    /// </summary>
    internal sealed class ShortLivedCache<TKey, TValue>
        where TKey : notnull
    {
        private readonly Dictionary<TKey, (TValue Value, DateTime Expires)> _entries;
        private readonly Func<DateTime> _clock;
        private readonly int _capacity;

        public ShortLivedCache(TimeSpan timeToLive, int capacity = 256, Func<DateTime>? clock = null, IEqualityComparer<TKey>? comparer = null)
        {
            if (timeToLive <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(timeToLive));
            }

            TimeToLive = timeToLive;
            _capacity = Math.Max(1, capacity);
            _clock = clock ?? (() => DateTime.UtcNow);
            _entries = new Dictionary<TKey, (TValue, DateTime)>(comparer ?? EqualityComparer<TKey>.Default);
        }

        public TimeSpan TimeToLive { get; }

        public int Count
        {
            get
            {
                lock (_entries)
                {
                    return _entries.Count;
                }
            }
        }

        public bool TryGet(TKey key, out TValue value)
        {
            lock (_entries)
            {
                if (_entries.TryGetValue(key, out var entry))
                {
                    if (entry.Expires > _clock())
                    {
                        value = entry.Value;
                        return true;
                    }

                    _entries.Remove(key);
                }
            }

            value = default!;
            return false;
        }

        public void Set(TKey key, TValue value)
        {
            lock (_entries)
            {
                var now = _clock();
                if (!_entries.ContainsKey(key) && _entries.Count >= _capacity)
                {
                    // Expired entries first, then the one closest to expiry (the oldest).
                    var victim = default(TKey);
                    var soonest = DateTime.MaxValue;
                    foreach (var e in _entries)
                    {
                        if (e.Value.Expires < soonest)
                        {
                            soonest = e.Value.Expires;
                            victim = e.Key;
                        }
                    }

                    _entries.Remove(victim!);
                }

                _entries[key] = (value, now + TimeToLive);
            }
        }

        /// <summary>The cached value, or the factory's, which is cached when it succeeds (failures are not).</summary>
        public async Task<TValue> GetOrAddAsync(TKey key, Func<CancellationToken, Task<TValue>> factory, CancellationToken cancellationToken)
        {
            if (TryGet(key, out var cached))
            {
                return cached;
            }

            var value = await factory(cancellationToken).ConfigureAwait(false);
            Set(key, value);
            return value;
        }

        public void Clear()
        {
            lock (_entries)
            {
                _entries.Clear();
            }
        }
    }

    /// <summary>One completion cache per connection object; it goes when the connection is collected.</summary>
    internal static class ConnectionCaches
    {
        /// <summary>How long completion data is reused before the server is asked again.</summary>
        public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(2);

        private static readonly ConditionalWeakTable<object, ShortLivedCache<string, object>> Caches = new ConditionalWeakTable<object, ShortLivedCache<string, object>>();

        public static ShortLivedCache<string, object> For(object connection) =>
            Caches.GetValue(connection, _ => new ShortLivedCache<string, object>(TimeToLive, 512, comparer: StringComparer.Ordinal));
    }
}
