using System;

namespace WorkflowTools.Benchmarks;

/// <summary>Sizes of one benchmark run. <see cref="Full"/> is what docs/benchmarks.md reports; <see cref="Quick"/> is the smoke run.</summary>
public sealed record BenchmarkSettings
{
    public int Repeats { get; init; } = 5;

    /// <summary>
    /// Untimed runs before scenario 1 is timed. The runtime compiles hot code again, optimised, only after
    /// tens of thousands of calls through PowerShell's binder and pipeline; the raw loop warms up in a few.
    /// </summary>
    public int PerCallWarmups { get; init; } = 60;

    /// <summary>Untimed runs before scenario 2 is timed.</summary>
    public int SeedWarmups { get; init; } = 3;
    public int GetCount { get; init; } = 1000;
    public int SeedRows { get; init; } = 500;
    public int LatencyCreates { get; init; } = 2000;
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(25);
    public int RateCreates { get; init; } = 600;
    public int RatePerMinute { get; init; } = 1200;
    public int StreamCount { get; init; } = 100_000;
    public int StreamPageSize { get; init; } = 500;
    public int StreamWarmups { get; init; } = 1;
    public int ImportRepeats { get; init; } = 15;
    public bool RunPython { get; init; } = true;

    public static BenchmarkSettings Full { get; } = new BenchmarkSettings();

    public static BenchmarkSettings Quick { get; } = new BenchmarkSettings
    {
        Repeats = 1,
        GetCount = 40,
        SeedRows = 20,
        LatencyCreates = 48,
        RateCreates = 130,
        StreamCount = 2_000,
        ImportRepeats = 2,
        RunPython = false,
        PerCallWarmups = 1,
        SeedWarmups = 1,
    };
}

/// <summary>One line of the results table.</summary>
public sealed record BenchRow(string Number, string Scenario, string WorkflowTools, string Baseline, string Result, string Target, bool? Met, string Note = "");
