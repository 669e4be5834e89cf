using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Benchmarks;

public sealed partial class BenchmarkSuite
{
    // (1) 1,000 sequential Get-NmInstance -Id vs a raw HttpClient loop over the same requests.
    public async Task PerCallOverheadAsync()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        sandbox.NextMatter.AddInstances(1, _s.GetCount, namePrefix: "Bench get");
        var ids = sandbox.NextMatter.Instances.Select(i => i.Id).OrderByDescending(i => i).Take(_s.GetCount).OrderBy(i => i).ToArray();
        using var engine = new Engine();
        engine.Connect(sandbox);
        engine.Set("ids", ids);
        using var raw = RawClient(sandbox);

        var wt = new List<double>();
        var baseline = new List<double>();
        double? coldWt = null, coldRaw = null;
        for (var run = 0; run < _s.PerCallWarmups + _s.Repeats; run++)
        {
            // Alternate so drift (GC, other load) hits both sides alike; the first runs are the warm-up.
            var w = Time(() =>
            {
                var r = engine.Run("@($ids | Get-NmInstance).Count").ThrowIfErrors("Get-NmInstance");
                Expect(Convert.ToInt32(r.Output[0].BaseObject, CultureInfo.InvariantCulture), ids.Length, "instances read");
            });
            var b = await TimeAsync(async () =>
            {
                foreach (var id in ids)
                {
                    using var response = await raw.GetAsync(new Uri(sandbox.NextMatterBaseUri, $"instances/{id}/"), HttpCompletionOption.ResponseHeadersRead);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    Expect((int)response.StatusCode, 200, "raw GET status");
                    _ = body.Length;
                }
            });
            coldWt ??= w;
            coldRaw ??= b;
            if (run >= _s.PerCallWarmups)
            {
                wt.Add(w);
                baseline.Add(b);
            }
        }

        var ratio = Median(wt) / Median(baseline);
        Add("1", $"{ids.Length:N0} sequential `Get-NmInstance -Id` (piped ids)", Seconds(Median(wt)), $"raw HttpClient loop {Seconds(Median(baseline))}",
            $"{ratio:0.00}× the raw time ({PerCall(Median(wt), ids.Length)} vs {PerCall(Median(baseline), ids.Length)} per call)", "≤ 1.3×", ratio <= 1.3,
            $"after {_s.PerCallWarmups} untimed runs; the first run of all: {PerCall(coldWt!.Value, ids.Length)} vs {PerCall(coldRaw!.Value, ids.Length)} per call ({coldWt.Value / coldRaw.Value:0.0}×)");
    }
}
