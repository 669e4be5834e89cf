using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>Invoke-NmApi: the escape hatch, with the connection's auth, paging, retries and errors.</summary>
    public class InvokeNmApiTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public InvokeNmApiTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        private static Dictionary<string, string> QueryOf(RecordedRequest r) =>
            QueryHelpers.ParseQuery(r.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

        [Fact]
        public void A_GET_writes_the_answer_as_an_object_with_a_property_per_field()
        {
            var mark = _f.Mark();
            var instance = S.Run("Invoke-NmApi -Path 'instances/1002/' -Query @{ inject_values = $true }").Single();
            var request = Assert.Single(_f.RequestsSince(mark));
            Assert.Equal("GET", request.Method);
            Assert.Equal("/nextmatter/api/instances/1002/", request.Path);
            Assert.Equal("?inject_values=true", request.Query);
            Assert.Equal("Api-Key " + _f.Sandbox.NextMatterApiKey, request.Headers["Authorization"]);

            Assert.IsType<PSCustomObject>(instance.BaseObject);
            Assert.Equal(1002L, instance.P("id"));
            Assert.Equal("Onboarding Grace Hopper", instance.P("name"));
            Assert.Equal("engineering;remote", instance.P("tags")!.ToString());
            Assert.Equal("Employee onboarding", S.Run("(Invoke-NmApi instances/1002/).process_snapshot.name").Single().BaseObject);
            Assert.Equal("remote", S.Run("(Invoke-NmApi instances/1002/).tags[1]").Single().BaseObject);
        }

        [Fact]
        public void All_follows_the_pages_and_writes_the_rows()
        {
            var mark = _f.Mark();
            var rows = S.Run("Invoke-NmApi processes/1/instances/ -Query @{ page_size = 10; ordering = '-name' } -All").ThrowIfFailed().Output;
            Assert.Equal(25, rows.Count);
            Assert.Equal(rows.Select(r => (string)r.P("name")!).OrderByDescending(n => n, StringComparer.Ordinal), rows.Select(r => (string)r.P("name")!));
            var requests = _f.RequestsSince(mark);
            Assert.Equal(3, requests.Count);
            Assert.All(requests, r => Assert.Equal("10", QueryOf(r)["page_size"]));

            var page = S.Run("Invoke-NmApi processes/1/instances/ -Query @{ page_size = 10 }").Single();
            Assert.Equal(25L, page.P("count"));
            Assert.Equal(10, S.Run("(Invoke-NmApi processes/1/instances/ -Query @{ page_size = 10 }).results.Count").Single().BaseObject);
            Assert.Equal(1001L, S.Run("(Invoke-NmApi processes/1/instances/ -Query @{ page_size = 10 }).results[0].id").Single().BaseObject);

            mark = _f.Mark();
            Assert.Equal(3, S.Run("Invoke-NmApi processes/1/instances/ -Query @{ page_size = 2 } -All | Select-Object -First 3").ThrowIfFailed().Output.Count);
            Assert.Equal(2, _f.RequestsSince(mark).Count);
        }

        [Fact]
        public void Query_values_are_sent_in_the_forms_next_matter_reads()
        {
            var mark = _f.Mark();
            S.Run("Invoke-NmApi processes/1/instances/ -Query @{ tags = 'research', 'finance'; started_time_after = [datetime]::new(2025, 12, 1, 0, 0, 0, [DateTimeKind]::Utc); total_runtime_max = [TimeSpan]::FromMinutes(90) }").ThrowIfFailed();
            var query = QueryOf(Assert.Single(_f.RequestsSince(mark)));
            Assert.Equal("research,finance", query["tags"]);
            Assert.Equal("2025-12-01T00:00:00.000Z", query["started_time_after"]);
            Assert.Equal("01:30:00", query["total_runtime_max"]);
        }

        [Fact]
        public void A_POST_sends_the_body_as_JSON_and_WhatIf_sends_nothing()
        {
            var id = S.Run("New-NmInstance -ProcessId 2").Single().P<long>("Id");
            var mark = _f.Mark();
            S.Run($"Invoke-NmApi instances/bulk/abort -Method Post -Body @{{ ids = @({id}) }} -WhatIf").ThrowIfFailed();
            Assert.Empty(_f.RequestsSince(mark));

            var answer = S.Run($"Invoke-NmApi instances/bulk/abort -Method Post -Body @{{ ids = @({id}) }}").Single();
            var post = Assert.Single(_f.RequestsSince(mark));
            Assert.Equal("POST", post.Method);
            Assert.Equal($"{{\"ids\":[{id}]}}", post.Body);
            Assert.Equal(id.ToString(), answer.P("ids")!.ToString());
            Assert.Equal("aborted", _f.Sandbox.NextMatter.FindInstance(id)!.Status);

            mark = _f.Mark();
            var renamed = S.Run($"Invoke-NmApi -Method PATCH -Path instances/{id}/ -Body '{{\"name\": \"Raw JSON\"}}'").Single();
            Assert.Equal("{\"name\": \"Raw JSON\"}", Assert.Single(_f.RequestsSince(mark)).Body);
            Assert.Equal("Raw JSON", renamed.P("name"));

            mark = _f.Mark();
            var deleted = S.Run($"Invoke-NmApi instances/bulk/delete -Method POST -Body @{{ ids = @({id}) }}");
            deleted.ThrowIfFailed();
            Assert.Empty(deleted.Output);
            Assert.Equal(204, Assert.Single(_f.RequestsSince(mark)).StatusCode);
        }

        [Theory]
        [InlineData("Invoke-NmApi -Path 'https://evil.example.com/api/instances/'")]
        [InlineData("Invoke-NmApi -Path 'http://127.0.0.1:1/nextmatter/api/instances/1001/'")]
        [InlineData("Invoke-NmApi -Path 'instances/1/' -Method POST -Body 'not json'")]
        [InlineData("Invoke-NmApi -Path 'instances/1/' -Query @{ x = @{ nested = 1 } }")]
        public void A_path_outside_the_base_URL_or_an_unsendable_value_fails_before_any_request(string script)
        {
            var mark = _f.Mark();
            var error = Assert.Single(S.Run(script).AllErrors);
            Assert.StartsWith("WorkflowTools.InvalidArgument,", error.FullyQualifiedErrorId);
            Assert.Empty(_f.RequestsSince(mark));
        }

        [Fact]
        public void An_absolute_URL_under_the_base_URL_is_followed()
        {
            var url = new Uri(_f.Sandbox.NextMatterBaseUri, "instances/1001/").AbsoluteUri;
            Assert.Equal(1001L, S.Run($"Invoke-NmApi '{url}'").Single().P("id"));
        }

        [Theory]
        [InlineData("Invoke-NmApi processes/1/instances/ -Method POST -All", "InvalidArgument")]
        [InlineData("Invoke-NmApi instances/1001/ -Body @{ a = 1 }", "InvalidArgument")]
        public void Contradictory_parameters_are_refused(string script, string kind)
        {
            var mark = _f.Mark();
            var error = Assert.Single(S.Run(script).AllErrors);
            Assert.StartsWith($"WorkflowTools.{kind},", error.FullyQualifiedErrorId);
            Assert.Empty(_f.RequestsSince(mark));
        }

        [Fact]
        public void API_errors_are_error_records_with_the_path_as_target()
        {
            var error = Assert.Single(S.Run("Invoke-NmApi instances/999999/").Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal("instances/999999/", error.TargetObject);

            var invalid = Assert.Single(S.Run("Invoke-NmApi processes/1/instances/ -Query @{ status = 'sleeping' }").Errors);
            Assert.StartsWith("WorkflowTools.Validation,", invalid.FullyQualifiedErrorId);
            Assert.Contains("status", invalid.Exception.Message);
        }

        [Fact]
        public void A_GET_is_retried_after_a_transient_failure_and_a_POST_is_never_sent_twice()
        {
            _f.Sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/1005/", Kind = FaultKind.Status, StatusCode = 503, RetryAfter = "0", Times = 1 });
            var mark = _f.Mark();
            Assert.Equal(1005L, S.Run("Invoke-NmApi instances/1005/").Single().P("id"));
            Assert.Equal(new[] { 503, 200 }, _f.RequestsSince(mark).Select(r => r.StatusCode));

            _f.Sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/bulk/delete", Kind = FaultKind.Status, StatusCode = 503, RetryAfter = "0", Times = 1 });
            mark = _f.Mark();
            var error = Assert.Single(S.Run("Invoke-NmApi instances/bulk/delete -Method POST -Body @{ ids = @(1005) }").Errors);
            Assert.StartsWith("WorkflowTools.OutcomeUnknown,", error.FullyQualifiedErrorId);
            Assert.Single(_f.RequestsSince(mark));
            Assert.NotNull(_f.Sandbox.NextMatter.FindInstance(1005));
        }
    }
}
