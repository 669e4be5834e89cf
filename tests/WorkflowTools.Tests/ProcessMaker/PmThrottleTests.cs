using System.Diagnostics;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>-ThrottleLimit on the ProcessMaker cmdlets that change one thing per item.</summary>
    public class PmThrottleTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public PmThrottleTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        [Fact]
        public void Complete_PmTask_overlaps_requests_and_keeps_input_order()
        {
            var tasks = _f.Session.Run("1..8 | ForEach-Object { Start-PmRequest -ProcessId 1 -Data @{ n = $_ } } | Get-PmTask -Status Active");
            tasks.ThrowIfFailed();
            Assert.Equal(8, tasks.Output.Count);
            _f.Session.Set("tasks", tasks.Output.ToArray());
            _f.Sandbox.Faults.Add(new FaultRule { Method = "PUT", PathContains = "/tasks/", Kind = FaultKind.Delay, Delay = TimeSpan.FromSeconds(5), Times = 8 });

            var watch = Stopwatch.StartNew();
            var done = _f.Session.Run("$tasks | Complete-PmTask -Data @{ approved = $true } -ThrottleLimit 8");
            watch.Stop();
            done.ThrowIfFailed();
            Assert.Equal(tasks.Output.Select(t => t.P<long>("Id")), done.Output.Select(t => t.P<long>("Id")));
            Assert.All(done.Output, t => Assert.Equal("Closed", t.P<string>("Status")));
            // One after another they would take 40 s; overlapped, about 5 s. Half the serial time leaves 15 s for a
            // heavily loaded machine and still fails if fewer than two ran at once.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8 * 5 * 0.5), $"8 completions at 5 s each took {watch.Elapsed.TotalSeconds:0.0} s with -ThrottleLimit 8");
        }

        [Fact]
        public void Stop_PmRequest_in_parallel_reports_each_failure_on_its_own_item()
        {
            var started = _f.Session.Run("1..5 | ForEach-Object { Start-PmRequest -ProcessId 1 }");
            started.ThrowIfFailed();
            var ids = started.Output.Select(r => r.P<long>("Id")).ToList();
            var mark = _f.Mark();
            var result = _f.Session.Run($"{ids[0]}, {ids[1]}, 424242, {ids[2]}, {ids[3]}, {ids[4]} | Stop-PmRequest -ThrottleLimit 4 -PassThru");
            Assert.Equal(ids, result.Output.Select(r => r.P<long>("Id")));
            Assert.All(result.Output, r => Assert.Equal("Canceled", r.P<string>("Status")));
            var error = Assert.Single(result.Errors);
            Assert.Equal(424242L, Convert.ToInt64(error.TargetObject));
            // Each request is read before it is canceled (a finished one is left alone), so the unknown id fails on
            // that read and only the five real ones are sent a cancel.
            var sent = _f.RequestsSince(mark);
            Assert.Equal(5, sent.Count(r => r.Method == "PUT"));
            Assert.DoesNotContain(sent, r => r.Method == "PUT" && r.Path.EndsWith("/424242", StringComparison.Ordinal));
        }

        [Fact]
        public void WhatIf_with_a_throttle_limit_sends_nothing()
        {
            var mark = _f.Mark();
            _f.Session.Run("1..3 | Stop-PmRequest -ThrottleLimit 8 -WhatIf; 1..3 | Complete-PmTask -ThrottleLimit 8 -WhatIf").ThrowIfFailed();
            Assert.Empty(_f.RequestsSince(mark));
        }
    }
}
