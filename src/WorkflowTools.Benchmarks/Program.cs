using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace WorkflowTools.Benchmarks;

/// <summary>
/// dotnet run -c Release --project src/WorkflowTools.Benchmarks [-- --quick] [--only N]
/// Prints progress to stderr and the machine description plus the Markdown results table to stdout.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The in-process sandbox's web host takes over SIGINT/SIGTERM to stop itself, which would leave the
        // benchmark running against a stopped server: Ctrl+C or kill ends the whole run instead.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Environment.Exit(130));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Environment.Exit(143));

        var quick = Array.IndexOf(args, "--quick") >= 0;
        var onlyIndex = Array.IndexOf(args, "--only");
        var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : null;
        var settings = quick ? BenchmarkSettings.Quick : BenchmarkSettings.Full;
        if (!File.Exists(BenchPaths.BuiltManifest))
        {
            Console.Error.WriteLine($"The module is not built: {BenchPaths.BuiltManifest}. Run dotnet build first.");
            return 2;
        }

        var watch = Stopwatch.StartNew();
        var loadBefore = LoadAverage();
        var suite = new BenchmarkSuite(settings, Console.Error) { ContinueOnError = true };
        if (only == null)
        {
            await suite.RunAllAsync();
        }
        else
        {
            foreach (var part in only.Split(','))
            {
                switch (part.Trim())
                {
                    case "1": await suite.Guard("1", suite.PerCallOverheadAsync); break;
                    case "1b": await PerCallBreakdown.RunAsync(quick ? 200 : 1000, quick ? 2 : 30, quick ? 3 : 7, Console.Error.WriteLine); break;
                    case "1p": await PerCallBreakdown.RunAsync(1000, 0, 0, Console.Error.WriteLine, Environment.GetEnvironmentVariable("BENCH_PROFILE_ROW") ?? "in-memory handler", 40); break;
                    case "1h": await HttpsPerCall.RunAsync(quick ? 200 : 1000, quick ? 3 : 7, Console.WriteLine); break;
                    case "2": await suite.Guard("2", suite.SeedWayAsync); await suite.Guard("2", suite.SeedWayUnderLatencyAsync); break;
                    case "2s": await suite.Guard("2", suite.SeedScriptAsync); break;
                    case "3": await suite.Guard("3", suite.BulkUnderLatencyAsync); break;
                    case "4": await suite.Guard("4", suite.UnderRateLimitAsync); break;
                    case "5": await suite.Guard("5", suite.StreamingAsync); break;
                    case "6": await suite.Guard("6", () => { suite.ImportModule(); return Task.CompletedTask; }); break;
                    default: Console.Error.WriteLine($"Unknown benchmark '{part}' (1–6)."); return 2;
                }
            }
        }

        Console.WriteLine(MachineLine(quick, watch.Elapsed) + $" Load average (1 min) {loadBefore} at the start, {LoadAverage()} at the end.");
        Console.WriteLine();
        Console.Write(BenchmarkSuite.ToMarkdown(suite.Rows));
        return 0;
    }

    /// <summary>The 1-minute load average (Linux), to show how busy the shared machine was.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    public static string MachineLine(bool quick, TimeSpan took)
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0;
        return string.Create(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} cores (nproc), {memory:0.0} GiB memory, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
            $"PowerShell SDK {typeof(System.Management.Automation.PowerShell).Assembly.GetName().Version}; run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, " +
            $"{(quick ? "--quick sizes" : "full sizes")}, {took.TotalMinutes:0.0} min in all.");
    }
}
