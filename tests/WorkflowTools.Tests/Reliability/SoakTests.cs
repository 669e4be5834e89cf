using WorkflowTools.Sandbox;
using Xunit.Abstractions;

namespace WorkflowTools.Tests.Reliability
{
    /// <summary>
    /// 1,000 creates through New-NmInstance while about a fifth of all requests meet an injected fault of
    /// every kind. Nothing may be created twice, and nothing may vanish: every input ends up either in the
    /// output or in an ErrorRecord that names it.
    /// </summary>
    public class SoakTests : IAsyncLifetime
    {
        private readonly ITestOutputHelper _log;
        private SandboxServer _sandbox = null!;

        public SoakTests(ITestOutputHelper log)
        {
            _log = log;
        }

        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedData = true });

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        [Fact]
        public void A_thousand_creates_under_faults_lose_nothing_and_duplicate_nothing()
        {
            const int count = 1000;
            const double p = 0.025; // nine rules at 2.5% each: about 20% of requests meet a fault
            var faults = new[]
            {
                new FaultRule { Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "0" },
                new FaultRule { Kind = FaultKind.Status, StatusCode = 503 },
                new FaultRule { Kind = FaultKind.AppliedThenStatus, StatusCode = 500 },
                new FaultRule { Kind = FaultKind.AppliedThenStatus, StatusCode = 502 },
                new FaultRule { Kind = FaultKind.ConnectionReset },
                new FaultRule { Kind = FaultKind.ConnectionReset, ApplyBeforeFault = true },
                new FaultRule { Kind = FaultKind.Delay, Delay = TimeSpan.FromSeconds(1), ApplyBeforeFault = true },
                new FaultRule { Kind = FaultKind.HtmlErrorPage },
                new FaultRule { Kind = FaultKind.TruncatedJson },
            };
            foreach (var rule in faults)
            {
                rule.Method = "POST";
                rule.PathContains = "/nextmatter/api/instances/";
                rule.Probability = p;
                _sandbox.Faults.Add(rule);
            }

            using var s = new PsSession();
            s.Set("key", PsSession.Secure(_sandbox.NextMatterApiKey));
            s.Run($"Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0 -MaxRetries 4 -RetryDelay 0.01 -AttemptTimeout 0.25").ThrowIfFailed();
            var result = s.Run($"1..{count} | ForEach-Object {{ [pscustomobject]@{{ ProcessId = 1; Name = \"soak-$_\" }} }} | New-NmInstance");
            Assert.Null(result.TerminatingError);

            var inputs = Enumerable.Range(1, count).Select(i => $"soak-{i}").ToList();
            var emitted = result.Output.Select(o => o.P<string>("Name")).ToList();
            var named = result.Errors.Select(e => Convert.ToString(e.TargetObject is System.Management.Automation.PSObject pso ? pso.Properties["Name"]?.Value : e.TargetObject?.GetType().GetProperty("Name")?.GetValue(e.TargetObject))).ToList();
            var created = _sandbox.NextMatter.Instances.Where(i => i.Name.StartsWith("soak-", StringComparison.Ordinal)).GroupBy(i => i.Name).ToDictionary(g => g.Key, g => g.Count());
            var faultedPosts = _sandbox.Requests.All.Count(r => r.Method == "POST" && r.Path.EndsWith("/instances/") && r.StatusCode != 201);
            var allPosts = _sandbox.Requests.All.Count(r => r.Method == "POST" && r.Path.EndsWith("/instances/"));
            // The faults the sandbox injected. Not the answers other than 201: on a loaded machine a plain create can
            // also outlast the 0.25 s attempt timeout, and the sandbox logs an abandoned request with status 0.
            var injected = faults.Sum(f => f.Hits);

            var duplicates = created.Count(c => c.Value > 1);
            var lost = inputs.Count(n => !emitted.Contains(n) && !named.Contains(n));
            var both = inputs.Count(n => emitted.Contains(n) && named.Contains(n));
            var outcomeUnknown = result.Errors.Count(e => e.FullyQualifiedErrorId.StartsWith("WorkflowTools.OutcomeUnknown", StringComparison.Ordinal));
            _log.WriteLine($"inputs {count}; POSTs sent {allPosts}, of which met an injected fault: {injected} ({100.0 * injected / allPosts:0.0}%), answered other than 201: {faultedPosts} ({100.0 * faultedPosts / allPosts:0.0}%)");
            _log.WriteLine($"emitted {emitted.Count}; error records {result.Errors.Count} (outcome unknown {outcomeUnknown}); created in sandbox {created.Count}");
            _log.WriteLine($"duplicates {duplicates}; silently lost {lost}; both emitted and failed {both}");
            foreach (var id in result.Errors.GroupBy(e => e.FullyQualifiedErrorId.Split(',')[0]))
            {
                _log.WriteLine($"  {id.Key}: {id.Count()}");
            }

            Assert.Equal(0, duplicates);
            Assert.Equal(0, lost);
            Assert.Equal(0, both);
            Assert.All(emitted, n => Assert.Equal(1, created.GetValueOrDefault(n)));
            Assert.InRange(100.0 * injected / allPosts, 12, 30);
            Assert.True(result.Errors.Count > 0, "the faults must have produced some errors");
        }
    }
}
