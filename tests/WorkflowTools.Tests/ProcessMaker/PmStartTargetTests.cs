using System.Collections;
using System.Management.Automation;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>Issue 17 item 5: a failed Start-PmRequest of a bulk run names the input, not just the process.</summary>
    public class PmStartTargetTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public PmStartTargetTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        public void Each_failed_start_targets_its_own_input_and_says_which_it_was(int throttle)
        {
            _f.Sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/process_events/", Kind = FaultKind.Status, StatusCode = 422, Times = 3 });
            var result = _f.Session.Run($"1..3 | ForEach-Object {{ [pscustomobject]@{{ ProcessId = 1; Data = @{{ row = $_ }} }} }} | Start-PmRequest -ThrottleLimit {throttle}");

            Assert.Equal(3, result.Errors.Count);
            var rows = result.Errors.Select(e =>
            {
                var input = new PSObject(e.TargetObject);
                Assert.Equal(1L, input.P<long>("ProcessId"));
                Assert.Contains("with data {row=", e.ErrorDetails.Message);
                Assert.StartsWith("No request started for process 1", e.ErrorDetails.Message);
                var row = ((IDictionary)input.P<object>("Data"))["row"];
                return Convert.ToInt32(row is PSObject ps ? ps.BaseObject : row);
            }).OrderBy(r => r).ToArray();
            Assert.Equal(new[] { 1, 2, 3 }, rows);
        }
    }
}
