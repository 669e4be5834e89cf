using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Sandbox;
using WorkflowTools.Testing;

namespace WorkflowTools.Benchmarks;

public sealed partial class BenchmarkSuite
{
    // (5) Streaming 100,000 instances with -PageSize 500.
    public async Task StreamingAsync()
    {
        var listing = $"Get-NmInstance -ProcessId {ListingProcessId} -PageSize {_s.StreamPageSize}";

        // 5c: first object written before the second page is requested. The in-process sandbox logs every
        // request on its clock, and a hook stamps the first object on the same clock.
        DateTimeOffset firstWritten, firstPageAsked, secondPageAsked;
        await using (var small = await SandboxServer.StartAsync(new SandboxOptions { RealTimeClock = true, SeedData = false, ListingInstances = _s.StreamPageSize * 3 }))
        using (var engine = new Engine())
        {
            engine.Connect(small);
            engine.Set("clock", small.Clock);
            var hooked = engine.Run($"$first = $null; {listing} | Select-Object -First {_s.StreamPageSize + 1} | ForEach-Object {{ if ($null -eq $first) {{ $first = $clock.Now }} }}; $first").ThrowIfErrors("hooked listing");
            firstWritten = (DateTimeOffset)hooked.Output[0].BaseObject;
            var pages = small.Requests.All.Where(r => r.Path.Contains($"/processes/{ListingProcessId}/instances/", StringComparison.Ordinal)).OrderBy(r => r.Time).ToList();
            Expect(pages.Count >= 2 ? 1 : 0, 1, "the listing asked for a second page");
            firstPageAsked = pages[0].Time;
            secondPageAsked = pages[1].Time;
        }

        // 5a, 5b: the sandbox in a process of its own, so this process's heap and CPU figures are the client's. It is
        // started as Start-WorkflowToolsSandbox starts it (the module's SandboxProcess and SandboxLocator), empty but for
        // workflow 900's instances.
        var options = new SandboxStartOptions { NoDemoData = true, ListingInstances = _s.StreamCount };
        using var sandbox = SandboxProcess.Start(SandboxLocator.Find(BenchPaths.ModuleSandboxFolder), options, CancellationToken.None);
        using (var engine = new Engine())
        {
            engine.Connect(sandbox.NextMatterUri, sandbox.ApiKey);
            using var raw = RawClient(sandbox.ApiKey);
            var tenth = Math.Max(1, _s.StreamCount / 10);
            var wt = new List<double>();
            var baseline = new List<double>();
            var wtGrowth = new List<MemoryGrowth>();
            var tenthGrowth = new List<MemoryGrowth>();
            var rawGrowth = new List<MemoryGrowth>();
            for (var run = 0; run <= _s.Repeats + _s.StreamWarmups - 1; run++)
            {
                double w = 0, b = 0;
                var wMem = PeakGrowth(() => w = Time(() =>
                {
                    var r = engine.Run($"({listing} | Measure-Object).Count").ThrowIfErrors("listing");
                    Expect(Convert.ToInt32(r.Output[0].BaseObject, CultureInfo.InvariantCulture), _s.StreamCount, "instances streamed");
                }));
                var bMem = PeakGrowth(() => b = TimeAsync(() => RawPagingLoopAsync(raw, sandbox.NextMatterUri)).GetAwaiter().GetResult());
                var tMem = PeakGrowth(() =>
                {
                    var r = engine.Run($"({listing} -First {tenth} | Measure-Object).Count").ThrowIfErrors("listing a tenth");
                    Expect(Convert.ToInt32(r.Output[0].BaseObject, CultureInfo.InvariantCulture), tenth, "instances streamed (a tenth)");
                });
                if (run >= _s.StreamWarmups)
                {
                    wt.Add(w);
                    baseline.Add(b);
                    wtGrowth.Add(wMem);
                    rawGrowth.Add(bMem);
                    tenthGrowth.Add(tMem);
                }
            }

            var throughput = Median(baseline) / Median(wt);
            const double Mb = 1048576.0;
            var growthMb = wtGrowth.Max(g => g.Peak) / Mb;
            Add("5a", $"Stream {_s.StreamCount:N0} instances, `-PageSize {_s.StreamPageSize}` into Measure-Object: peak managed memory growth (this process only; the sandbox runs in its own)",
                $"{growthMb:0.0} MB peak (worst run); {wtGrowth.Max(g => g.Retained) / Mb:0.0} MB retained after GCs; the first {tenth:N0} only: {tenthGrowth.Max(g => g.Peak) / Mb:0.0} MB peak",
                $"raw paging loop: {rawGrowth.Max(g => g.Peak) / Mb:0.0} MB peak; {rawGrowth.Max(g => g.Retained) / Mb:0.0} MB retained", $"{growthMb:0.0} MB", "≤ 50 MB", growthMb <= 50);
            Add("5b", $"Stream {_s.StreamCount:N0} instances: throughput", $"{Seconds(Median(wt))} ({_s.StreamCount / Median(wt):N0}/s)",
                $"raw HttpClient + JsonDocument paging loop: {Seconds(Median(baseline))} ({_s.StreamCount / Median(baseline):N0}/s)",
                $"{throughput:0.00}× the raw throughput", "≥ 0.8×", throughput >= 0.8);
        }

        var firstBeforeSecond = firstWritten < secondPageAsked;
        Add("5c", "Stream: first object written before the second page is requested", $"first object at +{(firstWritten - firstPageAsked).TotalMilliseconds:0} ms",
            $"page 2 asked at +{(secondPageAsked - firstPageAsked).TotalMilliseconds:0} ms", firstBeforeSecond ? "yes" : "no", "yes", firstBeforeSecond);
    }

