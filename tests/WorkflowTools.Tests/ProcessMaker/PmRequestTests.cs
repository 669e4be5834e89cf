using System.Management.Automation;
using System.Text.Json;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>Get-PmRequest and Stop-PmRequest.</summary>
    public class PmRequestTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public PmRequestTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        private static string Query(RecordedRequest r) => Uri.UnescapeDataString(r.Query.Replace('+', ' '));

        [Fact]
        public void By_id_gives_a_typed_request_with_utc_times_and_optional_data()
        {
            var mark = _f.Mark();
            var request = S.Run("Get-PmRequest -Id 5").Single();
            Assert.Equal("WorkflowTools.ProcessMaker.PmRequest", request.TypeName());
            Assert.Equal(5, request.P<long>("Id"));
            Assert.Equal(5, request.P<long>("RequestId"));
            Assert.Equal("Purchase request", request.P<string>("Name"));
            Assert.Equal("Active", request.P<string>("Status"));
            Assert.Equal(DateTimeKind.Utc, request.P<DateTime>("InitiatedAt").Kind);
            Assert.Equal(_f.Sandbox.Clock.Now.UtcDateTime.AddDays(-1), request.P<DateTime>("InitiatedAt"));
            Assert.Null(request.P("Data"));
            var get = Assert.Single(_f.RequestsSince(mark));
            Assert.EndsWith("/requests/5", get.Path);
            Assert.Equal("", get.Query);

            var withData = S.Run("Get-PmRequest -Id 5 -IncludeData").Single();
            var data = (System.Collections.Hashtable)withData.P("Data")!;
            Assert.Equal("Seed request 5", data["requester_note"]);
            Assert.Equal(500L, data["AMOUNT"]);
            Assert.False(data.ContainsKey("_parent"));
            Assert.Equal("Seed request 5", S.Run("(Get-PmRequest -Id 5 -IncludeData).Data.requester_note").Single().ToString());
            using var json = JsonDocument.Parse(withData.P("Data")!.ToString()!);
            Assert.Equal(500, json.RootElement.GetProperty("amount").GetInt32());
        }

        [Fact]
        public void Ids_bind_from_the_pipeline_and_a_missing_one_is_a_not_found_record_for_that_id_only()
        {
            var result = S.Run("@([pscustomobject]@{ RequestId = 1 }, [pscustomobject]@{ RequestId = 999 }, [pscustomobject]@{ RequestId = 3 }) | Get-PmRequest");
            Assert.Equal(new long[] { 1, 3 }, result.Output.Select(o => o.P<long>("Id")));
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(999L, error.TargetObject);
        }

        [Fact]
        public void Tasks_piped_in_give_their_request_not_a_request_with_the_tasks_id()
        {
            Assert.Equal(new long[] { 1, 3 }, S.Run("1, 3 | Get-PmRequest").ThrowIfFailed().Output.Select(o => o.P<long>("Id")));
            var process = S.Run("Get-PmProcess -Id 2 | Get-PmRequest");
            Assert.Empty(process.Output);
            Assert.NotEmpty(process.AllErrors);

            var request = _f.Sandbox.ProcessMaker.AddRequest(2, atTask: "node_3");
            var task = _f.Sandbox.ProcessMaker.Tasks.Where(t => t.Request.Id == request.Id).OrderBy(t => t.Id).Last();
            Assert.NotEqual(request.Id, task.Id);
            var found = S.Run($"Get-PmTask -Id {task.Id} | Get-PmRequest").Single();
            Assert.Equal(request.Id, found.P<long>("Id"));

            var other = _f.Sandbox.ProcessMaker.FindRequest(task.Id);
            var otherStatus = other?.Status;
            S.Run($"Get-PmTask -Id {task.Id} | Stop-PmRequest -Confirm:$false").ThrowIfFailed();
            Assert.Equal("CANCELED", _f.Sandbox.ProcessMaker.FindRequest(request.Id)!.Status);
            Assert.Equal(otherStatus, _f.Sandbox.ProcessMaker.FindRequest(task.Id)?.Status);
        }

        [Theory]
        [InlineData("InProgress", "type=in_progress")]
        [InlineData("Active", "type=in_progress")]
        [InlineData("Completed", "type=completed")]
        [InlineData("Canceled", "pmql=status%20%3D%20%22CANCELED%22")]
        [InlineData("Error", "pmql=status%20%3D%20%22ERROR%22")]
        [InlineData("StartedByMe", "type=started_me")]
        public void Status_maps_to_the_type_parameter(string status, string wire)
        {
            var mark = _f.Mark();
            var result = S.Run($"Get-PmRequest -Status {status} -PageSize 100");
            result.ThrowIfFailed();
            Assert.Contains(wire, Assert.Single(_f.RequestsSince(mark)).Query);
            var expected = _f.Sandbox.ProcessMaker.Requests.Where(r => status switch
            {
                "InProgress" or "Active" => r.Status == "ACTIVE",
                "Completed" => r.Status == "COMPLETED",
                "Canceled" => r.Status == "CANCELED",
                "Error" => r.Status == "ERROR",
                // PM4's started_me: mine and neither COMPLETED nor CANCELED.
                _ => r.UserId == ProcessMakerStore.AdminUserId && r.Status != "COMPLETED" && r.Status != "CANCELED",
            }).Select(r => r.Id).OrderBy(i => i);
            Assert.Equal(expected, result.Output.Select(o => o.P<long>("Id")).OrderBy(i => i));
        }

        [Fact]
        public void All_sends_no_type_and_sees_every_status()
        {
            var mark = _f.Mark();
            var result = S.Run("Get-PmRequest -Status All -PageSize 100");
            Assert.DoesNotContain("type=", Assert.Single(_f.RequestsSince(mark)).Query);
            var statuses = result.ThrowIfFailed().Output.Select(o => o.P<string>("Status")).Distinct().ToList();
            Assert.Contains("Canceled", statuses);
            Assert.Contains("Completed", statuses);
            Assert.Contains("Active", statuses);
        }

        [Fact]
        public void ProcessId_Filter_Pmql_and_sorting_go_to_the_server()
        {
            var mark = _f.Mark();
            var byProcess = S.Run("Get-PmRequest -ProcessId 2 -PageSize 50").ThrowIfFailed().Output;
            Assert.All(byProcess, o => Assert.Equal(2, o.P<long>("ProcessId")));
            Assert.True(byProcess.Count >= 5);
            Assert.Contains("pmql=process_id = 2", Query(Assert.Single(_f.RequestsSince(mark))));

            mark = _f.Mark();
            var combined = S.Run("Get-PmRequest -ProcessId 2 -Pmql 'status = \"ACTIVE\"' -SortBy Id -Descending").ThrowIfFailed().Output;
            Assert.Equal(new long[] { 6, 5 }, combined.Select(o => o.P<long>("Id")).Where(i => i <= 12));
            var q = Query(Assert.Single(_f.RequestsSince(mark)));
            Assert.Contains("pmql=process_id = 2 AND (status = \"ACTIVE\")", q);
            Assert.Contains("order_by=id&order_direction=desc", q);

            mark = _f.Mark();
            var filtered = S.Run("Get-PmRequest -Filter 'purchase' -Pmql 'data.amount >= 800' -PageSize 50").ThrowIfFailed().Output;
            Assert.Equal(new long[] { 8, 9 }, filtered.Select(o => o.P<long>("Id")).OrderBy(i => i));
            Assert.Contains("filter=purchase", Query(Assert.Single(_f.RequestsSince(mark))));
        }

        [Fact]
        public void An_invalid_pmql_is_an_error_record_naming_the_query()
        {
            var result = S.Run("Get-PmRequest -Pmql 'status =='");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.Validation,", error.FullyQualifiedErrorId);
            Assert.Contains("PMQL", error.Exception.Message);
            Assert.Equal("status ==", error.TargetObject);
        }

        [Fact]
        public void Pmql_with_or_brackets_aliases_and_usernames_reads_as_processmaker_reads_it()
        {
            // Issue 27's cases: the client brackets the user's PMQL, which PM4's grammar (and now the sandbox) accepts.
            long[] Ids(string command) => S.Run(command).ThrowIfFailed().Output.Select(o => o.P<long>("Id")).Where(i => i <= 12).OrderBy(i => i).ToArray();
            Assert.Equal(new long[] { 5, 6, 9 }, Ids("Get-PmRequest -ProcessId 2 -Pmql 'status = \"ACTIVE\" OR status = \"CANCELED\"' -PageSize 50"));
            Assert.Equal(new long[] { 4, 9 }, Ids("Get-PmRequest -Status Canceled -Pmql 'process_id = 1 OR process_id = 2' -PageSize 50"));
            // requester compares a username (ProcessRequest::valueAliasRequester)
            Assert.Equal(new long[] { 3, 8, 12 }, Ids("Get-PmRequest -Pmql 'requester = \"jdoe\"' -PageSize 50"));
            var tasks = S.Run("Get-PmTask -Pmql '(status = \"In Progress\")' -PageSize 50").ThrowIfFailed().Output;
            Assert.NotEmpty(tasks);
            Assert.All(tasks, t => Assert.Equal("Active", t.P<object>("Status")!.ToString()));
        }

        [Fact]
        public void Listings_stream_across_pages_and_honour_First_Skip_and_IncludeTotalCount()
        {
            var total = _f.Sandbox.ProcessMaker.Requests.Count;
            var mark = _f.Mark();
            var all = S.Run("Get-PmRequest -PageSize 4 -SortBy Id").ThrowIfFailed().Output.Select(o => o.P<long>("Id")).ToList();
            Assert.Equal(_f.Sandbox.ProcessMaker.Requests.Select(r => r.Id).OrderBy(i => i), all);
            var pages = _f.RequestsSince(mark);
            Assert.Equal((total + 3) / 4, pages.Count);
            Assert.Equal(Enumerable.Range(1, pages.Count).Select(p => p == 1 ? "" : "&page=" + p), pages.Select(r => r.Query.Replace("?order_by=id&order_direction=asc&per_page=4", "")));

            mark = _f.Mark();
            var some = S.Run("Get-PmRequest -PageSize 4 -SortBy Id -Skip 2 -First 3 -IncludeTotalCount").ThrowIfFailed().Output;
            _f.Settle();
            Assert.Contains(some, o => o.TypeName() != "WorkflowTools.ProcessMaker.PmRequest" && Convert.ToInt64(o.BaseObject) == total);
            Assert.Equal(new long[] { 3, 4, 5 }, some.Where(o => o.TypeName() == "WorkflowTools.ProcessMaker.PmRequest").Select(o => o.P<long>("Id")));
            Assert.True(_f.RequestsSince(mark).Count <= 2, "paging must stop once -First is satisfied");

            mark = _f.Mark();
            Assert.Equal(2, S.Run("Get-PmRequest -PageSize 2 | Select-Object -First 2").ThrowIfFailed().Output.Count);
            _f.Settle();
            Assert.True(_f.RequestsSince(mark).Count <= 2);
        }

        [Fact]
        public void Requests_export_to_csv_without_type_names_in_cells()
        {
            var csv = S.Run("Get-PmRequest -PageSize 50 -IncludeData | ConvertTo-Csv -NoTypeInformation").ThrowIfFailed().Output.Select(o => o.ToString()!).ToList();
            Assert.True(csv.Count > 10);
            Assert.DoesNotContain(csv, line => line.Contains("System."));
            var header = csv[0];
            Assert.Contains("\"Status\"", header);
            Assert.Contains("\"Data\"", header);
            Assert.Contains(csv, line => line.Contains("\"Active\"") && line.Contains("\"\"requester_note\"\":\"\"Seed request"));
            Assert.Contains(csv, line => System.Text.RegularExpressions.Regex.IsMatch(line, "\"\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}:\\d{2}\"|\"\\d{4}-\\d{2}-\\d{2}"));

            var tasks = S.Run("Get-PmTask -PageSize 50 -IncludeData | ConvertTo-Csv -NoTypeInformation").ThrowIfFailed().Output.Select(o => o.ToString()!).ToList();
            Assert.True(tasks.Count > 5);
            Assert.DoesNotContain(tasks, line => line.Contains("System."));
            var processes = S.Run("Get-PmProcess | ConvertTo-Csv -NoTypeInformation").ThrowIfFailed().Output.Select(o => o.ToString()!).ToList();
            Assert.DoesNotContain(processes, line => line.Contains("System."));
            Assert.Contains(processes, line => line.Contains("node_1 (Web order);node_5 (Phone order)"));
        }

        [Fact]
        public void Stop_PmRequest_WhatIf_from_a_listing_sends_nothing()
        {
            var active = _f.Sandbox.ProcessMaker.Requests.Count(r => r.Status == "ACTIVE");
            var mark = _f.Mark();
            var result = S.Run("Get-PmRequest -Status InProgress -PageSize 100 | Stop-PmRequest -WhatIf");
            result.ThrowIfFailed();
            Assert.Empty(result.Output);
            var wire = _f.RequestsSince(mark);
            Assert.All(wire, r => Assert.Equal("GET", r.Method));
            Assert.Equal(active, _f.Sandbox.ProcessMaker.Requests.Count(r => r.Status == "ACTIVE"));
        }

        [Fact]
        public void Stop_PmRequest_cancels_with_a_PUT_and_PassThru_reads_the_request_back()
        {
            var id = _f.Sandbox.ProcessMaker.AddRequest(1).Id;
            var mark = _f.Mark();
            var result = S.Run($"Get-PmRequest -Id {id} | Stop-PmRequest -PassThru -Confirm:$false");
            var canceled = result.Single();
            Assert.Equal("Canceled", canceled.P<string>("Status"));
            var put = Assert.Single(_f.RequestsSince(mark), r => r.Method == "PUT");
            Assert.EndsWith($"/requests/{id}", put.Path);
            Assert.Equal("CANCELED", JsonDocument.Parse(put.Body).RootElement.GetProperty("status").GetString());
            Assert.Equal(204, put.StatusCode);
            Assert.Equal("CANCELED", _f.Sandbox.ProcessMaker.FindRequest(id)!.Status);

            var quiet = _f.Sandbox.ProcessMaker.AddRequest(2).Id;
            Assert.Empty(S.Run($"Stop-PmRequest {quiet} -Confirm:$false").ThrowIfFailed().Output);
            Assert.Equal("CANCELED", _f.Sandbox.ProcessMaker.FindRequest(quiet)!.Status);
        }

        [Fact]
        public void Stop_PmRequest_reports_a_refusal_per_request_and_goes_on()
        {
            var mine = _f.Sandbox.ProcessMaker.AddRequest(1, userId: ProcessMakerStore.OrdinaryUserId).Id;
            using var user = new PsSession();
            user.Set("t", PsSession.Secure(ProcessMakerStore.UserToken));
            user.Run($"Connect-PmServer '{_f.Sandbox.ProcessMakerInstanceUri}' $t").ThrowIfFailed();
            var result = user.Run($"{mine}, 999999 | Stop-PmRequest -Confirm:$false; 'after'");
            Assert.Equal(2, result.Errors.Count);
            Assert.StartsWith("WorkflowTools.Forbidden,", result.Errors[0].FullyQualifiedErrorId);
            Assert.Contains("Not authorized to cancel", result.Errors[0].Exception.Message);
            Assert.Equal(mine, result.Errors[0].TargetObject);
            Assert.StartsWith("WorkflowTools.NotFound,", result.Errors[1].FullyQualifiedErrorId);
            Assert.Equal("after", result.Output.Last().ToString());
            Assert.Equal("ACTIVE", _f.Sandbox.ProcessMaker.FindRequest(mine)!.Status);
        }
    }
}
