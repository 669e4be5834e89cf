using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Benchmarks;

public sealed partial class BenchmarkSuite
{
    // (2) The seed's way (a new connection per call) vs $rows | New-NmInstance | Complete-NmStep.
    public async Task SeedWayAsync()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        using var engine = new Engine();
        engine.Connect(sandbox);
        var csv = "ProcessId,Tag\n" + string.Concat(Enumerable.Repeat("1,bench\n", _s.SeedRows));
        engine.Set("csv", csv);
        engine.Run("$rows = $csv | ConvertFrom-Csv; $values = @{ 123456 = 'Value 1'; 789012 = @{ itemSelected = 'Value 2' } }").ThrowIfErrors("setup");

        var seq = new List<double>();
        var par = new List<double>();
        var csharpSeed = new List<double>();
        var pythonSeed = new List<double>();
        var python = _s.RunPython ? FindPython() : null;
        for (var run = 0; run < _s.SeedWarmups + _s.Repeats; run++)
        {
            var s = TimeCompleted(sandbox, _s.SeedRows, () => engine.Run("$null = $rows | New-NmInstance | Complete-NmStep -StepId 42 -Value $values").ThrowIfErrors("sequential pipeline"));
            var p = TimeCompleted(sandbox, _s.SeedRows, () => engine.Run("$null = $rows | New-NmInstance -ThrottleLimit 16 | Complete-NmStep -StepId 42 -Value $values -ThrottleLimit 16").ThrowIfErrors("parallel pipeline"));
            var before = CompletedCount(sandbox);
            var c = await TimeAsync(() => SeedLoopNewConnectionPerCallAsync(sandbox, _s.SeedRows));
            Expect(CompletedCount(sandbox) - before, _s.SeedRows, "C# seed loop completions");
            double? py = null;
            if (python != null)
            {
                try
                {
                    before = CompletedCount(sandbox);
                    py = RunPythonSeed(python, sandbox, _s.SeedRows);
                    Expect(CompletedCount(sandbox) - before, _s.SeedRows, "Python seed loop completions");
                }
                catch (InvalidOperationException ex)
                {
                    _log.WriteLine("The Python seed loop failed; it is left out: " + ex.Message);
                    python = null;
                }
            }

            if (run >= _s.SeedWarmups)
            {
                seq.Add(s);
                par.Add(p);
                csharpSeed.Add(c);
                if (py is double value)
                {
                    pythonSeed.Add(value);
                }
            }
        }

