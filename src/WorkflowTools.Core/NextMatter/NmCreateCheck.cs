using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Concurrency;
using WorkflowTools.Http;

namespace WorkflowTools.NextMatter
{
    /// <summary>What one create sent, as the check after an unknown outcome compares it with the instances it finds.</summary>
    internal sealed class NmCreateSent
    {
        public NmCreateSent(NmNewInstance spec)
        {
            ProcessId = spec.ProcessId;
            Name = spec.Name;
            Tags = (spec.Tags ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToArray();
            Priority = spec.Priority;
        }

        public long ProcessId { get; }

        public string? Name { get; }

        public IReadOnlyList<string> Tags { get; }

        public NmPriority? Priority { get; }

        /// <summary>Whether <paramref name="instance"/> could be this create's: same name, same tags, the priority sent (when one was).</summary>
        public bool CouldHaveCreated(NmInstance instance)
        {
            if (!string.Equals(instance.Name, Name, StringComparison.Ordinal))
            {
                return false;
            }

            if (instance.ProcessId != 0 && instance.ProcessId != ProcessId)
            {
                return false;
            }

            var tags = instance.Tags == null ? null : instance.Tags.Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToArray();
            if (tags == null ? Tags.Count > 0 : !tags.SequenceEqual(Tags, StringComparer.Ordinal))
            {
                return false;
            }

            return Priority == null || instance.Priority == Priority;
        }

        /// <summary>Whether another input sent the same thing, so that what one of them created may be the other's.</summary>
        public bool SameAs(NmCreateSent other) =>
            other.ProcessId == ProcessId && string.Equals(other.Name, Name, StringComparison.Ordinal)
            && other.Tags.SequenceEqual(Tags, StringComparer.Ordinal) && (Priority == null || other.Priority == null || other.Priority == Priority);
    }

    /// <summary>
    /// The check after a create whose outcome is unknown. It looks at the workflow's instances with the name sent,
    /// started after the create was sent, leaves out those another input of the same run created, and names one
    /// as "most likely the one this call created" only when exactly one also has the tags (and priority) sent and
    /// no other input of the run still in doubt sent the same. Otherwise it says plainly that it could not tell,
    /// and lists the candidates. Nothing is created or resent here.
    /// </summary>
    internal static class NmCreateCheck
    {
        /// <summary>How far the server's clock may be behind when matching instances to a create.</summary>
        public static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(30);

        private const int MaxLookedAt = 500;

        private const int MaxListed = 10;

        public static async Task<ApiException> RunAsync(NmClient client, ApiException ex, CreateRun<NmCreateSent>.Entry entry, DateTime sentAt, CancellationToken cancellationToken)
        {
            var sent = entry.Sent;
            if (string.IsNullOrEmpty(sent.Name))
            {
                return ex.WithReconciliation("It could not be checked: the instance was given no name to look for.");
            }

            try
            {
                var query = new NmInstanceQuery { Name = sent.Name, SortBy = NmInstanceSortBy.StartedTime, Descending = true, PageSize = 100 };
                var recent = new List<NmInstance>();
                var older = false;
                var complete = true;
                var lookedAt = 0;
                // A little slack for the server's clock being behind this machine's.
                var since = sentAt - ClockSlack;
                await foreach (var instance in client.ListInstancesAsync(sent.ProcessId, query).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    if (++lookedAt > MaxLookedAt)
                    {
                        complete = false;
                        break;
                    }

                    if (!string.Equals(instance.Name, sent.Name, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (!(instance.StartedTime is DateTime started) || started < since)
                    {
                        // Newest first: everything from here on was there before the request.
                        older = true;
                        break;
                    }

                    recent.Add(instance);
                }

                // Read after the listing, so that inputs answered meanwhile count as settled.
                var theirs = entry.Run.CreatedByOthers(entry);
                var inDoubt = entry.Run.InDoubtOthers(entry);
                var candidates = recent.Where(i => !theirs.Contains(i.Id)).ToList();
                var accounted = recent.Count - candidates.Count;
                var sinceText = since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
                var othersNote = accounted > 0 ? $" ({accounted} more of that name started then were created by other inputs of this run)" : string.Empty;

                if (candidates.Count == 0 && complete)
                {
                    var before = older ? " (instances of that name started before the request was sent exist; they are not this call's)" : string.Empty;
                    return ex.WithReconciliation($"Checked: none found - workflow {sent.ProcessId} has no instance named '{sent.Name}' started since {sinceText}{othersNote}{before}, so it was most likely not created (if the server's clock is behind this machine's by more than {ClockSlack.TotalSeconds:0} s, look yourself).");
                }

                var holding = candidates.Where(sent.CouldHaveCreated).ToList();
                var sharers = inDoubt.Count(other => sent.SameAs(other));
                if (holding.Count == 1 && complete && sharers == 0)
                {
                    return ex.WithReconciliation($"Checked: workflow {sent.ProcessId} has 1 instance(s) named '{sent.Name}': {Describe(holding[0])}, started since {sinceText} with the tags{(sent.Priority == null ? string.Empty : " and priority")} this call sent{othersNote}; it is most likely the one this call created.", new[] { holding[0].Id });
                }

                string why;
                if (holding.Count == 1 && complete)
                {
                    why = $"instance {holding[0].Id} of workflow {sent.ProcessId} is named '{sent.Name}' and has the tags sent, but {sharers} other input(s) of this run sent the same and their outcome is not known";
                }
                else if (holding.Count > 0)
                {
                    why = $"{holding.Count} instances of workflow {sent.ProcessId} named '{sent.Name}' with the tags sent were started since {sinceText}{othersNote}{(complete ? string.Empty : $" (only the newest {MaxLookedAt} were looked at)")}";
                }
                else
                {
                    why = $"{candidates.Count} instance(s) of workflow {sent.ProcessId} named '{sent.Name}' were started since {sinceText}{othersNote}{(complete ? string.Empty : $" (only the newest {MaxLookedAt} were looked at)")}, and none of them has the tags{(sent.Priority == null ? string.Empty : " and priority")} this call sent";
                }

                var listedFrom = holding.Count > 0 ? holding : candidates;
                var listed = string.Join(", ", listedFrom.Take(MaxListed).Select(Describe)) + (listedFrom.Count > MaxListed ? $" and {listedFrom.Count - MaxListed} more" : string.Empty);
                return ex.WithReconciliation($"Checked, and could not tell whether it was created: {why}. Candidates: {listed}. Look at them (Get-NmInstance -Id ...) before creating it again.", listedFrom.Select(i => i.Id).ToArray());
            }
            catch (ApiException check)
            {
                return ex.WithReconciliation($"It could not be checked either: {check.Message}");
            }
        }

        private static string Describe(NmInstance instance) =>
            $"{instance.Id.ToString(CultureInfo.InvariantCulture)} (started {instance.StartedTime:yyyy-MM-dd HH:mm:ss} UTC)";
    }
}
