using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Benchmarks;

/// <summary>
/// The benchmark scenarios, numbered as in docs/benchmarks.md, one file per scenario (BenchmarkSuite.*.cs); this
/// file holds the run order and the shared timing, checking and table helpers. Every scenario checks its own work
/// (all instances created, 0 errors) and throws when the work was wrong, so a fast-but-broken run cannot produce a
/// figure.
/// </summary>
public sealed partial class BenchmarkSuite
{
    private const long ListingProcessId = SandboxOptions.ListingProcessId;
    private readonly BenchmarkSettings _s;
    private readonly TextWriter _log;

    public BenchmarkSuite(BenchmarkSettings settings, TextWriter? log = null)
    {
        _s = settings;
        _log = log ?? TextWriter.Null;
    }

    public List<BenchRow> Rows { get; } = new List<BenchRow>();

    /// <summary>Program sets it: a scenario that throws becomes a "failed" row and the others still run. Tests leave it off.</summary>
    public bool ContinueOnError { get; init; }

    public async Task<List<BenchRow>> RunAllAsync()
    {
        await Guard("1", PerCallOverheadAsync);
        await Guard("2", SeedWayAsync);
        await Guard("2", SeedWayUnderLatencyAsync);
        await Guard("2", SeedScriptAsync);
        await Guard("3", BulkUnderLatencyAsync);
        await Guard("4", UnderRateLimitAsync);
        await Guard("5", StreamingAsync);
        await Guard("6", () => { ImportModule(); return Task.CompletedTask; });
        return Rows;
    }

    public async Task Guard(string number, Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch (Exception ex) when (ContinueOnError)
        {
            Add(number, "scenario failed", "—", "—", ex.GetType().Name + ": " + ex.Message, "—", false);
        }
    }

    private static HttpClient RawClient(SandboxServer sandbox) => RawClient(sandbox.NextMatterApiKey);

    private static HttpClient RawClient(string apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate });
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Api-Key " + apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    private static int CompletedCount(SandboxServer sandbox) =>
        sandbox.Requests.All.Count(r => r.StatusCode == 200 && r.Path.EndsWith("/complete_step/", StringComparison.Ordinal));

    private static double TimeCompleted(SandboxServer sandbox, int rows, Action work)
    {
        var before = CompletedCount(sandbox);
        var seconds = Time(work);
        Expect(CompletedCount(sandbox) - before, rows, "steps completed");
        return seconds;
    }

    private static double TimeCreated(SandboxServer sandbox, int rows, Action work)
    {
        var before = sandbox.NextMatter.Instances.Count;
        var seconds = Time(work);
        Expect(sandbox.NextMatter.Instances.Count - before, rows, "instances created");
        return seconds;
    }

    private void Add(string number, string scenario, string workflowTools, string baseline, string result, string target, bool? met, string note = "")
    {
        var row = new BenchRow(number, scenario, workflowTools, baseline, result, target, met, note);
        Rows.Add(row);
        _log.WriteLine($"[{number}] {scenario}: {workflowTools} | {baseline} | {result} | target {target} | {(met == null ? "—" : met.Value ? "met" : "MISSED")}");
        _log.Flush();
    }

    private static void Expect(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Benchmark check failed: {what}: expected {expected}, got {actual}.");
        }
    }

    private static double Time(Action work)
    {
        var watch = Stopwatch.StartNew();
        work();
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalSeconds;
    }

    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Seconds(double seconds) => seconds >= 1 ? $"{seconds:0.00} s" : $"{seconds * 1000:0} ms";

    private static string PerCall(double seconds, int calls) => $"{seconds * 1e6 / calls:0} µs";

    /// <summary>The results as a Markdown table.</summary>
    public static string ToMarkdown(IEnumerable<BenchRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| # | Scenario | WorkflowTools | Baseline | Result | Target | Met |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var met = r.Met == null ? "—" : r.Met.Value ? "yes" : "**no**";
            var scenario = string.IsNullOrEmpty(r.Note) ? r.Scenario : $"{r.Scenario} ({r.Note})";
            text.AppendLine($"| {r.Number} | {Cell(scenario)} | {Cell(r.WorkflowTools)} | {Cell(r.Baseline)} | {Cell(r.Result)} | {Cell(r.Target)} | {met} |");
        }

        return text.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
