using System.Management.Automation;
using System.Text.Json;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>Set-NmInstance, Stop-NmInstance and Remove-NmInstance: what goes over the wire, batching, -WhatIf, per-item errors.</summary>
    public class NmInstanceChangeTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public NmInstanceChangeTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        private static JsonElement Body(RecordedRequest r) => JsonDocument.Parse(r.Body).RootElement;

        private static long[] Ids(RecordedRequest r) => Body(r).GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();

        /// <summary>Creates instances of workflow 1 with a tag of their own, so a test can find exactly them.</summary>
        private (string Tag, long[] Ids) NewInstances(int count)
        {
            var tag = "t" + Guid.NewGuid().ToString("N").Substring(0, 10);
            var ids = S.Run($"1..{count} | ForEach-Object {{ New-NmInstance -ProcessId 1 -Name \"Change test $_\" -Tag {tag} }}").ThrowIfFailed()
                .Output.Select(o => o.P<long>("Id")).ToArray();
            Assert.Equal(count, ids.Length);
            return (tag, ids);
        }

        [Fact]
        public void Set_NmInstance_sends_only_the_given_fields_with_PATCH_and_passes_the_result_through()
        {
            var (_, ids) = NewInstances(1);
            var mark = _f.Mark();
            var result = S.Run($"Set-NmInstance -Id {ids[0]} -Name 'Renamed' -Priority VeryHigh -Deadline ([datetime]::new(2026, 3, 1, 12, 0, 0, [DateTimeKind]::Utc)) -PassThru").Single();

            var request = Assert.Single(_f.RequestsSince(mark));
            Assert.Equal("PATCH", request.Method);
            Assert.Equal($"/nextmatter/api/instances/{ids[0]}/", request.Path);
            Assert.Equal("{\"name\":\"Renamed\",\"deadline\":\"2026-03-01T12:00:00.000Z\",\"priority\":\"V\"}", request.Body);
            Assert.Equal(200, request.StatusCode);

            Assert.Equal("WorkflowTools.NextMatter.NmInstance", result.TypeName());
            Assert.Equal("Renamed", result.P<string>("Name"));
            Assert.Equal("VeryHigh", result.P<string>("Priority"));
            Assert.Equal(new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc), result.P<DateTime>("Deadline"));
            Assert.StartsWith("t", result.P("Tags")!.ToString());
            Assert.Equal("Renamed", _f.Sandbox.NextMatter.FindInstance(ids[0])!.Name);
        }

        [Fact]
        public void Set_NmInstance_replaces_adds_and_removes_tags_and_clears_deadline_and_priority()
        {
            var (tag, ids) = NewInstances(1);
            var id = ids[0];

            var mark = _f.Mark();
            S.Run($"Set-NmInstance -Id {id} -AddTag vip,{tag}").ThrowIfFailed();
            var requests = _f.RequestsSince(mark);
            Assert.Equal(new[] { "GET", "PATCH" }, requests.Select(r => r.Method));
            Assert.Equal($"{{\"tags\":[\"{tag}\",\"vip\"]}}", requests[1].Body);

            mark = _f.Mark();
            S.Run($"Set-NmInstance -Id {id} -RemoveTag {tag}").ThrowIfFailed();
            Assert.Equal("{\"tags\":[\"vip\"]}", _f.RequestsSince(mark).Last().Body);

            mark = _f.Mark();
            S.Run($"Set-NmInstance -Id {id} -Priority High").ThrowIfFailed();
            Assert.Equal("{\"priority\":\"H\"}", Assert.Single(_f.RequestsSince(mark)).Body);

            mark = _f.Mark();
            S.Run($"Set-NmInstance -Id {id} -Tag @() -Deadline $null -Priority Regular").ThrowIfFailed();
            // Regular is priority left out ("If you don't send this parameter, the priority will be Regular"), which a
            // PATCH would read as "unchanged": the instance is read and sent whole with PUT, without priority.
            var requests2 = _f.RequestsSince(mark);
            Assert.Equal(new[] { "GET", "PUT" }, requests2.Select(r => r.Method));
            var put = Body(requests2[1]);
            Assert.False(put.TryGetProperty("priority", out _), requests2[1].Body);
            Assert.Equal(JsonValueKind.Null, put.GetProperty("deadline").ValueKind);
            Assert.Empty(put.GetProperty("tags").EnumerateArray());
            Assert.EndsWith("/processes/1/", put.GetProperty("process").GetString());
            var stored = _f.Sandbox.NextMatter.FindInstance(id)!;
            Assert.Empty(stored.Tags);
            Assert.Null(stored.Priority);
            Assert.Null(stored.Deadline);
        }

        [Fact]
        public void Set_NmInstance_takes_instances_from_the_pipeline_and_WhatIf_sends_nothing()
        {
            var (tag, ids) = NewInstances(3);
            var mark = _f.Mark();
            var whatIf = S.Run($"Get-NmInstance -ProcessId 1 -Tag {tag} | Set-NmInstance -Priority High -WhatIf");
            whatIf.ThrowIfFailed();
            Assert.Empty(whatIf.Output);
            Assert.All(_f.RequestsSince(mark), r => Assert.Equal("GET", r.Method));

            mark = _f.Mark();
            S.Run($"Get-NmInstance -ProcessId 1 -Tag {tag} | Set-NmInstance -Priority High").ThrowIfFailed();
            var patches = _f.RequestsSince(mark).Where(r => r.Method == "PATCH").ToList();
            Assert.Equal(ids.Select(i => $"/nextmatter/api/instances/{i}/"), patches.Select(p => p.Path));
            Assert.All(patches, p => Assert.Equal("{\"priority\":\"H\"}", p.Body));
        }

        [Fact]
        public void Set_NmInstance_falls_back_to_a_full_PUT_when_PATCH_is_not_allowed()
        {
            var (tag, ids) = NewInstances(1);
            _f.Sandbox.Faults.Add(new FaultRule { Method = "PATCH", PathContains = $"/instances/{ids[0]}/", Kind = FaultKind.Status, StatusCode = 405, Times = 1 });
            var mark = _f.Mark();
            var result = S.Run($"Set-NmInstance -Id {ids[0]} -Name 'Put instead' -PassThru").Single();
            var requests = _f.RequestsSince(mark);
            Assert.Equal(new[] { "PATCH", "GET", "PUT" }, requests.Select(r => r.Method));
            var put = Body(requests[2]);
            Assert.Equal("Put instead", put.GetProperty("name").GetString());
            Assert.EndsWith("/processes/1/", put.GetProperty("process").GetString());
            Assert.Equal(new[] { tag }, put.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.False(put.TryGetProperty("priority", out _), "a Regular instance's PUT leaves priority out, never null");
            Assert.Equal("Put instead", result.P<string>("Name"));
            Assert.Equal(tag, result.P("Tags")!.ToString());
        }

        [Fact]
        public void Set_NmInstance_without_a_change_or_for_a_missing_instance_is_an_error_record()
        {
            var mark = _f.Mark();
            var nothing = S.Run("Set-NmInstance -Id 1001");
            Assert.StartsWith("WorkflowTools.NothingToChange,", Assert.Single(nothing.AllErrors).FullyQualifiedErrorId);
            Assert.Empty(_f.RequestsSince(mark));

            var missing = Assert.Single(S.Run("Set-NmInstance -Id 999999 -Name x").Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", missing.FullyQualifiedErrorId);
            Assert.Equal(999999L, Convert.ToInt64(missing.TargetObject));
        }

        [Fact]
        public void Running_instances_piped_into_Stop_NmInstance_are_aborted_in_one_bulk_request()
        {
            var running = _f.Sandbox.NextMatter.Instances.Where(i => i.ProcessId == 1 && i.Status == "running").Select(i => i.Id).OrderBy(i => i).ToArray();
            Assert.True(running.Length > 5);

            var mark = _f.Mark();
            var whatIf = S.Run("Get-NmInstance -ProcessId 1 -Status Running | Stop-NmInstance -WhatIf");
            whatIf.ThrowIfFailed();
            Assert.All(_f.RequestsSince(mark), r => Assert.Equal("GET", r.Method));
            Assert.All(running, id => Assert.Equal("running", _f.Sandbox.NextMatter.FindInstance(id)!.Status));

            mark = _f.Mark();
            var result = S.Run("Get-NmInstance -ProcessId 1 -Status Running | Stop-NmInstance");
            result.ThrowIfFailed();
            Assert.Empty(result.Output);
            var post = Assert.Single(_f.RequestsSince(mark), r => r.Method == "POST");
            Assert.Equal("/nextmatter/api/instances/bulk/abort", post.Path);
            Assert.Equal(running, Ids(post).OrderBy(i => i));
            Assert.Equal(201, post.StatusCode);
            Assert.All(running, id => Assert.Equal("aborted", _f.Sandbox.NextMatter.FindInstance(id)!.Status));
            Assert.Empty(S.Run("Get-NmInstance -ProcessId 1 -Status Running").ThrowIfFailed().Output);
        }

        [Fact]
        public void Stop_NmInstance_sends_its_batches_after_the_listing_was_read_whole()
        {
            var (tag, ids) = NewInstances(12);
            var mark = _f.Mark();
            var result = S.Run($"Get-NmInstance -ProcessId 1 -Tag {tag} -PageSize 4 | Stop-NmInstance -BatchSize 5 -PassThru");
            result.ThrowIfFailed();
            var posts = _f.RequestsSince(mark).Where(r => r.Method == "POST").ToList();
            Assert.Equal(new[] { 5, 5, 2 }, posts.Select(p => Ids(p).Length));
            Assert.Equal(ids, posts.SelectMany(Ids));

            Assert.Contains(result.Progress, p => p.StatusDescription == "Request 3 of 3");
            Assert.Equal(12, result.Output.Count);
            Assert.All(result.Output, o => Assert.Equal("WorkflowTools.NextMatter.NmBulkResult", o.TypeName()));
            Assert.Equal(ids, result.Output.Select(o => o.P<long>("InstanceId")));
            Assert.All(result.Output, o => Assert.Equal("Abort", o.P<string>("Operation")));
            Assert.Equal(new[] { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 2, 2 }, result.Output.Select(o => o.P<int>("BatchSize")));

            // The listing (three pages of four) was read whole before the first abort.
            var log = _f.RequestsSince(mark);
            Assert.Equal(3, log.Count(r => r.Method == "GET"));
            Assert.True(log.FindLastIndex(r => r.Method == "GET") < log.FindIndex(r => r.Method == "POST"), string.Join(", ", log.Select(r => r.Method + r.Query)));
        }

        [Fact]
        public void A_listing_filtered_on_the_status_is_not_cut_short_by_the_aborts_it_feeds()
        {
            // Page-number paging over "running" instances: aborting while paging would shift the later pages.
            var (tag, ids) = NewInstances(12);
            var result = S.Run($"Get-NmInstance -ProcessId 1 -Tag {tag} -Status Running -PageSize 4 | Stop-NmInstance -BatchSize 4");
            result.ThrowIfFailed();
            Assert.Empty(result.Warnings);
            Assert.All(ids, id => Assert.Equal("aborted", _f.Sandbox.NextMatter.FindInstance(id)!.Status));
        }

        [Fact]
        public void One_bad_id_in_a_batch_is_reported_against_itself_and_the_others_are_still_aborted()
        {
            var (_, ids) = NewInstances(2);
            var mark = _f.Mark();
            var result = S.Run($"{ids[0]}, 999999, {ids[1]}, {ids[0]} | Stop-NmInstance -PassThru");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(999999L, Convert.ToInt64(error.TargetObject));
            Assert.Equal(ids, result.Output.Select(o => o.P<long>("InstanceId")));

            // Bare ids carry no status: each is read once before the abort (an ended one would be left out).
            var requests = _f.RequestsSince(mark);
            Assert.Equal(3, requests.Count(r => r.Method == "GET"));
            var posts = requests.Where(r => r.Method == "POST").ToList();
            Assert.Equal(new[] { ids[0], 999999, ids[1] }, Ids(posts[0]));
            Assert.Equal(404, posts[0].StatusCode);
            Assert.Equal(new[] { new[] { ids[0] }, new[] { 999999L, ids[1] }, new[] { 999999L }, new[] { ids[1] } }, posts.Skip(1).Select(Ids));
            Assert.All(ids, id => Assert.Equal("aborted", _f.Sandbox.NextMatter.FindInstance(id)!.Status));
        }

        [Fact]
        public void ErrorAction_Stop_stops_a_bulk_abort_at_the_first_refused_id()
        {
            var result = S.Run("Stop-NmInstance -Id 999998 -ErrorAction Stop; 'after'");
            Assert.NotNull(result.TerminatingError);
            Assert.DoesNotContain(result.Output, o => o.ToString() == "after");
            Assert.StartsWith("WorkflowTools.NotFound", result.TerminatingRecord!.FullyQualifiedErrorId);
        }

        [Fact]
        public void Remove_NmInstance_is_high_impact_and_does_not_delete_without_confirmation()
        {
            var (_, ids) = NewInstances(1);
            var command = S.Run("Get-Command Remove-NmInstance").Single();
            var type = (Type)command.P("ImplementingType")!;
            var attribute = (CmdletAttribute)Attribute.GetCustomAttribute(type, typeof(CmdletAttribute))!;
            Assert.Equal(ConfirmImpact.High, attribute.ConfirmImpact);
            Assert.True(attribute.SupportsShouldProcess);

            var mark = _f.Mark();

            // The hosted engine cannot ask, so the prompt fails; what matters is that nothing was deleted.
            var unconfirmed = S.Run($"Remove-NmInstance -Id {ids[0]}");
            Assert.NotEmpty(unconfirmed.AllErrors);
            S.Run($"Remove-NmInstance -Id {ids[0]} -WhatIf").ThrowIfFailed();
            S.Run($"Remove-NmInstance -Id {ids[0]} -Force -WhatIf").ThrowIfFailed();
            Assert.Empty(_f.RequestsSince(mark));
            Assert.NotNull(_f.Sandbox.NextMatter.FindInstance(ids[0]));
        }

        [Fact]
        public void Remove_NmInstance_Force_deletes_in_bulk()
        {
            var (tag, ids) = NewInstances(3);
            var mark = _f.Mark();
            var result = S.Run($"Get-NmInstance -ProcessId 1 -Tag {tag} | Remove-NmInstance -Force -PassThru");
            result.ThrowIfFailed();
            var post = Assert.Single(_f.RequestsSince(mark), r => r.Method == "POST");
            Assert.Equal("/nextmatter/api/instances/bulk/delete", post.Path);
            Assert.Equal(ids, Ids(post));
            Assert.Equal(204, post.StatusCode);
            Assert.Equal(ids, result.Output.Select(o => o.P<long>("InstanceId")));
            Assert.All(result.Output, o => Assert.Equal("Delete", o.P<string>("Operation")));
            Assert.All(ids, id => Assert.Null(_f.Sandbox.NextMatter.FindInstance(id)));

            var gone = Assert.Single(S.Run($"Get-NmInstance -Id {ids[0]}").Errors);
            Assert.StartsWith("WorkflowTools.NotFound,", gone.FullyQualifiedErrorId);
        }

        [Fact]
        public void Remove_NmInstance_Confirm_false_deletes_without_Force()
        {
            var (_, ids) = NewInstances(1);
            S.Run($"Remove-NmInstance -Id {ids[0]} -Confirm:$false").ThrowIfFailed();
            Assert.Null(_f.Sandbox.NextMatter.FindInstance(ids[0]));
        }
    
        [Fact]
        public void A_listing_that_changes_while_it_is_read_warns_that_rows_may_be_missed()
        {
            var (tag, _) = NewInstances(6);
            var result = S.Run($"Get-NmInstance -ProcessId 1 -Tag {tag} -PageSize 2 | ForEach-Object {{ Set-NmInstance -Id $_.Id -RemoveTag {tag}; $_ }}");
            var warning = Assert.Single(result.Warnings);
            Assert.Contains("changed while it was read", warning);
            Assert.Contains("collect the listing first", warning);

            var (tag2, _) = NewInstances(6);
            var collected = S.Run($"$items = @(Get-NmInstance -ProcessId 1 -Tag {tag2} -PageSize 2); $items | ForEach-Object {{ Set-NmInstance -Id $_.Id -RemoveTag {tag2}; $_ }}");
            collected.ThrowIfFailed();
            Assert.Empty(collected.Warnings);
            Assert.Equal(6, collected.Output.Count);
        }
    }
}
