using System.Management.Automation;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>Complete-NmStep beyond the seed job: the step from a piped instance, steps that are not active, other refusals.</summary>
    public class NmStepTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public NmStepTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        [Fact]
        public void A_step_that_is_no_longer_active_fails_with_StepNotActive_and_a_recommended_action()
        {
            var id = S.Run("New-NmInstance -ProcessId 1").Single().P<long>("Id");
            S.Run($"Complete-NmStep {id} 42 -Value @{{ 123456 = 'Ada' }}").ThrowIfFailed();

            var mark = _f.Mark();
            var result = S.Run($"Complete-NmStep {id} 42 -Value @{{ 123456 = 'Ada again' }}");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.StepNotActive,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Equal(id, Convert.ToInt64(error.TargetObject));
            Assert.Contains("Step 42", error.ErrorDetails.Message);
            Assert.Contains("not active", error.ErrorDetails.Message);
            Assert.Contains($"Get-NmInstance -Id {id}", error.ErrorDetails.RecommendedAction);
            Assert.Contains("active step(s): 43", error.ErrorDetails.Message);

            // Refused once, not resent; the instance was read to learn why (its active_step_ids, not the wording).
            Assert.Equal(new[] { "POST", "GET" }, _f.RequestsSince(mark).Select(r => r.Method));
        }

        [Fact]
        public void Other_refusals_keep_their_own_error_ids()
        {
            var id = S.Run("New-NmInstance -ProcessId 1").Single().P<long>("Id");
            var missingRequired = Assert.Single(S.Run($"Complete-NmStep {id} 42 -Value @{{ 789012 = @{{ itemSelected = 'IT' }} }}").Errors);
            Assert.StartsWith("WorkflowTools.Validation,", missingRequired.FullyQualifiedErrorId);
            Assert.Contains("required", missingRequired.Exception.Message);

            var unknownStep = Assert.Single(S.Run($"Complete-NmStep {id} 4242 -Value @{{ 123456 = 'x' }}").Errors);
            Assert.StartsWith("WorkflowTools.Validation,", unknownStep.FullyQualifiedErrorId);

            var missingInstance = Assert.Single(S.Run("Complete-NmStep 999999 42 -Value @{ 123456 = 'x' }").Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", missingInstance.FullyQualifiedErrorId);
        }

        [Fact]
        public void A_listed_instance_piped_in_completes_its_single_active_step()
        {
            var id = S.Run("New-NmInstance -ProcessId 1 -Name 'Pipe from listing'").Single().P<long>("Id");
            var mark = _f.Mark();
            var completion = S.Run($"Get-NmInstance -Id {id} | Complete-NmStep -Value @{{ 123456 = 'Listed' }}").Single();
            Assert.Equal(42, completion.P<long>("StepId"));
            Assert.Equal("43", completion.P("ActiveStepIds")!.ToString());
            Assert.Contains(_f.RequestsSince(mark), r => r.Method == "POST" && r.Body.StartsWith("{\"step_id\":42,", StringComparison.Ordinal));

            var ended = S.Run($"Stop-NmInstance -Id {id}; Get-NmInstance -Id {id} | Complete-NmStep -Value @{{ 555001 = 'x' }}");
            var error = Assert.Single(ended.Errors);
            Assert.StartsWith("WorkflowTools.StepNotDetermined,", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void Without_StepId_the_instance_is_read_first_and_a_missing_one_is_NotFound_with_nothing_posted()
        {
            var mark = _f.Mark();
            var result = S.Run("Complete-NmStep -InstanceId 999999 -Value @{ 123456 = 'x' }");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("WorkflowTools.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(999999L, Convert.ToInt64(error.TargetObject));
            Assert.Empty(result.Output);
            var sent = _f.RequestsSince(mark);
            Assert.Equal(new[] { "GET" }, sent.Select(r => r.Method));
            Assert.Contains("/instances/999999/", sent.Single().Path, StringComparison.Ordinal);
        }
    }
}
