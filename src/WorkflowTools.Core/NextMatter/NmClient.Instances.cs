using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Concurrency;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.Models;

namespace WorkflowTools.NextMatter
{
    // Instances: create (with the check after an unknown outcome, NmCreateCheck), read, list and update, and
    // the reading of an instance from its JSON (form values from process_snapshot).
    internal sealed partial class NmClient
    {
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
            return await CreateSend.RunAsync(
                entry,
                async () => ReadInstance(await _api.SendAsync(request, cancellationToken).ConfigureAwait(false)),
                created => created.Id,
                (ex, sentAt) => NmCreateCheck.RunAsync(this, ex, entry, sentAt, cancellationToken),
                "The server accepted the request, so the instance was most likely created.").ConfigureAwait(false);
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
