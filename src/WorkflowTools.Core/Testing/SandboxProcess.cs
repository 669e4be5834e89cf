using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using WorkflowTools.Connections;

namespace WorkflowTools.Testing
{
    /// <summary>What to start a sandbox with; each maps to one of the sandbox's command-line switches.</summary>
    internal sealed class SandboxStartOptions
    {
        /// <summary>A seed file (<c>--seed</c>); null = the demo data.</summary>
        public string? SeedPath { get; set; }

        /// <summary>Start empty (<c>--no-seed</c>): no demo data.</summary>
        public bool NoDemoData { get; set; }

        /// <summary>Fault rules in the sandbox's text form (<c>--fault</c>), e.g. <c>status=429,times=3</c>.</summary>
        public IList<string> Faults { get; } = new List<string>();

        /// <summary>Next Matter 429s past this many requests per minute per key (<c>--rate-limit</c>).</summary>
        public int? RateLimitPerMinute { get; set; }

        /// <summary>Delay before every API answer (<c>--latency</c>).</summary>
        public TimeSpan? Latency { get; set; }

        /// <summary>The clock stands still until moved (<c>--frozen-clock</c>).</summary>
        public bool FrozenClock { get; set; }

        /// <summary>The clock's start (<c>--clock-start</c>); a seed file's own clock wins.</summary>
        public DateTimeOffset? ClockStart { get; set; }

        /// <summary>Workflow 900 with this many running instances (<c>--listing</c>), for listing benchmarks.</summary>
        public int? ListingInstances { get; set; }

