namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>Complete-NmStep -Value maps each value by its field's type, read once from the workflow's form.</summary>
    public class NmFieldTypeTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public NmFieldTypeTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        [Fact]
        public void Number_url_and_decision_values_go_out_in_their_documented_shapes()
        {
            var id = S.Run("New-NmInstance -ProcessId 3 -Name 'Taxi claim'").Single().P<long>("Id");
            var mark = _f.Mark();
            S.Run($"Complete-NmStep {id} 60 -Value @{{ 600001 = 'Taxi'; 600002 = 10000; 600003 = 'https://example.com/r.pdf' }}").ThrowIfFailed();
            var post = _f.RequestsSince(mark).Single(r => r.Method == "POST");
            Assert.Contains("{\"action_id\":600002,\"input_object\":{\"numberValue\":10000,\"formattedValue\":\"10000\"}}", post.Body);
            Assert.Contains("{\"action_id\":600003,\"input_object\":{\"url\":{\"url\":\"https://example.com/r.pdf\"}}}", post.Body);
            Assert.Contains("{\"action_id\":600001,\"input_object\":{\"inputValue\":\"Taxi\"}}", post.Body);

            var second = _f.Mark();
            var completion = S.Run($"Get-NmInstance -Id {id} | Complete-NmStep -Value @{{ 600004 = 'decline' }}").Single();
            Assert.Equal("Aborted", completion.P("InstanceStatus")!.ToString());
            Assert.Equal("aborted", _f.Sandbox.NextMatter.FindInstance(id)!.Status);
            Assert.Contains("{\"action_id\":600004,\"input_object\":{\"action\":\"decline\"}}", _f.RequestsSince(second).Single(r => r.Method == "POST").Body);

            // The form is read once for the connection, not once per completion.
            Assert.True(_f.RequestsSince(mark).Count(r => r.Method == "GET" && r.Path.EndsWith("/processes/3/", StringComparison.Ordinal)) <= 1);
            Assert.DoesNotContain(_f.RequestsSince(second), r => r.Path.EndsWith("/processes/3/", StringComparison.Ordinal));

            // Read back the same way: the number and the URL as a person reads them.
            var values = S.Run($"(Get-NmInstance -Id {id} -IncludeValues).Values").Single().BaseObject as System.Collections.IDictionary;
            Assert.Equal(10000L, Convert.ToInt64(values!["600002"]));
            Assert.Equal("https://example.com/r.pdf", values["600003"]);
            Assert.Equal("decline", values["600004"]);
        }

        [Fact]
        public void A_value_its_field_cannot_take_fails_before_the_completion_is_sent()
        {
            var id = S.Run("New-NmInstance -ProcessId 3 -Name 'Bad claim'").Single().P<long>("Id");
            var mark = _f.Mark();
            var result = S.Run($"Complete-NmStep {id} 60 -Value @{{ 600001 = 'Taxi'; 600002 = 'ten euros' }}");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.InvalidFormValue,", error.FullyQualifiedErrorId);
            Assert.Contains("number field", error.Exception.Message);
            Assert.DoesNotContain(_f.RequestsSince(mark), r => r.Method == "POST");
        }

        [Fact]
        public void Without_a_piped_workflow_the_instance_tells_which_form_to_read()
        {
            var id = S.Run("New-NmInstance -ProcessId 3 -Name 'Typed id'").Single().P<long>("Id");
            var mark = _f.Mark();
            S.Run($"Complete-NmStep -InstanceId {id} -StepId 60 -Value @{{ 600001 = 'Hotel'; 600002 = '99.5' }}").ThrowIfFailed();
            var sent = _f.RequestsSince(mark);
            Assert.Contains(sent, r => r.Method == "GET" && r.Path.EndsWith($"/instances/{id}/", StringComparison.Ordinal));
            Assert.Contains("\"numberValue\":99.5", sent.Single(r => r.Method == "POST").Body);
        }
    }
}
