namespace WorkflowTools.Tests
{
    /// <summary>Connect-* -Proxy [-ProxyCredential]: every request goes through the given proxy, which may ask for credentials.</summary>
    public class ProxyTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public ProxyTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        [Fact]
        public void Requests_go_through_the_proxy_given_to_Connect()
        {
            using var proxy = new LoopbackProxy();
            using var s = new PsSession();
            s.ConnectTo(_f.Sandbox, $"-Proxy '{proxy.Uri}'");
            var mark = _f.Mark();
            var instance = s.Run("New-NmInstance -ProcessId 1 -Name 'Via proxy'").Single();
            var request = s.Run("Start-PmRequest -ProcessId 1 -StartEvent node_1").Single();

            Assert.Equal("Via proxy", instance.P<string>("Name"));
            Assert.True(request.P<long>("Id") > 0);
            Assert.Contains(proxy.RequestLines, l => l == $"POST {_f.Sandbox.NextMatterBaseUri}instances/ HTTP/1.1");
            Assert.Contains(proxy.RequestLines, l => l.StartsWith($"POST {_f.Sandbox.ProcessMakerInstanceUri}api/1.0/process_events/1?event=node_1 "));
            Assert.Equal(2, _f.RequestsSince(mark).Count);
            Assert.Equal(proxy.Uri, s.Run("Get-NmConnection").Single().P<Uri>("Proxy"));
        }

        [Fact]
        public void Proxy_credentials_answer_the_proxys_challenge_and_never_show()
        {
            using var proxy = new LoopbackProxy("proxyuser", "proxy-Secret-42");
            using var s = new PsSession();
            s.Set("pc", new System.Management.Automation.PSCredential("proxyuser", PsSession.Secure("proxy-Secret-42")));
            s.ConnectTo(_f.Sandbox, $"-Proxy '{proxy.Uri}' -ProxyCredential $pc");
            var result = s.Run("Get-NmInstance -Id 1001 -Verbose -Debug; Get-NmConnection | Format-List * | Out-String");
            result.ThrowIfFailed();
            Assert.Equal(1001, result.Output[0].P<long>("Id"));
            Assert.True(proxy.Challenges >= 1, "the proxy asked for credentials");
            Assert.Contains(proxy.RequestLines, l => l.StartsWith($"GET {_f.Sandbox.NextMatterBaseUri}instances/1001/"));
            Assert.DoesNotContain("proxy-Secret-42", result.AllText());

            using var without = new PsSession();
            without.ConnectTo(_f.Sandbox, $"-Proxy '{proxy.Uri}' -MaxRetries 0");
            var refused = without.Run("Get-NmInstance -Id 1001");
            var error = Assert.Single(refused.AllErrors);
            Assert.Contains("407", error.Exception.Message);
        }
    }
}
