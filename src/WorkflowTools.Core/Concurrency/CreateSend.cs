using System;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.Concurrency
{
    /// <summary>
    /// Sends one create (a Next Matter instance, a ProcessMaker request) and accounts for its outcome in its
    /// <see cref="CreateRun{TSent}"/> entry: the id the answer names; "not created" for a failure the retry rules
    /// know was not applied; and, when the outcome is unknown or the server accepted the create but its answer is
    /// unreadable, the service's check (<c>NmCreateCheck</c>, <c>PmStartCheck</c>), whose error replaces the
    /// failure. Nothing here resends.
    /// </summary>
    internal static class CreateSend
    {
        /// <param name="entry">The input's entry in its run, begun just before this call.</param>
        /// <param name="send">Sends the request and reads the created object from the answer.</param>
        /// <param name="idOf">The created object's id.</param>
        /// <param name="check">The service's check after an unknown outcome: given the failure and the time the create was sent.</param>
        /// <param name="acceptedUnreadable">What to tell the user when the server accepted the create but its answer cannot be read.</param>
        /// <param name="refusal">The service's own reading of a refusal (an error to throw instead), or null to keep the failure.</param>
        public static async Task<T> RunAsync<TSent, T>(
            CreateRun<TSent>.Entry entry,
            Func<Task<T>> send,
            Func<T, long> idOf,
            Func<ApiException, DateTime, Task<ApiException>> check,
            string acceptedUnreadable,
            Func<ApiException, ApiException?>? refusal = null)
            where TSent : class
        {
            var sentAt = DateTime.UtcNow;
            try
            {
                try
                {
                    var created = await send().ConfigureAwait(false);
                    entry.Created(idOf(created));
                    return created;
                }
                catch (ApiException ex) when (ex.Kind == ApiErrorKind.OutcomeUnknown)
                {
                    throw await check(ex, sentAt).ConfigureAwait(false);
                }
                catch (ApiException ex) when (ex.Kind == ApiErrorKind.InvalidResponse && ex.StatusCode >= 200 && ex.StatusCode < 300)
                {
                    // The server accepted the create; only its answer is unreadable (cut short, not JSON). Say so, and do not resend.
                    throw await check(ex.WithReconciliation(acceptedUnreadable), sentAt).ConfigureAwait(false);
                }
                catch (ApiException ex) when (refusal?.Invoke(ex) is { } mapped)
                {
                    throw mapped;
                }
            }
            catch (ApiException ex) when (!ex.MayHaveBeenApplied && !(ex.StatusCode >= 200 && ex.StatusCode < 300))
            {
                // Any other failure is one the retry rules know was not applied.
                entry.NotCreated();
                throw;
            }
        }
    }
}
