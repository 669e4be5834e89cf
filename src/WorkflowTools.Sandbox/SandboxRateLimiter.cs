using System;
using System.Collections.Generic;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The sandbox's Next Matter rate limit, the way DRF's throttles count: per credential, a sliding log of the
/// requests accepted in the last minute and the last hour. A request over either limit is refused with the
/// seconds until the oldest counted request leaves that window (sent as Retry-After unless switched off). Time
/// is passed in, so a simulation can run it on its own clock.
/// </summary>
public sealed class SandboxRateLimiter
{
    private readonly Dictionary<string, (Queue<DateTimeOffset> Minute, Queue<DateTimeOffset> Hour)> _logs = new(StringComparer.Ordinal);

    /// <param name="perMinute">Accepted requests per sliding minute; null or 0 = no minute limit.</param>
    /// <param name="perHour">Accepted requests per sliding hour; null or 0 = no hour limit.</param>
    public SandboxRateLimiter(int? perMinute, int? perHour)
    {
        PerMinute = perMinute > 0 ? perMinute : null;
        PerHour = perHour > 0 ? perHour : null;
    }

    /// <summary>The minute limit, or null.</summary>
    public int? PerMinute { get; }

    /// <summary>The hour limit, or null.</summary>
    public int? PerHour { get; }

    /// <summary>Whether any limit is set.</summary>
    public bool Active => PerMinute != null || PerHour != null;

    /// <summary>Counts the request when it is within both limits (returns 0); else returns the seconds to wait (at least 1).</summary>
    public int Take(string credential, DateTimeOffset now)
    {
        lock (_logs)
        {
            if (!_logs.TryGetValue(credential, out var log))
                _logs[credential] = log = (new Queue<DateTimeOffset>(), new Queue<DateTimeOffset>());
            while (log.Minute.Count > 0 && log.Minute.Peek() <= now - TimeSpan.FromMinutes(1)) log.Minute.Dequeue();
            while (log.Hour.Count > 0 && log.Hour.Peek() <= now - TimeSpan.FromHours(1)) log.Hour.Dequeue();
            var wait = 0.0;
            if (PerMinute is int m && log.Minute.Count >= m) wait = Math.Max(wait, (log.Minute.Peek() + TimeSpan.FromMinutes(1) - now).TotalSeconds);
            if (PerHour is int h && log.Hour.Count >= h) wait = Math.Max(wait, (log.Hour.Peek() + TimeSpan.FromHours(1) - now).TotalSeconds);
            if (wait > 0) return Math.Max(1, (int)Math.Ceiling(wait));
            if (PerMinute != null) log.Minute.Enqueue(now);
            if (PerHour != null) log.Hour.Enqueue(now);
            return 0;
        }
    }
}
