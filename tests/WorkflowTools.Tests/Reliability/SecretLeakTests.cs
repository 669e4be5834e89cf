using System.Management.Automation;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.Reliability
{
    /// <summary>
    /// Every cmdlet, through a success and a failure path, with -Verbose -Debug: neither the API key nor
    /// the access token may appear in any stream, output object, error record, $Error or exception text.
    /// </summary>
    public class SecretLeakTests : IAsyncLifetime
    {
        private const string NmKey = "leakcheck.Nm5ecretKeyValue";
        private const string PmToken = "Pm5ecretTokenValue-leakcheck";
        private SandboxServer _sandbox = null!;

        public async Task InitializeAsync()
        {
            _sandbox = await SandboxServer.StartAsync(new SandboxOptions { NextMatterApiKey = NmKey, ProcessMakerToken = PmToken });
        }

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        /// <summary>
        /// Per cmdlet: a call that succeeds and one that fails (a server error, a missing item or bad input): LeakSuccess
        /// and LeakFailure in tests/Pester/CmdletCases.psd1, in its order (later scripts use what earlier ones made:
        /// $leak, $leakFile, $leakPackage, and $sb, a sandbox of the sandbox cmdlets' own, stopped last).
        /// </summary>
        public static readonly IReadOnlyList<(string Name, string Success, string Failure)> Scenarios = CmdletCases.Load()
            .Select(c => (CmdletCases.Text(c, "Name"), CmdletCases.Text(c, "LeakSuccess"), CmdletCases.Text(c, "LeakFailure")))
            .ToList();

        [Fact]
        public void Every_exported_cmdlet_has_a_scenario()
        {
            using var s = new PsSession();
            var exported = s.Run("Get-Command -Module WorkflowTools | ForEach-Object Name").Output.Select(o => o.ToString()).ToList();
            Assert.Empty(exported.Except(Scenarios.Select(c => c.Name)));
            Assert.Equal(Scenarios.Count, Scenarios.Select(c => c.Name).Distinct().Count());
        }

        [Fact]
        public void No_secret_reaches_any_stream_object_or_error()
        {
            using var s = new PsSession();
            s.Set("nmKey", PsSession.Secure(NmKey));
            s.Set("pmToken", PsSession.Secure(PmToken));
            s.Set("nmUri", _sandbox.NextMatterBaseUri.ToString());
            s.Set("pmUri", _sandbox.ProcessMakerInstanceUri.ToString());
            s.Run("Connect-NmService -BaseUri $nmUri -ApiKey $nmKey -RequestsPerMinute 0 -RetryDelay 0.01; Connect-PmServer -BaseUri $pmUri -AccessToken $pmToken -RetryDelay 0.01").ThrowIfFailed();

            // Server-side failures too: a 500 with a body, and an HTML page, for one call each.
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/424242", Kind = FaultKind.HtmlErrorPage });
            var texts = new List<string>();
            foreach (var (name, success, failure) in Scenarios)
            {
                foreach (var (script, isSuccess) in new[] { (success, true), (failure, false) })
                {
                    var result = s.Run($"$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; {script}");
                    texts.Add($"[{name}] " + result.AllText());
                    if (isSuccess)
                    {
                        Assert.True(result.AllErrors.Count() == 0, $"{name}'s success path failed: {result.Describe()}");
                    }
                    else
                    {
                        Assert.True(result.AllErrors.Any(), $"{name}'s failure path did not fail");
                    }
                }
            }

            // $Error and every exception's full text, as a person would dump them.
            var errors = s.Run("$Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String; \"$($_.Exception)\" }");
            texts.Add(errors.AllText());
            var all = string.Join("\n", texts);
            Assert.Contains("[redacted]", all);
            Assert.DoesNotContain(NmKey, all);
            Assert.DoesNotContain("Nm5ecretKeyValue", all);
            Assert.DoesNotContain(PmToken, all);
            Assert.DoesNotContain("Pm5ecretTokenValue", all);
            Assert.DoesNotContain("Leak-Pa55word!", all); // passwords of New-PmUser and Set-PmUser
            Assert.DoesNotContain("Leak-short", all);
            Assert.DoesNotContain("Leak-Pa55word!", string.Join("\n", _sandbox.Requests.All.Select(r => r.Body))); // nor the sandbox's request log
        }
    }
}
