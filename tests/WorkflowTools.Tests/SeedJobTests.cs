using System.Text.Json;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests
{
    /// <summary>The four jobs users paste Python for today, as cmdlets, against the sandbox.</summary>
    public class SeedJobTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public SeedJobTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        private static JsonElement Body(RecordedRequest r) => JsonDocument.Parse(r.Body).RootElement;

        [Fact]
        public void New_NmInstance_creates_an_instance_and_emits_a_typed_object()
        {
            var mark = _f.Mark();
            var instance = S.Run("New-NmInstance -ProcessId 1 -Name 'Onboarding Ada' -Tag hr,urgent -Priority High").Single();

            Assert.Equal("WorkflowTools.NextMatter.NmInstance", instance.TypeName());
            Assert.True(instance.P<long>("Id") > 0);
            Assert.Equal("Onboarding Ada", instance.P<string>("Name"));
            Assert.Equal(1, instance.P<long>("ProcessId"));
            Assert.Equal("Running", instance.P<string>("Status"));
            Assert.Equal("hr;urgent", instance.P("Tags")!.ToString());
            Assert.Equal("High", instance.P<string>("Priority"));
            Assert.NotNull(instance.P("StartedTime"));
            Assert.Equal(DateTimeKind.Utc, instance.P<DateTime>("StartedTime").Kind);

            var request = Assert.Single(_f.RequestsSince(mark));
            Assert.Equal("POST", request.Method);
            Assert.EndsWith("/nextmatter/api/instances/", request.Path);
            Assert.Equal("Api-Key " + _f.Sandbox.NextMatterApiKey, request.Headers["Authorization"]);
            var body = Body(request);
            Assert.Equal(new Uri(_f.Sandbox.NextMatterBaseUri, "processes/1/").AbsoluteUri, body.GetProperty("process").GetString());
            Assert.Equal("Onboarding Ada", body.GetProperty("name").GetString());
            Assert.Equal("H", body.GetProperty("priority").GetString());
            Assert.Equal(new[] { "hr", "urgent" }, body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(201, request.StatusCode);
        }

        [Fact]
        public void New_NmInstance_binds_ProcessId_from_the_pipeline_by_property_name()
        {
            var mark = _f.Mark();
            var result = S.Run("@([pscustomobject]@{ ProcessId = 1; Name = 'From CSV 1' }, [pscustomobject]@{ ProcessId = '1'; Name = 'From CSV 2' }, [pscustomobject]@{ ProcessId = 2 }) | New-NmInstance");
            result.ThrowIfFailed();
            Assert.Equal(new long[] { 1, 1, 2 }, result.Output.Select(o => o.P<long>("ProcessId")));
            Assert.Equal(new[] { "From CSV 1", "From CSV 2" }, result.Output.Take(2).Select(o => o.P<string>("Name")));
            Assert.Equal(3, _f.RequestsSince(mark).Count(r => r.Method == "POST"));
        }

        [Fact]
        public void New_NmInstance_WhatIf_sends_nothing()
        {
            var mark = _f.Mark();
            var result = S.Run("New-NmInstance -ProcessId 1 -Name 'Not really' -WhatIf");
            result.ThrowIfFailed();
            Assert.Empty(result.Output);
            Assert.Empty(_f.RequestsSince(mark));
        }

        [Fact]
        public void Complete_NmStep_turns_the_short_value_form_into_next_matter_actions()
        {
            var instanceId = S.Run("New-NmInstance -ProcessId 1").Single().P<long>("Id");
            var mark = _f.Mark();
            var result = S.Run($"Complete-NmStep -InstanceId {instanceId} -StepId 42 -Value @{{ 123456 = 'Value 1'; 789012 = @{{ itemSelected = 'Value 2' }} }}").Single();

            Assert.Equal("WorkflowTools.NextMatter.NmStepCompletion", result.TypeName());
            Assert.Equal(instanceId, result.P<long>("InstanceId"));
            Assert.Equal(42, result.P<long>("StepId"));
            Assert.Equal(2, result.P<int>("ActionCount"));
            Assert.Equal("43", result.P("ActiveStepIds")!.ToString());

            // One completion; besides it only reads (the instance's workflow and its form, to map values by field type).
            var sent = _f.RequestsSince(mark);
            var request = Assert.Single(sent, r => r.Method == "POST");
            Assert.All(sent.Where(r => r != request), r => Assert.Equal("GET", r.Method));
            Assert.EndsWith($"/instances/{instanceId}/complete_step/", request.Path);
            var body = Body(request);
            Assert.Equal(42, body.GetProperty("step_id").GetInt64());
            var actions = body.GetProperty("actions").EnumerateArray().ToDictionary(a => a.GetProperty("action_id").GetInt64(), a => a.GetProperty("input_object").GetRawText());
            Assert.Equal("{\"inputValue\":\"Value 1\"}", actions[123456]);
            Assert.Equal("{\"itemSelected\":\"Value 2\"}", actions[789012]);
        }

        [Fact]
        public void New_NmInstance_pipes_into_Complete_NmStep()
        {
            var result = S.Run("New-NmInstance -ProcessId 1 -Name 'Piped' | Complete-NmStep -StepId 42 -Value @{ 123456 = 'Ada Lovelace'; 789012 = @{ itemSelected = 'Sales' } }").Single();
            Assert.Equal(42, result.P<long>("StepId"));
            Assert.Equal("Running", result.P<string>("InstanceStatus"));
        }

        [Fact]
        public void Complete_NmStep_takes_the_single_active_step_of_a_piped_instance()
        {
            var result = S.Run("New-NmInstance -ProcessId 1 | Complete-NmStep -Value @{ 123456 = 'Grace'; 789012 = @{ itemSelected = 'IT' } }").Single();
            Assert.Equal(42, result.P<long>("StepId"));
        }

        [Fact]
        public void Complete_NmStep_raw_action_form_is_sent_as_given()
        {
            var instanceId = S.Run("New-NmInstance -ProcessId 1").Single().P<long>("Id");
            var mark = _f.Mark();
            S.Run($"Complete-NmStep -InstanceId {instanceId} -StepId 42 -Action @{{ action_id = 123456; input_object = @{{ inputValue = 'Raw' }} }}, @{{ action_id = 789012; input_object = @{{ itemSelected = 'IT' }} }}").Single();
            var body = Body(Assert.Single(_f.RequestsSince(mark)));
            Assert.Equal("[{\"action_id\":123456,\"input_object\":{\"inputValue\":\"Raw\"}},{\"action_id\":789012,\"input_object\":{\"itemSelected\":\"IT\"}}]", body.GetProperty("actions").GetRawText());
        }

        [Fact]
        public void Complete_NmStep_on_a_step_that_is_not_active_is_a_step_not_active_error_record()
        {
            var instanceId = S.Run("New-NmInstance -ProcessId 1").Single().P<long>("Id");
            var result = S.Run($"Complete-NmStep -InstanceId {instanceId} -StepId 44 -Value @{{ 555002 = @{{ inputValue = @{{ itemsChecked = @('Laptop'); itemsNotChecked = @() }} }} }}");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.StepNotActive,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Equal(instanceId, Convert.ToInt64(error.TargetObject));
            Assert.Contains("400", error.Exception.Message);
        }

        [Fact]
        public void Bad_form_values_fail_before_any_request()
        {
            var mark = _f.Mark();
            var result = S.Run("Complete-NmStep -InstanceId 1 -StepId 42 -Value @{ 'abc' = 'x' }; Complete-NmStep -InstanceId 1 -StepId 42 -Action @{ action_id = 5 }");
            Assert.Equal(2, result.Errors.Count);
            Assert.All(result.Errors, e => Assert.StartsWith("WorkflowTools.InvalidFormValue,", e.FullyQualifiedErrorId));
            Assert.Empty(_f.RequestsSince(mark));
        }

        [Fact]
        public void Get_NmInstance_MaxTotalRuntime_sends_one_canonical_duration_and_streams_all_pages()
        {
            var mark = _f.Mark();
            var result = S.Run("Get-NmInstance -ProcessId 1 -MaxTotalRuntime '01 09:30' -PageSize 2");
            result.ThrowIfFailed();
            var requests = _f.RequestsSince(mark);
            Assert.True(requests.Count >= 2, "expected several pages");
            Assert.Contains("total_runtime_max=1%2000%3A09%3A30", requests[0].Query);
            Assert.Contains("page_size=2", requests[0].Query);
            Assert.All(result.Output, o => Assert.True(o.P<TimeSpan>("TotalRuntime") <= new TimeSpan(1, 0, 9, 30)));
            Assert.Equal(result.Output.Count, result.Output.Select(o => o.P<long>("Id")).Distinct().Count());
            Assert.NotEmpty(result.Output);
        }

        [Theory]
        [InlineData("'00:50'", "00%3A00%3A50")]
        [InlineData("'PT50M'", "00%3A50%3A00")]
        [InlineData("'PT1H30S'", "01%3A00%3A30")]
        [InlineData("'02:30:00'", "02%3A30%3A00")]
        [InlineData("([TimeSpan]::FromMinutes(90))", "01%3A30%3A00")]
        [InlineData("'1.02:03:04'", "1%2002%3A03%3A04")]
        public void Durations_keep_next_matters_meaning(string argument, string expected)
        {
            var mark = _f.Mark();
            S.Run($"Get-NmInstance -ProcessId 1 -MaxTotalRuntime {argument} -First 1").ThrowIfFailed();
            Assert.Contains("total_runtime_max=" + expected, _f.RequestsSince(mark)[0].Query);
        }

        [Theory]
        [InlineData("'abc'")]
        [InlineData("'1 hour'")]
        [InlineData("'P1Y'")]
        [InlineData("'-00:50'")]
        public void An_invalid_duration_is_a_parameter_error_before_any_request(string argument)
        {
            var mark = _f.Mark();
            var result = S.Run($"Get-NmInstance -ProcessId 1 -MaxTotalRuntime {argument}");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("ParameterArgumentTransformationError", error.FullyQualifiedErrorId);
            Assert.Contains("MaxTotalRuntime", error.Exception.Message);
            Assert.Empty(_f.RequestsSince(mark));
        }

        [Fact]
        public void Get_NmInstance_by_id_accepts_pipeline_input_and_reports_missing_ones_per_item()
        {
            var id = S.Run("New-NmInstance -ProcessId 1 -Name 'Lookup'").Single().P<long>("Id");
            var result = S.Run($"{id}, 999999 | Get-NmInstance");
            Assert.Single(result.Output);
            Assert.Equal("Lookup", result.Output[0].P<string>("Name"));
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(999999L, Convert.ToInt64(error.TargetObject));
        }

        [Fact]
        public void ErrorAction_Stop_stops()
        {
            var result = S.Run("Get-NmInstance -Id 999999 -ErrorAction Stop; 'after'");
            Assert.NotNull(result.TerminatingError);
            Assert.DoesNotContain(result.Output, o => o.ToString() == "after");
            Assert.StartsWith("WorkflowTools.NotFound", result.TerminatingRecord!.FullyQualifiedErrorId);
        }

        [Fact]
        public void Start_PmRequest_uses_the_only_start_event_and_emits_a_typed_request()
        {
            var mark = _f.Mark();
            var request = S.Run("Start-PmRequest -ProcessId 1 -Data @{ employee = 'Ada'; start = '2026-02-01' }").Single();
            Assert.Equal("WorkflowTools.ProcessMaker.PmRequest", request.TypeName());
            Assert.True(request.P<long>("Id") > 0);
            Assert.Equal(1, request.P<long>("ProcessId"));
            Assert.Equal("Active", request.P<string>("Status"));
            Assert.Equal("Onboarding", request.P<string>("Name"));

            var post = _f.RequestsSince(mark).Single(r => r.Method == "POST");
            Assert.EndsWith("/processmaker/api/1.0/process_events/1", post.Path);
            Assert.Equal("?event=node_1", post.Query);
            Assert.Equal("Bearer " + _f.Sandbox.ProcessMakerToken, post.Headers["Authorization"]);
            var body = Body(post);
            Assert.Equal("Ada", body.GetProperty("employee").GetString());
            Assert.Equal(201, post.StatusCode);
        }

        [Fact]
        public void Start_PmRequest_asks_for_a_choice_when_a_process_has_several_start_events()
        {
            var mark = _f.Mark();
            var result = S.Run("Start-PmRequest -ProcessId 2");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.StartEventNotDetermined,", error.FullyQualifiedErrorId);
            Assert.Contains("node_1", error.Exception.Message);
            Assert.Contains("node_5", error.Exception.Message);
            Assert.DoesNotContain(_f.RequestsSince(mark), r => r.Method == "POST");

            var started = S.Run("Start-PmRequest -ProcessId 2 -StartEvent node_5").Single();
            Assert.Equal(2, started.P<long>("ProcessId"));
        }

        [Fact]
        public void Start_PmRequest_says_when_a_process_has_no_start_event_or_does_not_exist()
        {
            var none = Assert.Single(S.Run("Start-PmRequest -ProcessId 3").Errors);
            Assert.StartsWith("WorkflowTools.StartEventNotDetermined,", none.FullyQualifiedErrorId);
            var missing = Assert.Single(S.Run("Start-PmRequest -ProcessId 9999").Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", missing.FullyQualifiedErrorId);
            var unknownEvent = Assert.Single(S.Run("Start-PmRequest -ProcessId 1 -StartEvent node_77").Errors);
            Assert.Contains("node_77", unknownEvent.Exception.Message);
        }
    }

    /// <summary>Connections: missing, wrong, and what they show.</summary>
    public class ConnectionTests : IAsyncLifetime
    {
        private SandboxServer _sandbox = null!;

        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        [Fact]
        public void Without_a_connection_every_cmdlet_says_to_connect_first()
        {
            using var s = new PsSession();
            var before = _sandbox.Requests.Count;
            foreach (var command in new[] { "New-NmInstance -ProcessId 1", "Get-NmInstance -ProcessId 1", "Complete-NmStep -InstanceId 1 -StepId 1 -Value @{1='x'}", "Start-PmRequest -ProcessId 1" })
            {
                var result = s.Run(command);
                var error = Assert.Single(result.AllErrors);
                Assert.StartsWith("WorkflowTools.NotConnected,", error.FullyQualifiedErrorId);
                Assert.Contains("Connect-", error.Exception.Message);
            }

            Assert.Equal(before, _sandbox.Requests.Count);
        }

        [Fact]
        public void A_wrong_key_gives_an_authentication_error_record_that_does_not_show_the_key()
        {
            using var s = new PsSession();
            s.Set("k", PsSession.Secure("wrong.key-value-123"));
            s.Run($"Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' -ApiKey $k").ThrowIfFailed();
            var result = s.Run("New-NmInstance -ProcessId 1 -Verbose -Debug");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.Unauthorized,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("401", error.Exception.Message);
            Assert.DoesNotContain("key-value-123", result.AllText());
        }

        [Fact]
        public void Connections_are_per_runspace_and_never_show_the_secret()
        {
            using var a = new PsSession();
            using var b = new PsSession();
            a.ConnectTo(_sandbox);
            var connection = a.Run("Get-NmConnection").Single();
            Assert.Equal(_sandbox.NextMatterBaseUri, connection.P<Uri>("BaseUri"));
            Assert.Equal("parameter", connection.P<string>("CredentialSource"));
            Assert.Empty(b.Run("Get-NmConnection").Output);
            Assert.DoesNotContain(_sandbox.NextMatterApiKey, string.Join("\n", connection.Properties.Select(p => Convert.ToString(p.Value))) + connection);

            a.Run("Disconnect-NmService").ThrowIfFailed();
            Assert.Empty(a.Run("Get-NmConnection").Output);
        }

        [Fact]
        public void A_connection_object_can_be_passed_explicitly()
        {
            using var s = new PsSession();
            s.Set("k", PsSession.Secure(_sandbox.NextMatterApiKey));
            s.Run($"$c = Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' -ApiKey $k -PassThru; Disconnect-NmService").ThrowIfFailed();
            var instance = s.Run("New-NmInstance -ProcessId 1 -Connection $c").Single();
            Assert.True(instance.P<long>("Id") > 0);
        }

        [Fact]
        public void The_key_can_come_from_the_environment()
        {
            using var s = new PsSession();
            s.Run($"$env:NEXTMATTER_API_KEY = '{_sandbox.NextMatterApiKey}'; try {{ Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' -Debug }} finally {{ Remove-Item Env:NEXTMATTER_API_KEY }}").ThrowIfFailed();
            var connection = s.Run("Get-NmConnection").Single();
            Assert.Equal("environment variable NEXTMATTER_API_KEY", connection.P<string>("CredentialSource"));
            Assert.True(s.Run("New-NmInstance -ProcessId 1").Single().P<long>("Id") > 0);
        }

        [Fact]
        public void Plain_http_to_another_host_is_refused()
        {
            using var s = new PsSession();
            s.Set("k", PsSession.Secure("a.b"));
            var result = s.Run("Connect-NmService -BaseUri 'http://nextmatter.example.com/api/' -ApiKey $k");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("WorkflowTools.InvalidBaseUri,", error.FullyQualifiedErrorId);
            Assert.Contains("-AllowInsecureHttp", error.Exception.Message);
            Assert.Empty(s.Run("Get-NmConnection").Output);
        }

        [Fact]
        public void A_processmaker_token_that_is_wrong_gives_401_as_an_error_record()
        {
            using var s = new PsSession();
            s.Set("t", PsSession.Secure("not-the-token"));
            s.Run($"Connect-PmServer -BaseUri '{_sandbox.ProcessMakerInstanceUri}' -AccessToken $t").ThrowIfFailed();
            var error = Assert.Single(s.Run("Start-PmRequest -ProcessId 1 -StartEvent node_1").Errors);
            Assert.StartsWith("WorkflowTools.Unauthorized,", error.FullyQualifiedErrorId);
            Assert.Contains("Unauthenticated", error.Exception.Message);
        }
    }
}
