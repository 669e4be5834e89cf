using System.Management.Automation;
using WorkflowTools.Sandbox;
using Xunit.Abstractions;

namespace WorkflowTools.Tests.Reliability
{
    /// <summary>
    /// Issue 26 item 1, in bulk: many creates with -ThrottleLimit 16 while a fifth of the POSTs are reset before
    /// the server applies them (and some after). Every OutcomeUnknown error's check is compared with what the
    /// sandbox really holds: no "most likely the one this call created" may name an object this input did not
    /// create, and no "most likely not created" may be said of one it did.
    /// </summary>
    public class BulkReconcileTests : IAsyncLifetime
    {
        private const string ClaimedOne = "most likely the one this call created";
        private const string ClaimedNone = "most likely not created";
        private readonly ITestOutputHelper _log;
        private SandboxServer _sandbox = null!;

        public BulkReconcileTests(ITestOutputHelper log)
        {
            _log = log;
        }

        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions { RealTimeClock = true, ClockStart = DateTimeOffset.UtcNow });

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        private void Faults(string path, double appliedToo)
        {
            _sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = path, Kind = FaultKind.ConnectionReset, Probability = 0.2 });
            if (appliedToo > 0)
            {
                _sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = path, Kind = FaultKind.ConnectionReset, ApplyBeforeFault = true, Probability = appliedToo });
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Start_PmRequest_in_bulk_never_claims_a_siblings_request(bool passwordGrant)
        {
            const int count = 120;
            Faults("/process_events/", 0.05);
            using var s = new PsSession();
            if (passwordGrant)
            {
                s.Set("cred", new PSCredential("admin", PsSession.Secure("admin")));
                s.Set("secret", PsSession.Secure(ProcessMakerStore.OAuthClientSecret));
                s.Run($"Connect-PmServer -BaseUri '{_sandbox.ProcessMakerInstanceUri}' -Credential $cred -ClientId '{ProcessMakerStore.OAuthClientId}' -ClientSecret $secret -RequestsPerMinute 0 -MaxRetries 0").ThrowIfFailed();
            }
            else
            {
                s.Set("token", PsSession.Secure(_sandbox.ProcessMakerToken));
                s.Run($"Connect-PmServer -BaseUri '{_sandbox.ProcessMakerInstanceUri}' -AccessToken $token -RequestsPerMinute 0 -MaxRetries 0").ThrowIfFailed();
            }

            var result = s.Run($"1..{count} | ForEach-Object {{ [pscustomobject]@{{ ProcessId = 1; Data = @{{ n = $_; batch = 'bulk' }} }} }} | Start-PmRequest -ThrottleLimit 16");
            Assert.Null(result.TerminatingError);

            // What each input really created, by its data.
            var createdBy = _sandbox.ProcessMaker.Requests
                .Where(r => r.Data["batch"]?.ToString() == "bulk")
                .GroupBy(r => (long)r.Data["n"]!)
                .ToDictionary(g => g.Key, g => g.Select(r => r.Id).ToList());
            var unknown = result.Errors.Where(e => e.FullyQualifiedErrorId.StartsWith("WorkflowTools.OutcomeUnknown", StringComparison.Ordinal)).ToList();
            var verdicts = unknown.Select(e =>
            {
                var data = (System.Collections.IDictionary)e.TargetObject.GetType().GetProperty("Data")!.GetValue(e.TargetObject)!;
                var n = Convert.ToInt64(data["n"] is PSObject wrapped ? wrapped.BaseObject : data["n"]);
                return Judge(n, e.Exception, createdBy.GetValueOrDefault(n) ?? new List<long>());
            }).ToList();

            Report(count, unknown.Count, verdicts);
            Assert.InRange(verdicts.Count(v => v.NotApplied), count / 10, count);
            Assert.Equal(0, verdicts.Count(v => v.False));
            Assert.All(createdBy, c => Assert.Single(c.Value));
        }

        [Fact]
        public void New_NmInstance_in_bulk_with_one_name_for_every_row_never_claims_a_siblings_instance()
        {
            const int count = 120;
            Faults("/nextmatter/api/instances/", 0);
            using var s = new PsSession();
            s.Set("key", PsSession.Secure(_sandbox.NextMatterApiKey));
            s.Run($"Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0 -MaxRetries 0").ThrowIfFailed();

            var result = s.Run($"1..{count} | ForEach-Object {{ [pscustomobject]@{{ ProcessId = 1; Name = 'Fixed name' }} }} | New-NmInstance -ThrottleLimit 16");
            Assert.Null(result.TerminatingError);

            // Every reset came before the create was applied: no input in doubt created anything.
            var created = _sandbox.NextMatter.Instances.Count(i => i.Name == "Fixed name");
            Assert.Equal(result.Output.Count, created);
            var unknown = result.Errors.Where(e => e.FullyQualifiedErrorId.StartsWith("WorkflowTools.OutcomeUnknown", StringComparison.Ordinal)).ToList();
            var verdicts = unknown.Select(e => Judge(0, e.Exception, new List<long>())).ToList();

            Report(count, unknown.Count, verdicts);
            Assert.InRange(unknown.Count, count / 10, count);
            Assert.Equal(0, verdicts.Count(v => v.False));
        }

        private sealed record Verdict(bool NotApplied, bool ClaimedOne, bool ClaimedNone, bool False, string Message);

        /// <summary>Judges one error's check (an ApiException of the module's own load context, read by reflection).</summary>
        private static Verdict Judge(long n, Exception error, List<long> truth)
        {
            var message = error.Message;
            var matches = ((IEnumerable<long>)error.GetType().GetProperty("PossibleMatches")!.GetValue(error)!).ToList();
            var reconciliation = (string?)error.GetType().GetProperty("Reconciliation")!.GetValue(error);
            var one = message.Contains(ClaimedOne, StringComparison.Ordinal);
            var none = message.Contains(ClaimedNone, StringComparison.Ordinal) && !message.Contains("The server accepted the request", StringComparison.Ordinal);
            var wrong = (one && !(matches.Count == 1 && truth.Count == 1 && truth[0] == matches[0]))
                || (none && truth.Count > 0);
            return new Verdict(truth.Count == 0, one, none, wrong, $"input {n}: created {string.Join(",", truth)}; {reconciliation}");
        }

        private void Report(int count, int unknown, List<Verdict> verdicts)
        {
            _log.WriteLine($"inputs {count}; OutcomeUnknown {unknown} (not applied {verdicts.Count(v => v.NotApplied)}); "
                + $"claimed 'the one' {verdicts.Count(v => v.ClaimedOne)}, claimed 'not created' {verdicts.Count(v => v.ClaimedNone)}, "
                + $"could not tell {verdicts.Count(v => !v.ClaimedOne && !v.ClaimedNone)}; false claims {verdicts.Count(v => v.False)}");
            foreach (var v in verdicts.Where(v => v.False).Take(5))
            {
                _log.WriteLine("  FALSE: " + v.Message);
            }
        }
    }
}