        var rows = _s.SeedRows;
        var seedMedian = Median(csharpSeed);
        Add("2a", $"Seed's way, {rows} rows: `$rows | New-NmInstance | Complete-NmStep` (sequential)", Seconds(Median(seq)),
            $"C# re-enactment, new HttpClient per call: {Seconds(seedMedian)}", $"{seedMedian / Median(seq):0.0}× faster", "≥ 3×", seedMedian / Median(seq) >= 3);
        Add("2b", $"Seed's way, {rows} rows: same pipeline with `-ThrottleLimit 16` on both", Seconds(Median(par)),
            $"C# re-enactment: {Seconds(seedMedian)}", $"{seedMedian / Median(par):0.0}× faster", "≥ 10×", seedMedian / Median(par) >= 10);
        if (pythonSeed.Count > 0)
        {
            var py = Median(pythonSeed);
            Add("2c", $"Seed's way, {rows} rows: sequential pipeline vs the Python seed loop (requests.post, no Session)", Seconds(Median(seq)),
                $"python3 + requests: {Seconds(py)}", $"{py / Median(seq):0.0}× faster", "≥ 3×", py / Median(seq) >= 3);
            Add("2d", $"Seed's way, {rows} rows: `-ThrottleLimit 16` vs the Python seed loop", Seconds(Median(par)),
                $"python3 + requests: {Seconds(py)}", $"{py / Median(par):0.0}× faster", "≥ 10×", py / Median(par) >= 10);
        }
        else if (_s.RunPython)
        {
            Add("2c", "Seed's way vs the Python seed loop", "—", "python3 with requests not found", "not run", "≥ 3× / ≥ 10×", null);
        }
    }

    // (2, supplement) The same comparison over a modelled WAN link: every request takes one 25 ms round trip at
    // the server, and every NEW connection first costs two more (TCP + TLS 1.3 handshakes), as a call to
    // https://core.nextmatter.com does. Loopback has neither, which is why 2a–2d understate the seed's cost.
    public async Task SeedWayUnderLatencyAsync()
    {
        var rows = Math.Max(4, _s.SeedRows / 5);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = _s.Latency, ConnectionLatency = _s.Latency + _s.Latency });
        using var engine = new Engine();
        engine.Connect(sandbox);
        engine.Set("csv", "ProcessId,Tag\n" + string.Concat(Enumerable.Repeat("1,bench\n", rows)));
        engine.Run("$rows = $csv | ConvertFrom-Csv; $values = @{ 123456 = 'Value 1'; 789012 = @{ itemSelected = 'Value 2' } }").ThrowIfErrors("setup");

        var seq = new List<double>();
        var par = new List<double>();
        var seed = new List<double>();
        var pythonSeed = new List<double>();
        var python = _s.RunPython ? FindPython() : null;
        for (var run = 0; run < Math.Min(3, _s.Repeats); run++)
        {
            seq.Add(TimeCompleted(sandbox, rows, () => engine.Run("$null = $rows | New-NmInstance | Complete-NmStep -StepId 42 -Value $values").ThrowIfErrors("sequential pipeline")));
            par.Add(TimeCompleted(sandbox, rows, () => engine.Run("$null = $rows | New-NmInstance -ThrottleLimit 16 | Complete-NmStep -StepId 42 -Value $values -ThrottleLimit 16").ThrowIfErrors("parallel pipeline")));
            var before = CompletedCount(sandbox);
            seed.Add(await TimeAsync(() => SeedLoopNewConnectionPerCallAsync(sandbox, rows)));
            Expect(CompletedCount(sandbox) - before, rows, "C# seed loop completions");
            if (python != null)
            {
                before = CompletedCount(sandbox);
                pythonSeed.Add(RunPythonSeed(python, sandbox, rows));
                Expect(CompletedCount(sandbox) - before, rows, "Python seed loop completions");
            }
        }

        var seedMedian = Median(seed);
        Add("2e", $"Seed's way over a modelled WAN link ({_s.Latency.TotalMilliseconds:0} ms per request, {2 * _s.Latency.TotalMilliseconds:0} ms per new connection), {rows} rows: sequential pipeline", Seconds(Median(seq)),
            $"C# re-enactment: {Seconds(seedMedian)}", $"{seedMedian / Median(seq):0.0}× faster", "(≥ 3×)", seedMedian / Median(seq) >= 3, "supplement");
        Add("2f", $"Seed's way over the modelled WAN link, {rows} rows: `-ThrottleLimit 16`", Seconds(Median(par)),
            $"C# re-enactment: {Seconds(seedMedian)}", $"{seedMedian / Median(par):0.0}× faster", "(≥ 10×)", seedMedian / Median(par) >= 10, "supplement");
        if (pythonSeed.Count > 0)
        {
            var py = Median(pythonSeed);
            Add("2g", $"Seed's way over the modelled WAN link, {rows} rows: sequential pipeline vs the Python seed loop", Seconds(Median(seq)),
                $"python3 + requests: {Seconds(py)}", $"{py / Median(seq):0.0}× faster", "(≥ 3×)", py / Median(seq) >= 3, "supplement");
            Add("2h", $"Seed's way over the modelled WAN link, {rows} rows: `-ThrottleLimit 16` vs the Python seed loop", Seconds(Median(par)),
                $"python3 + requests: {Seconds(py)}", $"{py / Median(par):0.0}× faster", "(≥ 10×)", py / Median(par) >= 10, "supplement");
        }
    }

    // (2, the real script) tests/seeds/nextmatter_seed.py as users run it: one python process per row, which
    // creates one instance and completes its step. Each process is timed alone; the median per row is compared
    // with the sequential pipeline's time per row. Skipped when the script or python3 + requests is missing.
    public async Task SeedScriptAsync()
    {
        var script = SeedScript;
        var python = _s.RunPython ? FindPython() : null;
        if (python == null || !File.Exists(script))
        {
            _log.WriteLine($"The real seed script is left out: {(python == null ? "no python3 with requests" : script + " is not there")}.");
            return;
        }

        var rows = Math.Min(50, _s.SeedRows);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        using var engine = new Engine();
        engine.Connect(sandbox);
        engine.Set("csv", "ProcessId,Tag\n" + string.Concat(Enumerable.Repeat("1,bench\n", rows)));
        engine.Run("$rows = $csv | ConvertFrom-Csv; $values = @{ 123456 = 'Value 1'; 789012 = @{ itemSelected = 'Value 2' } }").ThrowIfErrors("setup");
        var seq = new List<double>();
        for (var run = 0; run <= Math.Min(3, _s.Repeats); run++)
        {
            var t = TimeCompleted(sandbox, rows, () => engine.Run("$null = $rows | New-NmInstance | Complete-NmStep -StepId 42 -Value $values").ThrowIfErrors("sequential pipeline"));
            if (run > 0)
            {
                seq.Add(t / rows);
            }
        }

        var perRow = new List<double>();
        for (var row = 0; row < rows; row++)
        {
            var before = CompletedCount(sandbox);
            var start = new ProcessStartInfo(python, $"\"{script}\" {sandbox.NextMatterBaseUri.AbsoluteUri}") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment["NM_API_KEY"] = sandbox.NextMatterApiKey;
            start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
            perRow.Add(Time(() =>
            {
                using var process = Process.Start(start)!;
                var stderr = process.StandardError.ReadToEndAsync();
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{script} failed (exit {process.ExitCode}): {stderr.Result}");
                }
            }));
            Expect(CompletedCount(sandbox) - before, 1, "steps completed by the seed script");
        }

        var wtRow = Median(seq);
        var pyRow = Median(perRow);
        Add("2i", $"Seed's way, the real script `tests/seeds/nextmatter_seed.py` run once per row ({rows} rows, interpreter start included), per row", $"{wtRow * 1000:0.0} ms per row (sequential pipeline)",
            $"{pyRow * 1000:0} ms per row", $"{pyRow / wtRow:0}× faster", "≥ 3×", pyRow / wtRow >= 3);
    }

    /// <summary>The seed's loop in C#: a new HttpClient and handler (so a new TCP connection) for every call, like requests.post without a Session.</summary>
    private static async Task SeedLoopNewConnectionPerCallAsync(SandboxServer sandbox, int rows)
    {
        var baseUri = sandbox.NextMatterBaseUri.AbsoluteUri;
        var auth = "Api-Key " + sandbox.NextMatterApiKey;
        for (var row = 0; row < rows; row++)
        {
            long id;
            using (var handler = new HttpClientHandler())
            using (var client = new HttpClient(handler))
            {
                var payload = JsonSerializer.Serialize(new Dictionary<string, object> { ["process"] = $"{baseUri}processes/1/", ["tags"] = new[] { "bench" } });
                using var request = new HttpRequestMessage(HttpMethod.Post, baseUri + "instances/") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("Authorization", auth);
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Expect((int)response.StatusCode, 201, "seed create");
                using var doc = JsonDocument.Parse(text);
                id = doc.RootElement.GetProperty("id").GetInt64();
            }

            using (var handler = new HttpClientHandler())
            using (var client = new HttpClient(handler))
            {
                var payload = "{\"step_id\": 42, \"actions\": [{\"action_id\": 123456, \"input_object\": {\"inputValue\": \"Value 1\"}}, {\"action_id\": 789012, \"input_object\": {\"itemSelected\": \"Value 2\"}}]}";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUri}instances/{id}/complete_step/") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("Authorization", auth);
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Expect((int)response.StatusCode, 200, "seed complete_step");
                using var doc = JsonDocument.Parse(text);
            }
        }
    }

    private static string? FindPython()
    {
        foreach (var candidate in new[] { "python3", "python" })
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, "-c \"import requests\"") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false });
                if (probe == null)
                {
                    continue;
                }

                probe.WaitForExit(20000);
                if (probe.HasExited && probe.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        return null;
    }

    /// <summary>The runnable seed script: WORKFLOWTOOLS_SEED_SCRIPT, or the repository's tests/seeds/nextmatter_seed.py.</summary>
    private static string SeedScript =>
        Environment.GetEnvironmentVariable("WORKFLOWTOOLS_SEED_SCRIPT") ?? Path.Combine(BenchPaths.Root, "tests", "seeds", "nextmatter_seed.py");

    /// <summary>The seed's own two functions in a loop (seed_loop.py imports them from <see cref="SeedScript"/>).</summary>
    private static double RunPythonSeed(string python, SandboxServer sandbox, int rows)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "seed_loop.py");
        if (!File.Exists(SeedScript))
        {
            throw new InvalidOperationException($"The seed script is not there: {SeedScript}.");
        }

        var start = new ProcessStartInfo(python, $"\"{script}\"") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["NM_SEED_SCRIPT"] = SeedScript;
        start.Environment["NM_API_KEY"] = sandbox.NextMatterApiKey;
        start.Environment["NM_BASE_URL"] = sandbox.NextMatterBaseUri.AbsoluteUri;
        start.Environment["NM_ROWS"] = rows.ToString(CultureInfo.InvariantCulture);
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var failures = lines.LastOrDefault(l => l.StartsWith("FAILURES ", StringComparison.Ordinal));
        var elapsed = lines.LastOrDefault(l => l.StartsWith("ELAPSED ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || elapsed == null || failures != "FAILURES 0")
        {
            throw new InvalidOperationException($"The Python seed loop failed (exit {process.ExitCode}, {failures}): {stderr.Result}");
        }

        return double.Parse(elapsed.Substring(8), CultureInfo.InvariantCulture);
    }
}
