using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Net48Harness
{
    /// <summary>
    /// The seed jobs through WorkflowTools.Core's clients, as the cmdlets run them. The test that starts the
    /// harness has set the sandbox's faults: GET …/processes/2/ (Next Matter) answers 503 once, GET
    /// …/instances/1001/ answers 429 once, and GET …/instances/1002/ waits 60 s.
    /// Nothing here may touch a Core type before Program installed the handler, hence the separate class.
    /// </summary>
    internal static class Jobs
    {
        private static int _passed;
        private static int _failed;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static (int Passed, int Failed) RunAll(Uri nextMatter, string nmKey, Uri processMaker, string pmToken)
        {
            var options = new ConnectionSettings
            {
                ServiceName = "Next Matter",
                BaseUri = nextMatter,
                MaxRetries = 3,
                RetryBaseDelay = TimeSpan.FromMilliseconds(50),
                MaxRetryDelay = TimeSpan.FromMilliseconds(500),
                Timeout = TimeSpan.FromSeconds(60),
                AttemptTimeout = TimeSpan.FromSeconds(30),
            };
            using var nmApi = new ApiClient(options, new SecretAuthorization("Api-Key", Secure(nmKey)));
            var nm = new NmClient(nmApi);
            var pmOptions = new ConnectionSettings
            {
                ServiceName = "ProcessMaker",
                BaseUri = processMaker,
                MaxRetries = 3,
                RetryBaseDelay = TimeSpan.FromMilliseconds(50),
                MaxRetryDelay = TimeSpan.FromMilliseconds(500),
            };
            using var pmApi = new ApiClient(pmOptions, new SecretAuthorization("Bearer", Secure(pmToken)));
            var pm = new PmClient(pmApi);

            Probe();
            long created = 0;
            Run("create instance", async ct =>
            {
                var instance = await nm.CreateInstanceAsync(new NmNewInstance { ProcessId = 1, Name = "Mono onboarding", Tags = new[] { "mono" } }, ct);
                Check(instance.Id > 0 && instance.Name == "Mono onboarding" && instance.ProcessId == 1, $"unexpected instance {instance.Id} '{instance.Name}'");
                created = instance.Id;
                return $"instance {instance.Id} '{instance.Name}', status {instance.Status}, tags {instance.Tags}";
            });
            Run("complete step", async ct =>
            {
                Check(created > 0, "no instance was created");
                var actions = new[] { NmClient.ActionFromValue(123456, "Ada Lovelace"), NmClient.ActionFromValue(789012, new Hashtable { ["itemSelected"] = "Value 2" }) };
                var done = await nm.CompleteStepAsync(created, 42, actions, ct);
                Check(done.InstanceId == created && done.StepId == 42 && done.ActionCount == 2, $"unexpected completion {done}");
                return $"step {done.StepId} of {done.InstanceId}: {done.ActionCount} actions, active now {done.ActiveStepIds}";
            });
            Run("list by runtime with paging", async ct =>
            {
                var max = new TimeSpan(1, 0, 9, 30);
                var pages = 0;
                var ids = new List<long>();
                var listing = nm.ListInstancesAsync(1, new NmInstanceQuery { MaxTotalRuntime = max, PageSize = 2 }).GetAsyncEnumerator(ct);
                try
                {
                    while (await listing.MoveNextAsync())
                    {
                        if (listing.TakePage() != null)
                        {
                            pages++;
                        }

                        var instance = listing.Current;
                        Check(instance.TotalRuntime <= max, $"instance {instance.Id} ran {instance.TotalRuntime}, more than {max}");
                        ids.Add(instance.Id);
                    }
                }
                finally
                {
                    await listing.DisposeAsync();
                }

                Check(pages >= 2, $"{pages} page(s): expected several of 2");
                Check(ids.Count > 0 && ids.Distinct().Count() == ids.Count, $"{ids.Count} instances, {ids.Distinct().Count()} distinct");
                return $"{ids.Count} instances in {pages} pages";
            });
            Run("start ProcessMaker request", async ct =>
            {
                var startEvent = await pm.ResolveStartEventAsync(1, ct);
                var request = await pm.StartRequestAsync(1, startEvent, new Hashtable { ["employee"] = "Ada", ["start"] = "2026-02-01" }, ct);
                Check(request.Id > 0, "no request id");
                return $"request {request.Id} from {startEvent}, status {request.Status}";
            });
            Run("retry through a 503", async ct =>
            {
                var process = await nm.GetProcessAsync(2, ct);
                Check(process.Id == 2, $"got process {process.Id}");
                return $"process {process.Id} '{process.Name}' after the 503";
            });
            Run("retry through a 429", async ct =>
            {
                var instance = await nm.GetInstanceAsync(1001, includeValues: false, ct);
                Check(instance.Id == 1001, $"got instance {instance.Id}");
                return $"instance {instance.Id} after the 429";
            });
            Run("cancelled wait", async _ =>
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                var clock = Stopwatch.StartNew();
                try
                {
                    await nm.GetInstanceAsync(1002, includeValues: false, cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    Check(clock.Elapsed < TimeSpan.FromSeconds(20), $"cancellation took {clock.Elapsed.TotalSeconds:0.0} s");
                    return $"cancelled after {clock.Elapsed.TotalMilliseconds:0} ms of a 60 s wait";
                }

                throw new InvalidOperationException("the request to a 60 s delay completed although it was cancelled at 300 ms");
            });
            return (_passed, _failed);
        }

        /// <summary>What the core's runtime probe decided on this runtime (internal types, read by reflection).</summary>
        private static void Probe()
        {
            var core = typeof(ApiClient).Assembly;
            var h2 = core.GetType("WorkflowTools.Http.HttpVersionChoice")?.GetProperty("Http2Supported", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null);
            Console.WriteLine($"probe: HTTP/2 policy {h2 ?? "?"}");
        }

        private static void Run(string job, Func<CancellationToken, Task<string>> body)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var detail = Task.Run(() => body(limit.Token)).GetAwaiter().GetResult();
                _passed++;
                Console.WriteLine($"ok {job} ({clock.ElapsedMilliseconds} ms): {detail}");
            }
            catch (Exception ex)
            {
                _failed++;
                Console.WriteLine($"FAIL {job} ({clock.ElapsedMilliseconds} ms): {ex.GetType().FullName}: {ex.Message}");
                for (var inner = ex.InnerException; inner != null; inner = inner.InnerException)
                {
                    Console.WriteLine($"  inner: {inner.GetType().FullName}: {inner.Message}");
                }

                Console.WriteLine("  " + ex.StackTrace?.Replace(Environment.NewLine, Environment.NewLine + "  "));
            }
        }

        private static void Check(bool condition, string message)
        {
            if (!condition)
            {
                throw new InvalidOperationException(message);
            }
        }

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
