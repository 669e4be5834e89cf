using System.Management.Automation;
using Microsoft.AspNetCore.WebUtilities;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>Get-NmInstance listings against the seed (process 1 has instances 1001–1025): filters, paging, early stop.</summary>
    public class NmInstanceListTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public NmInstanceListTests(SandboxFixture fixture)
        {
            _f = fixture;
            S.Run("$t1 = [datetime]::new(2025, 12, 1, 8, 30, 0, [DateTimeKind]::Utc); $t2 = [datetime]::new(2026, 1, 5, 10, 0, 0, [DateTimeKind]::Utc)").ThrowIfFailed();
        }

        private PsSession S => _f.Session;

        private static Dictionary<string, string> QueryOf(RecordedRequest r) =>
            QueryHelpers.ParseQuery(r.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

        private (PsResult Result, List<RecordedRequest> Requests) RunListing(string script)
        {
            var mark = _f.Mark();
            var result = S.Run(script);
            return (result, _f.RequestsSince(mark));
        }

        [Theory]
        [InlineData("-MinTotalRuntime '00:50'", "total_runtime_min", "00:00:50")]
        [InlineData("-MaxTotalRuntime 'PT2H'", "total_runtime_max", "02:00:00")]
        [InlineData("-Status Completed", "status", "completed")]
        [InlineData("-Status running", "status", "running")]
        [InlineData("-Status Aborted", "status", "aborted")]
        [InlineData("-Name 'Hopper'", "name", "Hopper")]
        [InlineData("-Tag research,finance", "tags", "research,finance")]
        [InlineData("-Priority High", "priority", "H")]
        [InlineData("-Priority VeryHigh", "priority", "V")]
        [InlineData("-ActiveStepId 42", "active_step_id", "42")]
        [InlineData("-MinProgress 33.5", "progress_min", "33.5")]
        [InlineData("-MaxProgress 50", "progress_max", "50")]
        [InlineData("-StartedAfter $t1", "started_time_after", "2025-12-01T08:30:00.000Z")]
        [InlineData("-StartedBefore $t2", "started_time_before", "2026-01-05T10:00:00.000Z")]
        [InlineData("-CompletedAfter $t1", "completed_time_after", "2025-12-01T08:30:00.000Z")]
        [InlineData("-CompletedBefore $t2", "completed_time_before", "2026-01-05T10:00:00.000Z")]
        [InlineData("-AbortedAfter $t1", "aborted_time_after", "2025-12-01T08:30:00.000Z")]
        [InlineData("-AbortedBefore $t2", "aborted_time_before", "2026-01-05T10:00:00.000Z")]
        [InlineData("-EndedAfter $t1", "ended_time_after", "2025-12-01T08:30:00.000Z")]
        [InlineData("-EndedBefore $t2", "ended_time_before", "2026-01-05T10:00:00.000Z")]
        [InlineData("-LastUpdatedAfter $t1", "last_updated_time_after", "2025-12-01T08:30:00.000Z")]
        [InlineData("-LastUpdatedBefore $t2", "last_updated_time_before", "2026-01-05T10:00:00.000Z")]
        [InlineData("-DeadlineAfter $t1", "deadline_after", "2025-12-01T08:30:00.000Z")]
        [InlineData("-DeadlineBefore $t2", "deadline_before", "2026-01-05T10:00:00.000Z")]
        [InlineData("-StepDeadlineAfter $t1", "step_deadline_after", "2025-12-01T08:30:00.000Z")]
        [InlineData("-StepDeadlineBefore $t2", "step_deadline_before", "2026-01-05T10:00:00.000Z")]
        [InlineData("-LeadUserId 1", "lead_user", "1")]
        [InlineData("-Search 'Lovelace'", "query", "Lovelace")]
        [InlineData("-SortBy TotalRuntime", "ordering", "total_runtime")]
        [InlineData("-SortBy LastUpdatedTime -Descending", "ordering", "-last_updated_time")]
        [InlineData("-SortBy EndedTime", "ordering", "ended_time")]
        public void Each_filter_is_sent_exactly_as_documented_and_accepted(string arguments, string key, string value)
        {
            var (result, requests) = RunListing($"Get-NmInstance -ProcessId 1 {arguments}");
            result.ThrowIfFailed();
            var first = requests[0];
            Assert.Equal("GET", first.Method);
            Assert.Equal("/nextmatter/api/processes/1/instances/", first.Path);
            Assert.Equal(new Dictionary<string, string> { [key] = value }, QueryOf(first));
            Assert.Equal(200, first.StatusCode);
        }

        [Fact]
        public void The_page_size_goes_out_as_the_documented_limit_and_the_server_uses_it()
        {
            var (result, requests) = RunListing("Get-NmInstance -ProcessId 1 -PageSize 7");
            result.ThrowIfFailed();
            var query = QueryOf(requests[0]);
            Assert.Equal("7", query["limit"]);
            Assert.Equal("7", query["page_size"]);
            Assert.Equal(2, query.Count);
            Assert.Equal(_f.Sandbox.NextMatter.CountInstances(i => i.ProcessId == 1), result.Output.Count);
            // 7 rows a page: every request but the last was answered with 7, and the next links kept the size.
            Assert.Equal((result.Output.Count + 6) / 7, requests.Count);
            Assert.All(requests.Skip(1), r => Assert.Equal("7", QueryOf(r)["limit"]));
        }

        [Fact]
        public void Filters_combine_in_one_request()
        {
            var (result, requests) = RunListing("Get-NmInstance -ProcessId 1 -Status Completed -Tag research -MaxTotalRuntime '00:50' -SortBy Name -Descending -PageSize 10");
            result.ThrowIfFailed();
            var query = QueryOf(Assert.Single(requests));
            Assert.Equal("completed", query["status"]);
            Assert.Equal("research", query["tags"]);
            Assert.Equal("00:00:50", query["total_runtime_max"]);
            Assert.Equal("-name", query["ordering"]);
            Assert.Equal("10", query["page_size"]);

            // Alan Turing (40 s) and Edsger Dijkstra (50 s): completed research instances within 50 seconds, Z to A.
            Assert.Equal(new[] { "Onboarding Edsger Dijkstra", "Onboarding Alan Turing" }, result.Output.Select(o => o.P<string>("Name")));
        }

        [Fact]
        public void The_server_side_filters_really_narrow_the_listing()
        {
            var running = S.Run("Get-NmInstance -ProcessId 1 -Status Running").ThrowIfFailed().Output;
            Assert.Equal(_f.Sandbox.NextMatter.CountInstances(i => i.ProcessId == 1 && i.Status == "running"), running.Count);
            Assert.True(running.Count > 2);
            Assert.All(running, o => Assert.Equal("Running", o.P<string>("Status")));

            var veryHigh = S.Run("Get-NmInstance -ProcessId 1 -Priority VeryHigh").ThrowIfFailed().Output;
            Assert.NotEmpty(veryHigh);
            Assert.All(veryHigh, o => Assert.Equal("VeryHigh", o.P<string>("Priority")));

            var onStep43 = S.Run("Get-NmInstance -ProcessId 1 -ActiveStepId 43").ThrowIfFailed().Output;
            Assert.Equal(_f.Sandbox.NextMatter.CountInstances(i => i.ProcessId == 1 && i.ActiveStepIds.Contains(43)), onStep43.Count);
            Assert.NotEmpty(onStep43);
            Assert.All(onStep43, o => Assert.Equal("43", o.P("ActiveStepIds")!.ToString()));

            var search = S.Run("Get-NmInstance -ProcessId 1 -Search 'Hopper'").ThrowIfFailed().Output;
            Assert.Equal("Onboarding Grace Hopper", Assert.Single(search).P<string>("Name"));

            var byRuntime = S.Run("Get-NmInstance -ProcessId 1 -Status Completed -SortBy TotalRuntime").ThrowIfFailed().Output.Select(o => o.P<TimeSpan>("TotalRuntime")).ToList();
            Assert.Equal(byRuntime.OrderBy(t => t), byRuntime);
        }

        [Fact]
        public void Paging_follows_next_links_across_page_boundaries_without_gaps_or_repeats()
        {
            var (result, requests) = RunListing("Get-NmInstance -ProcessId 1 -PageSize 4");
            result.ThrowIfFailed();
            Assert.Equal(Enumerable.Range(1001, 25).Select(i => (long)i), result.Output.Select(o => o.P<long>("Id")));
            Assert.Equal(7, requests.Count);
            Assert.All(requests, r => Assert.Equal("4", QueryOf(r)["page_size"]));
            Assert.False(QueryOf(requests[0]).ContainsKey("page"));
            Assert.Equal(Enumerable.Range(2, 6).Select(n => n.ToString()), requests.Skip(1).Select(r => QueryOf(r)["page"]));
            Assert.NotEmpty(result.Progress);
        }

        [Theory]
        [InlineData("Get-NmInstance -ProcessId 1 -PageSize 2 | Select-Object -First 3")]
        [InlineData("Get-NmInstance -ProcessId 1 -PageSize 2 -First 3")]
        public void Taking_the_first_three_stops_the_page_requests_at_once(string script)
        {
            var (result, requests) = RunListing(script);
            result.ThrowIfFailed();
            Assert.Equal(new long[] { 1001, 1002, 1003 }, result.Output.Select(o => o.P<long>("Id")));

            // Page 1 holds two, page 2 the third: nothing after page 2 is asked for.
            Assert.Equal(2, requests.Count);
            Assert.Equal("2", QueryOf(requests[1])["page"]);
        }

        [Fact]
        public void Skip_and_First_select_a_window_across_pages()
        {
            var (result, requests) = RunListing("Get-NmInstance -ProcessId 1 -PageSize 2 -Skip 5 -First 3");
            result.ThrowIfFailed();
            Assert.Equal(new long[] { 1006, 1007, 1008 }, result.Output.Select(o => o.P<long>("Id")));

            // Pages 1-4 hold items 1-8. From a few items into page 2 on, the listing reads up to two pages ahead
            // of the one being written, so pages 5 and 6 may have been asked for before -First stopped it; nothing later.
            Assert.InRange(requests.Count, 4, 6);
            Assert.DoesNotContain(requests, r => QueryOf(r).TryGetValue("page", out var page) && int.Parse(page) > 6);
        }

        [Fact]
        public void IncludeTotalCount_writes_the_announced_total_first()
        {
            var result = S.Run("Get-NmInstance -ProcessId 1 -PageSize 10 -IncludeTotalCount -First 2").ThrowIfFailed();
            Assert.Equal(3, result.Output.Count);
            Assert.Equal(25UL, Convert.ToUInt64(result.Output[0].BaseObject));
            Assert.Equal("WorkflowTools.NextMatter.NmInstance", result.Output[1].TypeName());
        }

        [Fact]
        public void An_empty_listing_writes_nothing_and_no_error()
        {
            var (result, requests) = RunListing("Get-NmInstance -ProcessId 1 -Name 'nobody by this name'");
            result.ThrowIfFailed();
            Assert.Empty(result.Output);
            Assert.Single(requests);

            var counted = S.Run("Get-NmInstance -ProcessId 1 -Name 'nobody by this name' -IncludeTotalCount").ThrowIfFailed();
            Assert.Equal(0UL, Convert.ToUInt64(Assert.Single(counted.Output).BaseObject));
        }

        [Theory]
        [InlineData("-PageSize 0", "PageSize", "ParameterArgumentValidationError")]
        [InlineData("-PageSize 501", "PageSize", "ParameterArgumentValidationError")]
        [InlineData("-MinProgress 101", "MinProgress", "ParameterArgumentValidationError")]
        [InlineData("-LeadUserId 0", "LeadUserId", "ParameterArgumentValidationError")]
        [InlineData("-Status Unknown", "Status", "ParameterArgumentTransformationError")]
        [InlineData("-Priority Regular", "Priority", "ParameterArgumentTransformationError")]
        public void Invalid_parameter_values_fail_before_any_request(string arguments, string parameter, string errorId)
        {
            var (result, requests) = RunListing($"Get-NmInstance -ProcessId 1 {arguments}");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(parameter, error.Exception.Message);
            Assert.Empty(requests);
        }

        [Theory]
        [InlineData("-MinTotalRuntime '02:00:00' -MaxTotalRuntime '00:50'")]
        [InlineData("-MinProgress 80 -MaxProgress 20")]
        [InlineData("-Descending")]
        [InlineData("-Tag 'a,b'")]
        public void Contradictory_or_unsendable_filters_are_an_error_before_any_request(string arguments)
        {
            var (result, requests) = RunListing($"Get-NmInstance -ProcessId 1 {arguments}");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.InvalidArgument,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Empty(requests);
        }

        [Fact]
        public void IncludeValues_by_id_reads_the_injected_form_values()
        {
            var (result, requests) = RunListing("Get-NmInstance -Id 1003 -IncludeValues");
            var instance = result.Single();
            Assert.Equal("?inject_values=true", Assert.Single(requests).Query);
            var values = (System.Collections.IDictionary)instance.P("Values")!;
            Assert.Equal("Alan Turing", values["123456"]);
            Assert.Equal("IT", values["789012"]);
            Assert.False(values.Contains("555001"), "a field nobody filled in is left out");

            var plain = S.Run("Get-NmInstance -Id 1003").Single();
            Assert.Null(plain.P("Values"));
        }

        [Fact]
        public void IncludeValues_on_a_listing_reads_each_instance_with_its_values()
        {
            var (result, requests) = RunListing("Get-NmInstance -ProcessId 1 -Status Completed -SortBy Name -First 2 -IncludeValues");
            result.ThrowIfFailed();
            Assert.Equal(new[] { "Onboarding Alan Turing", "Onboarding Anders Hejlsberg" }, result.Output.Select(o => o.P<string>("Name")));
            Assert.Equal(new[] { "Alan Turing", "Anders Hejlsberg" }, result.Output.Select(o => ((System.Collections.IDictionary)o.P("Values")!)["123456"]));
            Assert.Equal("true", QueryOf(requests[0])["inject_values"]);
            var reads = requests.Skip(1).ToList();
            Assert.Equal(2, reads.Count);
            Assert.All(reads, r => Assert.Equal("?inject_values=true", r.Query));
            Assert.Equal(result.Output.Select(o => $"/nextmatter/api/instances/{o.P<long>("Id")}/"), reads.Select(r => r.Path));
        }

        [Fact]
        public void Every_listed_instance_has_a_status_a_process_id_and_utc_times()
        {
            var all = S.Run("Get-NmInstance -ProcessId 1").ThrowIfFailed().Output;
            Assert.All(all, o =>
            {
                Assert.NotEqual("Unknown", o.P<string>("Status"));
                Assert.Equal(1, o.P<long>("ProcessId"));
                Assert.Equal(DateTimeKind.Utc, o.P<DateTime>("StartedTime").Kind);
                Assert.IsType<TimeSpan>(o.P("TotalRuntime"));
            });
        }
    
        [Fact]
        public void Piped_instances_and_field_values_are_read_again_by_id_and_a_ProcessId_row_lists_its_workflow()
        {
            var (again, requests) = RunListing("Get-NmInstance -Id 1001, 1002 | Get-NmInstance");
            Assert.Equal(new long[] { 1001, 1002 }, again.ThrowIfFailed().Output.Select(o => o.P<long>("Id")));
            Assert.Equal(4, requests.Count);
            Assert.Equal(new[] { "/nextmatter/api/instances/1001/", "/nextmatter/api/instances/1002/" }, requests.Select(r => r.Path).Distinct().OrderBy(p => p));

            var fromValues = S.Run("Get-NmFieldValue 1 42 123456 -InstanceId 1003 | Get-NmInstance").Single();
            Assert.Equal("Onboarding Alan Turing", fromValues.P<string>("Name"));

            var listed = S.Run("[pscustomobject]@{ ProcessId = 2 } | Get-NmInstance").ThrowIfFailed().Output;
            Assert.Equal(5, listed.Count);
            Assert.All(listed, o => Assert.Equal(2, o.P<long>("ProcessId")));
            Assert.Equal(2, S.Run("Get-NmInstance -ProcessId 1 -First 2").ThrowIfFailed().Output.Count);
            Assert.Equal(1001, S.Run("Get-NmInstance 1001").Single().P<long>("Id"));
        }
    }
}
