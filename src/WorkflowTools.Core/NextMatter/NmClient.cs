using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.NextMatter
{
    /// <summary>The Next Matter REST API, one method per operation. Knows nothing of PowerShell.</summary>
    public sealed class NmClient
    {
        private readonly ApiClient _api;

        public NmClient(ApiClient api)
        {
            _api = api ?? throw new ArgumentNullException(nameof(api));
        }

        public ApiClient Api => _api;

        /// <summary>The process URL Next Matter wants in a create body; its host follows the connection's base URL.</summary>
        public Uri ProcessUrl(long processId) => _api.Resolve($"processes/{processId.ToString(CultureInfo.InvariantCulture)}/");

        public async Task<NmInstance> CreateInstanceAsync(NmNewInstance spec, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object?> { ["process"] = ProcessUrl(spec.ProcessId).AbsoluteUri };
            if (!string.IsNullOrEmpty(spec.Name))
            {
                body["name"] = spec.Name;
            }

            if (spec.Deadline is DateTime deadline)
            {
                body["deadline"] = JsonBody.FormatDate(deadline);
            }

            if (spec.Priority is NmPriority priority && NmInstance.PriorityCode(priority) is string code)
            {
                body["priority"] = code;
            }

            if (spec.Tags != null && spec.Tags.Length > 0)
            {
                body["tags"] = spec.Tags;
            }

            if (spec.StepAssignments != null && spec.StepAssignments.Count > 0)
            {
                body["step_assignments"] = spec.StepAssignments.Select(a => new Dictionary<string, object> { ["step_id"] = a.Key, ["user_id"] = a.Value }).ToArray();
            }

            var request = new ApiRequest("POST", _api.Resolve("instances/"), JsonBody.Serialize(body), idempotent: false)
            {
                Operation = $"create an instance of workflow {spec.ProcessId}",
            };
            var sentAt = DateTime.UtcNow;
            try
            {
                var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return ReadInstance(response);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.OutcomeUnknown)
            {
                throw await ReconcileCreateAsync(ex, spec, sentAt, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.InvalidResponse && ex.StatusCode >= 200 && ex.StatusCode < 300)
            {
                // The server accepted the create; only its answer is unreadable. Say so, and do not resend.
                throw await ReconcileCreateAsync(ex.WithReconciliation("The server accepted the request, so the instance was most likely created."), spec, sentAt, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// After a create whose outcome is unknown: look for an instance of that workflow with that exact
        /// name started after the request was sent (an older one of that name is not this call's), and say
        /// what was found. Nothing is created or resent here.
        /// </summary>
        private async Task<ApiException> ReconcileCreateAsync(ApiException ex, NmNewInstance spec, DateTime sentAt, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(spec.Name))
            {
                return ex.WithReconciliation("It could not be checked: the instance was given no name to look for.");
            }

            try
            {
                var query = new NmInstanceQuery { Name = spec.Name, SortBy = NmInstanceSortBy.StartedTime, Descending = true, PageSize = 20 };
                var matches = new List<NmInstance>();
                var older = 0;
                // A little slack for the server's clock being behind this machine's.
                var since = sentAt - ReconcileClockSlack;
                await foreach (var instance in ListInstancesAsync(spec.ProcessId, query, null, cancellationToken).ConfigureAwait(false))
                {
                    if (!string.Equals(instance.Name, spec.Name, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (instance.StartedTime is DateTime started && started >= since)
                    {
                        matches.Add(instance);
                    }
                    else
                    {
                        // Newest first: everything from here on was there before the request.
                        older++;
                        break;
                    }

                    if (matches.Count >= 5)
                    {
                        break;
                    }
                }

                if (matches.Count == 0)
                {
                    var before = older > 0 ? $" (instances of that name started before the request was sent exist; they are not this call's)" : string.Empty;
                    return ex.WithReconciliation($"Checked: none found - workflow {spec.ProcessId} has no instance named '{spec.Name}' started since {since:yyyy-MM-dd HH:mm:ss} UTC{before}, so it was most likely not created (if the server's clock is behind this machine's by more than {ReconcileClockSlack.TotalSeconds:0} s, look yourself).");
                }

                var found = string.Join(", ", matches.Select(m => $"{m.Id} (started {m.StartedTime:yyyy-MM-dd HH:mm:ss} UTC)"));
                return ex.WithReconciliation($"Checked: workflow {spec.ProcessId} has {matches.Count} instance(s) named '{spec.Name}': {found}; the newest is most likely the one this call created.", matches.Select(m => m.Id).ToArray());
            }
            catch (ApiException check)
            {
                return ex.WithReconciliation($"It could not be checked either: {check.Message}");
            }
        }

        /// <summary>How far the server's clock may be behind when matching instances to a create.</summary>
        private static readonly TimeSpan ReconcileClockSlack = TimeSpan.FromSeconds(30);

        public async Task<NmInstance> GetInstanceAsync(long id, bool includeValues, CancellationToken cancellationToken)
        {
            var query = new QueryString();
            if (includeValues)
            {
                query.Add("inject_values", "true");
            }

            var response = await _api.SendAsync(new ApiRequest("GET", _api.Resolve($"instances/{id.ToString(CultureInfo.InvariantCulture)}/{query}")), cancellationToken).ConfigureAwait(false);
            var instance = ReadInstance(response);
            if (includeValues)
            {
                instance.Values ??= new JsonData();
            }

            return instance;
        }

        /// <summary>
        /// A workflow's instances, streamed page by page, following <c>next</c> links. With
        /// <see cref="NmInstanceQuery.IncludeValues"/>, a row that comes without its <c>process_snapshot</c>
        /// (the list endpoint documents no inject_values) is completed by reading that instance with inject_values.
        /// </summary>
        public IAsyncEnumerable<NmInstance> ListInstancesAsync(long processId, NmInstanceQuery query, Action<PageInfo>? onPage, CancellationToken cancellationToken)
        {
            var first = _api.Resolve($"processes/{processId.ToString(CultureInfo.InvariantCulture)}/instances/{query.ToQueryString()}");
            if (!query.IncludeValues)
            {
                return Pager.StreamAsync(first, (uri, ct) => GetPageAsync(uri, row => ReadRow(row, false).Instance, ct), onPage, cancellationToken);
            }

            return WithValuesAsync(Pager.StreamAsync(first, (uri, ct) => GetPageAsync(uri, row => ReadRow(row, true), ct), onPage, cancellationToken), cancellationToken);
        }

        private async IAsyncEnumerable<NmInstance> WithValuesAsync(IAsyncEnumerable<(NmInstance Instance, bool HadSnapshot)> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return row.HadSnapshot ? row.Instance : await GetInstanceAsync(row.Instance.Id, true, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Changes name, deadline, priority or tags: PATCH with only those fields; PUT with every field when PATCH is not allowed (405).</summary>
        public async Task<NmInstance> UpdateInstanceAsync(long id, NmInstanceUpdate update, CancellationToken cancellationToken)
        {
            NmInstance? current = null;
            string[]? tags = null;
            if (update.NeedsCurrentTags)
            {
                current = await GetInstanceAsync(id, false, cancellationToken).ConfigureAwait(false);
                tags = update.TagsFrom(current.Tags);
            }
            else if (update.Tags != null)
            {
                tags = update.TagsFrom(update.Tags);
            }

            var body = new Dictionary<string, object?>();
            if (update.SetName)
            {
                body["name"] = update.Name ?? string.Empty;
            }

            if (update.SetDeadline)
            {
                body["deadline"] = update.Deadline is DateTime deadline ? JsonBody.FormatDate(deadline) : null;
            }

            if (update.SetPriority)
            {
                body["priority"] = NmInstance.PriorityCode(update.Priority) ?? string.Empty;
            }

            if (tags != null)
            {
                body["tags"] = tags;
            }

            var uri = _api.Resolve($"instances/{id.ToString(CultureInfo.InvariantCulture)}/");
            ApiResponse response;
            try
            {
                response = await _api.SendAsync(new ApiRequest("PATCH", uri, JsonBody.Serialize(body)) { Operation = $"update instance {id}" }, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.StatusCode == 405)
            {
                ApiTrace.Verbose($"PATCH is not allowed for instance {id}; sending every field with PUT.");
                current ??= await GetInstanceAsync(id, false, cancellationToken).ConfigureAwait(false);
                var full = new Dictionary<string, object?>
                {
                    ["process"] = current.ProcessUrl ?? ProcessUrl(current.ProcessId).AbsoluteUri,
                    ["name"] = current.Name ?? string.Empty,
                    ["deadline"] = current.Deadline is DateTime d ? JsonBody.FormatDate(d) : null,
                    ["priority"] = NmInstance.PriorityCode(current.Priority) ?? string.Empty,
                    ["tags"] = current.Tags.ToArray(),
                };
                foreach (var pair in body)
                {
                    full[pair.Key] = pair.Value;
                }

                response = await _api.SendAsync(new ApiRequest("PUT", uri, JsonBody.Serialize(full)) { Operation = $"update instance {id}" }, cancellationToken).ConfigureAwait(false);
            }

            return ReadInstance(response);
        }

        /// <summary>
        /// Aborts or deletes instances with one bulk request. When Next Matter refuses a batch for what one of its ids
        /// is (404 unknown, 403 not yours, 400), the batch is halved and each half sent again, down to single ids, so
        /// the good ids still go through and every refusal is reported against its own id — a few requests for a
        /// bad id among a hundred instead of a hundred. Other failures (401, 5xx, network) fail the whole batch.
        /// </summary>
        public async Task<IReadOnlyList<NmBulkOutcome>> BulkAsync(NmBulkOperation operation, IReadOnlyList<long> ids, CancellationToken cancellationToken)
        {
            var outcomes = new List<NmBulkOutcome>(ids.Count);
            if (ids.Count > 0)
            {
                await SendOrSplitAsync(operation, ids.ToArray(), outcomes, cancellationToken).ConfigureAwait(false);
            }

            return outcomes;
        }

        private async Task SendOrSplitAsync(NmBulkOperation operation, long[] ids, List<NmBulkOutcome> outcomes, CancellationToken cancellationToken)
        {
            try
            {
                await SendBulkAsync(operation, ids, cancellationToken).ConfigureAwait(false);
                outcomes.AddRange(ids.Select(id => new NmBulkOutcome(id, ids.Length, null)));
                return;
            }
            catch (ApiException ex) when (ids.Length > 1 && (ex.Kind == ApiErrorKind.NotFound || ex.Kind == ApiErrorKind.Forbidden || ex.Kind == ApiErrorKind.Validation))
            {
                ApiTrace.Verbose($"Next Matter refused a batch of {ids.Length} ({ex.StatusCode}); sending it again in two halves to find the id(s) it refuses.");
            }
            catch (ApiException ex)
            {
                outcomes.AddRange(ids.Select(id => new NmBulkOutcome(id, ids.Length, ex)));
                return;
            }

            var half = ids.Length / 2;
            await SendOrSplitAsync(operation, ids.Take(half).ToArray(), outcomes, cancellationToken).ConfigureAwait(false);
            await SendOrSplitAsync(operation, ids.Skip(half).ToArray(), outcomes, cancellationToken).ConfigureAwait(false);
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

        /// <summary>A workflow with its steps and form fields: <c>GET processes/{id}/</c>.</summary>
        public async Task<NmProcess> GetProcessAsync(long id, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", ProcessUrl(id)), cancellationToken).ConfigureAwait(false);
            using var doc = Pager.ParseBody(response);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Pager.Malformed(response, "a workflow");
            }

            var process = NmProcess.FromJson(doc.RootElement);
            if (process.Id == 0)
            {
                process.Id = id;
            }

            return process;
        }

        /// <summary>One form field's values across a workflow's instances, with the instance filters, streamed.</summary>
        public IAsyncEnumerable<NmFieldValue> ListFieldValuesAsync(long processId, long stepId, long actionId, NmInstanceQuery query, Action<PageInfo>? onPage, CancellationToken cancellationToken)
        {
            var path = string.Format(CultureInfo.InvariantCulture, "processes/{0}/steps/{1}/actions/{2}/", processId, stepId, actionId);
            var first = _api.Resolve(path + query.ToQueryString());
            return Pager.StreamAsync(
                first,
                async (uri, ct) =>
                {
                    var response = await _api.SendAsync(new ApiRequest("GET", uri) { PooledBody = true }, ct).ConfigureAwait(false);
                    return Pager.ReadDrfPage(response, row => NmFieldValue.FromJson(row, processId, stepId, actionId));
                },
                onPage,
                cancellationToken);
        }

        /// <summary>
        /// The URL for a raw call: a path relative to the base URL, or an absolute URL under it (a <c>next</c> link).
        /// Any other host is refused: the API key must never travel anywhere else.
        /// </summary>
        public Uri ResolveRaw(string pathOrUrl, QueryString? query)
        {
            if (string.IsNullOrWhiteSpace(pathOrUrl))
            {
                throw new ArgumentException("The path is empty.");
            }

            var uri = _api.Resolve(pathOrUrl.Trim());
            var baseUri = _api.BaseUri;
            if (OriginRule.Violation(baseUri, uri) is string violation)
            {
                throw new ArgumentException($"'{pathOrUrl}' is not under the connection's base URL {baseUri} ({violation}); give a path relative to it (e.g. 'instances/5/').");
            }

            if (query == null || query.Count == 0)
            {
                return uri;
            }

            var text = query.ToString();
            return new Uri(uri.AbsoluteUri + (string.IsNullOrEmpty(uri.Query) ? text : "&" + text.Substring(1)));
        }

        /// <summary>Sends any request with the connection's auth, retries and error handling; returns the JSON answer, or null for an empty one.</summary>
        public async Task<JsonElement?> SendRawAsync(string method, Uri uri, byte[]? jsonBody, CancellationToken cancellationToken)
        {
            var verb = method.ToUpperInvariant();
            var idempotent = verb == "GET" || verb == "HEAD" || verb == "PUT" || verb == "DELETE" || verb == "OPTIONS";
            var request = new ApiRequest(verb, uri, jsonBody, idempotent) { Operation = $"{verb} {uri.PathAndQuery}" };
            var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Body.Length == 0 || response.BodyText.Trim().Length == 0)
            {
                return null;
            }

            using var doc = Pager.ParseBody(response);
            return doc.RootElement.Clone();
        }

        /// <summary>
        /// A raw GET that follows DRF pages: the rows of every page (<c>results</c>), streamed; a bare array gives its
        /// items; any other answer is handed out whole.
        /// </summary>
        public IAsyncEnumerable<JsonElement> StreamRawAsync(Uri first, Action<PageInfo>? onPage, CancellationToken cancellationToken) =>
            Pager.StreamAsync(
                first,
                async (uri, ct) =>
                {
                    var response = await _api.SendAsync(new ApiRequest("GET", uri), ct).ConfigureAwait(false);
                    using var doc = Pager.ParseBody(response);
                    var root = doc.RootElement;
                    var isPage = root.ValueKind == JsonValueKind.Array
                        || (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array);
                    return isPage
                        ? Pager.ReadDrfPage(response, row => row.Clone())
                        : new Page<JsonElement>(new[] { root.Clone() }, null, 1);
                },
                onPage,
                cancellationToken);

        /// <summary>Whether a refused step completion means the step is not (or no longer) active.</summary>
        public static bool IsStepNotActive(ApiException exception)
        {
            if (exception.Kind != ApiErrorKind.Validation && exception.Kind != ApiErrorKind.Conflict)
            {
                return false;
            }

            var texts = new List<string>();
            if (exception.Detail != null)
            {
                texts.Add(exception.Detail);
            }

            foreach (var field in exception.FieldErrors)
            {
                if (field.Key == "step_id" || field.Key == "non_field_errors" || field.Key == "detail")
                {
                    texts.AddRange(field.Value);
                }
            }

            return texts.Any(t => t.IndexOf("not active", StringComparison.OrdinalIgnoreCase) >= 0
                || t.IndexOf("not an active step", StringComparison.OrdinalIgnoreCase) >= 0
                || t.IndexOf("already completed", StringComparison.OrdinalIgnoreCase) >= 0
                || t.IndexOf("inactive", StringComparison.OrdinalIgnoreCase) >= 0);
        }

        public async Task<NmStepCompletion> CompleteStepAsync(long instanceId, long stepId, IReadOnlyList<NmAction> actions, CancellationToken cancellationToken)
        {
            var body = new Dictionary<string, object?>
            {
                ["step_id"] = stepId,
                ["actions"] = actions.Select(a => new Dictionary<string, object?> { ["action_id"] = a.ActionId, ["input_object"] = a.InputObject }).ToArray(),
            };
            var request = new ApiRequest("POST", _api.Resolve($"instances/{instanceId.ToString(CultureInfo.InvariantCulture)}/complete_step/"), JsonBody.Serialize(body), idempotent: false)
            {
                Operation = $"complete step {stepId} of instance {instanceId}",
            };
            ApiResponse response;
            try
            {
                response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.OutcomeUnknown)
            {
                throw await ReconcileStepAsync(ex, instanceId, stepId, cancellationToken).ConfigureAwait(false);
            }

            var result = new NmStepCompletion
            {
                InstanceId = instanceId,
                StepId = stepId,
                ActionCount = actions.Count,
                CompletedAt = DateTime.UtcNow,
                InstanceStatus = NmInstanceStatus.Unknown,
            };

            // The documented answer is 200 with an instance; read what is there, tolerate an empty body.
            if (response.Body.Length > 0)
            {
                try
                {
                    using var doc = JsonDocument.Parse(response.Body);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.Prop("id") != null)
                    {
                        var instance = NmInstance.FromJson(doc.RootElement, DateTime.UtcNow);
                        result.InstanceStatus = instance.Status;
                        result.ActiveStepIds = instance.ActiveStepIds;
                        result.InstanceName = instance.Name;
                    }
                }
                catch (JsonException)
                {
                    // The step is completed (2xx); an unreadable body only costs the extra details.
                }
            }

            return result;
        }

        /// <summary>After a completion whose outcome is unknown: is the step still active?</summary>
        private async Task<ApiException> ReconcileStepAsync(ApiException ex, long instanceId, long stepId, CancellationToken cancellationToken)
        {
            try
            {
                var instance = await GetInstanceAsync(instanceId, false, cancellationToken).ConfigureAwait(false);
                return instance.ActiveStepIds.Contains(stepId)
                    ? ex.WithReconciliation($"Checked: step {stepId} is still active, so it was most likely not completed.")
                    : ex.WithReconciliation($"Checked: step {stepId} is no longer active (instance {instanceId} is {instance.Status}), so it was most likely completed.", new[] { instanceId });
            }
            catch (ApiException check)
            {
                return ex.WithReconciliation($"It could not be checked either: {check.Message}");
            }
        }

        /// <summary>Converts the short form of form values to actions: plain value → inputValue, date → date, table → as given.</summary>
        public static NmAction ActionFromValue(long actionId, object? value)
        {
            switch (value)
            {
                case IDictionary _:
                    return new NmAction(actionId, value);
                case DateTime dt:
                    return new NmAction(actionId, new Dictionary<string, object?> { ["date"] = JsonBody.FormatDate(dt) });
                case DateTimeOffset dto:
                    return new NmAction(actionId, new Dictionary<string, object?> { ["date"] = JsonBody.FormatDate(dto) });
                default:
                    return new NmAction(actionId, new Dictionary<string, object?> { ["inputValue"] = value });
            }
        }

        private async Task<Page<T>> GetPageAsync<T>(Uri uri, Func<JsonElement, T> map, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", uri) { PooledBody = true }, cancellationToken).ConfigureAwait(false);
            return Pager.ReadDrfPage(response, map);
        }

        private static (NmInstance Instance, bool HadSnapshot) ReadRow(JsonElement row, bool includeValues)
        {
            var instance = NmInstance.FromJson(row, DateTime.UtcNow);
            if (!includeValues)
            {
                return (instance, false);
            }

            var hadSnapshot = HasInjectedValues(row);
            if (hadSnapshot)
            {
                instance.Values = ReadValues(row) ?? new JsonData();
            }

            return (instance, hadSnapshot);
        }

        private static NmInstance ReadInstance(ApiResponse response)
        {
            using var doc = Pager.ParseBody(response);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || doc.RootElement.Long("id") == null)
            {
                throw Pager.Malformed(response, "an instance");
            }

            var instance = NmInstance.FromJson(doc.RootElement, DateTime.UtcNow);
            instance.Values = ReadValues(doc.RootElement);
            return instance;
        }

        /// <summary>Whether a body carries injected values: some action of its snapshot has a <c>value</c> key (null or not).</summary>
        private static bool HasInjectedValues(JsonElement instance)
        {
            if (!(instance.Prop("process_snapshot") is JsonElement snapshot) || !(snapshot.Prop("steps") is JsonElement steps) || steps.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var step in steps.EnumerateArray())
            {
                if (step.Prop("actions") is JsonElement actions && actions.ValueKind == JsonValueKind.Array)
                {
                    foreach (var action in actions.EnumerateArray())
                    {
                        if (action.ValueKind == JsonValueKind.Object && (action.TryGetProperty("value", out _) || action.TryGetProperty("input_object", out _) || action.TryGetProperty("input_value", out _)))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// Collects form values from <c>process_snapshot</c> (with inject_values each action carries <c>value</c>,
        /// the stored input object): action id → the value as a person reads it (<see cref="NmValues.Simplify"/>).
        /// Fields nobody filled in are left out.
        /// </summary>
        private static JsonData? ReadValues(JsonElement instance)
        {
            if (!(instance.Prop("process_snapshot") is JsonElement snapshot) || snapshot.ValueKind != JsonValueKind.Object || !(snapshot.Prop("steps") is JsonElement steps) || steps.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var values = new JsonData();
            foreach (var step in steps.EnumerateArray())
            {
                if (!(step.Prop("actions") is JsonElement actions) || actions.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var action in actions.EnumerateArray())
                {
                    var id = action.Long("id");
                    var value = action.Prop("value") ?? action.Prop("input_object") ?? action.Prop("input_value");
                    if (id != null && value is JsonElement v)
                    {
                        values[id.Value.ToString(CultureInfo.InvariantCulture)] = NmValues.Simplify(v.ToPlain());
                    }
                }
            }

            return values.Count == 0 ? null : values;
        }
    }
}
