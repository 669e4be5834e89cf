using System.Management.Automation;
using System.Text.Json;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>Invoke-PmApi, the escape hatch, and how API errors become error records.</summary>
    public class PmApiTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public PmApiTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        [Fact]
        public void Get_returns_objects_with_the_connections_auth()
        {
            var mark = _f.Mark();
            var user = S.Run("Invoke-PmApi -Path 'users/2'").Single();
            Assert.Equal("jdoe", user.P<string>("username"));
            Assert.Equal(2, user.P<long>("id"));
            Assert.Equal(new[] { "id", "username", "firstname" }, user.Properties.Select(p => p.Name).Take(3));
            var get = Assert.Single(_f.RequestsSince(mark));
            Assert.Equal("/processmaker/api/1.0/users/2", get.Path);
            Assert.Equal("Bearer " + _f.Sandbox.ProcessMakerToken, get.Headers["Authorization"]);
            Assert.Equal("jdoe", S.Run("Invoke-PmApi -Path '/api/1.0/users/2'").Single().P<string>("username"));
        }

        [Fact]
        public void Query_is_encoded_and_All_follows_the_laravel_pages()
        {
            var mark = _f.Mark();
            var page = S.Run("Invoke-PmApi requests -Query @{ per_page = 2; pmql = 'process_id = 1' }").Single();
            Assert.Equal(2, ((object[])page.P("data")!).Length);
            Assert.Contains("pmql=process_id%20%3D%201", Assert.Single(_f.RequestsSince(mark)).Query);

            var expected = _f.Sandbox.ProcessMaker.Requests.Count(r => r.ProcessId == 1);
            mark = _f.Mark();
            var all = S.Run("Invoke-PmApi -Path 'requests?per_page=2' -Query @{ pmql = 'process_id = 1' } -All").ThrowIfFailed().Output;
            Assert.Equal(expected, all.Count);
            Assert.All(all, o => Assert.Equal(1, o.P<long>("process_id")));
            Assert.Equal((expected + 1) / 2, _f.RequestsSince(mark).Count);

            Assert.Equal(3, S.Run("Invoke-PmApi requests -Query @{ per_page = 2 } -All -First 3").ThrowIfFailed().Output.Count);
            _f.Settle();
            Assert.StartsWith("WorkflowTools.InvalidArgument,", Assert.Single(S.Run("Invoke-PmApi requests -Method POST -All").AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void Post_sends_the_body_as_json_and_WhatIf_sends_nothing()
        {
            var mark = _f.Mark();
            S.Run("Invoke-PmApi -Method POST -Path 'process_events/1?event=node_1' -Body @{ employee = 'Bob' } -WhatIf").ThrowIfFailed();
            Assert.Empty(_f.RequestsSince(mark));

            var created = S.Run("Invoke-PmApi -Method POST -Path 'process_events/1?event=node_1' -Body @{ employee = 'Bob'; start = [datetime]'2026-03-01T00:00:00Z' }").Single();
            Assert.Equal("ACTIVE", created.P<string>("status"));
            var post = Assert.Single(_f.RequestsSince(mark));
            var body = JsonDocument.Parse(post.Body).RootElement;
            Assert.Equal("Bob", body.GetProperty("employee").GetString());
            Assert.Equal("2026-03-01T00:00:00.000Z", body.GetProperty("start").GetString());

            mark = _f.Mark();
            var text = S.Run("'{\"employee\":\"Eve\"}' | Invoke-PmApi -Method POST -Path 'process_events/1?event=node_1'").Single();
            Assert.Equal("{\"employee\":\"Eve\"}", Assert.Single(_f.RequestsSince(mark)).Body);
            Assert.Equal(1, text.P<long>("process_id"));
            Assert.StartsWith("WorkflowTools.InvalidData,", Assert.Single(S.Run("Invoke-PmApi -Method POST -Path x -Body '{not json'").Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void A_204_writes_nothing()
        {
            var id = _f.Sandbox.ProcessMaker.AddRequest(1).Id;
            var result = S.Run($"Invoke-PmApi -Method PUT -Path 'requests/{id}' -Body @{{ status = 'CANCELED' }}");
            result.ThrowIfFailed();
            Assert.Empty(result.Output);
            Assert.Equal("CANCELED", _f.Sandbox.ProcessMaker.FindRequest(id)!.Status);
        }

        [Fact]
        public void A_validation_error_names_each_invalid_field_and_its_message()
        {
            var task = _f.Sandbox.ProcessMaker.Tasks.First(t => t.Status == "ACTIVE");
            var result = S.Run($"Invoke-PmApi -Method PUT -Path 'tasks/{task.Id}' -Body @{{ user_id = 424242 }}");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.Validation,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("user_id: The selected user id is invalid.", error.Exception.Message);
            Assert.Contains("user_id: The selected user id is invalid.", error.ErrorDetails.Message);
            Assert.Contains("invalid field", error.ErrorDetails.Message);
            Assert.Equal($"tasks/{task.Id}", error.TargetObject);
        }

        [Fact]
        public void Errors_are_records_with_stable_ids_and_retries_are_for_reads_only()
        {
            Assert.StartsWith("WorkflowTools.NotFound,", Assert.Single(S.Run("Invoke-PmApi -Path 'no_such_thing'").Errors).FullyQualifiedErrorId);
            Assert.StartsWith("WorkflowTools.InvalidPath,", Assert.Single(S.Run("Invoke-PmApi -Path 'https://elsewhere.example.com/api/1.0/users'").Errors).FullyQualifiedErrorId);

            _f.Sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/users/1", Kind = FaultKind.Status, StatusCode = 503, RetryAfter = "0", Times = 1 });
            var mark = _f.Mark();
            Assert.Equal("admin", S.Run("Invoke-PmApi users/1").Single().P<string>("username"));
            Assert.Equal(new[] { 503, 200 }, _f.RequestsSince(mark).Select(r => r.StatusCode));

            _f.Sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/process_events/", Kind = FaultKind.AppliedThenStatus, StatusCode = 503, RetryAfter = "0", Times = 1 });
            mark = _f.Mark();
            var post = S.Run("Invoke-PmApi -Method POST -Path 'process_events/1?event=node_1' -Body @{}");
            Assert.StartsWith("WorkflowTools.OutcomeUnknown,", Assert.Single(post.Errors).FullyQualifiedErrorId);
            Assert.Single(_f.RequestsSince(mark));
        }
    }
}
