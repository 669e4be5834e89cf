using System.Management.Automation;
using System.Threading.Tasks;
using WorkflowTools.Tests.Harness;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.Tests.Reliability
{
    /// <summary>
    /// Issue 17 item 12 in the engine: a garbage listing row is a non-terminating WorkflowTools.InvalidRow error in its
    /// place, never an object, so a piped Stop or Complete never acts on it. Look-alike servers on loopback.
    /// </summary>
    public class GarbageRowCmdletTests
    {
        private const string Key = "garbage.Cmdlet-Key-24680";
        private const string Rows = "[1, {\"id\":3,\"name\":\"real\"}, {\"name\":\"no id, key " + Key + "\"}]";

        private static PsSession Connected(LookAlikeServer server, bool nm)
        {
            var s = new PsSession();
            s.Set("__secret", PsSession.Secure(Key));
            s.Run(nm
                ? $"Connect-NmService -BaseUri '{server.Root}api/' -ApiKey $__secret -RequestsPerMinute 0 -MaxRetries 0"
                : $"Connect-PmServer -BaseUri '{server.Root}' -AccessToken $__secret -MaxRetries 0").ThrowIfFailed();
            return s;
        }

        [Fact]
        public async Task Get_NmInstance_writes_an_error_for_each_garbage_row_and_a_piped_Stop_acts_only_on_real_ones()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => c.Request.Method == "GET"
                ? LookAlikeServer.Json(c, "{\"count\":3,\"next\":null,\"results\":" + Rows + "}")
                : LookAlikeServer.Json(c, "{}", 200));
            using var s = Connected(server, nm: true);

            var listed = s.Run("Get-NmInstance -ProcessId 7");
            var only = Assert.Single(listed.Output);
            Assert.Equal(3L, only.P<long>("Id"));
            Assert.Equal("Unknown", only.P("Status")!.ToString());
            Assert.Equal(2, listed.Errors.Count);
            Assert.All(listed.Errors, e =>
            {
                Assert.Equal("WorkflowTools.InvalidRow,WorkflowTools.Cmdlets.NextMatter.GetNmInstanceCommand", e.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidResult, e.CategoryInfo.Category);
                Assert.Equal(7L, e.TargetObject);
                Assert.DoesNotContain(Key, e.Exception.Message);
            });
            Assert.StartsWith("Row 1 of page 1 of the listing was skipped: it is a number, not an object", listed.Errors[0].Exception.Message);
            Assert.StartsWith("Row 3 of page 1 of the listing was skipped: it has no id", listed.Errors[1].Exception.Message);

            // -ErrorAction Stop stops at the first one
            var stopped = s.Run("Get-NmInstance -ProcessId 7 -ErrorAction Stop");
            Assert.NotNull(stopped.TerminatingError);
            Assert.Empty(stopped.Output);

            server.Seen.Clear();
            s.Run("Get-NmInstance -ProcessId 7 -ErrorAction SilentlyContinue | Stop-NmInstance -Confirm:$false -ErrorAction SilentlyContinue");
            Assert.Contains(server.Seen, r => r.Method != "GET"); // the real one was stopped
            Assert.DoesNotContain(server.Seen, r => r.Method != "GET" && !r.Body.Contains("3", StringComparison.Ordinal));
            Assert.DoesNotContain(server.Seen, r => r.PathAndQuery.Contains("/instances/0", StringComparison.Ordinal) || r.Body.Contains("[0]", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Get_PmRequest_writes_an_error_for_a_garbage_row_and_a_piped_Stop_never_sees_it()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => c.Request.Method == "GET" && c.Request.Path.Value!.EndsWith("/requests", StringComparison.Ordinal)
                ? LookAlikeServer.Json(c, "{\"data\":" + Rows + ",\"meta\":{\"current_page\":1,\"last_page\":1,\"total\":3}}")
                : LookAlikeServer.Json(c, "{\"id\":3,\"status\":\"ACTIVE\",\"process_id\":1}"));
            using var s = Connected(server, nm: false);

            var listed = s.Run("Get-PmRequest");
            Assert.Equal(3L, Assert.Single(listed.Output).P<long>("Id"));
            Assert.Equal(2, listed.Errors.Count);
            Assert.All(listed.Errors, e => Assert.StartsWith("WorkflowTools.InvalidRow,", e.FullyQualifiedErrorId));

            server.Seen.Clear();
            s.Run("Get-PmRequest -ErrorAction SilentlyContinue | Stop-PmRequest -Confirm:$false -ErrorAction SilentlyContinue");
            Assert.All(server.Seen.Where(r => r.Method == "PUT"), r => Assert.EndsWith("/requests/3", r.PathAndQuery));
            Assert.Single(server.Seen, r => r.Method == "PUT");
        }

        [Fact]
        public async Task Get_NmProcess_Step_reports_steps_without_an_id_instead_of_writing_them()
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c,
                "{\"id\":7,\"name\":\"W\",\"steps\":[{\"name\":\"no id\"},{\"id\":42,\"name\":\"S\",\"actions\":[]}]}"));
            using var s = Connected(server, nm: true);
            var steps = s.Run("Get-NmProcess -ProcessId 7 -Step");
            Assert.Equal(42L, Assert.Single(steps.Output).P<long>("Id"));
            var error = Assert.Single(steps.Errors);
            Assert.StartsWith("WorkflowTools.InvalidRow,", error.FullyQualifiedErrorId);
            Assert.StartsWith("Step 1 of workflow 7 was left out: it has no id", error.Exception.Message);
        }
    }
}
