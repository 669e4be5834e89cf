using System.Management.Automation;
using System.Text.RegularExpressions;

namespace WorkflowTools.Tests
{
    /// <summary>Listings that span several pages report progress in the progress stream; one page or $ProgressPreference silence it.</summary>
    public class ProgressTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public ProgressTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        private int InstancesOfWorkflow1 => _f.Sandbox.NextMatter.CountInstances(i => i.ProcessId == 1);

        [Fact]
        public void A_listing_of_several_pages_reports_count_total_and_percent_then_completes()
        {
            var total = InstancesOfWorkflow1;
            Assert.True(total > 10, "the seed has more than two pages of 5 for workflow 1");
            var result = S.Run("Get-NmInstance -ProcessId 1 -PageSize 5").ThrowIfFailed();
            Assert.Equal(total, result.Output.Count);

            var records = result.Progress;
            Assert.NotEmpty(records);
            Assert.All(records, r => Assert.Equal("Listing instances of workflow 1", r.Activity));
            Assert.Single(records.Select(r => r.ActivityId).Distinct());
            var running = records.Where(r => r.RecordType == ProgressRecordType.Processing).ToList();
            var last = running.Last();
            Assert.Equal($"{total} of {total} read (page {(total + 4) / 5})", last.StatusDescription);
            Assert.Equal(100, last.PercentComplete);
            var counts = running.Select(r => int.Parse(Regex.Match(r.StatusDescription, @"^(\d+) of").Groups[1].Value)).ToList();
            Assert.Equal(counts.OrderBy(c => c), counts);
            Assert.Equal(ProgressRecordType.Completed, records.Last().RecordType);
        }

        [Fact]
        public void A_listing_that_fits_one_page_shows_no_progress()
        {
            var result = S.Run("Get-NmInstance -ProcessId 1 -PageSize 500").ThrowIfFailed();
            Assert.Equal(InstancesOfWorkflow1, result.Output.Count);
            Assert.Empty(result.Progress);
        }

        [Fact]
        public void ProgressPreference_SilentlyContinue_silences_it()
        {
            var result = S.Run("$ProgressPreference = 'SilentlyContinue'; Get-NmInstance -ProcessId 1 -PageSize 5").ThrowIfFailed();
            Assert.Equal(InstancesOfWorkflow1, result.Output.Count);
            Assert.Empty(result.Progress);
        }

        [Fact]
        public void A_bulk_pipeline_longer_than_a_second_shows_how_many_items_are_done()
        {
            _f.Sandbox.Faults.Add(new WorkflowTools.Sandbox.FaultRule { Method = "POST", PathContains = "/nextmatter/api/instances/", Kind = WorkflowTools.Sandbox.FaultKind.Delay, Delay = TimeSpan.FromMilliseconds(80), Times = 24 });
            var result = S.Run("1..24 | ForEach-Object { [pscustomobject]@{ ProcessId = 1; Name = \"bulk-progress-$_\" } } | New-NmInstance");
            result.ThrowIfFailed();
            Assert.Equal(24, result.Output.Count);
            var records = result.Progress.Where(p => p.Activity == "New-NmInstance").ToList();
            Assert.NotEmpty(records);
            Assert.Contains(records, p => System.Text.RegularExpressions.Regex.IsMatch(p.StatusDescription, @"^\d+ done, \d+ waiting or in flight$"));
            Assert.Equal(System.Management.Automation.ProgressRecordType.Completed, records.Last().RecordType);
            Assert.Equal("24 done", records.Last().StatusDescription);

            _f.Sandbox.Faults.Add(new WorkflowTools.Sandbox.FaultRule { Method = "POST", PathContains = "/nextmatter/api/instances/", Kind = WorkflowTools.Sandbox.FaultKind.Delay, Delay = TimeSpan.FromMilliseconds(80), Times = 24 });
            var silent = S.Run("& { $ProgressPreference = 'SilentlyContinue'; 1..24 | ForEach-Object { [pscustomobject]@{ ProcessId = 1 } } | New-NmInstance }");
            silent.ThrowIfFailed();
            Assert.DoesNotContain(silent.Progress, p => p.Activity == "New-NmInstance");
        }
    }
}
