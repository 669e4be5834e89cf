using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Completion;
using WorkflowTools.Concurrency;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.Models;

namespace WorkflowTools.NextMatter
{
    /// <summary>The Next Matter REST API, one method per operation. Knows nothing of PowerShell.</summary>
    internal sealed class NmClient
    {
        private readonly ApiClient _api;

        public NmClient(ApiClient api)
        {
            _api = api ?? throw new ArgumentNullException(nameof(api));
        }

        public ApiClient Http => _api;

        /// <summary>The process URL Next Matter wants in a create body; its host follows the connection's base URL.</summary>
        public Uri ProcessUrl(long processId) => _api.Resolve($"processes/{processId.ToString(CultureInfo.InvariantCulture)}/");

        /// <summary>
        /// Creates an instance. <paramref name="run"/> holds the other creates of the same command run (items sent
        /// in parallel), so that the check after an unknown outcome never names an instance another input accounts for.
        /// </summary>
        public async Task<NmInstance> CreateInstanceAsync(NmNewInstance spec, CancellationToken cancellationToken, CreateRun<NmCreateSent>? run = null)
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
            var entry = (run ?? new CreateRun<NmCreateSent>()).Begin(new NmCreateSent(spec));
            var sentAt = DateTime.UtcNow;
            try
            {
                try
                {
                    var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    var created = ReadInstance(response);
                    entry.Created(created.Id);
                    return created;
                }
                catch (ApiException ex) when (ex.Kind == ApiErrorKind.OutcomeUnknown)
                {
                    throw await NmCreateCheck.RunAsync(this, ex, entry, sentAt, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException ex) when (ex.Kind == ApiErrorKind.InvalidResponse && ex.StatusCode >= 200 && ex.StatusCode < 300)
                {
                    // The server accepted the create; only its answer is unreadable. Say so, and do not resend.
                    throw await NmCreateCheck.RunAsync(this, ex.WithReconciliation("The server accepted the request, so the instance was most likely created."), entry, sentAt, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (ApiException ex) when (!ex.MayHaveBeenApplied && !(ex.StatusCode >= 200 && ex.StatusCode < 300))
            {
                // Any other failure is one the retry rules know was not applied.
                entry.NotCreated();
                throw;
            }
        }

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
        public Listing<NmInstance> ListInstancesAsync(long processId, NmInstanceQuery query)
        {
            var first = _api.Resolve($"processes/{processId.ToString(CultureInfo.InvariantCulture)}/instances/{query.ToQuery()}");
            if (!query.IncludeValues)
            {
                return Listing.Of(first, (uri, ct) => GetPageAsync(uri, row => ReadRow(row, false, processId).Instance, ct));
            }

            return Listing.Of(first, (uri, ct) => GetPageAsync(uri, row => ReadRow(row, true, processId), ct))
                .Select((row, ct) => row.HadSnapshot ? new ValueTask<NmInstance>(row.Instance) : new ValueTask<NmInstance>(GetInstanceAsync(row.Instance.Id, true, ct)));
        }

        /// <summary>
        /// Changes name, deadline, priority or tags: PATCH with only those fields; PUT with every field when PATCH is not
        /// allowed (405). Regular priority is the absence of <c>priority</c> (Next Matter's update reference: "If you don't
        /// send this parameter, the priority will be Regular"), which only a full PUT can say: setting Regular, or
        /// keeping it in a PUT, sends no <c>priority</c> at all, never <c>null</c>.
        /// </summary>
        public async Task<NmInstance> UpdateInstanceAsync(long id, NmInstanceUpdate update, CancellationToken cancellationToken)
        {
            NmInstance? current = null;
            string[]? tags = null;
            if (update.NeedsCurrentTags)
            {
                current = await GetInstanceAsync(id, false, cancellationToken).ConfigureAwait(false);
                tags = update.TagsFrom(current.Tags ?? ValueList<string>.Empty);
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

            // Next Matter documents V and H; Regular is priority left out, which a PATCH would read as "unchanged".
            var toRegular = update.SetPriority && NmInstance.PriorityCode(update.Priority) == null;
            if (update.SetPriority && !toRegular)
            {
                body["priority"] = NmInstance.PriorityCode(update.Priority);
            }

            if (tags != null)
            {
                body["tags"] = tags;
            }

            var uri = _api.Resolve($"instances/{id.ToString(CultureInfo.InvariantCulture)}/");
            ApiResponse? response = null;
            if (!toRegular)
            {
                try
                {
                    response = await _api.SendAsync(new ApiRequest("PATCH", uri, JsonBody.Serialize(body)) { Operation = $"update instance {id}" }, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException ex) when (ex.StatusCode == 405)
                {
                    ApiTrace.Verbose($"PATCH is not allowed for instance {id}; sending every field with PUT.");
                }
            }
            else
            {
                ApiTrace.Verbose($"Regular priority is priority left out: sending every field of instance {id} with PUT, without priority.");
            }

            if (response == null)
            {
                current ??= await GetInstanceAsync(id, false, cancellationToken).ConfigureAwait(false);
                response = await _api.SendAsync(new ApiRequest("PUT", uri, JsonBody.Serialize(FullUpdate(current, body, toRegular))) { Operation = $"update instance {id}" }, cancellationToken).ConfigureAwait(false);
            }

            return ReadInstance(response);
        }

        /// <summary>
        /// The PUT body: every writable field as the instance has it, then the changes; no <c>priority</c> when the
        /// result is Regular (it is, or <paramref name="toRegular"/>).
        /// </summary>
        internal Dictionary<string, object?> FullUpdate(NmInstance current, IReadOnlyDictionary<string, object?> changes, bool toRegular)
        {
            var full = new Dictionary<string, object?>
            {
                ["process"] = current.ProcessUrl ?? ProcessUrl(current.ProcessId).AbsoluteUri,
                ["name"] = current.Name ?? string.Empty,
                ["deadline"] = current.Deadline is DateTime d ? JsonBody.FormatDate(d) : null,
                ["tags"] = (current.Tags ?? ValueList<string>.Empty).ToArray(),
            };
            if (!toRegular && NmInstance.PriorityCode(current.Priority) is string code)
            {
                full["priority"] = code;
            }

            foreach (var pair in changes)
            {
                full[pair.Key] = pair.Value;
            }

            return full;
        }

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

        /// <summary>A workflow with its steps and form fields: <c>GET processes/{id}/</c>.</summary>
        public async Task<NmProcess> GetProcessAsync(long id, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", ProcessUrl(id)), cancellationToken).ConfigureAwait(false);
            using var doc = JsonAnswer.Parse(response);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw JsonAnswer.Malformed(response, "a workflow");
            }

            var process = NmProcess.FromJson(doc.RootElement, id, response.Redactor, response.RequestPath);

            // A workflow read is one the session has met: Tab offers it for -ProcessId from now on.
            SeenWorkflows.Remember(process.Url, process.Id);
            return process;
        }

        /// <summary>
        /// The step of a workflow whose form has the field <paramref name="actionId"/>, from the workflow's definition
        /// (<c>GET processes/{id}/</c>). A field no step lists is an <see cref="ApiErrorKind.InvalidInput"/> error.
        /// </summary>
        public async Task<long> FindStepOfActionAsync(long processId, long actionId, CancellationToken cancellationToken)
        {
            var process = await GetProcessAsync(processId, cancellationToken).ConfigureAwait(false);
            var steps = process.Steps.Where(s => s.Actions.Any(a => a.Id == actionId)).Select(s => s.Id).Distinct().ToList();
            if (steps.Count == 1)
            {
                return steps[0];
            }

            throw new ApiException(
                ApiErrorKind.InvalidInput,
                steps.Count == 0
                    ? $"No step of workflow {processId} has the form field {actionId}; Get-NmProcess -ProcessId {processId} -Action lists its fields."
                    : $"Steps {string.Join(", ", steps)} of workflow {processId} all have a form field {actionId}; give -StepId.");
        }

        /// <summary>One form field's values across a workflow's instances, with the instance filters, streamed.</summary>
        public Listing<NmFieldValue> ListFieldValuesAsync(long processId, long stepId, long actionId, NmInstanceQuery query)
        {
            var path = string.Format(CultureInfo.InvariantCulture, "processes/{0}/steps/{1}/actions/{2}/", processId, stepId, actionId);
            var first = _api.Resolve(path + query.ToQuery());
            return Listing.Of(
                first,
                async (uri, ct) =>
                {
                    var response = await _api.SendAsync(new ApiRequest("GET", uri) { PooledBody = true }, ct).ConfigureAwait(false);
                    // A value row names its instance; one that does not is reported, never handed out.
                    return Pager.ReadDrfPage(response, row =>
                    {
                        Rows.RequireId(row, "instance_id");
                        return NmFieldValue.FromJson(row, processId, stepId, actionId);
                    });
                });
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

        /// <summary>Sends any request with the connection's auth, retries and error handling; returns the JSON answer as a <see cref="JsonTree"/> (HasBody false for an empty one).</summary>
        public async Task<(bool HasBody, object? Json)> SendRawAsync(string method, Uri uri, byte[]? jsonBody, CancellationToken cancellationToken)
        {
            var answer = await SendRawElementAsync(method, uri, jsonBody, cancellationToken).ConfigureAwait(false);
            return answer is JsonElement json ? (true, JsonTree.From(json)) : (false, null);
        }

        /// <summary>The same as <see cref="SendRawAsync"/>, for the core's own readers: the answer as a JsonElement, null when empty.</summary>
        internal async Task<JsonElement?> SendRawElementAsync(string method, Uri uri, byte[]? jsonBody, CancellationToken cancellationToken)
        {
            var verb = method.ToUpperInvariant();
            var idempotent = verb == "GET" || verb == "HEAD" || verb == "PUT" || verb == "DELETE" || verb == "OPTIONS";
            var request = new ApiRequest(verb, uri, jsonBody, idempotent) { Operation = $"{verb} {uri.PathAndQuery}" };
            var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Body.Length == 0 || response.BodyText.Trim().Length == 0)
            {
                return null;
            }

            using var doc = JsonAnswer.Parse(response);
            return doc.RootElement.Clone();
        }

        /// <summary>
        /// A raw GET that follows DRF pages: the rows of every page (<c>results</c>), streamed; a bare array gives its
        /// items; any other answer is handed out whole. Each as a <see cref="JsonTree"/>.
        /// </summary>
        public Listing<object?> StreamRawAsync(Uri first) =>
            Listing.Of(
                first,
                async (uri, ct) =>
                {
                    var response = await _api.SendAsync(new ApiRequest("GET", uri), ct).ConfigureAwait(false);
                    using var doc = JsonAnswer.Parse(response);
                    var root = doc.RootElement;
                    var isPage = root.ValueKind == JsonValueKind.Array
                        || (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array);
                    return isPage
                        ? Pager.ReadDrfPage(response, JsonTree.From)
                        : new Page<object?>(new[] { JsonTree.From(root) }, null, 1);
                });

        private const string StepNotActiveKey = "WorkflowTools.StepNotActive";
        private const string StepStateKey = "WorkflowTools.StepState";

        /// <summary>
        /// Whether a refused step completion was refused because the step is not (or no longer) active. Next Matter
        /// does not document the wording of that refusal, so <see cref="CompleteStepAsync"/> decides it from the
        /// instance's state: after a 400 or 409 it reads the instance again and looks at <c>active_step_ids</c>.
        /// </summary>
        public static bool IsStepNotActive(ApiException exception) =>
            exception.Data.Contains(StepNotActiveKey) && exception.Data[StepNotActiveKey] is bool flag && flag;

        /// <summary>Where the instance stood when a completion was refused as not active ("instance 5 is Running; active step(s): 43").</summary>
        public static string? StepState(ApiException exception) => exception.Data.Contains(StepStateKey) ? exception.Data[StepStateKey] as string : null;

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
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.Validation || ex.Kind == ApiErrorKind.Conflict)
            {
                await NoteStepStateAsync(ex, instanceId, stepId, cancellationToken).ConfigureAwait(false);
                throw;
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
                        var instance = Met(NmInstance.FromJson(doc.RootElement, DateTime.UtcNow));
                        result.InstanceStatus = instance.Status ?? NmInstanceStatus.Unknown;
                        result.ActiveStepIds = instance.ActiveStepIds ?? ValueList<long>.Empty;
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

        /// <summary>After a refused completion: marks the error as "step not active" when the instance says so.</summary>
        private async Task NoteStepStateAsync(ApiException ex, long instanceId, long stepId, CancellationToken cancellationToken)
        {
            NmInstance instance;
            bool stepKnown;
            try
            {
                var response = await _api.SendAsync(new ApiRequest("GET", _api.Resolve($"instances/{instanceId.ToString(CultureInfo.InvariantCulture)}/")), cancellationToken).ConfigureAwait(false);
                using var doc = JsonAnswer.Parse(response);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return;
                }

                instance = Met(NmInstance.FromJson(doc.RootElement, DateTime.UtcNow));
                stepKnown = SnapshotHasStep(doc.RootElement, stepId);
            }
            catch (ApiException check)
            {
                ApiTrace.Verbose($"Could not read instance {instanceId} after the refused completion: {check.Message}");
                return;
            }

            // A step the workflow does not have is a wrong step id, not a step that is not active.
            var active = instance.ActiveStepIds ?? ValueList<long>.Empty;
            if (active.Contains(stepId) || !stepKnown)
            {
                return;
            }

            ex.Data[StepNotActiveKey] = true;
            ex.Data[StepStateKey] = active.Count == 0
                ? $"instance {instanceId} is {instance.Status} with no active step"
                : $"instance {instanceId} is {instance.Status}; active step(s): {string.Join(", ", active)}";
        }

        /// <summary>Whether the instance's process_snapshot lists the step; true when the body carries no snapshot to tell.</summary>
        private static bool SnapshotHasStep(JsonElement instance, long stepId)
        {
            if (!(instance.Prop("process_snapshot") is JsonElement snapshot) || !(snapshot.Prop("steps") is JsonElement steps) || steps.ValueKind != JsonValueKind.Array)
            {
                return true;
            }

            foreach (var step in steps.EnumerateArray())
            {
                if (step.Long("id") == stepId)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>After a completion whose outcome is unknown: is the step still active?</summary>
        private async Task<ApiException> ReconcileStepAsync(ApiException ex, long instanceId, long stepId, CancellationToken cancellationToken)
        {
            try
            {
                var instance = await GetInstanceAsync(instanceId, false, cancellationToken).ConfigureAwait(false);
                return instance.ActiveStepIds?.Contains(stepId) == true
                    ? ex.WithReconciliation($"Checked: step {stepId} is still active, so it was most likely not completed.")
                    : ex.WithReconciliation($"Checked: step {stepId} is no longer active (instance {instanceId} is {instance.Status}), so it was most likely completed.", new[] { instanceId });
            }
            catch (ApiException check)
            {
                return ex.WithReconciliation($"It could not be checked either: {check.Message}");
            }
        }

        /// <summary>Converts the short form of a form value without knowing the field: date → date, table → as given, else inputValue.</summary>
        public static NmAction ActionFromValue(long actionId, object? value) => new NmAction(actionId, NmFormValues.ByValueType(value));

        /// <summary>
        /// Completes a step with values in the short form (action id → plain value): each value becomes the
        /// input object its field's type needs, read from the workflow's form definition (cached per connection).
        /// When the workflow is not known (<paramref name="processId"/> null) it is read from the instance once. When
        /// the form cannot be read, or does not list the field, the value's own type decides. A value that cannot be
        /// what its field needs fails with <see cref="ApiErrorKind.InvalidInput"/> before the completion is sent.
        /// </summary>
        public async Task<NmStepCompletion> CompleteStepWithValuesAsync(long instanceId, long? processId, long stepId, IReadOnlyList<KeyValuePair<long, object?>> values, CancellationToken cancellationToken)
        {
            var actions = await BuildActionsAsync(instanceId, processId, stepId, values, cancellationToken).ConfigureAwait(false);
            return await CompleteStepAsync(instanceId, stepId, actions, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The actions for short-form values, mapped by field type (see <see cref="CompleteStepWithValuesAsync"/>).</summary>
        public async Task<IReadOnlyList<NmAction>> BuildActionsAsync(long instanceId, long? processId, long stepId, IReadOnlyList<KeyValuePair<long, object?>> values, CancellationToken cancellationToken)
        {
            NmProcess? form = null;
            if (values.Any(v => !(v.Value is IDictionary)))
            {
                var workflow = processId ?? await ProcessOfInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
                if (workflow is long id)
                {
                    form = await GetFormAsync(id, cancellationToken).ConfigureAwait(false);
                }
            }

            var fields = form?.Steps.FirstOrDefault(s => s.Id == stepId)?.Actions;
            var actions = new List<NmAction>(values.Count);
            foreach (var pair in values)
            {
                var field = fields?.FirstOrDefault(a => a.Id == pair.Key);
                var kind = field == null ? (NmFieldKind?)null : NmFormValues.KindOf(field.Type);
                if (form != null && !(pair.Value is IDictionary))
                {
                    WarnIfGuessed(form.Id, stepId, pair.Key, field, kind);
                }

                object? input;
                try
                {
                    input = NmFormValues.ToInputObject(pair.Key, pair.Value, kind, field?.Name);
                }
                catch (ArgumentException ex)
                {
                    throw new ApiException(ApiErrorKind.InvalidInput, ex.Message, ex);
                }

                if (!JsonBody.TryValidate(input, out var problem))
                {
                    throw new ApiException(ApiErrorKind.InvalidInput, $"The value for action {pair.Key} cannot be sent: {problem}");
                }

                actions.Add(new NmAction(pair.Key, input));
            }

            return actions;
        }

        private readonly System.Collections.Concurrent.ConcurrentDictionary<(long Process, long Step, long Action), bool> _warnedFields = new System.Collections.Concurrent.ConcurrentDictionary<(long, long, long), bool>();

        /// <summary>
        /// A plain value for a field whose input object is a guess: a field the form does not list, a type name this
        /// client does not know, or a type whose shape Next Matter does not document. The value then goes out as
        /// <c>{"inputValue": value}</c> (a date as <c>{"date": …}</c>), which the service may refuse or store wrongly: a
        /// warning names the type and the action, once per field and connection.
        /// </summary>
        private void WarnIfGuessed(long processId, long stepId, long actionId, NmStepAction? field, NmFieldKind? kind)
        {
            string message;
            if (field == null)
            {
                message = $"Workflow {processId}'s form does not list action {actionId} in step {stepId}; its value goes out by its own type ({{\"inputValue\": …}}). Check the id with Get-NmProcess -ProcessId {processId} -Step.";
            }
            else if (kind == NmFieldKind.Other)
            {
                message = $"Action {actionId} (\"{field.Name}\") of step {stepId} has the field type '{field.Type}', which WorkflowTools does not know; its value goes out as {{\"inputValue\": …}}, which Next Matter may refuse or store wrongly. Give the input object itself as a hashtable to be sure, and please report the type name.";
            }
            else if (kind == NmFieldKind.Undocumented)
            {
                message = $"Action {actionId} (\"{field.Name}\") of step {stepId} is a '{field.Type}' field, whose input object Next Matter does not document; its value goes out as {{\"inputValue\": …}}. Give the input object itself as a hashtable to be sure.";
            }
            else
            {
                return;
            }

            if (_warnedFields.TryAdd((processId, stepId, actionId), true))
            {
                ApiWarnings.Write(message);
            }
        }

        private readonly System.Collections.Concurrent.ConcurrentDictionary<long, Lazy<Task<NmProcess?>>> _forms = new System.Collections.Concurrent.ConcurrentDictionary<long, Lazy<Task<NmProcess?>>>();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _processOfInstance = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();

        /// <summary>
        /// The workflow's form definition (<c>GET processes/{id}/</c>), read once per connection; null when it cannot
        /// be read (then values go out by their own type). The read is not tied to one caller's cancellation.
        /// </summary>
        public Task<NmProcess?> GetFormAsync(long processId, CancellationToken cancellationToken)
        {
            var lazy = _forms.GetOrAdd(processId, id => new Lazy<Task<NmProcess?>>(() => ReadFormAsync(id)));
            var task = lazy.Value;
            return task.IsCompleted ? task : WaitAsync(task, cancellationToken);
        }

        private static async Task<NmProcess?> WaitAsync(Task<NmProcess?> task, CancellationToken cancellationToken)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetCanceled()))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            return await task.ConfigureAwait(false);
        }

        private async Task<NmProcess?> ReadFormAsync(long processId)
        {
            try
            {
                return await GetProcessAsync(processId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ApiException ex)
            {
                ApiTrace.Verbose($"The form of workflow {processId} could not be read ({ex.Message}); form values are sent by their own type.");
                return null;
            }
        }

        /// <summary>Which workflow an instance runs (an instance never changes workflow, so the answer is kept).</summary>
        private async Task<long?> ProcessOfInstanceAsync(long instanceId, CancellationToken cancellationToken)
        {
            if (_processOfInstance.TryGetValue(instanceId, out var known))
            {
                return known;
            }

            try
            {
                var instance = await GetInstanceAsync(instanceId, false, cancellationToken).ConfigureAwait(false);
                if (instance.ProcessId > 0)
                {
                    if (_processOfInstance.Count > 10000)
                    {
                        _processOfInstance.Clear();
                    }

                    _processOfInstance[instanceId] = instance.ProcessId;
                    return instance.ProcessId;
                }
            }
            catch (ApiException ex) when (ex.Kind != ApiErrorKind.Unauthorized)
            {
                ApiTrace.Verbose($"Instance {instanceId} could not be read to find its workflow ({ex.Message}); form values are sent by their own type.");
            }

            return null;
        }

        private async Task<Page<T>> GetPageAsync<T>(Uri uri, Func<JsonElement, T> map, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", uri) { PooledBody = true }, cancellationToken).ConfigureAwait(false);
            return Pager.ReadDrfPage(response, map);
        }

        private static (NmInstance Instance, bool HadSnapshot) ReadRow(JsonElement row, bool includeValues, long processId)
        {
            // A row without a usable id never becomes an instance (a piped Stop would act on it): the listing reports it.
            Rows.RequireId(row);
            var instance = Met(NmInstance.FromJson(row, DateTime.UtcNow, processId));
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

        /// <summary>
        /// Records the workflow an instance names for tab completion of -ProcessId (Next Matter cannot list
        /// workflows, so Tab offers those met so far). The client does it, not the model parser, which stays pure.
        /// </summary>
        private static NmInstance Met(NmInstance instance)
        {
            SeenWorkflows.Remember(instance.ProcessUrl, instance.ProcessId);
            return instance;
        }

        private static NmInstance ReadInstance(ApiResponse response)
        {
            using var doc = JsonAnswer.Parse(response);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !(doc.RootElement.Long("id") > 0))
            {
                throw JsonAnswer.Malformed(response, "an instance (an object with a positive id)");
            }

            var instance = Met(NmInstance.FromJson(doc.RootElement, DateTime.UtcNow));
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
        /// the stored input object): action id → the value as a person reads it (<see cref="NmValues.Simplify(object?, NmFieldKind?)"/>).
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
                        var type = action.Str("type");
                        values[id.Value.ToString(CultureInfo.InvariantCulture)] = NmValues.Simplify(v.ToPlain(), type == null ? (NmFieldKind?)null : NmFormValues.KindOf(type));
                    }
                }
            }

            return values.Count == 0 ? null : values;
        }
    }
}