        /// <summary>How long to wait for the sandbox to answer.</summary>
        public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The sandbox's switches for these options (after --port, --ready-file and --parent-pid).</summary>
        public IEnumerable<string> Arguments()
        {
            if (SeedPath != null)
            {
                yield return "--seed";
                yield return SeedPath;
            }

            if (NoDemoData)
            {
                yield return "--no-seed";
            }

            foreach (var fault in Faults)
            {
                yield return "--fault";
                yield return fault;
            }

            if (RateLimitPerMinute is int limit)
            {
                yield return "--rate-limit";
                yield return limit.ToString(CultureInfo.InvariantCulture);
            }

            if (Latency is TimeSpan latency)
            {
                yield return "--latency";
                yield return ((long)latency.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
            }

            if (ListingInstances is int listing)
            {
                yield return "--listing";
                yield return listing.ToString(CultureInfo.InvariantCulture);
            }

            if (FrozenClock)
            {
                yield return "--frozen-clock";
            }

            if (ClockStart is DateTimeOffset clock)
            {
                yield return "--clock-start";
                yield return clock.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>The sandbox did not start; <see cref="Output"/> holds what it printed.</summary>
    public sealed class SandboxStartException : Exception
    {
        public SandboxStartException(string message, int? exitCode, string output) : base(message)
        {
            ExitCode = exitCode;
            Output = output;
        }

        /// <summary>Its exit code; 2 = bad arguments or a bad seed file; null = still running (timed out).</summary>
        public int? ExitCode { get; }

        public string Output { get; }
    }

    /// <summary>
    /// A sandbox running in its own process on 127.0.0.1, started by <see cref="Start"/>: its addresses, its key
    /// and token, ready connections to both services, and <see cref="Stop"/>, which ends its whole process tree.
    /// Every sandbox this process started is stopped when the process exits; the sandbox itself also stops when
    /// this process is gone (it is started with <c>--parent-pid</c>), however this process ended.
    /// </summary>
    public sealed class SandboxProcess : IDisposable
    {
        private static readonly object Gate = new object();
        private static readonly List<SandboxProcess> Running = new List<SandboxProcess>();
        private static int _lastId;
        private static bool _exitHooked;

        private readonly Process _process;
        private readonly BoundedText _output;

        private SandboxProcess(Process process, BoundedText output, SandboxProgram program, SandboxStartOptions options, JsonElement ready)
        {
            _process = process;
            _output = output;
            Id = Interlocked.Increment(ref _lastId);
            ProcessId = process.Id;
            StartedFrom = program.StartedFrom;
            Program = program.Prefix.Count > 0 ? program.Prefix[0] : program.FileName;
            SeedPath = options.SeedPath;
            NextMatterUri = new Uri(ready.GetProperty("nextMatter").GetString()!);
            ProcessMakerUri = new Uri(ready.GetProperty("processMaker").GetString()!);
            Port = NextMatterUri.Port;
            ApiKey = ready.GetProperty("apiKey").GetString()!;
            AccessToken = ready.GetProperty("accessToken").GetString()!;
            StartedAt = DateTime.UtcNow;
            Control = new SandboxControlClient(new Uri(NextMatterUri, "/_sandbox/"), ready.TryGetProperty("controlToken", out var token) ? token.GetString() : null);
            var settings = new ConnectionSettings { RequestsPerMinute = ConnectionDefaults.NextMatter.RequestsPerMinute, CredentialSource = "sandbox" };
            NmConnection = NmConnection.Create(NextMatterUri, SecretAuthorization.FromPlainText(ApiKey), settings);
            PmConnection = PmConnection.Create(ProcessMakerUri, new SecretAuthorization("Bearer", SecretAuthorization.FromPlainText(AccessToken)), new ConnectionSettings { CredentialSource = "sandbox" });
        }

        /// <summary>Number of this sandbox among those this process started (1, 2, …).</summary>
        public int Id { get; }

        /// <summary>The sandbox's process id.</summary>
        public int ProcessId { get; }

        public int Port { get; }

        /// <summary>Next Matter API base, for Connect-NmService -BaseUri.</summary>
        public Uri NextMatterUri { get; }

        /// <summary>ProcessMaker instance URL, for Connect-PmServer -BaseUri.</summary>
        public Uri ProcessMakerUri { get; }

        /// <summary>The sandbox's Next Matter API key (a fixed, public test value).</summary>
        public string ApiKey { get; }

        /// <summary>The sandbox's ProcessMaker token (a fixed, public test value).</summary>
        public string AccessToken { get; }

        /// <summary>A connection to the sandbox's Next Matter, for -Connection.</summary>
        public NmConnection NmConnection { get; }

        /// <summary>A connection to the sandbox's ProcessMaker, for -Connection.</summary>
        public PmConnection PmConnection { get; }

        /// <summary>"tool" (workflowtools-sandbox) or "module" (the module's own copy).</summary>
        public string StartedFrom { get; }

        /// <summary>The program that runs: the tool's command or the module copy's dll.</summary>
        public string Program { get; }

        public string? SeedPath { get; }

        public DateTime StartedAt { get; }

        /// <summary>False once stopped or ended.</summary>
        public bool IsRunning
        {
            get
            {
                try
                {
                    return !_process.HasExited;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }
        }

        /// <summary>The control endpoints (request log, faults, clock).</summary>
        internal SandboxControlClient Control { get; }

        /// <summary>
        /// Puts the sandbox back as it started (<see cref="SandboxControlClient.Reset"/>) and, since its rate limit forgot
        /// what it counted, restarts the pacing of <see cref="NmConnection"/> and <see cref="PmConnection"/> too, so a
        /// test after a reset has the budget a test on a fresh sandbox would have. Returns the sandbox's clock (UTC).
        /// </summary>
        internal DateTime Reset(CancellationToken cancellationToken)
        {
            var now = Control.Reset(cancellationToken);
            NmConnection.Http.Pacer.Restart();
            PmConnection.Http.Pacer.Restart();
            return now;
        }

        /// <summary>The last lines the sandbox printed (bounded).</summary>
        public string Output => _output.ToString();

        public override string ToString() => $"Sandbox {Id} at {NextMatterUri.GetLeftPart(UriPartial.Authority)}";

        /// <summary>Every sandbox this process started that has not been stopped.</summary>
        public static IReadOnlyList<SandboxProcess> All
        {
            get
            {
                lock (Gate)
                {
                    return Running.ToArray();
                }
            }
        }

        /// <summary>
        /// Starts a sandbox on a free loopback port and waits until it answers. Throws
        /// <see cref="SandboxUnavailableException"/> when it cannot be started here, <see cref="SandboxStartException"/>
        /// when it exits or does not answer in time, <see cref="OperationCanceledException"/> on cancellation (Ctrl+C).
        /// </summary>
        internal static SandboxProcess Start(SandboxProgram program, SandboxStartOptions options, CancellationToken cancellationToken)
        {
            var ready = Path.Combine(Path.GetTempPath(), "workflowtools-sandbox-" + Guid.NewGuid().ToString("N") + ".json");
            var args = program.Prefix.Concat(new[]
            {
                "--port", "0", "--ready-file", ready, "--parent-pid", CurrentProcessId().ToString(CultureInfo.InvariantCulture),
            }).Concat(options.Arguments());
            var start = new ProcessStartInfo(program.FileName, CommandLine(args))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                CreateNoWindow = true,
            };
            var output = new BoundedText(16 * 1024);
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => output.AppendLine(e.Data);
            process.ErrorDataReceived += (_, e) => output.AppendLine(e.Data);
            try
            {
                process.Start();
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                process.Dispose();
                throw new SandboxUnavailableException($"Cannot run {program.FileName}: {e.Message}");
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                var info = WaitUntilReady(process, ready, output, options.StartTimeout, cancellationToken);
                var sandbox = new SandboxProcess(process, output, program, options, info);
                sandbox.Control.WaitUntilAnswering(TimeSpan.FromSeconds(10), cancellationToken);
                Register(sandbox);
                return sandbox;
            }
            catch
            {
                KillTree(process);
                process.Dispose();
                throw;
            }
            finally
            {
                TryDelete(ready);
            }
        }

        /// <summary>Ends the sandbox and every process it started; waits up to 10 s. Safe to call twice.</summary>
        public void Stop()
        {
            lock (Gate)
            {
                Running.Remove(this);
            }

            KillTree(_process);
            NmConnection.Dispose();
            PmConnection.Dispose();
            Control.Dispose();
        }

        public void Dispose() => Stop();

        /// <summary>Kills a process and its descendants: Process.Kill(true) where the runtime has it (.NET Core 3+), taskkill /T on Windows PowerShell 5.1.</summary>
        public static void KillTree(Process process)
        {
            try
            {
                if (process.HasExited)
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                return;
            }

            try
            {
                var killTree = typeof(Process).GetMethod("Kill", BindingFlags.Public | BindingFlags.Instance, null, new[] { typeof(bool) }, null);
                if (killTree != null)
                {
                    killTree.Invoke(process, new object[] { true });
                }
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    using var taskkill = Process.Start(new ProcessStartInfo("taskkill", $"/PID {process.Id} /T /F") { UseShellExecute = false, CreateNoWindow = true, RedirectStandardOutput = true, RedirectStandardError = true });
                    taskkill?.WaitForExit(10000);
                }

                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception || e is TargetInvocationException)
            {
                // it ended meanwhile
            }

            process.WaitForExit(10000);
        }

        /// <summary>Joins arguments into one command line that both the Windows C runtime and .NET on Unix split back the same way.</summary>
        public static string CommandLine(IEnumerable<string> args) => string.Join(" ", args.Select(Quote));

        private static string Quote(string arg)
        {
            if (arg.Length > 0 && arg.IndexOfAny(new[] { ' ', '\t', '"', '\'' }) < 0)
            {
                return arg;
            }

            var b = new StringBuilder("\"");
            var slashes = 0;
            foreach (var c in arg)
            {
                if (c == '\\')
                {
                    slashes++;
                    continue;
                }

                b.Append('\\', c == '"' ? slashes * 2 + 1 : slashes);
                slashes = 0;
                b.Append(c);
            }

            b.Append('\\', slashes * 2);
            return b.Append('"').ToString();
        }

        private static JsonElement WaitUntilReady(Process process, string readyFile, BoundedText output, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (File.Exists(readyFile))
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(File.ReadAllBytes(readyFile));
                        return doc.RootElement.Clone();
                    }
                    catch (Exception e) when (e is IOException || e is JsonException)
                    {
                        // being written; the sandbox moves it into place, so this is rare
                    }
                }

                if (process.WaitForExit(50))
                {
                    process.WaitForExit(); // flush the output events
                    var code = process.ExitCode;
                    // The usage line the sandbox prints after a bad switch is for people typing it, not for a launcher's error.
                    var text = string.Join(Environment.NewLine, output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith("Usage:", StringComparison.Ordinal))).Trim();
                    throw new SandboxStartException(
                        code == 2 ? "The sandbox refused its arguments or seed file:" + Environment.NewLine + text : $"The sandbox exited with code {code} before it was ready." + (text.Length > 0 ? Environment.NewLine + text : ""),
                        code,
                        text);
                }

                if (watch.Elapsed > timeout)
                {
                    throw new SandboxStartException($"The sandbox did not get ready within {timeout.TotalSeconds:0} s.", null, output.ToString().Trim());
                }
            }
        }

        private static void Register(SandboxProcess sandbox)
        {
            lock (Gate)
            {
                Running.Add(sandbox);
                if (!_exitHooked)
                {
                    _exitHooked = true;
                    AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                    {
                        foreach (var s in All)
                        {
                            s.Stop();
                        }
                    };
                }
            }
        }

        private static int CurrentProcessId()
        {
            using var self = Process.GetCurrentProcess();
            return self.Id;
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }

        /// <summary>Keeps the last <c>limit</c> characters of what the sandbox printed.</summary>
        private sealed class BoundedText
        {
            private readonly StringBuilder _text = new StringBuilder();
            private readonly int _limit;

            public BoundedText(int limit) => _limit = limit;

            public void AppendLine(string? line)
            {
                if (line == null)
                {
                    return;
                }

                lock (_text)
                {
                    _text.AppendLine(line);
                    if (_text.Length > _limit)
                    {
                        _text.Remove(0, _text.Length - _limit);
                    }
                }
            }

            public override string ToString()
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }
    }
}
