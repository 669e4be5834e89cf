using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>The ProcessMaker 4 REST API (<c>/api/1.0</c>), one method per operation. Knows nothing of PowerShell.</summary>
    public sealed class PmClient
    {
        private readonly ApiClient _api;

        public PmClient(ApiClient api)
        {
            _api = api ?? throw new ArgumentNullException(nameof(api));
        }

        public ApiClient Api => _api;

        /// <summary>One process with the start events this user may trigger; null when it does not exist.</summary>
        public async Task<PmProcess?> GetProcessAsync(long id, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", _api.Resolve($"processes/{Id(id)}?include=events")), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == 204 || response.Body.Length == 0)
            {
                // ProcessMaker answers 204 with no body for a process that does not exist.
                return null;
            }

            using var doc = Pager.ParseBody(response);
            var root = doc.RootElement.Prop("data") is JsonElement wrapped && wrapped.ValueKind == JsonValueKind.Object ? wrapped : doc.RootElement;
            return PmProcess.FromJson(root);
        }

        /// <summary>
        /// The start event to use when the user named none: the process's only startable one. Fails with
        /// a message naming the choices when there are none or several.
        /// </summary>
        public async Task<string> ResolveStartEventAsync(long processId, CancellationToken cancellationToken)
        {
            var process = await GetProcessAsync(processId, cancellationToken).ConfigureAwait(false)
                ?? throw new ApiException(ApiErrorKind.NotFound, $"ProcessMaker has no process {processId}.") { StatusCode = 204 };
            var events = process.StartEvents;
            if (events.Count == 1)
            {
                return events[0].Id;
            }

            if (events.Count == 0)
            {
                throw new ApiException(ApiErrorKind.InvalidInput, $"Process {processId} ('{process.Name}') has no start event you may trigger (timer and web-entry events cannot be started through the API).");
            }

            throw new ApiException(ApiErrorKind.InvalidInput, $"Process {processId} ('{process.Name}') has {events.Count} start events: {string.Join(", ", events.Select(e => e.ToString()))}. Choose one with -StartEvent.");
        }

        public async Task<PmRequest> StartRequestAsync(long processId, string startEventId, IDictionary? data, CancellationToken cancellationToken)
        {
            var query = new QueryString().Add("event", startEventId);
            var request = new ApiRequest("POST", _api.Resolve($"process_events/{Id(processId)}{query}"), JsonBody.Serialize(data ?? new Hashtable()), idempotent: false)
            {
                Operation = $"start a request of process {processId} at event {startEventId}",
            };
            try
            {
                var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return ReadRequest(response);
            }
            catch (ApiException ex) when (ex.StatusCode == 403 || ex.StatusCode == 404)
            {
                // The permission middleware answers before the controller: 403 for users, 404 for admins.
                throw new ApiException(ex.StatusCode == 404 ? ApiErrorKind.NotFound : ApiErrorKind.Forbidden, $"Start event '{startEventId}' of process {processId} was not found or you may not start it ({ex.StatusCode}: {ex.Detail ?? ex.BodyExcerpt}).", ex)
                {
                    StatusCode = ex.StatusCode,
                    Method = ex.Method,
                    RequestPath = ex.RequestPath,
                    Detail = ex.Detail,
                    BodyExcerpt = ex.BodyExcerpt,
                };
            }
        }

        public async Task<PmRequest> GetRequestAsync(long id, bool includeData, CancellationToken cancellationToken)
        {
            var query = new QueryString();
            if (includeData)
            {
                query.Add("include", "data");
            }

            var response = await _api.SendAsync(new ApiRequest("GET", _api.Resolve($"requests/{Id(id)}{query}")), cancellationToken).ConfigureAwait(false);
            return ReadRequest(response);
        }

        public IAsyncEnumerable<PmProcess> ListProcessesAsync(QueryString query, Action<PageInfo>? onPage, CancellationToken cancellationToken) =>
            List("processes", query, PmProcess.FromJson, onPage, cancellationToken);

        public IAsyncEnumerable<PmRequest> ListRequestsAsync(QueryString query, Action<PageInfo>? onPage, CancellationToken cancellationToken) =>
            List("requests", query, PmRequest.FromJson, onPage, cancellationToken);

        private IAsyncEnumerable<T> List<T>(string path, QueryString query, Func<JsonElement, T> map, Action<PageInfo>? onPage, CancellationToken cancellationToken)
        {
            var first = _api.Resolve(path + query);
            return Pager.StreamAsync(
                first,
                async (uri, ct) =>
                {
                    var response = await _api.SendAsync(new ApiRequest("GET", uri), ct).ConfigureAwait(false);
                    return LaravelPaging.ReadPage(response, uri, map);
                },
                onPage,
                cancellationToken);
        }

        private static PmRequest ReadRequest(ApiResponse response)
        {
            using var doc = Pager.ParseBody(response);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.Long("id") == null && root.Prop("data") is JsonElement wrapped && wrapped.ValueKind == JsonValueKind.Object)
            {
                root = wrapped;
            }

            if (root.ValueKind != JsonValueKind.Object || root.Long("id") == null)
            {
                throw Pager.Malformed(response, "a request");
            }

            return PmRequest.FromJson(root);
        }

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    }
}
