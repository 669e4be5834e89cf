using System;
using System.Collections;
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
    /// <summary>The ProcessMaker 4 REST API (<c>/api/1.0</c>), one method per operation. Knows nothing of PowerShell.</summary>
    internal sealed partial class PmClient
    {
        private readonly ApiClient _api;
        private readonly IAuthorizationSource? _auth;

        public PmClient(ApiClient api, IAuthorizationSource? auth = null)
        {
            _api = api ?? throw new ArgumentNullException(nameof(api));
            _auth = auth;
        }

        public ApiClient Http => _api;

        /// <summary>One process with the start events this user may trigger; null when it does not exist.</summary>
        public async Task<PmProcess?> GetProcessAsync(long id, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", _api.Resolve($"processes/{Id(id)}?include=events")), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == 204 || response.Body.Length == 0)
            {
                // ProcessMaker answers 204 with no body for a process that does not exist.
                return null;
            }

            using var doc = JsonAnswer.Parse(response);
            var root = doc.RootElement.Prop("data") is JsonElement wrapped && wrapped.ValueKind == JsonValueKind.Object ? wrapped : doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !(root.Long("id") > 0))
            {
                throw JsonAnswer.Malformed(response, "a process (an object with a positive id)");
            }

            return PmProcess.FromJson(root);
        }

        /// <summary>
        /// The start event to use when the user named none: the process's only startable one. Fails with
        /// a message naming the choices when there are none or several.
        /// </summary>
        public async Task<string> ResolveStartEventAsync(long processId, CancellationToken cancellationToken)
        {
            var (process, _) = await VisibleProcessAsync(processId, cancellationToken).ConfigureAwait(false);
            if (process == null)
            {
                throw new ApiException(ApiErrorKind.NotFound, $"ProcessMaker has no process {processId} (or none you may start).") { StatusCode = 204 };
            }

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

        /// <summary>
        /// A process by id for any user: GET /processes/{id}, or, for a user who may not read /processes (Forbidden),
        /// the process from the list of those the user may start. Null when ProcessMaker has no such process (it
        /// answers 204); the Forbidden error when the process is not among those the user may start either.
        /// </summary>
        public async Task<PmProcess?> GetProcessOrStartableAsync(long processId, CancellationToken cancellationToken)
        {
            var (process, refused) = await VisibleProcessAsync(processId, cancellationToken).ConfigureAwait(false);
            if (process == null && refused != null)
            {
                throw refused;
            }

            return process;
        }

        /// <summary>The process as this user may see it, and the refusal of GET /processes/{id} when the startable list had to answer instead.</summary>
        private async Task<(PmProcess? Process, ApiException? Refused)> VisibleProcessAsync(long processId, CancellationToken cancellationToken)
        {
            try
            {
                return (await GetProcessAsync(processId, cancellationToken).ConfigureAwait(false), null);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.Forbidden)
            {
                // Ordinary users may not read /processes; /start_processes lists what they may start.
                return (await FindStartableProcessAsync(processId, cancellationToken).ConfigureAwait(false), ex);
            }
        }

        /// <summary>A process from the list of those the user may start (for users who may not read /processes); null when it is not there.</summary>
        private async Task<PmProcess?> FindStartableProcessAsync(long processId, CancellationToken cancellationToken)
        {
            var enumerator = ListStartableProcessesAsync(new PmProcessQuery { PageSize = 100 }).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    if (enumerator.Current.Id == processId)
                    {
                        return enumerator.Current;
                    }
                }

                return null;
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Starts a request. <paramref name="run"/> holds the other starts of the same command run (items sent in
        /// parallel), so that the check after an unknown outcome never names a request another input accounts for.
        /// </summary>
        public async Task<PmRequest> StartRequestAsync(long processId, string startEventId, IDictionary? data, CancellationToken cancellationToken, CreateRun<PmStartSent>? run = null)
        {
            var query = new QueryString().Add("event", startEventId);
            var body = JsonBody.Serialize(data ?? new Hashtable());
            var request = new ApiRequest("POST", _api.Resolve($"process_events/{Id(processId)}{query}"), body, idempotent: false)
            {
                Operation = $"start a request of process {processId} at event {startEventId}",
            };
            var entry = (run ?? new CreateRun<PmStartSent>()).Begin(new PmStartSent(processId, startEventId, body));
            return await CreateSend.RunAsync(
                entry,
                async () => ReadRequest(await _api.SendAsync(request, cancellationToken).ConfigureAwait(false)),
                started => started.Id,
                (ex, sentAt) => PmStartCheck.RunAsync(this, ex, entry, sentAt, cancellationToken),
                "The server accepted the request, so the request was most likely created.",
                ex => ex.StatusCode == 403 || ex.StatusCode == 404
                    // The permission middleware answers before the controller: 403 for users, 404 for admins.
                    ? new ApiException(ex.StatusCode == 404 ? ApiErrorKind.NotFound : ApiErrorKind.Forbidden, $"Start event '{startEventId}' of process {processId} was not found or you may not start it ({ex.StatusCode}: {ex.Detail ?? ex.BodyExcerpt}).", ex)
                    {
                        StatusCode = ex.StatusCode,
                        Method = ex.Method,
                        RequestPath = ex.RequestPath,
                        Detail = ex.Detail,
                        BodyExcerpt = ex.BodyExcerpt,
                    }
                    : null).ConfigureAwait(false);
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

        public Listing<PmProcess> ListProcessesAsync(PmProcessQuery query) =>
            List("processes", query.ToQuery(), PmProcess.FromJson);

        /// <summary>The processes this user may start (<c>GET start_processes</c>), each with its startable events.</summary>
        public Listing<PmProcess> ListStartableProcessesAsync(PmProcessQuery query) =>
            List("start_processes", query.ToQuery(), PmProcess.FromJson);

        public Listing<PmRequest> ListRequestsAsync(PmRequestQuery query) =>
            List("requests", query.ToQuery(), PmRequest.FromJson);

        public Listing<PmTask> ListTasksAsync(PmTaskQuery query) =>
            List("tasks", query.ToQuery(), PmTask.FromJson);

        /// <summary>Cancels a request (<c>PUT requests/{id} {"status":"CANCELED"}</c>, answered 204).</summary>
        public async Task CancelRequestAsync(long id, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object?> { ["status"] = "CANCELED" };
            var request = new ApiRequest("PUT", _api.Resolve($"requests/{Id(id)}"), JsonBody.Serialize(body))
            {
                Operation = $"cancel request {id}",
            };
            try
            {
                await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.Forbidden)
            {
                // PM4 (ProcessVersionPolicy::cancel): who may cancel is a setting of the process — its cancel users and
                // groups, its manager when allowed; administrators always. Being the requester is not enough.
                throw new ApiException(ApiErrorKind.Forbidden, $"Request {id} was not canceled: this user may not cancel requests of its process ({ex.StatusCode}: {ex.Detail ?? ex.BodyExcerpt}). ProcessMaker lets administrators cancel, and whoever the process's settings allow (the users and groups under \"Cancel Request\", the process manager when enabled); starting the request is not enough.", ex)
                {
                    StatusCode = ex.StatusCode,
                    Method = ex.Method,
                    RequestPath = ex.RequestPath,
                    Detail = ex.Detail,
                    BodyExcerpt = ex.BodyExcerpt,
                };
            }
        }

        public async Task<PmTask> GetTaskAsync(long id, bool includeData, CancellationToken cancellationToken)
        {
            var query = new QueryString();
            if (includeData)
            {
                query.Add("include", "data");
            }

            var response = await _api.SendAsync(new ApiRequest("GET", _api.Resolve($"tasks/{Id(id)}{query}")), cancellationToken).ConfigureAwait(false);
            return ReadTask(response);
        }

        /// <summary>
        /// Completes a task with form data (<c>PUT tasks/{id} {"status":"COMPLETED","data":{…}}</c>). Data is
        /// always sent (ProcessMaker fails without it). Not resent after an ambiguous failure.
        /// </summary>
        public async Task<PmTask> CompleteTaskAsync(long id, IDictionary? data, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object?> { ["status"] = "COMPLETED", ["data"] = data ?? new Hashtable() };
            var request = new ApiRequest("PUT", _api.Resolve($"tasks/{Id(id)}"), JsonBody.Serialize(body), idempotent: false)
            {
                Operation = $"complete task {id}",
            };
            var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Body.Length == 0)
            {
                // Tolerate a server that answers without a body: read the task back.
                return await GetTaskAsync(id, false, cancellationToken).ConfigureAwait(false);
            }

            return ReadTask(response);
        }

        /// <summary>
        /// The id of the user the connection's token belongs to: the <c>sub</c> claim of the Passport JWT.
        /// Null when the token is not a JWT (then the caller must be told to name the user).
        /// </summary>
        public async Task<long?> GetCurrentUserIdAsync(CancellationToken cancellationToken)
        {
            if (_auth == null)
            {
                return null;
            }

            var header = await _auth.GetHeaderValueAsync(cancellationToken).ConfigureAwait(false);
            return PassportToken.TryReadUserId(header);
        }

        /// <summary>Any call to the API (the escape hatch): path relative to <c>/api/1.0/</c> or absolute on the same host.</summary>
        public Task<ApiResponse> SendAsync(string method, string pathAndQuery, object? body, bool idempotent, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(method, ResolveSameHost(pathAndQuery), body == null ? null : JsonBody.Serialize(body), idempotent)
            {
                Operation = $"{method} {pathAndQuery}",
            };
            return _api.SendAsync(request, cancellationToken);
        }

        /// <summary>Follows a Laravel collection page by page, handing out each item of <c>data</c> as a <see cref="JsonTree"/>.</summary>
        public Listing<object?> StreamCollectionAsync(string pathAndQuery)
        {
            var first = ResolveSameHost(pathAndQuery);
            return Listing.Of(
                first,
                async (uri, ct) =>
                {
                    var response = await _api.SendAsync(new ApiRequest("GET", uri), ct).ConfigureAwait(false);
                    return LaravelPaging.ReadPage(response, uri, JsonTree.From);
                });
        }

        /// <summary>Relative paths resolve under the API base; absolute URLs must be under it too (the token goes with them).</summary>
        public Uri ResolveSameHost(string pathOrUrl)
        {
            var relative = pathOrUrl.TrimStart('/');
            if (relative.StartsWith("api/1.0/", StringComparison.OrdinalIgnoreCase))
            {
                // The user copied a path from the API documentation: it already names the prefix.
                pathOrUrl = relative.Substring("api/1.0/".Length);
            }

            var uri = _api.Resolve(pathOrUrl);
            if (OriginRule.Violation(_api.BaseUri, uri) is string violation)
            {
                throw new ArgumentException($"'{pathOrUrl}' is not under the connected ProcessMaker API ({_api.BaseUri}): {violation}. The access token is only sent there.");
            }

            return uri;
        }

        private Listing<T> List<T>(string path, QueryString query, Func<JsonElement, T> map)
        {
            var first = _api.Resolve(path + query);
            return Listing.Of(
                first,
                async (uri, ct) =>
                {
                    var response = await _api.SendAsync(new ApiRequest("GET", uri) { PooledBody = true }, ct).ConfigureAwait(false);
                    // A row without a usable id never becomes an object: the listing reports it instead.
                    return LaravelPaging.ReadPage(response, uri, row =>
                    {
                        Rows.RequireId(row);
                        return map(row);
                    });
                });
        }

        private static PmRequest ReadRequest(ApiResponse response)
        {
            using var doc = JsonAnswer.Parse(response);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.Long("id") == null && root.Prop("data") is JsonElement wrapped && wrapped.ValueKind == JsonValueKind.Object)
            {
                root = wrapped;
            }

            if (root.ValueKind != JsonValueKind.Object || !(root.Long("id") > 0))
            {
                throw JsonAnswer.Malformed(response, "a request (an object with a positive id)");
            }

            return PmRequest.FromJson(root);
        }

        private static PmTask ReadTask(ApiResponse response)
        {
            using var doc = JsonAnswer.Parse(response);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.Long("id") == null && root.Prop("data") is JsonElement wrapped && wrapped.ValueKind == JsonValueKind.Object)
            {
                root = wrapped;
            }

            if (root.ValueKind != JsonValueKind.Object || !(root.Long("id") > 0))
            {
                throw JsonAnswer.Malformed(response, "a task (an object with a positive id)");
            }

            return PmTask.FromJson(root);
        }

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    }
}
