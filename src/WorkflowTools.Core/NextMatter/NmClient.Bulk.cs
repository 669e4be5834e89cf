using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.NextMatter
{
    // The bulk endpoint (abort or delete many instances in one request), split in halves when Next Matter
    // refuses a batch for what one of its ids is.
    internal sealed partial class NmClient
    {
        /// <summary>
        /// Aborts or deletes instances with one bulk request. When Next Matter refuses a batch for what one of its ids
        /// is (404 unknown, 403 or 401 not permitted, 400), the batch is halved and each half sent again, down to
        /// single ids, so the good ids still go through and every refusal is reported against its own id — a few
        /// requests for a bad id among a hundred instead of a hundred. Next Matter files "token lacks necessary
        /// permissions" under 401: the first 401 while nothing succeeded yet is checked with a read of one of the
        /// instances. When the key is refused there as well it is the key, and the whole call is reported with that
        /// error (two requests); otherwise the batch is split as for 403. Other failures (5xx, network) fail the
        /// whole batch.
        /// </summary>
        public async Task<IReadOnlyList<NmBulkOutcome>> BulkAsync(NmBulkOperation operation, IReadOnlyList<long> ids, CancellationToken cancellationToken)
        {
            var outcomes = new List<NmBulkOutcome>(ids.Count);
            if (ids.Count > 0)
            {
                await SendOrSplitAsync(operation, ids.ToArray(), outcomes, new BulkState(), cancellationToken).ConfigureAwait(false);
            }

            return outcomes;
        }

        private sealed class BulkState
        {
            public bool AnyAccepted;
            public bool KeyChecked;
            public ApiException? KeyRefused;
        }

        private async Task SendOrSplitAsync(NmBulkOperation operation, long[] ids, List<NmBulkOutcome> outcomes, BulkState state, CancellationToken cancellationToken)
        {
            if (state.KeyRefused != null)
            {
                outcomes.AddRange(ids.Select(id => new NmBulkOutcome(id, ids.Length, state.KeyRefused)));
                return;
            }

            try
            {
                await SendBulkAsync(operation, ids, cancellationToken).ConfigureAwait(false);
                state.AnyAccepted = true;
                outcomes.AddRange(ids.Select(id => new NmBulkOutcome(id, ids.Length, null)));
                return;
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.Unauthorized && ex.StatusCode == 401)
            {
                var refusal = await ClassifyUnauthorizedAsync(ex, ids[0], state, cancellationToken).ConfigureAwait(false);
                if (state.KeyRefused != null || ids.Length == 1)
                {
                    outcomes.AddRange(ids.Select(id => new NmBulkOutcome(id, ids.Length, ids.Length == 1 ? refusal : state.KeyRefused)));
                    return;
                }

                ApiTrace.Verbose($"Next Matter refused a batch of {ids.Length} (401) although the key works; sending it again in two halves to find the id(s) it refuses.");
            }
            catch (ApiException ex) when (ids.Length > 1 && IsPerIdRefusal(ex))
            {
                ApiTrace.Verbose($"Next Matter refused a batch of {ids.Length} ({ex.StatusCode}); sending it again in two halves to find the id(s) it refuses.");
            }
            catch (ApiException ex)
            {
                outcomes.AddRange(ids.Select(id => new NmBulkOutcome(id, ids.Length, ex)));
                return;
            }

            var half = ids.Length / 2;
            await SendOrSplitAsync(operation, ids.Take(half).ToArray(), outcomes, state, cancellationToken).ConfigureAwait(false);
            await SendOrSplitAsync(operation, ids.Skip(half).ToArray(), outcomes, state, cancellationToken).ConfigureAwait(false);
        }

        private static bool IsPerIdRefusal(ApiException ex) =>
            ex.Kind == ApiErrorKind.NotFound || ex.Kind == ApiErrorKind.Forbidden || ex.Kind == ApiErrorKind.Validation;

        /// <summary>
        /// A 401: a permission refusal when the key works for other calls (a batch accepted already, or a read of
        /// one of the instances not answered 401), else the key itself. The key is checked once per bulk call.
        /// </summary>
        private async Task<ApiException> ClassifyUnauthorizedAsync(ApiException ex, long id, BulkState state, CancellationToken cancellationToken)
        {
            if (!state.AnyAccepted && !state.KeyChecked)
            {
                state.KeyChecked = true;
                try
                {
                    await GetInstanceAsync(id, false, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException check) when (check.StatusCode == 401)
                {
                    state.KeyRefused = ex;
                    return ex;
                }
                catch (ApiException)
                {
                    // 403, 404, …: the key was accepted, so the 401 was about this instance.
                }
            }

            if (state.KeyRefused != null)
            {
                return ex;
            }

            return new ApiException(
                ApiErrorKind.Forbidden,
                $"Next Matter refused instance {id} ({ex.StatusCode}: {ex.Detail ?? ex.BodyExcerpt ?? "no detail"}); the API key works for other calls, so it lacks the permission for this instance.",
                ex)
            {
                StatusCode = ex.StatusCode,
                Method = ex.Method,
                RequestPath = ex.RequestPath,
                Detail = ex.Detail,
                BodyExcerpt = ex.BodyExcerpt,
                Attempts = ex.Attempts,
            };
        }

        private Task<ApiResponse> SendBulkAsync(NmBulkOperation operation, IReadOnlyList<long> ids, CancellationToken cancellationToken)
        {
            var path = operation == NmBulkOperation.Abort ? "instances/bulk/abort" : "instances/bulk/delete";
            var body = JsonBody.Serialize(new Dictionary<string, object?> { ["ids"] = ids.ToArray() });

            // Aborting twice changes nothing; deleting twice answers 404 for what the first attempt removed.
            var request = new ApiRequest("POST", _api.Resolve(path), body, idempotent: operation == NmBulkOperation.Abort)
            {
                Operation = $"{(operation == NmBulkOperation.Abort ? "abort" : "delete")} instance(s) {string.Join(", ", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)))}",
            };
            return _api.SendAsync(request, cancellationToken);
        }
    }
}
