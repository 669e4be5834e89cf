using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>
    /// A request's data (<c>PUT requests/{id}</c> with only <c>data</c>), as ProcessMaker 4.15.6's
    /// ProcessRequestController::update handles it: the given keys are merged into the stored data (PHP
    /// <c>array_merge</c>: top-level keys replaced, the others kept), strings trimmed and empty strings stored as null
    /// (Laravel's TrimStrings and ConvertEmptyStringsToNull); answered 204.
    /// </summary>
    internal sealed class PmRequestDataClient
    {
        private readonly PmClient _client;

        public PmRequestDataClient(PmClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        /// <summary>
        /// Merges <paramref name="data"/> into request <paramref name="id"/>'s data. Not resent when the outcome is
        /// unknown (a merge that raced with another edit must not be applied twice); the error then says how to check.
        /// </summary>
        public async Task MergeDataAsync(long id, IDictionary data, CancellationToken cancellationToken)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }

            var api = _client.Http;
            var body = new Dictionary<string, object?> { ["data"] = data };
            var request = new ApiRequest("PUT", api.Resolve($"requests/{Id(id)}"), JsonBody.Serialize(body), idempotent: false)
            {
                Operation = $"edit the data of request {Id(id)}",
            };
            try
            {
                await api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.Forbidden)
            {
                // ProcessRequestPolicy::editData: edit-task_data while the request is active, edit-request_data once it
                // is not (or the process's own edit-data setting); starting the request is not enough.
                throw new ApiException(ApiErrorKind.Forbidden, $"The data of request {Id(id)} was not changed: this user may not edit it ({ex.StatusCode}: {ex.Detail ?? ex.BodyExcerpt}). ProcessMaker asks for the permission \"edit-task_data\" while a request is active and \"edit-request_data\" once it has finished (or the process's own edit-data setting); administrators have both.", ex)
                {
                    StatusCode = ex.StatusCode,
                    Method = ex.Method,
                    RequestPath = ex.RequestPath,
                    Detail = ex.Detail,
                    BodyExcerpt = ex.BodyExcerpt,
                };
            }
        }

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    }
}
