using System;
using System.Diagnostics;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The sandbox's notion of "now". Frozen by default so tests are deterministic; tests move it with
/// <see cref="Advance"/> / <see cref="Set"/>. With real-time mode it also ticks with wall time.
/// </summary>
public sealed class SandboxClock
{
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