    private async Task RawPagingLoopAsync(HttpClient raw, Uri nextMatterBaseUri)
    {
        Uri? next = new Uri(nextMatterBaseUri, $"processes/{ListingProcessId}/instances/?page_size={_s.StreamPageSize}");
        var count = 0;
        while (next != null)
        {
            using var response = await raw.GetAsync(next, HttpCompletionOption.ResponseHeadersRead);
            var body = await response.Content.ReadAsByteArrayAsync();
            using var doc = JsonDocument.Parse(body);
            foreach (var row in doc.RootElement.GetProperty("results").EnumerateArray())
            {
                _ = row.GetProperty("id").GetInt64();
                count++;
            }

            next = doc.RootElement.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? new Uri(n.GetString()!) : null;
        }

        Expect(count, _s.StreamCount, "raw loop rows");
    }

    /// <summary>Peak growth of the managed heap while work ran, over a settled baseline, in bytes.</summary>
    /// <param name="Peak">Highest GC.GetTotalMemory(false) seen: live objects plus garbage not yet collected.</param>
    /// <param name="Retained">Highest heap size right after a collection (GCMemoryInfo.HeapSizeBytes): what the run kept alive.</param>
    private readonly record struct MemoryGrowth(double Peak, double Retained);

    /// <summary>Runs <paramref name="work"/> while sampling the managed heap every 2 ms.</summary>
    private static MemoryGrowth PeakGrowth(Action work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        var baselineAfterGc = GC.GetGCMemoryInfo().HeapSizeBytes;
        var firstGc = GC.CollectionCount(0);
        long peak = baseline;
        long retained = baselineAfterGc;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            while (!done.Wait(2))
            {
                var now = GC.GetTotalMemory(false);
                if (now > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, now);
                }

                if (GC.CollectionCount(0) > firstGc)
                {
                    var afterGc = GC.GetGCMemoryInfo().HeapSizeBytes;
                    if (afterGc > Interlocked.Read(ref retained))
                    {
                        Interlocked.Exchange(ref retained, afterGc);
                    }
                }
            }
        }) { IsBackground = true };
        sampler.Start();
        try
        {
            work();
        }
        finally
        {
            done.Set();
            sampler.Join();
        }

        return new MemoryGrowth(Math.Max(0, Interlocked.Read(ref peak) - baseline), Math.Max(0, Interlocked.Read(ref retained) - baselineAfterGc));
    }
}
