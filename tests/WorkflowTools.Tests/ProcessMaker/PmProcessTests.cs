using System.Text.Json;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>Get-PmProcess and the Get-PmProcess | Start-PmRequest pipeline.</summary>
    public class PmProcessTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public PmProcessTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        [Fact]
        public void Lists_active_processes_with_their_startable_events()
        {
            var mark = _f.Mark();
            var result = S.Run("Get-PmProcess");
            result.ThrowIfFailed();
            Assert.Equal(new[] { "Nightly sync", "Onboarding", "Purchase request" }, result.Output.Select(o => o.P<string>("Name")));
            Assert.All(result.Output, o => Assert.Equal("WorkflowTools.ProcessMaker.PmProcess", o.TypeName()));
            Assert.All(result.Output, o => Assert.Equal("Active", o.P<string>("Status")));
            var purchase = result.Output.Single(o => o.P<string>("Name") == "Purchase request");
            Assert.Equal("node_1 (Web order);node_5 (Phone order)", purchase.P("StartEvents")!.ToString());
            Assert.Equal(2, purchase.P<long>("ProcessId"));
            Assert.Equal(string.Empty, result.Output.Single(o => o.P<string>("Name") == "Nightly sync").P("StartEvents")!.ToString());
            var get = Assert.Single(_f.RequestsSince(mark));
            Assert.EndsWith("/processmaker/api/1.0/processes", get.Path);
        }

        [Fact]
        public void Name_matches_the_whole_name_or_a_wildcard_and_is_sent_as_the_server_filter()
        {
            var mark = _f.Mark();
            var exact = S.Run("Get-PmProcess -Name 'onboarding'").Single();
            Assert.Equal(1, exact.P<long>("Id"));
            Assert.Equal("?filter=onboarding", Assert.Single(_f.RequestsSince(mark)).Query);

            Assert.Empty(S.Run("Get-PmProcess -Name 'Onboard'").ThrowIfFailed().Output);
            var wildcard = S.Run("Get-PmProcess -Name '*request'").Single();
            Assert.Equal(2, wildcard.P<long>("Id"));
        }

        [Fact]
        public void Startable_lists_only_what_the_user_may_start()
        {
            var mark = _f.Mark();
            var result = S.Run("Get-PmProcess -Startable");
            Assert.Equal(new long[] { 1, 2 }, result.ThrowIfFailed().Output.Select(o => o.P<long>("Id")).OrderBy(i => i));
            Assert.EndsWith("/processmaker/api/1.0/start_processes", Assert.Single(_f.RequestsSince(mark)).Path);

            using var user = new PsSession();
            user.Set("t", PsSession.Secure(ProcessMakerStore.UserToken));
            user.Run($"Connect-PmServer '{_f.Sandbox.ProcessMakerInstanceUri}' $t").ThrowIfFailed();
            Assert.Equal(2, user.Run("Get-PmProcess -Startable").ThrowIfFailed().Output.Count);
            Assert.Equal("Purchase request", user.Run("Get-PmProcess -Id 2").Single().P<string>("Name"));
            Assert.StartsWith("WorkflowTools.Forbidden,", Assert.Single(user.Run("Get-PmProcess -Id 3").Errors).FullyQualifiedErrorId);
            var refused = Assert.Single(user.Run("Get-PmProcess").Errors);
            Assert.StartsWith("WorkflowTools.Forbidden,", refused.FullyQualifiedErrorId);
            Assert.Contains("-Startable", refused.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void Archived_lists_archived_processes()
        {
            var mark = _f.Mark();
            var archived = S.Run("Get-PmProcess -Archived").Single();
            Assert.Equal("Archived process", archived.P<string>("Name"));
            Assert.Equal("Archived", archived.P<string>("Status"));
            Assert.Equal("?status=archived", Assert.Single(_f.RequestsSince(mark)).Query);
            Assert.StartsWith("WorkflowTools.InvalidArgument,", Assert.Single(S.Run("Get-PmProcess -Archived -Startable").AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void By_id_from_parameter_or_pipeline_and_a_missing_id_is_a_not_found_record()
        {
            var mark = _f.Mark();
            var result = S.Run("2, 9999, 1 | Get-PmProcess");
            Assert.Equal(new long[] { 2, 1 }, result.Output.Select(o => o.P<long>("Id")));
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(9999L, error.TargetObject);
            Assert.All(_f.RequestsSince(mark), r => Assert.Equal("?include=events", r.Query));
            Assert.Equal("node_1 (Start)", S.Run("Get-PmProcess -Id 1").Single().P("StartEvents")!.ToString());
        }

        [Fact]
        public void Paging_reads_page_by_page_and_honours_First_Skip_and_IncludeTotalCount()
        {
            var mark = _f.Mark();
            var all = S.Run("Get-PmProcess -PageSize 1");
            Assert.Equal(3, all.ThrowIfFailed().Output.Count);
            Assert.Equal(new[] { "?per_page=1", "?per_page=1&page=2", "?per_page=1&page=3" }, _f.RequestsSince(mark).Select(r => r.Query));

            mark = _f.Mark();
            var some = S.Run("Get-PmProcess -PageSize 1 -Skip 1 -First 1 -IncludeTotalCount");
            _f.Settle();
            some.ThrowIfFailed();
            Assert.Equal("Onboarding", some.Output.Single(o => o.TypeName() == "WorkflowTools.ProcessMaker.PmProcess").P<string>("Name"));
            Assert.Contains(some.Output, o => o.TypeName() != "WorkflowTools.ProcessMaker.PmProcess" && Convert.ToInt64(o.BaseObject) == 3);
            Assert.True(_f.RequestsSince(mark).Count <= 3);
        }

        [Fact]
        public void Get_PmProcess_pipes_into_Start_PmRequest()
        {
            var mark = _f.Mark();
            var request = S.Run("Get-PmProcess -Name 'Onboarding' | Start-PmRequest -Data @{ employee = 'Ada'; team = 'HR' }").Single();
            Assert.Equal("WorkflowTools.ProcessMaker.PmRequest", request.TypeName());
            Assert.Equal(1, request.P<long>("ProcessId"));
            Assert.Equal("Active", request.P<string>("Status"));
            var post = Assert.Single(_f.RequestsSince(mark), r => r.Method == "POST");
            Assert.EndsWith("/process_events/1", post.Path);
            Assert.Equal("?event=node_1", post.Query);
            var body = JsonDocument.Parse(post.Body).RootElement;
            Assert.Equal("Ada", body.GetProperty("employee").GetString());
            Assert.Equal("HR", body.GetProperty("team").GetString());

            var startable = S.Run("Get-PmProcess -Startable | Where-Object Id -eq 2 | Start-PmRequest -StartEvent node_5 -WhatIf");
            startable.ThrowIfFailed();
            Assert.Empty(startable.Output);
        }

        [Fact]
        public void An_ordinary_user_can_start_a_process_without_naming_the_start_event()
        {
            using var user = new PsSession();
            user.Set("t", PsSession.Secure(ProcessMakerStore.UserToken));
            user.Run($"Connect-PmServer '{_f.Sandbox.ProcessMakerInstanceUri}' $t").ThrowIfFailed();
            var mark = _f.Mark();
            var request = user.Run("Start-PmRequest -ProcessId 1").Single();
            Assert.Equal(ProcessMakerStore.OrdinaryUserId, request.P<long>("UserId"));
            var wire = _f.RequestsSince(mark);
            Assert.Contains(wire, r => r.Path.EndsWith("/start_processes"));
            Assert.Equal("?event=node_1", wire.Single(r => r.Method == "POST").Query);
        }
    }
}
