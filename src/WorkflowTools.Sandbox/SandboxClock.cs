using System;
using System.Diagnostics;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The sandbox's notion of "now". Frozen by default so tests are deterministic; tests move it with
/// <see cref="Advance"/> / <see cref="Set"/>. With real-time mode it also ticks with wall time.
/// </summary>
public sealed class SandboxClock
{
    /// <summary>The earliest time the clock may be set or moved to (the module's Set-WorkflowToolsSandboxClock checks the same).</summary>
    public static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The latest time the clock may be set or moved to: far enough from DateTimeOffset.MaxValue that every date the stores compute stays valid.</summary>
    public static readonly DateTimeOffset Latest = new(2999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    /// <summary>Whether the clock may show <paramref name="at"/>.</summary>
    public static bool InRange(DateTimeOffset at) => at >= Earliest && at <= Latest;

    private readonly object _gate = new();
    private readonly bool _realTime;
    private DateTimeOffset _base;
    private long _baseTimestamp;

    /// <summary>Create a clock starting at <paramref name="start"/>.</summary>
    public SandboxClock(DateTimeOffset start, bool realTime = false)
    {
        _realTime = realTime;
        _base = start.ToUniversalTime();
        _baseTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Current sandbox time (UTC offset).</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                if (!_realTime) return _base;
                return _base + Stopwatch.GetElapsedTime(_baseTimestamp);
            }
        }
    }

    /// <summary>Move the clock forward (or backward with a negative span).</summary>
    public void Advance(TimeSpan by)
    {
        lock (_gate) _base += by;
    }

    /// <summary>Set the clock to an absolute time.</summary>
    public void Set(DateTimeOffset now)
    {
        lock (_gate)
        {
            _base = now.ToUniversalTime();
            _baseTimestamp = Stopwatch.GetTimestamp();
        }
    }
}
