using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Benchmarks;

/// <summary>
/// (1b) Where the time of one sequential Get-NmInstance -Id goes (issue 25 item 8). The same 1,000 GETs as
/// scenario 1, against the in-process sandbox, by clients that each add one layer: a raw async HttpClient
/// loop; the same waited for by one blocking thread; the module's NmClient (its HTTP core, JSON and model,
/// reached through reflection) async and waited for; do-nothing and raw-HttpClient compiled cmdlets with
/// Get-NmInstance's -Id parameter (PowerShell's own cost per piped id, and that plus one waited-for call);
/// Get-NmInstance itself; and, with no network at all, Get-NmInstance and the raw cmdlet over an in-memory
/// handler, which run everything on the pipeline thread (the module's own CPU per call).
/// Per row and call: wall time, the process's CPU time, bytes allocated (all threads, the sandbox's
/// included, the same for every networked row) and context switches of all its threads. CPU, bytes and
/// switches hold up under load far better than wall time on a shared 2-core machine.
/// </summary>
public static class PerCallBreakdown
{
    public static async Task RunAsync(int calls, int warmups, int repeats, Action<string> log, string? profileRow = null, int profileSeconds = 30)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        sandbox.NextMatter.AddInstances(1, calls, namePrefix: "Bench get");
        var ids = sandbox.NextMatter.Instances.Select(i => i.Id).OrderByDescending(i => i).Take(calls).OrderBy(i => i).ToArray();
        using var raw = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate });
        raw.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Api-Key " + sandbox.NextMatterApiKey);
        raw.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var baseUri = sandbox.NextMatterBaseUri;
        var body = await raw.GetByteArrayAsync(new Uri(baseUri, $"instances/{ids[0]}/"));

        using var engine = new Engine();
        engine.Connect(sandbox);
        engine.Run($"Import-Module '{typeof(PerCallBreakdown).Assembly.Location}' -ErrorAction Stop").ThrowIfErrors("Import-Module (benchmark cmdlets)");
        engine.Set("ids", ids);
        BenchRawClient.Network = raw;
        BenchRawClient.Memory = new HttpClient(new FixedAnswerHandler(body));
        BenchRawClient.BaseUri = baseUri;

        var connection = engine.Run("Get-NmConnection").ThrowIfErrors("Get-NmConnection").Output[0].BaseObject;
        var nmClient = NmClientCall.Of(connection);
        var memoryConnection = NmClientCall.InMemoryConnection(connection.GetType(), baseUri, sandbox.NextMatterApiKey, body, log);
        engine.Set("mem", memoryConnection);

        void Ps(string script)
        {
            var r = engine.Run(script).ThrowIfErrors(script);
            if (Convert.ToInt32(r.Output[0].BaseObject, CultureInfo.InvariantCulture) != ids.Length)
            {
                throw new InvalidOperationException($"{script} wrote the wrong number of objects.");
            }
        }

        var rows = new List<(string Name, Action Run)>
        {
            ("raw HttpClient, async loop (scenario 1's baseline)", () => Wait(RawLoopAsync(raw, baseUri, ids))),
            ("raw HttpClient, waited for on one blocking thread", () => OnOneThread(() => { foreach (var id in ids) { RawGet(raw, baseUri, id); } })),
            ("NmClient.GetInstanceAsync, async loop", () => Wait(NmLoopAsync(nmClient, ids))),
            ("NmClient.GetInstanceAsync, waited for on one blocking thread", () => OnOneThread(() => { foreach (var id in ids) { nmClient(id).GetAwaiter().GetResult(); } })),
            ("`$ids | Get-BenchNothing` (compiled, Get-NmInstance's -Id, writes the id)", () => Ps("@($ids | Get-BenchNothing).Count")),
            ("`$ids | Get-BenchRawInstance` (compiled, raw HttpClient waited for in ProcessRecord)", () => Ps("@($ids | Get-BenchRawInstance).Count")),
            ("`$ids | Get-NmInstance`", () => Ps("@($ids | Get-NmInstance).Count")),
            ("`$ids | Get-BenchRawInstance -InMemory` (no network)", () => Ps("@($ids | Get-BenchRawInstance -InMemory).Count")),
        };
        rows.Add(("raw HttpClient over the in-memory handler, loop (no network)", () => Wait(RawLoopAsync(BenchRawClient.Memory, baseUri, ids))));
        if (memoryConnection != null)
        {
            var memoryClient = NmClientCall.Of(memoryConnection);
            rows.Add(("NmClient.GetInstanceAsync over the in-memory handler, loop (no network)", () => Wait(NmLoopAsync(memoryClient, ids))));
            if (NmClientCall.InMemoryConnection(connection.GetType(), baseUri, sandbox.NextMatterApiKey, body, log, withoutPolly: true) is object bare)
            {
                var bareClient = NmClientCall.Of(bare);
                rows.Add(("the same, connected with -MaxRetries 0 and no total timeout (no Polly strategy)", () => Wait(NmLoopAsync(bareClient, ids))));
            }

            rows.Add(("`$ids | Get-NmInstance -Connection $mem` (in-memory handler, no network)", () => Ps("@($ids | Get-NmInstance -Connection $mem).Count")));
        }

        if (profileRow != null)
        {
            // For a profiler attached from outside (dotnet-trace): one row, over and over, for the given time.
            var row = rows.Find(r => r.Name.Contains(profileRow, StringComparison.OrdinalIgnoreCase));
            if (row.Run == null)
            {
                throw new ArgumentException($"No row matches '{profileRow}'.");
            }

            log($"profiling '{row.Name}' for {profileSeconds} s, process {Environment.ProcessId}");
            var until = Stopwatch.StartNew();
            var rounds = 0;
            while (until.Elapsed.TotalSeconds < profileSeconds)
            {
                row.Run();
                rounds++;
            }

            log($"{rounds} rounds of {ids.Length:N0} calls");
            return;
        }

        var samples = rows.Select(_ => new List<Sample>()).ToArray();
        for (var round = 0; round < warmups + repeats; round++)
        {
            // Every row in every round, in turn, so drift and other sessions' load hit all of them alike.
            for (var i = 0; i < rows.Count; i++)
            {
                var sample = Sample.Of(rows[i].Run, ids.Length);
                if (round >= warmups)
                {
                    samples[i].Add(sample);
                }
            }

            if (round == warmups - 1 || round == warmups + repeats - 1)
            {
                log($"round {round + 1} of {warmups + repeats} done, load {Program.LoadAverage()}");
            }
        }

        Console.WriteLine($"Per call, medians of {repeats} rounds of {ids.Length:N0} calls after {warmups} warm-up rounds; load average (1 min) {Program.LoadAverage()} at the end.");
        Console.WriteLine();
        Console.WriteLine("| client | wall µs | CPU µs (process) | bytes allocated (process) | context switches (voluntary + involuntary, all threads) |");
        Console.WriteLine("|---|---|---|---|---|");
        for (var i = 0; i < rows.Count; i++)
        {
            var s = samples[i];
            Console.WriteLine($"| {rows[i].Name} | {Median(s, x => x.WallMicros):0} | {Median(s, x => x.CpuMicros):0} | {Median(s, x => x.Bytes):0} | {Median(s, x => x.Switches):0.00} ({Median(s, x => x.Voluntary):0.00} + {Median(s, x => x.Switches - x.Voluntary):0.00}) |");
        }
    }

    private static double Median(List<Sample> samples, Func<Sample, double> of)
    {
        var sorted = samples.Select(of).OrderBy(x => x).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    private static async Task RawLoopAsync(HttpClient raw, Uri baseUri, long[] ids)
    {
        // Run from a pool thread, as scenario 1's loop runs in the benchmark's async Main.
        await Task.Yield();
        foreach (var id in ids)
        {
            using var response = await raw.GetAsync(new Uri(baseUri, $"instances/{id}/"), HttpCompletionOption.ResponseHeadersRead);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if ((int)response.StatusCode != 200 || bytes.Length == 0)
            {
                throw new InvalidOperationException("raw GET failed");
            }
        }
    }

    private static void RawGet(HttpClient raw, Uri baseUri, long id)
    {
        using var response = raw.GetAsync(new Uri(baseUri, $"instances/{id}/"), HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        if (response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult().Length == 0)
        {
            throw new InvalidOperationException("raw GET failed");
        }
    }

    private static async Task NmLoopAsync(Func<long, Task> get, long[] ids)
    {
        await Task.Yield();
        foreach (var id in ids)
        {
            await get(id);
        }
    }

    private static void OnOneThread(Action work)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null)
        {
            throw new InvalidOperationException("A loop on its own thread failed.", failure);
        }
    }

    private readonly record struct Sample(double WallMicros, double CpuMicros, double Bytes, double Switches, double Voluntary)
    {
        public static Sample Of(Action run, int calls)
        {
            using var process = Process.GetCurrentProcess();
            var (switches0, voluntary0) = ContextSwitches();
            var cpu0 = process.TotalProcessorTime;
            var bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            run();
            watch.Stop();
            var bytes1 = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var cpu1 = process.TotalProcessorTime;
            var (switches1, voluntary1) = ContextSwitches();
            return new Sample(
                watch.Elapsed.TotalMilliseconds * 1000 / calls,
                (cpu1 - cpu0).TotalMilliseconds * 1000 / calls,
                (bytes1 - bytes0) / (double)calls,
                (switches1 - switches0) / (double)calls,
                (voluntary1 - voluntary0) / (double)calls);
        }

        /// <summary>Context switches of every thread of this process so far (Linux; 0 elsewhere).</summary>
        private static (long All, long Voluntary) ContextSwitches()
        {
            long all = 0, voluntary = 0;
            if (!Directory.Exists("/proc/self/task"))
            {
                return (0, 0);
            }

            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            var n = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                            all += n;
                            voluntary += n;
                        }
                        else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            all += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }

            return (all, voluntary);
        }
    }

    /// <summary>Answers every request at once with the same body: no network, nothing asynchronous.</summary>
    private sealed class FixedAnswerHandler : HttpMessageHandler
    {
        private readonly byte[] _body;

        public FixedAnswerHandler(byte[] body) => _body = body;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(Answer());

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => Answer();

        private HttpResponseMessage Answer()
        {
            var content = new ByteArrayContent(_body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }
    }

    /// <summary>Reaches the module's internals, which the benchmark does not reference: it imports the built module as a user does.</summary>
    private static class NmClientCall
    {
        private const BindingFlags Any = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

        public static Func<long, Task> Of(object connection)
        {
            var client = connection.GetType().GetProperty("Client", Any)!.GetValue(connection)!;
            var get = client.GetType().GetMethod("GetInstanceAsync", Any, new[] { typeof(long), typeof(bool), typeof(CancellationToken) })!;
            return id => (Task)get.Invoke(client, new object[] { id, false, CancellationToken.None })!;
        }

        /// <summary>
        /// A Next Matter connection whose HttpClient answers from memory, made by the module's internal factory
        /// (the one tests use); its other settings are the defaults. Null, with a note, when that factory's shape
        /// changed (the row is then left out).
        /// </summary>
        public static object? InMemoryConnection(Type connectionType, Uri baseUri, string apiKey, byte[] body, Action<string> log, bool withoutPolly = false)
        {
            var create = connectionType.GetMethods(Any).FirstOrDefault(m => m.Name == "Create" && m.IsStatic && m.GetParameters().Any(p => p.ParameterType == typeof(HttpMessageHandler)));
            if (create == null)
            {
                log("No internal NmConnection.Create(…, HttpMessageHandler) found: the in-memory Get-NmInstance row is left out.");
                return null;
            }

            var key = new SecureString();
            foreach (var c in apiKey)
            {
                key.AppendChar(c);
            }

            key.MakeReadOnly();
            try
            {
                var args = create.GetParameters().Select(p =>
                    p.ParameterType == typeof(Uri) ? baseUri
                    : p.ParameterType == typeof(SecureString) ? key
                    : p.ParameterType == typeof(HttpMessageHandler) ? new FixedAnswerHandler(body)
                    : p.HasDefaultValue ? p.DefaultValue
                    : Activator.CreateInstance(p.ParameterType, nonPublic: true)).ToArray();
                if (withoutPolly)
                {
                    // No retry strategy and no total timeout: the pipeline then has no strategy (the per-attempt timeout stays).
                    var settings = args.FirstOrDefault(a => a?.GetType().GetProperty("MaxRetries", Any) != null);
                    if (settings == null)
                    {
                        log("No settings with MaxRetries: the row without Polly's strategies is left out.");
                        return null;
                    }

                    settings.GetType().GetProperty("MaxRetries", Any)!.SetValue(settings, 0);
                    settings.GetType().GetProperty("Timeout", Any)?.SetValue(settings, Timeout.InfiniteTimeSpan);
                }

                return create.Invoke(null, args);
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is MissingMethodException || ex is ArgumentException)
            {
                log($"NmConnection.Create with an in-memory handler failed ({ex.GetBaseException().Message}): the in-memory Get-NmInstance row is left out.");
                return null;
            }
        }
    }
}

