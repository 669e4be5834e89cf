using System.Management.Automation;

namespace WorkflowTools.Tests
{
    /// <summary>What Tab offers, through TabExpansion2 in the engine, as a console user would get it.</summary>
    internal static class Tab
    {
        public static List<CompletionResult> Complete(this PsSession session, string line)
        {
            session.Set("__line", line);
            var result = session.Run("(TabExpansion2 -inputScript $__line -cursorColumn $__line.Length).CompletionMatches").ThrowIfFailed();
            return result.Output.Select(o => (CompletionResult)o.BaseObject).ToList();
        }
    }

    public class ProcessMakerCompletionTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public ProcessMakerCompletionTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        [Fact]
        public void ProcessId_offers_the_processes_the_user_may_start_with_their_names()
        {
            var matches = S.Complete("Start-PmRequest -ProcessId ");
            // Seed: 1 Onboarding, 2 Purchase request; 3 starts by timer only and 4 is archived, so neither can be started.
            Assert.Equal(new[] { "1", "2" }, matches.Select(m => m.CompletionText));
            Assert.Equal(new[] { "1 Onboarding", "2 Purchase request" }, matches.Select(m => m.ListItemText));
            Assert.All(matches, m => Assert.Equal(CompletionResultType.ParameterValue, m.ResultType));
        }

        [Fact]
        public void ProcessId_completion_asks_the_server_once_per_connection_for_a_while()
        {
            S.ConnectTo(_f.Sandbox); // a fresh connection: its cache is empty
            var mark = _f.Mark();
            S.Complete("Start-PmRequest -ProcessId ");
            S.Complete("Start-PmRequest -ProcessId 2");
            S.Complete("Start-PmRequest -ProcessId 2 -StartEvent ");
            var requests = _f.RequestsSince(mark);
            var only = Assert.Single(requests);
            Assert.Contains("/start_processes", only.Path);
            Assert.Equal("GET", only.Method);
        }

        [Fact]
        public void The_typed_word_filters_by_id_prefix_and_by_name()
        {
            Assert.Equal(new[] { "2" }, S.Complete("Start-PmRequest -ProcessId 2").Select(m => m.CompletionText));
            Assert.Equal(new[] { "2" }, S.Complete("Start-PmRequest -ProcessId purch").Select(m => m.CompletionText));
            Assert.Empty(S.Complete("Start-PmRequest -ProcessId 9"));
        }

        [Fact]
        public void StartEvent_offers_the_chosen_processes_startable_events()
        {
            var two = S.Complete("Start-PmRequest -ProcessId 2 -StartEvent ");
            Assert.Equal(new[] { "node_1", "node_5" }, two.Select(m => m.CompletionText));
            Assert.Equal(new[] { "node_1 Web order", "node_5 Phone order" }, two.Select(m => m.ListItemText));

            var positional = S.Complete("Start-PmRequest 1 ");
            Assert.Equal(new[] { "node_1" }, positional.Select(m => m.CompletionText));

            Assert.Equal(new[] { "node_5" }, S.Complete("Start-PmRequest -ProcessId 2 -StartEvent phone").Select(m => m.CompletionText));
        }

        [Fact]
        public void Completion_uses_the_connection_on_the_command_line()
        {
            using var other = new PsSession();
            other.Set("__pmToken", PsSession.Secure(_f.Sandbox.ProcessMakerToken));
            other.Run($"$c = Connect-PmServer -BaseUri '{_f.Sandbox.ProcessMakerInstanceUri}' -AccessToken $__pmToken -PassThru; Disconnect-PmServer").ThrowIfFailed();
            Assert.Empty(other.Complete("Start-PmRequest -ProcessId "));
            Assert.Equal(new[] { "1", "2" }, other.Complete("Start-PmRequest -Connection $c -ProcessId ").Select(m => m.CompletionText));
        }

        [Fact]
        public void Without_a_connection_Tab_offers_nothing_and_writes_no_error()
        {
            using var bare = new PsSession();
            bare.Set("__line", "Start-PmRequest -ProcessId ");
            var result = bare.Run("(TabExpansion2 -inputScript $__line -cursorColumn $__line.Length).CompletionMatches");
            Assert.Empty(result.Output);
            Assert.Empty(result.AllErrors);
        }
    }

    public class NextMatterCompletionTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public NextMatterCompletionTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        [Fact]
        public void ProcessId_offers_the_workflows_met_in_this_session_with_their_names()
        {
            // Next Matter cannot list workflows: nothing is offered until the session met one.
            Assert.Empty(S.Complete("New-NmInstance -ProcessId "));

            S.Run("Get-NmInstance -ProcessId 1 -First 1").ThrowIfFailed();
            var mark = _f.Mark();
            var matches = S.Complete("New-NmInstance -ProcessId ");
            Assert.Equal(new[] { "1" }, matches.Select(m => m.CompletionText));
            Assert.Equal("1 Employee onboarding", matches[0].ListItemText);
            var lookup = Assert.Single(_f.RequestsSince(mark));
            Assert.EndsWith("/processes/1/", lookup.Path);

            S.Run("New-NmInstance -ProcessId 2").ThrowIfFailed();
            mark = _f.Mark();
            var both = S.Complete("Get-NmInstance -ProcessId ");
            Assert.Equal(new[] { "2", "1" }, both.Select(m => m.CompletionText)); // most recent first
            Assert.Equal("2 Vendor review", both[0].ListItemText);
            Assert.Equal("2", Assert.Single(S.Complete("Get-NmInstance -ProcessId vend")).CompletionText);
            // Only workflow 2's name was new; workflow 1's came from the connection's cache.
            var again = Assert.Single(_f.RequestsSince(mark));
            Assert.EndsWith("/processes/2/", again.Path);
        }

        [Fact]
        public void Enum_like_parameters_complete_their_values_without_asking_the_server()
        {
            var mark = _f.Mark();
            Assert.Equal(new[] { "Aborted", "Completed", "Running" }, S.Complete("Get-NmInstance -ProcessId 1 -Status ").Select(m => m.CompletionText).OrderBy(t => t));
            Assert.Equal(new[] { "Completed" }, S.Complete("Get-NmInstance -ProcessId 1 -Status c").Select(m => m.CompletionText));
            Assert.Contains("VeryHigh", S.Complete("New-NmInstance -ProcessId 1 -Priority ").Select(m => m.CompletionText));
            Assert.Empty(_f.RequestsSince(mark));
        }
    }
}
