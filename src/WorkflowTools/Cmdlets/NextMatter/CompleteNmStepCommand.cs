using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Completes a step of a Next Matter instance with form values.</summary>
    /// <remarks>
    /// Sends POST instances/{id}/complete_step/ with the step and its form values. -Value is the short form: a
    /// hashtable of action id to value, where each plain value becomes the input object its field's type needs
    /// (read from the workflow's form once per connection: a number goes out as numberValue, a URL as url.url, a
    /// choice as itemSelected, …) and a hashtable is the input object itself (for addresses, or a decision that
    /// returns to a step). -Action is the raw form, one @{ action_id = …; input_object = @{…} } per field, for full
    /// control.
    ///
    /// The instance binds from the pipeline by property name (Id or InstanceId), so New-NmInstance or
    /// Get-NmInstance output can be piped in. When -StepId is left out, the instance is read from the server and its
    /// one active step is completed (an instance object in a variable may be out of date); when it has none or
    /// several, the error WorkflowTools.StepNotDetermined says so and names them. A piped step completion (the output
    /// of Complete-NmStep, or a CSV row of one) names the step it completed, so its StepId is not taken as the step
    /// to complete: `New-NmInstance … | Complete-NmStep -Value … | Complete-NmStep -Value …` completes the first step
    /// and then the next one. A step that is not active fails with the ErrorId WorkflowTools.StepNotActive; other
    /// refusals keep their kind (WorkflowTools.Validation, WorkflowTools.Forbidden, …). A completion is never sent
    /// twice.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Complete, "NmStep", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ValueSet)]
    [OutputType(typeof(NmStepCompletion))]
    public sealed class CompleteNmStepCommand : NmThrottledCmdlet
    {
        private const string ValueSet = "Value";
        private const string ActionSet = "Action";

        /// <summary>The instance; binds from an instance object's Id (New-NmInstance | Complete-NmStep).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long InstanceId { get; set; }

        /// <summary>The step to complete. Optional when the instance has exactly one active step (it is looked up).</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long StepId { get; set; }

        /// <summary>
        /// The piped object itself, bound from the pipeline: -InstanceId (and -StepId) come from its properties. A
        /// piped instance's ProcessId names the workflow whose form tells each field's type; a piped step completion
        /// (Complete-NmStep output, or a CSV row of one, which has CompletedAt) names the step it completed, so the
        /// instance's next active step is completed instead; a piped workflow (Get-NmProcess output, or a CSV row of
        /// one), whose Id is the workflow's, is refused with the error WorkflowTools.WorkflowNotInstance.
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        [PipedRow("InstanceId", "Id", "StepId", nameof(NmStepCompletion.CompletedAt), nameof(NmInstance.ProcessId), "StepCount")]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public PSObject? InputObject { get; set; }

        /// <summary>
        /// Form values by action id. A plain value becomes what its field's type needs, read from the workflow's form
        /// (once per connection): text {"inputValue": "…"}, number {"numberValue": n, "formattedValue": "n"}, URL
        /// {"url": {"url": "…"}}, date {"date": iso}, dropdown {"itemSelected": "…"}, radio
        /// {"inputValue": {"radioItemSelected": "…"}}, checklist (a list) {"inputValue": {"itemsChecked": […]}},
        /// multi-value dropdown (a list) {"itemsSelected": […]}, decision complete/skip_forward/decline {"action": "…"}.
        /// A hashtable is the input object itself (an address, a decision that returns to a step, a file). A field the
        /// form does not list, a type name the module does not know, and a file, image, user or table field (whose input
        /// object Next Matter does not document) get {"inputValue": value}, or {"date": iso} for a [datetime], with a
        /// warning that names the action and its type, once per field and connection.
        /// </summary>
        [Parameter(ParameterSetName = ValueSet)]
        [ValidateNotNull]
        public IDictionary? Value { get; set; }

        /// <summary>The raw form: @{ action_id = 123; input_object = @{ inputValue = 'x' } }, one per action.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ActionSet)]
        [ValidateNotNullOrEmpty]
        public IDictionary[] Action { get; set; } = Array.Empty<IDictionary>();

        private bool _stepIdGiven;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _stepIdGiven = MyInvocation.BoundParameters.ContainsKey(nameof(StepId));
        }

        protected override void ProcessRecord()
        {
            if (PipedWorkflow.Is(InputObject))
            {
                WriteError(PipedWorkflow.Refused(MyInvocation.MyCommand.Name, InstanceId));
                return;
            }

            var completion = InputObject?.BaseObject is NmStepCompletion || PipedRow.Has(InputObject, nameof(NmStepCompletion.CompletedAt));
            var stepId = _stepIdGiven || !completion ? StepId : 0;
            long? knownProcessId = null;
            if (stepId == 0)
            {
                var lookupId = InstanceId;
                NmInstance current;
                try
                {
                    current = Run(ct => Api.GetInstanceAsync(lookupId, false, ct));
                }
                catch (ApiException ex)
                {
                    WriteFailure(ex, lookupId);
                    return;
                }

                var active = (current.ActiveStepIds ?? WorkflowTools.Models.ValueList<long>.Empty).ToArray();
                if (active.Length != 1)
                {
                    WriteError(ErrorRecords.InvalidArgument(
                        active.Length == 0
                            ? $"Instance {lookupId} has no active step to complete (it is {current.Status}); nothing was sent."
                            : $"Instance {lookupId} has {active.Length} active steps ({string.Join(", ", active)}); choose one with -StepId.",
                        lookupId,
                        "WorkflowTools.StepNotDetermined"));
                    return;
                }

                stepId = active[0];
                knownProcessId = current.ProcessId;
            }

            List<NmAction>? actions = null;
            List<KeyValuePair<long, object?>>? values = null;
            try
            {
                if (ParameterSetName == ActionSet)
                {
                    actions = FromRaw(Action);
                }
                else
                {
                    values = FromValues(Value);
                }
            }
            catch (ArgumentException ex)
            {
                WriteError(ErrorRecords.InvalidArgument(ex.Message, (object?)Value ?? Action, "WorkflowTools.InvalidFormValue"));
                return;
            }

            if (!ShouldProcess($"step {stepId} of instance {InstanceId}", $"Complete step with {actions?.Count ?? values!.Count} form value(s)"))
            {
                return;
            }

            var instanceId = InstanceId;
            long? processId = PsValues.TryPositiveId(PipedRow.Value(InputObject, nameof(NmInstance.ProcessId)), out var pid) ? pid : knownProcessId;
            var given = (object?)Value ?? Action;
            Enqueue(
                instanceId,
                ct => actions != null ? Api.CompleteStepAsync(instanceId, stepId, actions, ct) : Api.CompleteStepWithValuesAsync(instanceId, processId, stepId, values!, ct),
                WriteObject,
                ex =>
                {
                    if (ex.Kind == ApiErrorKind.InvalidInput)
                    {
                        WriteError(ErrorRecords.InvalidArgument(ex.Message, given, "WorkflowTools.InvalidFormValue"));
                        return;
                    }

                    if (!NmClient.IsStepNotActive(ex))
                    {
                        WriteFailure(ex, instanceId);
                        return;
                    }

                    var record = ErrorRecords.From(ex, instanceId, "WorkflowTools.StepNotActive");
                    record.ErrorDetails = new ErrorDetails($"Step {stepId} of instance {instanceId} is not active, so it cannot be completed ({NmClient.StepState(ex)}; Next Matter said: {ex.Detail ?? ex.Message}).")
                    {
                        RecommendedAction = $"Run Get-NmInstance -Id {instanceId} and look at ActiveStepIds: the step may be completed already, not reached yet, or the instance may have ended.",
                    };
                    WriteError(record);
                });
        }

        private static List<KeyValuePair<long, object?>> FromValues(IDictionary? values)
        {
            var list = new List<KeyValuePair<long, object?>>();
            if (values == null)
            {
                return list;
            }

            foreach (DictionaryEntry entry in values)
            {
                if (!PsValues.TryPositiveId(entry.Key, out var actionId))
                {
                    throw new ArgumentException($"-Value key '{entry.Key}' is not an action id; keys must be positive numbers (the form field's action id).");
                }

                var plain = PsValues.ToPlain(entry.Value);
                // Checked here so that a value JSON cannot carry fails before any request.
                Validate(NmClient.ActionFromValue(actionId, plain));
                list.Add(new KeyValuePair<long, object?>(actionId, plain));
            }

            return list;
        }

        private static List<NmAction> FromRaw(IDictionary[] raw)
        {
            var actions = new List<NmAction>();
            for (var i = 0; i < raw.Length; i++)
            {
                var entry = raw[i] ?? throw new ArgumentException($"-Action entry {i} is null.");
                var keys = entry.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)).ToList();
                var unknown = keys.Where(k => !string.Equals(k, "action_id", StringComparison.OrdinalIgnoreCase) && !string.Equals(k, "input_object", StringComparison.OrdinalIgnoreCase)).ToList();
                if (unknown.Count > 0)
                {
                    throw new ArgumentException($"-Action entry {i} has unknown key(s) {string.Join(", ", unknown)}; each entry is @{{ action_id = <id>; input_object = @{{ … }} }}.");
                }

                if (!entry.Contains("action_id") || !PsValues.TryPositiveId(entry["action_id"], out var actionId))
                {
                    throw new ArgumentException($"-Action entry {i} needs action_id, a positive number.");
                }

                if (!entry.Contains("input_object") || !(PsValues.ToPlain(entry["input_object"]) is IDictionary input))
                {
                    throw new ArgumentException($"-Action entry {i} (action {actionId}) needs input_object, a hashtable such as @{{ inputValue = 'text' }}.");
                }

                var action = new NmAction(actionId, input);
                Validate(action);
                actions.Add(action);
            }

            return actions;
        }

        private static void Validate(NmAction action)
        {
            if (!JsonBody.TryValidate(action.InputObject, out var problem))
            {
                throw new ArgumentException($"The value for action {action.ActionId} cannot be sent: {problem}");
            }
        }
    }
}
