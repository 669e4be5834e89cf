using System.Collections;
using System.Management.Automation;
using Microsoft.AspNetCore.WebUtilities;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>Get-NmProcess (workflow, steps, form fields) and Get-NmFieldValue (one field across instances).</summary>
    public class NmProcessAndFieldValueTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public NmProcessAndFieldValueTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        private static Dictionary<string, string> QueryOf(RecordedRequest r) =>
            QueryHelpers.ParseQuery(r.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

        [Fact]
        public void Get_NmProcess_reads_a_workflow_with_its_steps()
        {
            var mark = _f.Mark();
            var process = S.Run("Get-NmProcess -Id 1").Single();
            var request = Assert.Single(_f.RequestsSince(mark));
            Assert.Equal("GET", request.Method);
            Assert.Equal("/nextmatter/api/processes/1/", request.Path);

            Assert.Equal("WorkflowTools.NextMatter.NmProcess", process.TypeName());
            Assert.Equal(1, process.P<long>("Id"));
            Assert.Equal("Employee onboarding", process.P<string>("Name"));
            Assert.Equal(3, process.P<int>("StepCount"));
            Assert.Equal(5, process.P<int>("ActionCount"));
            Assert.Equal("42 Personal details;43 Manager approval;44 Equipment", process.P("Steps")!.ToString());
            Assert.EndsWith("/processes/1/", process.P<string>("Url"));
        }

        [Fact]
        public void Get_NmProcess_Step_and_Action_write_one_flat_row_each()
        {
            var steps = S.Run("Get-NmProcess 1 -Step").ThrowIfFailed().Output;
            Assert.Equal(new long[] { 42, 43, 44 }, steps.Select(s => s.P<long>("Id")));
            Assert.Equal(new[] { 1, 2, 3 }, steps.Select(s => s.P<int>("Position")));
            Assert.All(steps, s => Assert.Equal("WorkflowTools.NextMatter.NmStep", s.TypeName()));
            Assert.Equal("123456 Full name;789012 Department", steps[0].P("Actions")!.ToString());

            var actions = S.Run("Get-NmProcess 1 -Action").ThrowIfFailed().Output;
            Assert.Equal(new long[] { 123456, 789012, 555001, 555002, 555003 }, actions.Select(a => a.P<long>("Id")));
            Assert.All(actions, a => Assert.Equal("WorkflowTools.NextMatter.NmStepAction", a.TypeName()));
            var department = actions[1];
            Assert.Equal(42, department.P<long>("StepId"));
            Assert.Equal("Personal details", department.P<string>("StepName"));
            Assert.Equal("dropdown", department.P<string>("Type"));
            Assert.Equal("Value 2;Sales;IT", department.P("Options")!.ToString());
            Assert.True(actions[0].P<bool>("Required"));
            Assert.False(department.P<bool>("Required"));
        }

        [Fact]
        public void Get_NmProcess_takes_ids_and_instances_from_the_pipeline_and_reports_missing_ones()
        {
            var fromInstance = S.Run("Get-NmInstance -Id 1026 | Get-NmProcess").Single();
            Assert.Equal("Vendor review", fromInstance.P<string>("Name"));

            var result = S.Run("1, 9999, 2 | Get-NmProcess");
            Assert.Equal(new long[] { 1, 2 }, result.Output.Select(o => o.P<long>("Id")));
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(9999L, Convert.ToInt64(error.TargetObject));
        }

        [Fact]
        public void Get_NmFieldValue_lists_one_field_across_instances_with_the_instance_filters()
        {
            var mark = _f.Mark();
            var rows = S.Run("Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 123456 -Status Completed -Tag research -SortBy Name").ThrowIfFailed().Output;
            var request = Assert.Single(_f.RequestsSince(mark));
            Assert.Equal("/nextmatter/api/processes/1/steps/42/actions/123456/", request.Path);
            Assert.Equal(new Dictionary<string, string> { ["status"] = "completed", ["tags"] = "research", ["ordering"] = "name" }, QueryOf(request));

            Assert.Equal(new[] { "Onboarding Alan Turing", "Onboarding Edsger Dijkstra", "Onboarding Shafi Goldwasser" }, rows.Select(r => r.P<string>("InstanceName")));
            Assert.Equal(new[] { "Alan Turing", "Edsger Dijkstra", "Shafi Goldwasser" }, rows.Select(r => r.P<string>("Value")));
            var first = rows[0];
            Assert.Equal("WorkflowTools.NextMatter.NmFieldValue", first.TypeName());
            Assert.Equal(1003, first.P<long>("InstanceId"));
            Assert.Equal(123456, first.P<long>("ActionId"));
            Assert.True(first.P<bool>("HasValue"));
            Assert.Equal("{\"inputValue\":\"Alan Turing\"}", first.P("InputObject")!.ToString());
        }

        [Fact]
        public void Get_NmFieldValue_streams_pages_stops_early_and_narrows_to_given_instances()
        {
            var mark = _f.Mark();
            var all = S.Run("Get-NmFieldValue 1 42 789012 -PageSize 10").ThrowIfFailed().Output;
            Assert.Equal(25, all.Count);
            Assert.Equal(3, _f.RequestsSince(mark).Count);
            Assert.Contains(all, r => !r.P<bool>("HasValue") && r.P("Value") == null);

            mark = _f.Mark();
            var three = S.Run("Get-NmFieldValue 1 42 789012 -PageSize 2 | Select-Object -First 3").ThrowIfFailed().Output;
            Assert.Equal(3, three.Count);
            Assert.Equal(2, _f.RequestsSince(mark).Count);

            mark = _f.Mark();
            var two = S.Run("Get-NmFieldValue 1 42 789012 -InstanceId 1003,1004").ThrowIfFailed().Output;
            Assert.Equal("1003,1004", QueryOf(Assert.Single(_f.RequestsSince(mark)))["instance_ids"]);
            Assert.Equal(new long[] { 1003, 1004 }, two.Select(r => r.P<long>("InstanceId")));
        }

        [Fact]
        public void Get_NmFieldValue_takes_the_field_from_Get_NmProcess_Action()
        {
            var rows = S.Run("Get-NmProcess 1 -Action | Where-Object Name -eq 'Department' | Get-NmFieldValue -Status Completed -First 2").ThrowIfFailed().Output;
            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.Equal(789012, r.P<long>("ActionId")));
        }

        [Fact]
        public void Dates_and_checklists_read_as_a_date_and_a_list()
        {
            var id = S.Run("New-NmInstance -ProcessId 1 -Name 'Values test'").Single().P<long>("Id");
            S.Run($"Complete-NmStep {id} 42 -Value @{{ 123456 = 'Ada'; 789012 = @{{ itemSelected = 'Sales' }} }}").ThrowIfFailed();
            S.Run($"Complete-NmStep {id} 43 -Value @{{ 555001 = @{{ inputValue = @{{ radioItemSelected = 'Approve' }} }} }}").ThrowIfFailed();
            S.Run($"Complete-NmStep {id} 44 -Value @{{ 555002 = @{{ inputValue = @{{ itemsChecked = @('Laptop', 'Phone'); itemsNotChecked = @() }} }}; 555003 = [datetime]::new(2026, 2, 1, 9, 0, 0, [DateTimeKind]::Utc) }}").ThrowIfFailed();

            var date = S.Run($"Get-NmFieldValue 1 44 555003 -InstanceId {id}").Single();
            Assert.Equal(new DateTime(2026, 2, 1, 9, 0, 0, DateTimeKind.Utc), date.P<DateTime>("Value"));
            Assert.Equal(DateTimeKind.Utc, date.P<DateTime>("Value").Kind);
            var checklist = S.Run($"Get-NmFieldValue 1 44 555002 -InstanceId {id}").Single();
            Assert.Equal("Laptop;Phone", checklist.P("Value")!.ToString());
            var items = S.Run($"$v = (Get-NmFieldValue 1 44 555002 -InstanceId {id}).Value; $v.Count; $v[1]").ThrowIfFailed().Output;
            Assert.Equal(new object[] { 2, "Phone" }, items.Select(o => o.BaseObject));

            var values = (IDictionary)S.Run($"Get-NmInstance -Id {id} -IncludeValues").Single().P("Values")!;
            Assert.Equal("Ada", values["123456"]);
            Assert.Equal("Sales", values["789012"]);
            Assert.Equal("Approve", values["555001"]);
            Assert.Equal("Laptop;Phone", values["555002"]!.ToString());
            Assert.Equal(new DateTime(2026, 2, 1, 9, 0, 0, DateTimeKind.Utc), values["555003"]);
        }

        [Fact]
        public void An_unknown_field_is_a_not_found_error_record()
        {
            var error = Assert.Single(S.Run("Get-NmFieldValue 1 42 999").Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", error.FullyQualifiedErrorId);
            Assert.Contains("999", Convert.ToString(error.TargetObject));
        }
    }
}
