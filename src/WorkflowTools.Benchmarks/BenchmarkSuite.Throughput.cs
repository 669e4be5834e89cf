using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Benchmarks;

public sealed partial class BenchmarkSuite
{
    // (3) 2,000 creates with 25 ms server latency, -ThrottleLimit 1 vs 16.
    public async Task BulkUnderLatencyAsync()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = _s.Latency });
        using var engine = new Engine();
        engine.Connect(sandbox);
        engine.Set("csv", "ProcessId,Name\n" + string.Concat(Enumerable.Range(1, _s.LatencyCreates).Select(i => $"1,Bulk {i}\n")));
        engine.Run("$rows = $csv | ConvertFrom-Csv").ThrowIfErrors("setup");

        var one = new List<double>();
        var sixteen = new List<double>();
        for (var run = 0; run < Math.Min(3, _s.Repeats); run++)
        {
            one.Add(TimeCreated(sandbox, _s.LatencyCreates, () => engine.Run("$null = $rows | New-NmInstance -ThrottleLimit 1").ThrowIfErrors("ThrottleLimit 1")));
            sixteen.Add(TimeCreated(sandbox, _s.LatencyCreates, () => engine.Run("$null = $rows | New-NmInstance -ThrottleLimit 16").ThrowIfErrors("ThrottleLimit 16")));
        }

        var speedup = Median(one) / Median(sixteen);
        Add("3", $"{_s.LatencyCreates:N0} creates, {_s.Latency.TotalMilliseconds:0} ms server latency: `-ThrottleLimit 16`", Seconds(Median(sixteen)),
            $"`-ThrottleLimit 1`: {Seconds(Median(one))}", $"{speedup:0.0}× faster", "≥ 10×", speedup >= 10);
    }

    // (4) Sandbox limit 1,200/min; connection -RequestsPerMinute 1200; 600 creates at -ThrottleLimit 16.
    public async Task UnderRateLimitAsync()
    {
        var times = new List<double>();
        var total = 0;
        var throttled = 0;
        var failures = 0;
        for (var run = 0; run < Math.Min(3, _s.Repeats); run++)
        {
            // A fresh sandbox each run: its sliding one-minute window must not carry the previous run.
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { RateLimitPerMinute = _s.RatePerMinute, RealTimeClock = true });
            using var engine = new Engine();
            engine.Connect(sandbox, _s.RatePerMinute);
            engine.Set("csv", "ProcessId,Name\n" + string.Concat(Enumerable.Range(1, _s.RateCreates).Select(i => $"1,Paced {i}\n")));
            engine.Run("$rows = $csv | ConvertFrom-Csv").ThrowIfErrors("setup");
            var mark = sandbox.Requests.Count;
            EngineResult? result = null;
            times.Add(Time(() => result = engine.Run("$null = $rows | New-NmInstance -ThrottleLimit 16")));
            failures += result!.ErrorCount;
            var requests = sandbox.Requests.All.Skip(mark).Where(r => r.Method == "POST").ToList();
            total += requests.Count;
            throttled += requests.Count(r => r.StatusCode == 429);
            Expect(sandbox.NextMatter.CountInstances(i => i.Name?.StartsWith("Paced ", StringComparison.Ordinal) == true), _s.RateCreates - result.ErrorCount, "paced instances created");
        }

        var perSecond = _s.RatePerMinute / 60.0;
        var burst = Math.Max(1, _s.RatePerMinute / 10);
        var fastest = Math.Max(0, _s.RateCreates - burst) / perSecond;
        var steady = _s.RateCreates / perSecond;
        var measured = Median(times);
        var ratio = fastest > 0 ? measured / fastest : double.NaN;
        var share = total == 0 ? 0 : throttled * 100.0 / total;
        Add("4", $"{_s.RateCreates} creates, sandbox limit {_s.RatePerMinute}/min, `-RequestsPerMinute {_s.RatePerMinute} -ThrottleLimit 16`", Seconds(measured),
            $"limit allows {Seconds(fastest)} (burst {burst}, then {perSecond:0.#}/s; {Seconds(steady)} at the steady rate alone)",
            $"{ratio:0.00}× the allowed time; {failures} failures; {throttled} of {total} answers 429 over all runs ({share:0.0}%)",
            "≤ 1.1×, 0 failures, < 1% 429", ratio <= 1.1 && failures == 0 && share < 1);
    }
}
