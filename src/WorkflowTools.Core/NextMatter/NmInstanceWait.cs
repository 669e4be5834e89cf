using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Waiting;

namespace WorkflowTools.NextMatter
{
    /// <summary>
    /// Waiting for Next Matter instances: the instances of one workflow are read <see cref="BatchSize"/> at a time by
    /// one listing request (<c>GET processes/{pid}/instances/?instance_ids=1,2,…&amp;limit=n</c>). An instance whose
    /// workflow is not known (a bare id) is read once on its own, which tells its workflow; from then on it is
    /// polled with the others of that workflow. A finished instance from a slim listing row (only id, name, status)
    /// is read in full before it is handed out.
    /// </summary>
    internal static class NmInstanceWait
    {
        /// <summary>Ids per listing request: one page (Next Matter's default page is 100 rows).</summary>
        public const int BatchSize = 100;

        /// <summary>The states an instance does not leave.</summary>
        public static readonly NmInstanceStatus[] FinalStates = { NmInstanceStatus.Completed, NmInstanceStatus.Aborted };

        public static WaitSet<NmInstance> CreateSet(NmClient client, IReadOnlyCollection<NmInstanceStatus> wanted) =>
            new WaitSet<NmInstance>(
                (group, ids, ct) => group is long processId ? PollWorkflowAsync(client, processId, ids, wanted, ct) : PollEachAsync(client, ids, ct),
                i => i.Id,
                i => i.ProcessId > 0 ? i.ProcessId : (long?)null,
                i => i.Status is NmInstanceStatus s && wanted.Contains(s),
                i => i.Status is NmInstanceStatus s && FinalStates.Contains(s),
                BatchSize);

        private static async Task<PollResult<NmInstance>> PollWorkflowAsync(NmClient client, long processId, IReadOnlyList<long> ids, IReadOnlyCollection<NmInstanceStatus> wanted, CancellationToken cancellationToken)
        {
            var query = new NmInstanceQuery { InstanceIds = ids.ToArray(), PageSize = ids.Count };
            var found = new List<NmInstance>();
            await foreach (var instance in client.ListInstancesAsync(processId, query).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                found.Add(instance);
                if (found.Count >= ids.Count)
                {
                    break;
                }
            }

            var failures = new List<KeyValuePair<long, ApiException>>();
            for (var i = 0; i < found.Count; i++)
            {
                var row = found[i];
                if (row.Status is NmInstanceStatus s && wanted.Contains(s) && row.ActiveStepIds == null)
                {
                    // A slim row: the caller gets the whole instance.
                    found[i] = await client.GetInstanceAsync(row.Id, false, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var missing in ids.Except(found.Select(r => r.Id)).ToList())
            {
                // Not in its workflow's listing (deleted, or of another workflow): read it alone.
                try
                {
                    found.Add(await client.GetInstanceAsync(missing, false, cancellationToken).ConfigureAwait(false));
                }
                catch (ApiException ex) when (ex.Kind == ApiErrorKind.NotFound || ex.Kind == ApiErrorKind.Forbidden)
                {
                    failures.Add(new KeyValuePair<long, ApiException>(missing, ex));
                }
            }

            return new PollResult<NmInstance>(found, failures);
        }

        private static async Task<PollResult<NmInstance>> PollEachAsync(NmClient client, IReadOnlyList<long> ids, CancellationToken cancellationToken)
        {
            var found = new List<NmInstance>();
            var failures = new List<KeyValuePair<long, ApiException>>();
            foreach (var id in ids)
            {
                try
                {
                    found.Add(await client.GetInstanceAsync(id, false, cancellationToken).ConfigureAwait(false));
                }
                catch (ApiException ex) when (ex.Kind == ApiErrorKind.NotFound || ex.Kind == ApiErrorKind.Forbidden)
                {
                    failures.Add(new KeyValuePair<long, ApiException>(id, ex));
                }
            }

            return new PollResult<NmInstance>(found, failures);
        }
    }
}
