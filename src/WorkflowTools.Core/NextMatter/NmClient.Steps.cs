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
using WorkflowTools.Models;

namespace WorkflowTools.NextMatter
{
    // Step completion: the request, the probe of the instance's step state after a refusal or an unknown outcome,
    // and the short form of form values (mapped by field type from the workflow's form, cached per connection).
    internal sealed partial class NmClient
    {
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
    }
}
