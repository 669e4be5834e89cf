using System.Management.Automation;
using System.Text.Json;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>Get-PmTask and Complete-PmTask, alone and in the request → task → completion pipeline.</summary>
    public class PmTaskTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public PmTaskTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        private PsSession UserSession(string token)
        {
            var s = new PsSession();
            s.Set("t", PsSession.Secure(token));
            s.Run($"Connect-PmServer '{_f.Sandbox.ProcessMakerInstanceUri}' $t").ThrowIfFailed();
            return s;
        }

        [Fact]
        public void Get_PmRequest_pipes_into_Get_PmTask_and_Complete_PmTask()
        {
            // Request 5 of the seed waits at "Approve" (node_2); completing it opens "Order" (node_3).
            var mark = _f.Mark();
            var result = S.Run("Get-PmRequest -Id 5 | Get-PmTask -Status Active | Complete-PmTask -Data @{ approved = $true; comment = 'ok by script' }");
            var closed = result.Single();
            Assert.Equal("WorkflowTools.ProcessMaker.PmTask", closed.TypeName());
            Assert.Equal("Closed", closed.P<string>("Status"));
            Assert.Equal("Approve", closed.P<string>("Name"));
            Assert.Equal("node_2", closed.P<string>("ElementId"));
            Assert.Equal(5, closed.P<long>("RequestId"));
            Assert.Equal(DateTimeKind.Utc, closed.P<DateTime>("CompletedAt").Kind);

            var wire = _f.RequestsSince(mark);
            Assert.Equal(new[] { "GET", "GET", "PUT" }, wire.Select(r => r.Method));
            Assert.Contains("process_request_id=5", wire[1].Query);
            Assert.Contains("status=ACTIVE", wire[1].Query);
            var put = wire[2];
            Assert.EndsWith($"/tasks/{closed.P<long>("TaskId")}", put.Path);
            var body = JsonDocument.Parse(put.Body).RootElement;
            Assert.Equal("COMPLETED", body.GetProperty("status").GetString());
            Assert.True(body.GetProperty("data").GetProperty("approved").GetBoolean());
            Assert.Equal("ok by script", body.GetProperty("data").GetProperty("comment").GetString());
            Assert.Equal(200, put.StatusCode);

            var next = S.Run("Get-PmTask -RequestId 5 -Status Active").Single();
            Assert.Equal("node_3", next.P<string>("ElementId"));
            Assert.Equal("Order", next.P<string>("Name"));
            Assert.Equal(true, ((System.Collections.Hashtable)S.Run("Get-PmRequest -Id 5 -IncludeData").Single().P("Data")!)["approved"]);
        }

        [Fact]
        public void Completing_a_closed_task_is_a_clear_error_record()
        {
            var request = _f.Sandbox.ProcessMaker.AddRequest(1);
            var task = _f.Sandbox.ProcessMaker.Tasks.Single(t => t.Request.Id == request.Id);
            S.Run($"Complete-PmTask -TaskId {task.Id}").Single();
            var mark = _f.Mark();
            var again = S.Run($"Complete-PmTask -TaskId {task.Id} -Data @{{ x = 1 }}");
            var error = Assert.Single(again.Errors);
            Assert.StartsWith("WorkflowTools.TaskAlreadyClosed,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Contains("already closed", error.Exception.Message);
            Assert.Equal(task.Id, error.TargetObject);
            Assert.Equal(422, Assert.Single(_f.RequestsSince(mark)).StatusCode);
        }

        [Fact]
        public void Complete_PmTask_always_sends_data_and_WhatIf_sends_nothing()
        {
            var request = _f.Sandbox.ProcessMaker.AddRequest(1);
            var task = _f.Sandbox.ProcessMaker.Tasks.Single(t => t.Request.Id == request.Id);
            var mark = _f.Mark();
            Assert.Empty(S.Run($"{task.Id} | Complete-PmTask -WhatIf").ThrowIfFailed().Output);
            Assert.Empty(_f.RequestsSince(mark));

            var done = S.Run($"[pscustomobject]@{{ TaskId = {task.Id} }} | Complete-PmTask").Single();
            Assert.Equal("Closed", done.P<string>("Status"));
            var put = Assert.Single(_f.RequestsSince(mark));
            Assert.Equal("{\"status\":\"COMPLETED\",\"data\":{}}", put.Body);
            Assert.Equal("COMPLETED", _f.Sandbox.ProcessMaker.FindRequest(request.Id)!.Status);
        }

        [Fact]
        public void Complete_PmTask_refuses_data_that_cannot_be_json_before_sending()
        {
            var mark = _f.Mark();
            var result = S.Run("Complete-PmTask -TaskId 1 -Data @{ handle = [System.IO.MemoryStream]::new() }");
            Assert.StartsWith("WorkflowTools.InvalidData,", Assert.Single(result.Errors).FullyQualifiedErrorId);
            Assert.Empty(_f.RequestsSince(mark));
        }

        [Fact]
        public void Another_users_task_is_permission_denied()
        {
            var adminTask = _f.Sandbox.ProcessMaker.Tasks.First(t => t.UserId == ProcessMakerStore.AdminUserId && t.Status == "ACTIVE");
            using var user = UserSession(ProcessMakerStore.UserToken);
            var error = Assert.Single(user.Run($"Complete-PmTask -TaskId {adminTask.Id} -Data @{{}}").Errors);
            Assert.StartsWith("WorkflowTools.Forbidden,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Equal("ACTIVE", _f.Sandbox.ProcessMaker.FindTask(adminTask.Id)!.Status);
        }

        [Fact]
        public void Filters_Status_UserId_ProcessId_ElementId_Pmql_and_IncludeData_go_to_the_server()
        {
            var mark = _f.Mark();
            var closed = S.Run("Get-PmTask -Status Closed -ProcessId 2 -PageSize 100").ThrowIfFailed().Output;
            Assert.NotEmpty(closed);
            Assert.All(closed, t => Assert.Equal("Closed", t.P<string>("Status")));
            Assert.All(closed, t => Assert.Equal(2, t.P<long>("ProcessId")));
            Assert.Equal("?status=CLOSED&process_id=2&per_page=100", Assert.Single(_f.RequestsSince(mark)).Query);

            mark = _f.Mark();
            var jdoe = S.Run($"Get-PmTask -UserId {ProcessMakerStore.OrdinaryUserId} -ElementId node_2 -Pmql 'process_request_id = 3' -IncludeData").Single();
            Assert.Equal(3, jdoe.P<long>("RequestId"));
            Assert.Equal("Seed request 3", ((System.Collections.Hashtable)jdoe.P("Data")!)["requester_note"]);
            var q = Uri.UnescapeDataString(Assert.Single(_f.RequestsSince(mark)).Query);
            Assert.Equal("?user_id=2&element_id=node_2&pmql=process_request_id = 3&include=data", q); // PMQL's "request" is the request name

            var byId = S.Run($"Get-PmTask -Id {jdoe.P<long>("Id")}").Single();
            Assert.Equal("Fill in details", byId.P<string>("Name"));
            Assert.StartsWith("WorkflowTools.NotFound,", Assert.Single(S.Run("Get-PmTask -Id 999999").Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void Task_listings_page_and_sort()
        {
            var count = _f.Sandbox.ProcessMaker.Tasks.Count;
            var mark = _f.Mark();
            var ids = S.Run("Get-PmTask -PageSize 3 -SortBy Id -Descending").ThrowIfFailed().Output.Select(o => o.P<long>("Id")).ToList();
            Assert.Equal(_f.Sandbox.ProcessMaker.Tasks.Select(t => t.Id).OrderByDescending(i => i), ids);
            Assert.Equal((count + 2) / 3, _f.RequestsSince(mark).Count);
            Assert.Equal(2, S.Run("Get-PmTask -PageSize 3 -First 2").ThrowIfFailed().Output.Count);
            _f.Settle();
        }

        [Fact]
        public void AssignedToMe_uses_the_user_id_in_the_token()
        {
            // An OAuth2 session as jdoe: the token is a Passport JWT whose sub is 2.
            using var oauth = new PsSession();
            oauth.Set("cred", new PSCredential("jdoe", PsSession.Secure("jdoe")));
            oauth.Set("secret", PsSession.Secure(ProcessMakerStore.OAuthClientSecret));
            oauth.Run($"Connect-PmServer '{_f.Sandbox.ProcessMakerInstanceUri}' -Credential $cred -ClientId {ProcessMakerStore.OAuthClientId} -ClientSecret $secret").ThrowIfFailed();
            var mark = _f.Mark();
            var mine = oauth.Run("Get-PmTask -AssignedToMe -Status Active -Verbose");
            mine.ThrowIfFailed();
            Assert.NotEmpty(mine.Output);
            Assert.All(mine.Output, t => Assert.Equal(ProcessMakerStore.OrdinaryUserId, t.P<long>("UserId")));
            Assert.Contains("user_id=2", Assert.Single(_f.RequestsSince(mark)).Query);

            // A personal access token in Passport's JWT form works the same way; an administrator sees only their own.
            var jwt = ProcessMakerStore.PassportLikeJwt(ProcessMakerStore.AdminUserId, _f.Sandbox.Clock.Now, _f.Sandbox.Clock.Now.AddYears(1));
            _f.Sandbox.ProcessMaker.AddToken(jwt, ProcessMakerStore.AdminUserId);
            using var pat = UserSession(jwt);
            var adminTasks = pat.Run("Get-PmTask -AssignedToMe -PageSize 100").ThrowIfFailed().Output;
            Assert.Equal(_f.Sandbox.ProcessMaker.Tasks.Count(t => t.UserId == ProcessMakerStore.AdminUserId), adminTasks.Count);
        }

        [Fact]
        public void AssignedToMe_with_a_token_that_names_no_user_says_to_pass_UserId()
        {
            var mark = _f.Mark();
            var result = S.Run("Get-PmTask -AssignedToMe");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("WorkflowTools.UserUnknown,", error.FullyQualifiedErrorId);
            Assert.Contains("-UserId", error.Exception.Message);
            Assert.Empty(_f.RequestsSince(mark));
            Assert.StartsWith("WorkflowTools.InvalidArgument,", Assert.Single(S.Run("Get-PmTask -AssignedToMe -UserId 2").AllErrors).FullyQualifiedErrorId);
        }
    }
}
