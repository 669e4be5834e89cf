using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Waiting;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>
    /// Waiting for ProcessMaker requests: one listing request reads up to <see cref="BatchSize"/> of them
    /// (<c>GET requests?pmql=id = 1 OR id = 2 …&amp;per_page=n</c>, no <c>type</c>, so every status is listed), and an id
    /// the listing does not return is read on its own (a missing one is then an error for that id alone).
    /// </summary>
    internal static class PmRequestWait
    {
        /// <summary>Ids per listing request: keeps the query string near 1 kB, far below any server's URL limit.</summary>
        public const int BatchSize = 50;

        /// <summary>The states a request does not leave by itself (the wait for it is over, wanted or not).</summary>
        public static readonly PmRequestStatus[] FinalStates = { PmRequestStatus.Completed, PmRequestStatus.Canceled, PmRequestStatus.Error };

        public static WaitSet<PmRequest> CreateSet(PmClient client, IReadOnlyCollection<PmRequestStatus> wanted) =>
            new WaitSet<PmRequest>(
                (_, ids, ct) => PollAsync(client, ids, ct),
                r => r.Id,
                _ => 0L,
                r => wanted.Contains(r.Status),
                r => FinalStates.Contains(r.Status),
                BatchSize);

        /// <summary>The PMQL that selects exactly these ids (PM4's PMQL: <c>=</c> comparisons joined by OR).</summary>
        public static string IdsPmql(IEnumerable<long> ids) =>
            string.Join(" OR ", ids.Select(id => "id = " + id.ToString(CultureInfo.InvariantCulture)));

        private static async Task<PollResult<PmRequest>> PollAsync(PmClient client, IReadOnlyList<long> ids, CancellationToken cancellationToken)
        {
            var query = new PmRequestQuery { Pmql = IdsPmql(ids), PageSize = ids.Count, SortBy = PmRequestSortBy.Id };
            var found = new List<PmRequest>();
            await foreach (var request in client.ListRequestsAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                found.Add(request);
                if (found.Count >= ids.Count)
                {
                    break;
                }
            }

            var failures = new List<KeyValuePair<long, ApiException>>();
            foreach (var missing in ids.Except(found.Select(r => r.Id)).ToList())
            {
                // Not in the listing: read it alone, so a request that is gone (or not yours) fails by itself.
                try
                {
                    found.Add(await client.GetRequestAsync(missing, false, cancellationToken).ConfigureAwait(false));
                }
                catch (ApiException ex) when (ex.Kind == ApiErrorKind.NotFound || ex.Kind == ApiErrorKind.Forbidden)
                {
                    failures.Add(new KeyValuePair<long, ApiException>(missing, ex));
                }
            }

            return new PollResult<PmRequest>(found, failures);
        }
    }
}
