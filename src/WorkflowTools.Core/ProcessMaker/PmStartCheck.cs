using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Concurrency;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>What one start sent, as the check after an unknown outcome compares it with the requests it finds.</summary>
    internal sealed class PmStartSent
    {
        public PmStartSent(long processId, string startEventId, byte[] body)
        {
            ProcessId = processId;
            StartEventId = startEventId;
            using var doc = JsonDocument.Parse(body);
            Data = doc.RootElement.Clone();
        }

        public long ProcessId { get; }

        public string StartEventId { get; }

        public JsonElement Data { get; }

        /// <summary>
        /// Whether <paramref name="request"/> could be this start's: same process, and its data holds the data
        /// sent. ProcessMaker's API does not show which start event began a request, so the event is not compared
        /// (an input of the same run with the same data at another event therefore counts as one that may
        /// account for it).
        /// </summary>
        public bool CouldHaveStarted(PmRequest request)
        {
            if (request.ProcessId != ProcessId || request.Data == null)
            {
                return false;
            }

            using var stored = JsonDocument.Parse(JsonBody.Serialize(request.Data));
            return JsonSubset.Holds(stored.RootElement, Data);
        }
    }

    /// <summary>
    /// The check after a start whose outcome is unknown. It looks at the process's requests started after the
    /// start was sent (by this token's user, when the token says whose it is), leaves out those another input of
    /// the same run created, and names one as "most likely the one this call created" only when exactly one holds
    /// the data sent, the token names its user, and no other input of the run still in doubt could account for
    /// it. Otherwise it says plainly that it could not tell, and lists the candidates. Nothing is started or
    /// resent here.
    /// </summary>
    internal static class PmStartCheck
    {
        /// <summary>How far the server's clock may be behind when matching requests to a start.</summary>
        public static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(30);

        /// <summary>How many recent requests are looked through at most.</summary>
        private const int MaxLookedAt = 500;

        private const int MaxListed = 10;

        public static async Task<ApiException> RunAsync(PmClient client, ApiException ex, CreateRun<PmStartSent>.Entry entry, DateTime sentAt, CancellationToken cancellationToken)
        {
            var sent = entry.Sent;
            try
            {
                var me = await client.GetCurrentUserIdAsync(cancellationToken).ConfigureAwait(false);
                var since = sentAt - ClockSlack;
                var by = me is long user ? $"by you (user {user.ToString(CultureInfo.InvariantCulture)})" : "by anyone (this token does not say whose it is)";
                var query = new PmRequestQuery { ProcessId = sent.ProcessId, SortBy = PmRequestSortBy.Id, Descending = true, PageSize = 100, IncludeData = true };
                var recent = new List<PmRequest>();
                var older = false;
                var lookedAt = 0;
                var complete = true;
                await foreach (var found in client.ListRequestsAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    if (++lookedAt > MaxLookedAt)
                    {
                        complete = false;
                        break;
                    }

                    var started = found.InitiatedAt ?? found.CreatedAt;
                    if (!(started is DateTime at) || at < since)
                    {
                        // Newest first: everything from here on was there before the request.
                        older = true;
                        break;
                    }

                    if (me is long mine && found.UserId != mine)
                    {
                        continue;
                    }

                    recent.Add(found);
                }

                // Read after the listing, so that inputs answered meanwhile count as settled.
                var theirs = entry.Run.CreatedByOthers(entry);
                var inDoubt = entry.Run.InDoubtOthers(entry);
                var candidates = recent.Where(r => !theirs.Contains(r.Id)).ToList();
                var accounted = recent.Count - candidates.Count;
                var sinceText = since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
                var othersNote = accounted > 0 ? $" ({accounted} more started then were created by other inputs of this run)" : string.Empty;

                if (candidates.Count == 0 && complete)
                {
                    var before = older ? " (requests started before the request was sent exist; they are not this call's)" : string.Empty;
                    return ex.WithReconciliation($"Checked: none found - process {sent.ProcessId} has no request started {by} since {sinceText}{othersNote}{before}, so it was most likely not created (if the server's clock is behind this machine's by more than {ClockSlack.TotalSeconds:0} s, look yourself).");
                }

                var holding = candidates.Where(sent.CouldHaveStarted).ToList();
                if (holding.Count == 1 && me != null && complete)
                {
                    var only = holding[0];
                    var sharers = inDoubt.Count(other => other.CouldHaveStarted(only));
                    if (sharers == 0)
                    {
                        return ex.WithReconciliation($"Checked: process {sent.ProcessId} has 1 request(s) started {by} since {sinceText} that hold the data this call sent: {Describe(only)}{othersNote}; it is most likely the one this call created.", new[] { only.Id });
                    }

                    return CouldNotTell(ex, $"request {only.Id} holds the data this call sent, but so does what {sharers} other input(s) of this run sent whose outcome is not known", holding);
                }

                if (holding.Count == 1 && complete)
                {
                    return CouldNotTell(ex, $"request {holding[0].Id} of process {sent.ProcessId}, started since {sinceText}, holds the data this call sent, but this token does not say whose it is, so it may be another user's", holding);
                }

                if (holding.Count > 0)
                {
                    return CouldNotTell(ex, $"{holding.Count} request(s) of process {sent.ProcessId} started {by} since {sinceText} hold the data this call sent{(complete ? string.Empty : $" (only the newest {MaxLookedAt} were looked at)")}", holding);
                }

                var scope = complete ? string.Empty : $" (only the newest {MaxLookedAt} were looked at)";
                return CouldNotTell(ex, $"{candidates.Count} request(s) of process {sent.ProcessId} were started {by} since {sinceText}{othersNote}{scope}, and none of them holds the data this call sent (ProcessMaker may have cleaned or changed it since)", candidates);
            }
            catch (ApiException check)
            {
                return ex.WithReconciliation($"It could not be checked either: {check.Message}");
            }
        }

        private static ApiException CouldNotTell(ApiException ex, string why, IReadOnlyList<PmRequest> candidates)
        {
            var listed = string.Join(", ", candidates.Take(MaxListed).Select(Describe)) + (candidates.Count > MaxListed ? $" and {candidates.Count - MaxListed} more" : string.Empty);
            return ex.WithReconciliation($"Checked, and could not tell whether it was created: {why}. Candidates: {listed}. Look at them (Get-PmRequest -Id ... -IncludeData) before starting it again.", candidates.Select(c => c.Id).ToArray());
        }

        private static string Describe(PmRequest request) =>
            $"{request.Id.ToString(CultureInfo.InvariantCulture)} (started {(request.InitiatedAt ?? request.CreatedAt):yyyy-MM-dd HH:mm:ss} UTC)";
    }
}