/// <summary>The HttpClients the benchmark's compiled cmdlets use (set by <see cref="PerCallBreakdown"/>).</summary>
public static class BenchRawClient
{
    public static HttpClient? Network { get; set; }

    public static HttpClient? Memory { get; set; }

    public static Uri? BaseUri { get; set; }
}

/// <summary>PowerShell's own cost per piped id: Get-NmInstance's -Id parameter, nothing done with it.</summary>
[Cmdlet(VerbsCommon.Get, "BenchNothing")]
public sealed class GetBenchNothingCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InstanceId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    protected override void ProcessRecord()
    {
        foreach (var id in Id)
        {
            WriteObject(id);
        }
    }
}

/// <summary>The least a cmdlet over an async HttpClient can do: one GET per id, waited for on the pipeline thread.</summary>
[Cmdlet(VerbsCommon.Get, "BenchRawInstance")]
public sealed class GetBenchRawInstanceCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InstanceId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    [Parameter]
    public SwitchParameter InMemory { get; set; }

    protected override void ProcessRecord()
    {
        var client = (InMemory ? BenchRawClient.Memory : BenchRawClient.Network)!;
        foreach (var id in Id)
        {
            WriteObject(GetAsync(client, id).GetAwaiter().GetResult());
        }
    }

    private static async Task<int> GetAsync(HttpClient client, long id)
    {
        using var response = await client.GetAsync(new Uri(BenchRawClient.BaseUri!, $"instances/{id}/"), HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        return (await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false)).Length;
    }
}
