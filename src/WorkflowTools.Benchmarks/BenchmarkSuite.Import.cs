using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace WorkflowTools.Benchmarks;

public sealed partial class BenchmarkSuite
{
    // (6) Import-Module WorkflowTools in a fresh runspace vs an empty binary module.
    public void ImportModule()
    {
        var empty = EmptyModule.Build(Path.Combine(AppContext.BaseDirectory, "empty-module"));
        var wt = new List<double>();
        var baseline = new List<double>();
        for (var run = 0; run <= _s.ImportRepeats; run++)
        {
            var w = TimeImport(BenchPaths.BuiltManifest, "Get-Command -Module WorkflowTools | Measure-Object | ForEach-Object Count");
            var b = TimeImport(empty, "Get-Command -Module EmptyBinaryModule | Measure-Object | ForEach-Object Count");
            if (run > 0)
            {
                wt.Add(w);
                baseline.Add(b);
            }
        }

        Add("6", "`Import-Module WorkflowTools` in a fresh runspace", $"{Median(wt) * 1000:0} ms",
            $"empty binary module (1 cmdlet): {Median(baseline) * 1000:0} ms", $"{Median(wt) / Median(baseline):0.0}× the empty module (+{(Median(wt) - Median(baseline)) * 1000:0} ms)",
            "no network, no heavy reflection", null, "no target ratio in the issue; see the notes");
    }

    private double TimeImport(string manifest, string check)
    {
        using var engine = new Engine(importModule: false);
        var seconds = Time(() => engine.Run($"Import-Module '{manifest}' -ErrorAction Stop").ThrowIfErrors("Import-Module " + manifest));
        var count = Convert.ToInt32(engine.Run(check).Output[0].BaseObject, CultureInfo.InvariantCulture);
        Expect(count > 0 ? 1 : 0, 1, "commands imported from " + Path.GetFileName(manifest));
        return seconds;
    }
}
