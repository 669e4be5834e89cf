using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>The new Next Matter cmdlets without a connection, with an explicit one, and with -Verbose/-Debug on.</summary>
    public class NmSessionTests : IAsyncLifetime
    {
        private SandboxServer _sandbox = null!;

        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        [Fact]
        public void Without_a_connection_every_new_cmdlet_says_to_connect_first_and_sends_nothing()
        {
            using var s = new PsSession();
            var before = _sandbox.Requests.Count;
            foreach (var command in new[]
            {
                "Set-NmInstance -Id 1001 -Name x", "Stop-NmInstance -Id 1001", "Remove-NmInstance -Id 1001 -Force",
                "Get-NmProcess 1", "Get-NmFieldValue 1 42 123456", "Invoke-NmApi instances/1001/",
            })
            {
                var error = Assert.Single(s.Run(command).AllErrors);
                Assert.StartsWith("WorkflowTools.NotConnected,", error.FullyQualifiedErrorId);
            }

            Assert.Equal(before, _sandbox.Requests.Count);
        }

        [Fact]
        public void An_explicit_connection_is_used_and_no_stream_shows_the_key()
        {
            using var s = new PsSession();
            s.Set("k", PsSession.Secure(_sandbox.NextMatterApiKey));
            s.Run($"$c = Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' -ApiKey $k -RequestsPerMinute 0 -PassThru; Disconnect-NmService").ThrowIfFailed();
            var result = s.Run(
                "Get-NmProcess 1 -Connection $c -Verbose -Debug; " +
                "Get-NmFieldValue 1 42 123456 -First 2 -Connection $c -Verbose -Debug; " +
                "Invoke-NmApi instances/1001/ -Connection $c -Verbose -Debug; " +
                "Set-NmInstance -Id 1001 -AddTag seen -Connection $c -PassThru -Verbose -Debug; " +
                "Stop-NmInstance -Id 1001 -Connection $c -PassThru -Verbose -Debug; " +
                "Invoke-NmApi instances/999999/ -Connection $c -Verbose -Debug");
            Assert.Single(result.Errors);
            Assert.Equal(6, result.Output.Count);
            Assert.NotEmpty(result.Verbose);
            Assert.NotEmpty(result.Debug);
            Assert.Contains(result.Debug, d => d.Contains("[redacted]", StringComparison.Ordinal));
            Assert.DoesNotContain(_sandbox.NextMatterApiKey, result.AllText());
            Assert.DoesNotContain(_sandbox.NextMatterApiKey.Split('.')[1], result.AllText());
        }
    }
}
