using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Aborts running Next Matter instances, in bulk.</summary>
    /// <remarks>
    /// Collects the instance ids that reach it (from -Id or the pipeline, e.g. the output of Get-NmInstance), asks
    /// ShouldProcess for each, and, once the input has ended, aborts them with Next Matter's bulk abort (POST
    /// instances/bulk/abort), up to -BatchSize ids per request. Waiting for the end of the input keeps a listing
    /// that is filtered on the status (Get-NmInstance -Status Running) from shifting under its own paging. When Next
    /// Matter refuses a batch because of an id in it (unknown, not yours), the batch is sent again in halves until
    /// the refused id stands alone, so the others are still aborted and the refused one is reported as an error
    /// with its id as the target.
    /// Completed and aborted instances stay as they are: a piped instance whose Status is Completed or Aborted is not
    /// sent, with a warning that says so (Next Matter itself would answer as if it had aborted it). An id that comes
    /// without a status (-Id 1003, piped numbers) is read first, and an ended one is left out with the same warning.
    /// -WhatIf sends nothing.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Stop, "NmInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NmBulkResult))]
    public sealed class StopNmInstanceCommand : NmBulkInstanceCmdlet
    {
        internal override NmBulkOperation Operation => NmBulkOperation.Abort;

        /// <summary>Confirmed ids that came without a Status (a bare -Id, piped numbers): read before they are sent.</summary>
        private readonly HashSet<long> _statusUnknown = new HashSet<long>();

        internal override bool Confirm(long id, string target)
        {
            // The Status of a piped instance or CSV row: a finished one is not sent.
            var status = PipedRow.Value(InputObject, nameof(NmInstance.Status));
            if (status is NmInstanceStatus known ? Ended(known)
                : status is string text && Enum.TryParse(text.Trim(), true, out NmInstanceStatus parsed) && Ended(parsed))
            {
                WriteWarning(AlreadyEnded(target, status));
                return false;
            }

            if (!ShouldProcess(target, "Abort"))
            {
                return false;
            }

            if (status == null)
            {
                _statusUnknown.Add(id);
            }

            return true;
        }

        /// <summary>
        /// Next Matter answers a bulk abort of a completed instance as if it had aborted it, so an instance whose status
        /// is not known is read first; an ended one is left out with the same warning as a piped one. When it cannot
        /// be read, it is sent, and the bulk request reports what is wrong with it.
        /// </summary>
        internal override List<long> Screen(List<long> confirmed)
        {
            var unknown = confirmed.Where(_statusUnknown.Contains).ToArray();
            if (unknown.Length == 0)
            {
                return confirmed;
            }

            WriteVerbose($"Reading the status of {unknown.Length.ToString(CultureInfo.InvariantCulture)} instance(s) given by id before aborting.");
            var statuses = Run(async ct =>
            {
                var found = new Dictionary<long, NmInstanceStatus>();
                foreach (var id in unknown)
                {
                    try
                    {
                        if ((await Api.GetInstanceAsync(id, false, ct).ConfigureAwait(false)).Status is NmInstanceStatus status)
                        {
                            found[id] = status;
                        }
                    }
                    catch (ApiException)
                    {
                        // Sent as it is: the bulk request's answer says what is wrong with this id.
                    }
                }

                return found;
            });

            var send = new List<long>(confirmed.Count);
            foreach (var id in confirmed)
            {
                if (statuses.TryGetValue(id, out var status) && Ended(status))
                {
                    WriteWarning(AlreadyEnded($"instance {id.ToString(CultureInfo.InvariantCulture)}", status));
                    continue;
                }

                send.Add(id);
            }

            return send;
        }

        private static bool Ended(NmInstanceStatus status) => status == NmInstanceStatus.Completed || status == NmInstanceStatus.Aborted;

        private static string AlreadyEnded(string target, object status) => $"The {target} is already {status}; it was not aborted.";
    }
}
