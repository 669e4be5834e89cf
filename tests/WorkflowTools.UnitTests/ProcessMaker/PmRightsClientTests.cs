using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;
using ProcessMakerStore = WorkflowTools.Sandbox.ProcessMakerStore;
using SandboxServer = WorkflowTools.Sandbox.SandboxServer;
using Sb = WorkflowTools.Sandbox;

namespace WorkflowTools.UnitTests.ProcessMaker
{
    /// <summary>What the client makes of PM4's cancel rights and self-service tasks (against the sandbox, which models them).</summary>
    public class PmRightsClientTests
    {
        private static PmClient Client(SandboxServer sandbox, string token) =>
            new PmClient(new ApiClient(
                new ConnectionSettings { ServiceName = "ProcessMaker", BaseUri = sandbox.ProcessMakerBaseUri, MaxRetries = 0 },
                new SecretAuthorization("Bearer", SecretAuthorization.FromPlainText(token))));

        [Fact]
        public async Task A_refused_cancel_names_the_process_settings_as_the_cause()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var requester = sandbox.ProcessMaker.Requests.First(r => r.UserId == ProcessMakerStore.OrdinaryUserId && r.Status == "ACTIVE");
            var ex = await Assert.ThrowsAsync<ApiException>(() => Client(sandbox, ProcessMakerStore.UserToken).CancelRequestAsync(requester.Id, CancellationToken.None));
            Assert.Equal(ApiErrorKind.Forbidden, ex.Kind);
            Assert.Equal(403, ex.StatusCode);
            Assert.Contains($"Request {requester.Id} was not canceled", ex.Message);
            Assert.Contains("Not authorized to cancel this request.", ex.Message);
            Assert.Contains("process's settings", ex.Message);
            Assert.Contains("starting the request is not enough", ex.Message);
            Assert.Equal("ACTIVE", sandbox.ProcessMaker.FindRequest(requester.Id)!.Status);
        }

        [Fact]
        public async Task A_user_of_a_cancel_group_cancels()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var pm = sandbox.ProcessMaker;
            pm.AddUser(new Sb.PmUser(30, "clerk", "C", "Lerk", false, "clerk"));
            pm.AddToken("clerk-token", 30);
            pm.AddGroup(new Sb.PmGroup(4, "Clerks", new long[] { 30 }));
            pm.AddProcess(new Sb.PmProcess(60, "Leave", new[] { new Sb.PmStartEvent("node_1", "Start") }, new[] { new Sb.PmTaskDefinition("node_2", "Approve") }) { CancelGroups = new long[] { 4 } });
            var request = pm.AddRequest(60, userId: ProcessMakerStore.OrdinaryUserId);
            await Client(sandbox, "clerk-token").CancelRequestAsync(request.Id, CancellationToken.None);
            Assert.Equal("CANCELED", pm.FindRequest(request.Id)!.Status);
        }

        [Fact]
        public async Task A_self_service_task_comes_out_unassigned_and_can_be_completed_as_it_is()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var pm = sandbox.ProcessMaker;
            pm.AddUser(new Sb.PmUser(30, "clerk", "C", "Lerk", false, "clerk"));
            pm.AddToken("clerk-token", 30);
            pm.AddGroup(new Sb.PmGroup(4, "Clerks", new long[] { 30 }));
            pm.AddProcess(new Sb.PmProcess(60, "Leave", new[] { new Sb.PmStartEvent("node_1", "Start") },
                new[] { new Sb.PmTaskDefinition("node_2", "Record", new Sb.PmSelfService(new long[] { 4 }, Array.Empty<long>())) }));
            var request = pm.AddRequest(60, userId: ProcessMakerStore.OrdinaryUserId);
            var client = Client(sandbox, "clerk-token");

            var tasks = new List<PmTask>();
            await foreach (var task in client.ListTasksAsync(new PmTaskQuery { UserId = 30 }))
            {
                tasks.Add(task);
            }

            var offered = Assert.Single(tasks);
            Assert.True(offered.IsSelfService);
            Assert.Null(offered.UserId);
            Assert.Equal(request.Id, offered.RequestId);

            var done = await client.CompleteTaskAsync(offered.Id, new System.Collections.Hashtable { ["recorded"] = true }, CancellationToken.None);
            Assert.Equal(PmTaskStatus.Closed, done.Status);
            Assert.Null(done.UserId);
        }
    }
}
