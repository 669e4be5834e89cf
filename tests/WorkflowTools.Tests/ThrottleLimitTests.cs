using System.Diagnostics;
using System.Threading;
using System.Management.Automation;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests
{
    /// <summary>The sandbox clock follows wall time here, so the request log shows when requests arrived.</summary>
    public sealed class RealTimeSandboxFixture : SandboxFixture
    {
        protected override SandboxOptions Options => new SandboxOptions { RealTimeClock = true };
    }

    /// <summary>-ThrottleLimit / -Unordered on the bulk cmdlets: order, errors, WhatIf, overlap, rate limit.</summary>
    public class ThrottleLimitTests : IClassFixture<RealTimeSandboxFixture>
    {
        private readonly RealTimeSandboxFixture _f;

        public ThrottleLimitTests(RealTimeSandboxFixture fixture)
        {
            _f = fixture;
            _f.Sandbox.Faults.Clear();
        }

        private PsSession S => _f.Session;

        private static string Rows(int count, string prefix, long processId = 1) =>
            "@(" + string.Join(", ", Enumerable.Range(1, count).Select(i => $"[pscustomobject]@{{ ProcessId = {processId}; Name = '{prefix} {i}' }}")) + ")";

        /// <summary>Six fresh instances; completing the first one is made 6 s slow (its path is unique), far longer than the other five take, even on a loaded machine.</summary>
        private List<long> SixInstancesTheFirstSlow(string prefix)
        {
            var ids = S.Run($"{Rows(6, prefix)} | New-NmInstance").ThrowIfFailed().Output.Select(o => o.P<long>("Id")).ToList();
            _f.Sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = $"/instances/{ids[0]}/complete_step/", Kind = FaultKind.Delay, Delay = TimeSpan.FromSeconds(6), Times = 1 });
            S.Set("ids", ids.ToArray());
            return ids;
        }

        [Fact]
        public void Output_keeps_input_order_by_default_even_when_the_first_item_is_the_slowest()
        {
            var ids = SixInstancesTheFirstSlow("Ordered");
            var mark = _f.Mark();
            var result = S.Run("$ids | ForEach-Object { [pscustomobject]@{ InstanceId = $_; ProcessId = 1 } } | Complete-NmStep -StepId 42 -Value @{ 123456 = 'v' } -ThrottleLimit 4");

            result.ThrowIfFailed();
            Assert.Equal(ids, result.Output.Select(o => o.P<long>("InstanceId")));

            // The server finished the first item last (the log is in order of completion), yet it was written first.
            // The rows name their workflow (as Get-NmInstance rows do), so only its form is read besides the completions.
            var completed = _f.RequestsSince(mark).Where(r => r.Method == "POST").ToList();
            Assert.Equal(6, completed.Count);
            Assert.Contains($"/instances/{ids[0]}/", _f.Sandbox.Requests.All.Last(r => r.Method == "POST").Path);
        }

        [Fact]
        public void Unordered_writes_results_as_they_complete()
        {
            var ids = SixInstancesTheFirstSlow("Unordered");
            var result = S.Run("$ids | ForEach-Object { [pscustomobject]@{ InstanceId = $_; ProcessId = 1 } } | Complete-NmStep -StepId 42 -Value @{ 123456 = 'v' } -ThrottleLimit 4 -Unordered");

            result.ThrowIfFailed();
            var written = result.Output.Select(o => o.P<long>("InstanceId")).ToList();
            Assert.Equal(ids[0], written.Last());
            Assert.Equal(ids.OrderBy(i => i), written.OrderBy(i => i));
        }

        [Fact]
        public void Errors_stay_per_item_with_the_same_records_and_targets_as_sequential()
        {
            const string input = "@([pscustomobject]@{ ProcessId = 1; Name = 'E ok 1' }, [pscustomobject]@{ ProcessId = 9999; Name = 'E missing' }, [pscustomobject]@{ ProcessId = 1; Name = 'E ok 2' }, [pscustomobject]@{ ProcessId = 9998 }, [pscustomobject]@{ ProcessId = 1; Name = 'E ok 3' })";
            var sequential = S.Run($"{input} | New-NmInstance");
            var parallel = S.Run($"{input} | New-NmInstance -ThrottleLimit 8");

            Assert.Null(parallel.TerminatingError);
            Assert.Equal(new[] { "E ok 1", "E ok 2", "E ok 3" }, parallel.Output.Select(o => o.P<string>("Name")));
            Assert.Equal(2, parallel.Errors.Count);
            Assert.Equal(sequential.Errors.Select(e => e.FullyQualifiedErrorId), parallel.Errors.Select(e => e.FullyQualifiedErrorId));
            Assert.Equal(sequential.Errors.Select(e => e.CategoryInfo.Category), parallel.Errors.Select(e => e.CategoryInfo.Category));
            Assert.All(parallel.Errors, e => Assert.StartsWith("WorkflowTools.", e.FullyQualifiedErrorId));
            Assert.All(parallel.Errors, e => Assert.Equal("NmNewInstance", e.TargetObject?.GetType().Name));
            Assert.Equal(sequential.Errors.Select(e => e.TargetObject?.GetType()), parallel.Errors.Select(e => e.TargetObject?.GetType()));
            var targets = parallel.Errors.Select(e => new PSObject(e.TargetObject).P<long>("ProcessId")).ToList();
            Assert.Equal(new long[] { 9999, 9998 }, targets);

            // Complete-NmStep: the target is the instance id, as in sequential mode.
            var steps = S.Run("@(9999991, 9999992) | ForEach-Object { [pscustomobject]@{ InstanceId = $_; StepId = 42 } } | Complete-NmStep -ThrottleLimit 4 -Value @{ 123456 = 'x' }");
            Assert.Equal(new object[] { 9999991L, 9999992L }, steps.Errors.Select(e => e.TargetObject));
            Assert.All(steps.Errors, e => Assert.Equal("WorkflowTools.NotFound", e.FullyQualifiedErrorId.Split(',')[0]));
        }

        [Fact]
        public void WhatIf_with_ThrottleLimit_sends_nothing()
        {
            var mark = _f.Mark();
            var result = S.Run($"{Rows(5, "WhatIf")} | New-NmInstance -ThrottleLimit 8 -WhatIf; Start-PmRequest -ProcessId 1 -ThrottleLimit 4 -WhatIf; Complete-NmStep -InstanceId 1 -StepId 42 -ThrottleLimit 4 -WhatIf");

            result.ThrowIfFailed();
            Assert.Empty(result.Output);
            Assert.Empty(_f.RequestsSince(mark));
        }

        [Fact]
        public void Requests_overlap_16_items_of_3_s_with_ThrottleLimit_8_take_far_less_than_16_times_3_s()
        {
            _f.Sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/nextmatter/api/instances/", Kind = FaultKind.Delay, Delay = TimeSpan.FromSeconds(3), Times = 16 });
            var watch = Stopwatch.StartNew();
            var result = S.Run($"{Rows(16, "Overlap")} | New-NmInstance -ThrottleLimit 8");
            watch.Stop();

            result.ThrowIfFailed();
            Assert.Equal(16, result.Output.Count);

            // Sequential would need 48 s; 8 at a time need two rounds of 3 s. The bound, half the sequential time, leaves
            // 18 s for a heavily loaded machine and still fails when fewer than two requests are in flight at once.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(24), $"took {watch.Elapsed.TotalSeconds:0.0} s");
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(5.9), $"took {watch.Elapsed.TotalSeconds:0.0} s: the delay was not applied");
        }

        [Fact]
        public void New_NmInstance_piped_into_Complete_NmStep_both_in_parallel_completes_every_instance_once()
        {
            var mark = _f.Mark();
            var result = S.Run($"{Rows(12, "Chain")} | New-NmInstance -ThrottleLimit 4 | Tee-Object -Variable made | Complete-NmStep -StepId 42 -Value @{{ 123456 = 'v' }} -ThrottleLimit 4");

            result.ThrowIfFailed();
            Assert.Equal(12, result.Output.Count);
            var requests = _f.RequestsSince(mark);
            Assert.Equal(12, requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/instances/", StringComparison.Ordinal)));
            var completes = requests.Where(r => r.Path.EndsWith("/complete_step/", StringComparison.Ordinal)).ToList();
            Assert.Equal(12, completes.Count);
            Assert.All(completes, r => Assert.Equal(200, r.StatusCode));
            Assert.Equal(12, completes.Select(r => r.Path).Distinct().Count());

            // In input order at both stages: instances in row order, completions in the instances' order.
            var made = ((System.Collections.IEnumerable)S.Get("made")!).Cast<object>().Select(o => o as PSObject ?? new PSObject(o)).ToList();
            Assert.Equal(Enumerable.Range(1, 12).Select(i => $"Chain {i}"), made.Select(o => o.P<string>("Name")));
            Assert.Equal(made.Select(o => o.P<long>("Id")), result.Output.Select(o => o.P<long>("InstanceId")));
        }

        [Fact]
        public void Start_PmRequest_in_parallel_looks_up_the_start_event_once_and_keeps_order()
        {
            var mark = _f.Mark();
            var result = S.Run("1..8 | ForEach-Object { [pscustomobject]@{ ProcessId = 1; Data = @{ n = $_ } } } | Start-PmRequest -ThrottleLimit 4");

            result.ThrowIfFailed();
            Assert.Equal(8, result.Output.Count);
            var starts = _f.RequestsSince(mark).Where(r => r.Method == "POST").ToList();
            Assert.Equal(8, starts.Count);
            var ids = result.Output.Select(o => o.P<long>("Id")).ToList();
            Assert.Equal(8, ids.Distinct().Count());
            var data = ids.Select(id => (int)_f.Sandbox.ProcessMaker.FindRequest(id)!.Data["n"]!).ToList();
            Assert.Equal(Enumerable.Range(1, 8), data);

            var failed = S.Run("@(3, 9999) | ForEach-Object { [pscustomobject]@{ ProcessId = $_ } } | Start-PmRequest -ThrottleLimit 4");
            // The target is the input (process, start event, data), so each failed row can be found again.
            Assert.Equal(new object[] { 3L, 9999L }, failed.Errors.Select(e => new PSObject(e.TargetObject).Properties["ProcessId"].Value));
            Assert.Equal("WorkflowTools.StartEventNotDetermined", failed.Errors[0].FullyQualifiedErrorId.Split(',')[0]);
        }

        [Fact]
        public void The_connection_rate_limit_holds_with_16_in_flight()
        {
            // 600 per minute: a burst of 60, then 10 per second, shared by the 16 requests in flight. The test reads the
            // connection's own pacer schedule (the slots it handed out), so nothing here depends on machine load.
            // Connect-NmService makes the paced connection the session's current one; the other tests need the unpaced one back.
            S.Run($"$paced = Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $__nmKey -RequestsPerMinute 600 -PassThru").ThrowIfFailed();
            long mark;
            Stopwatch watch;
            PsResult result;
            object connection;
            try
            {
                connection = S.Run("$paced").Single().BaseObject;
                mark = _f.Mark();
                watch = Stopwatch.StartNew();
                result = S.Run($"{Rows(90, "Paced")} | New-NmInstance -ThrottleLimit 16 -Connection $paced");
                watch.Stop();
            }
            finally
            {
                S.ConnectTo(_f.Sandbox);
            }

            result.ThrowIfFailed();
            Assert.Equal(90, result.Output.Count);
            var posts = _f.RequestsSince(mark).Where(r => r.Method == "POST").ToList();
            Assert.Equal(90, posts.Count);
            Assert.DoesNotContain(_f.RequestsSince(mark), r => r.StatusCode == 429);

            // Every request took its slot from the one pacer of the connection, in order.
            var slots = PacerSlots(connection);
            Assert.Equal(90, slots.Count);
            Assert.Equal(slots.OrderBy(t => t), slots);
            // Whatever the machine's load: no stretch of the schedule holds more than the burst plus the rate over its
            // length (the token bucket's promise), so 16 in flight never pushed past 600/min.
            for (var i = 0; i < slots.Count; i++)
            {
                for (var j = i + 1; j < slots.Count; j++)
                {
                    var allowed = 60 + (10 * (slots[j] - slots[i]).TotalSeconds) + 1e-6;
                    Assert.True(j - i + 1 <= allowed, $"{j - i + 1} slots within {(slots[j] - slots[i]).TotalSeconds:0.000} s (at most {Math.Floor(allowed)})");
                }
            }

            // 90 requests at a burst of 60 and 10/s: the schedule is at least 2.9 s long, and the requests waited for it.
            Assert.True(slots[^1] - slots[0] >= TimeSpan.FromSeconds(2.9), $"schedule of {(slots[^1] - slots[0]).TotalSeconds:0.00} s");
            // The requests really waited for their slots: wall time is at least the schedule's length (load only adds).
            Assert.True(watch.Elapsed >= slots[^1] - slots[0] - TimeSpan.FromMilliseconds(50), $"took {watch.Elapsed.TotalSeconds:0.00} s for a {(slots[^1] - slots[0]).TotalSeconds:0.00} s schedule");
        }

        /// <summary>The slots the connection's pacer handed out (the connection object is the module's, loaded in its own context).</summary>
        private static List<TimeSpan> PacerSlots(object connection)
        {
            var flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
            var client = connection.GetType().GetProperty("Http", flags)!.GetValue(connection)!;
            var pacer = client.GetType().GetProperty("Pacer", flags)!.GetValue(client)!;
            var slots = (System.Collections.IEnumerable)pacer.GetType().GetMethod("RecentSlots")!.Invoke(pacer, null)!;
            return slots.Cast<TimeSpan>().ToList();
        }

        [Fact]
        public void Stopping_the_pipeline_cancels_every_request_in_flight()
        {
            // Each answer would take 10 min (the sandbox drops a delayed request when its client gives up).
            var delayed = new FaultRule { Method = "POST", PathContains = "/nextmatter/api/instances/", Kind = FaultKind.Delay, Delay = TimeSpan.FromMinutes(10), Times = 8 };
            _f.Sandbox.Faults.Add(delayed);
            var mark = _f.Mark();
            using var ps = PowerShell.Create();
            ps.Runspace = S.Runspace;
            ps.AddScript($"{Rows(8, "Stopped")} | New-NmInstance -ThrottleLimit 8");
            var async = ps.BeginInvoke();
            // The sandbox logs a request only when it ends: wait until all eight have met the delay, however loaded the machine.
            var arrival = Stopwatch.StartNew();
            while (delayed.Hits < 8)
            {
                Assert.True(arrival.Elapsed < TimeSpan.FromSeconds(60), $"only {delayed.Hits} of 8 requests reached the sandbox in 60 s");
                Thread.Sleep(20);
            }

            var watch = Stopwatch.StartNew();
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(async));
            watch.Stop();
            // Stopping takes milliseconds; the bound is for a heavily loaded machine, far below the 10 min delay.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"stopping took {watch.Elapsed.TotalSeconds:0.0} s");

            // The delayed requests were abandoned by the client: the sandbox saw them aborted, none created.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (_f.RequestsSince(mark).Count < 8 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }

            var requests = _f.RequestsSince(mark);
            Assert.True(8 == requests.Count, $"log {requests.Count}, instances {_f.Sandbox.NextMatter.Instances.Count(i => i.Name?.StartsWith("Stopped", StringComparison.Ordinal) == true)}, stop {watch.ElapsedMilliseconds} ms");
            Assert.All(requests, r => Assert.Equal(0, r.StatusCode));
        }

        [Fact]
        public void ErrorAction_Stop_stops_at_the_first_error_and_still_reports_requests_already_sent()
        {
            var ids = S.Run($"{Rows(2, "Stop")} | New-NmInstance").ThrowIfFailed().Output.Select(o => o.P<long>("Id")).ToArray();
            _f.Sandbox.Faults.Add(new FaultRule { Method = "POST", PathContains = "/instances/9999993/complete_step/", Kind = FaultKind.Delay, Delay = TimeSpan.FromSeconds(5), Times = 1 });
            var mark = _f.Mark();
            S.Set("ids", new long[] { 9999993, ids[0], ids[1] });
            var result = S.Run(
                "$seen = [System.Collections.Generic.List[object]]::new(); $stopError = $null; " +
                "try { $ids | ForEach-Object { [pscustomobject]@{ InstanceId = $_ } } | Complete-NmStep -StepId 42 -Value @{ 123456 = 'v' } -ThrottleLimit 4 -ErrorAction Stop | ForEach-Object { $seen.Add($_) } } " +
                "catch { $stopError = $_ }; $seen");

            var stop = Assert.IsType<ErrorRecord>(S.Get("stopError") is PSObject wrapped ? wrapped.BaseObject : S.Get("stopError"));
            Assert.Equal("WorkflowTools.NotFound", stop.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(9999993L, stop.TargetObject);

            // The two behind it were already sent when the error came back: they were applied, and the user sees them.
            Assert.Equal(2, _f.RequestsSince(mark).Count(r => r.Method == "POST" && r.StatusCode == 200));
            Assert.Equal(ids, result.Output.Select(o => o.P<long>("InstanceId")));
        }
    }
}
