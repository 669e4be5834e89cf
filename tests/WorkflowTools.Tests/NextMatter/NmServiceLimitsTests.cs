namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>Connection defaults that follow Next Matter's documented limits (60 s per request on the server).</summary>
    public class NmServiceLimitsTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public NmServiceLimitsTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        [Fact]
        public void The_attempt_timeout_defaults_above_the_servers_60_second_limit()
        {
            using var s = new PsSession();
            s.Set("k", PsSession.Secure(_f.Sandbox.NextMatterApiKey));
            var nm = s.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $k -PassThru").Single();
            Assert.True(nm.P<TimeSpan>("AttemptTimeout") > TimeSpan.FromSeconds(60), nm.P<TimeSpan>("AttemptTimeout").ToString());
            Assert.True(nm.P<TimeSpan>("Timeout") >= nm.P<TimeSpan>("AttemptTimeout") * 2);

            // What the user passes still wins, and ProcessMaker keeps its own defaults.
            nm = s.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $k -AttemptTimeout 20 -Timeout 50 -PassThru").Single();
            Assert.Equal(TimeSpan.FromSeconds(20), nm.P<TimeSpan>("AttemptTimeout"));
            Assert.Equal(TimeSpan.FromSeconds(50), nm.P<TimeSpan>("Timeout"));
            s.Set("t", PsSession.Secure(_f.Sandbox.ProcessMakerToken));
            var pm = s.Run($"Connect-PmServer -BaseUri '{_f.Sandbox.ProcessMakerInstanceUri}' -AccessToken $t -PassThru").Single();
            Assert.Equal(TimeSpan.FromSeconds(30), pm.P<TimeSpan>("AttemptTimeout"));
        }
    }
}
