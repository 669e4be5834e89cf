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
            try
            {
                var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return ReadInstance(response);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.OutcomeUnknown)
            {
                throw await ReconcileCreateAsync(ex, spec, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Kind == ApiErrorKind.InvalidResponse && ex.StatusCode >= 200 && ex.StatusCode < 300)
            {
                // The server accepted the create; only its answer is unreadable. Say so, and do not resend.
                throw await ReconcileCreateAsync(ex.WithReconciliation("The server accepted the request, so the instance was most likely created."), spec, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// After a create whose outcome is unknown: look for an instance of that workflow with that exact
        /// name, and say what was found. Nothing is created or resent here.
        /// </summary>
        private async Task<ApiException> ReconcileCreateAsync(ApiException ex, NmNewInstance spec, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(spec.Name))
            {
                return ex.WithReconciliation("It could not be checked: the instance was given no name to look for.");
            }

            try
            {
                var query = new NmInstanceQuery { Name = spec.Name, SortBy = NmInstanceSortBy.StartedTime, Descending = true, PageSize = 20 };
                var matches = new List<NmInstance>();
                await foreach (var instance in ListInstancesAsync(spec.ProcessId, query, null, cancellationToken).ConfigureAwait(false))
                {
                    if (string.Equals(instance.Name, spec.Name, StringComparison.Ordinal))
                    {
                        matches.Add(instance);
                    }

                    if (matches.Count >= 5)
                    {
                        break;
                    }
                }

                if (matches.Count == 0)
                {
                    return ex.WithReconciliation($"Checked: workflow {spec.ProcessId} has no instance named '{spec.Name}', so it was most likely not created.");
                }

                var found = string.Join(", ", matches.Select(m => $"{m.Id} (started {m.StartedTime:yyyy-MM-dd HH:mm:ss} UTC)"));
                return ex.WithReconciliation($"Checked: workflow {spec.ProcessId} has {matches.Count} instance(s) named '{spec.Name}': {found}; the newest is most likely the one this call created.", matches.Select(m => m.Id).ToArray());
            }
            catch (ApiException check)
            {
                return ex.WithReconciliation($"It could not be checked either: {check.Message}");
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
            return ReadInstance(response);
        }

        /// <summary>A workflow's instances, streamed page by page, following <c>next</c> links.</summary>
        public IAsyncEnumerable<NmInstance> ListInstancesAsync(long processId, NmInstanceQuery query, Action<PageInfo>? onPage, CancellationToken cancellationToken)
        {
            var first = _api.Resolve($"processes/{processId.ToString(CultureInfo.InvariantCulture)}/instances/{query.ToQueryString()}");
            return Pager.StreamAsync(first, (uri, ct) => GetPageAsync(uri, row => ReadRow(row, query.IncludeValues), ct), onPage, cancellationToken);
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

        private async Task<Page<NmInstance>> GetPageAsync(Uri uri, Func<JsonElement, NmInstance> map, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", uri), cancellationToken).ConfigureAwait(false);
            return Pager.ReadDrfPage(response, map);
        }

        private static NmInstance ReadRow(JsonElement row, bool includeValues)
        {
            var instance = NmInstance.FromJson(row, DateTime.UtcNow);
            if (includeValues)
            {
                instance.Values = ReadValues(row);
            }

            return instance;
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

        /// <summary>Collects form values from <c>process_snapshot</c> (present with inject_values): action id → value.</summary>
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
                        values[id.Value.ToString(CultureInfo.InvariantCulture)] = v.ToPlain();
                    }
                }
            }

            return values.Count == 0 ? null : values;
        }
    }
}
