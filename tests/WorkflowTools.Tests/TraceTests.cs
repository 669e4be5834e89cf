using System.Text.RegularExpressions;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests
{
    /// <summary>-Verbose shows every HTTP call with its outcome and timing; -Debug shows more, never a secret.</summary>
    public class TraceTests : IClassFixture<SandboxFixture>
    {
        private static readonly Regex CallLine = new Regex(@"^(GET|POST|PUT|PATCH|DELETE) (/\S*) → (\d{3}) \((\d+) ms\)$");
        private readonly SandboxFixture _f;

        public TraceTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        private static List<Match> Calls(PsResult result) => result.Verbose.Select(v => CallLine.Match(v)).Where(m => m.Success).ToList();

        [Fact]
        public void Verbose_shows_one_line_per_http_call_with_method_path_status_and_time()
        {
            var mark = _f.Mark();
            var result = S.Run("Get-NmInstance -ProcessId 1 -PageSize 10 -First 25 -Verbose").ThrowIfFailed();
            var requests = _f.RequestsSince(mark);
            var calls = Calls(result);
            Assert.Equal(3, requests.Count);
            Assert.Equal(requests.Count, calls.Count);
            for (var i = 0; i < calls.Count; i++)
            {
                Assert.Equal("GET", calls[i].Groups[1].Value);
                Assert.Equal(requests[i].Path + requests[i].Query, calls[i].Groups[2].Value);
                Assert.Equal("200", calls[i].Groups[3].Value);
            }

            Assert.StartsWith("/nextmatter/api/processes/1/instances/?", calls[0].Groups[2].Value);
            Assert.Contains("page_size=10", calls[0].Groups[2].Value);
        }

        [Fact]
        public void Verbose_shows_writes_and_failures_too()
        {
            var created = S.Run("New-NmInstance -ProcessId 1 -Verbose").ThrowIfFailed();
            var post = Assert.Single(Calls(created));
            Assert.Equal("POST", post.Groups[1].Value);
            Assert.Equal("/nextmatter/api/instances/", post.Groups[2].Value);
            Assert.Equal("201", post.Groups[3].Value);

            var started = S.Run("Start-PmRequest -ProcessId 1 -StartEvent node_1 -Verbose").ThrowIfFailed();
            var start = Assert.Single(Calls(started));
            Assert.Equal("/processmaker/api/1.0/process_events/1?event=node_1", start.Groups[2].Value);
            Assert.Equal("201", start.Groups[3].Value);

            var missing = S.Run("Get-NmInstance -Id 999999 -Verbose");
            Assert.Single(missing.Errors);
            var notFound = Assert.Single(Calls(missing));
            Assert.Equal("/nextmatter/api/instances/999999/", notFound.Groups[2].Value);
            Assert.Equal("404", notFound.Groups[3].Value);
        }

        [Fact]
        public void Verbose_says_when_a_call_is_retried()
        {
            _f.Sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/1001/", Kind = FaultKind.Status, StatusCode = 429, RetryAfter = "0", Times = 1 });
            var result = S.Run("Get-NmInstance -Id 1001 -Verbose").ThrowIfFailed();
            Assert.Equal(new[] { "429", "200" }, Calls(result).Select(c => c.Groups[3].Value));
            Assert.Contains(result.Verbose, v => v.Contains("/instances/1001/") && v.Contains("attempt 2 of"));
        }

        [Fact]
        public void Debug_shows_the_request_with_the_authorization_header_redacted()
        {
            var nm = S.Run("New-NmInstance -ProcessId 1 -Name 'Traced' -Debug").ThrowIfFailed();
            var request = Assert.Single(nm.Debug, d => d.StartsWith("Request POST "));
            Assert.Contains("Authorization: Api-Key [redacted]", request);
            Assert.Contains("\"name\":\"Traced\"", request);
            Assert.Contains(nm.Debug, d => d.StartsWith("Response 201"));

            var pm = S.Run("Start-PmRequest -ProcessId 1 -Debug -Verbose").ThrowIfFailed();
            Assert.Contains(pm.Debug, d => d.Contains("Authorization: Bearer [redacted]"));

            foreach (var text in new[] { nm.AllText(), pm.AllText() })
            {
                Assert.DoesNotContain(_f.Sandbox.NextMatterApiKey, text);
                Assert.DoesNotContain(_f.Sandbox.ProcessMakerToken, text);
            }
        }

        [Fact]
        public void Without_Verbose_nothing_is_traced()
        {
            var result = S.Run("Get-NmInstance -ProcessId 1 -First 1").ThrowIfFailed();
            Assert.Empty(result.Verbose);
            Assert.Empty(result.Debug);
        }
    }
}
