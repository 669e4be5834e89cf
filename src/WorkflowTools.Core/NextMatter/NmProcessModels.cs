using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.Models;

namespace WorkflowTools.NextMatter
{
    /// <summary>A Next Matter workflow ("process"): its id, name and steps.</summary>
    public sealed class NmProcess
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        public int StepCount { get; set; }

        /// <summary>Form fields ("actions") over all steps.</summary>
        public int ActionCount { get; set; }

        /// <summary>The steps in order; a CSV cell reads <c>42 Personal details;43 Manager approval</c>.</summary>
        public ValueList<NmStep> Steps { get; set; } = ValueList<NmStep>.Empty;

        public string? Url { get; set; }

        /// <summary>The workflow id again, named for pipeline binding (<c>Get-NmProcess 7 | Get-NmInstance -Status Running</c>, <c>| New-NmInstance</c>).</summary>
        public long ProcessId => Id;

        public override string ToString() => $"{Id} {Name}";

        /// <summary>Reads the detail body of <c>GET processes/{id}/</c>; its fields are undocumented, so read tolerantly.</summary>
        public static NmProcess FromJson(JsonElement e) => FromJson(e, null, SecretRedactor.None, null);

        /// <summary>
        /// The steps and fields without a usable id (or that are not objects) that <see cref="FromJson(JsonElement, long?, SecretRedactor, string?)"/>
        /// left out, each as an error to report: they never become objects that Complete-NmStep or Get-NmFieldValue could be given.
        /// </summary>
        internal List<ApiException> LeftOut { get; } = new List<ApiException>();

        /// <param name="e">The answer's body.</param>
        /// <param name="requestedId">The workflow that was asked for: its id when the answer does not give one.</param>
        /// <param name="redactor">Takes the connection's secrets out of what a left-out row's error quotes.</param>
        /// <param name="requestPath">The request, named in a left-out row's error.</param>
        internal static NmProcess FromJson(JsonElement e, long? requestedId, SecretRedactor redactor, string? requestPath)
        {
            var process = new NmProcess
            {
                Id = e.Long("id") is long id && id > 0 ? id : requestedId ?? 0,
                Name = e.Str("name") ?? e.Str("title"),
                Url = e.Str("url"),
            };

            var steps = new List<NmStep>();
            if (e.Prop("steps") is JsonElement list && list.ValueKind == JsonValueKind.Array)
            {
                var position = 0;
                var index = 0;
                foreach (var s in list.EnumerateArray())
                {
                    index++;
                    try
                    {
                        Rows.RequireId(s);
                    }
                    catch (InvalidRowException problem)
                    {
                        process.LeftOut.Add(Rows.PartError($"Step {index} of workflow {process.Id}", problem, s, redactor, requestPath));
                        continue;
                    }

                    steps.Add(NmStep.FromJson(s, process, ++position, redactor, requestPath));
                }
            }

            process.Steps = new ValueList<NmStep>(steps);
            process.StepCount = steps.Count;
            process.ActionCount = steps.Sum(s => s.ActionCount);
            return process;
        }
    }

    /// <summary>One step of a workflow, with its form fields.</summary>
    public sealed class NmStep
    {
        public long ProcessId { get; set; }

        public string? ProcessName { get; set; }

        public long Id { get; set; }

        public string? Name { get; set; }

        /// <summary>1-based place of the step in the workflow.</summary>
        public int Position { get; set; }

        public int ActionCount { get; set; }

        /// <summary>The step's form fields; a CSV cell reads <c>123456 Full name;789012 Department</c>.</summary>
        public ValueList<NmStepAction> Actions { get; set; } = ValueList<NmStepAction>.Empty;

        public override string ToString() => $"{Id} {Name}";

        internal static NmStep FromJson(JsonElement e, NmProcess process, int position, SecretRedactor redactor, string? requestPath)
        {
            var step = new NmStep
            {
                ProcessId = process.Id,
                ProcessName = process.Name,
                Id = e.Long("id") ?? 0,
                Name = e.Str("name") ?? e.Str("title"),
                Position = position,
            };

            var actions = new List<NmStepAction>();
            if (e.Prop("actions") is JsonElement list && list.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var a in list.EnumerateArray())
                {
                    index++;
                    try
                    {
                        Rows.RequireId(a);
                    }
                    catch (InvalidRowException problem)
                    {
                        process.LeftOut.Add(Rows.PartError($"Field {index} of step {step.Id} of workflow {process.Id}", problem, a, redactor, requestPath));
                        continue;
                    }

                    actions.Add(NmStepAction.FromJson(a, step));
                }
            }

            step.Actions = new ValueList<NmStepAction>(actions);
            step.ActionCount = actions.Count;
            return step;
        }
    }

    /// <summary>A form field ("action") of a step: the id Complete-NmStep and Get-NmFieldValue need.</summary>
    public sealed class NmStepAction
    {
        public long ProcessId { get; set; }

        public long StepId { get; set; }

        public string? StepName { get; set; }

        public long Id { get; set; }

        public string? Name { get; set; }

        /// <summary>text, dropdown, radio, checklist, date, address, file, user, table…</summary>
        public string? Type { get; set; }

        public bool Required { get; set; }

        /// <summary>Choices of dropdown, radio and checklist fields.</summary>
        public ValueList<string> Options { get; set; } = ValueList<string>.Empty;

        public override string ToString() => $"{Id} {Name}";

        internal static NmStepAction FromJson(JsonElement e, NmStep step)
        {
            var settings = e.Prop("settings");
            var required = e.Prop("required") ?? settings?.Prop("required");
            return new NmStepAction
            {
                ProcessId = step.ProcessId,
                StepId = step.Id,
                StepName = step.Name,
                Id = e.Long("id") ?? 0,
                Name = e.Str("name") ?? e.Str("title"),
                Type = e.Str("type"),
                Required = required is JsonElement r && r.ValueKind == JsonValueKind.True,
                Options = new ValueList<string>(e.Prop("options") != null ? e.Strings("options") : settings is JsonElement s ? s.Strings("options") : Array.Empty<string>()),
            };
        }
    }

    /// <summary>One instance's value of one form field (<c>Get-NmFieldValue</c>).</summary>
    public sealed class NmFieldValue
    {
        public long ProcessId { get; set; }

        public long StepId { get; set; }

        public long ActionId { get; set; }

        public long InstanceId { get; set; }

        public string? InstanceName { get; set; }

        /// <summary>Whether the field was filled in.</summary>
        public bool HasValue { get; set; }

        /// <summary>
        /// The value as a person reads it: the text, the selected item, the checked items (<c>a;b</c>), the date
        /// (UTC), or the object itself when the field type has no simpler form.
        /// </summary>
        public object? Value { get; set; }

        /// <summary>The input object as Next Matter stores it (its text form is JSON).</summary>
        public JsonData? InputObject { get; set; }

        /// <summary>The field's settings as Next Matter sent them.</summary>
        public JsonData? Settings { get; set; }

        public override string ToString() => $"{InstanceId}: {Convert.ToString(Value, CultureInfo.InvariantCulture)}";

        internal static NmFieldValue FromJson(JsonElement e, long processId, long stepId, long actionId)
        {
            var raw = e.Prop("value")?.ToPlain();
            var row = new NmFieldValue
            {
                ProcessId = processId,
                StepId = stepId,
                ActionId = actionId,
                InstanceId = e.Long("instance_id") ?? 0,
                InstanceName = e.Str("instance_name"),
                HasValue = raw != null,
                Value = NmValues.Simplify(raw),
                InputObject = raw as JsonData,
                Settings = e.Prop("settings")?.ToPlain() as JsonData,
            };
            return row;
        }
    }

    /// <summary>The fate of one id in a bulk request: accepted (no error) or refused with the error.</summary>
    internal sealed class NmBulkOutcome
    {
        public NmBulkOutcome(long id, int batchSize, Http.ApiException? error)
        {
            Id = id;
            BatchSize = batchSize;
            Error = error;
        }

        public long Id { get; }

        /// <summary>How many ids the accepted request carried.</summary>
        public int BatchSize { get; }

        public Http.ApiException? Error { get; }
    }

    /// <summary>What a bulk operation on instances did.</summary>
    public enum NmBulkOperation
    {
        Abort,
        Delete,
    }

    /// <summary>One instance that Next Matter accepted in a bulk abort or delete (<c>-PassThru</c>).</summary>
    public sealed class NmBulkResult
    {
        public long InstanceId { get; set; }

        public NmBulkOperation Operation { get; set; }

        /// <summary>How many ids went in the same request.</summary>
        public int BatchSize { get; set; }

        /// <summary>When Next Matter confirmed the request (UTC, this machine's clock).</summary>
        public DateTime ConfirmedAt { get; set; }

        public override string ToString() => $"{Operation} {InstanceId}";
    }

    /// <summary>Changes to an instance: only the fields that are set are sent.</summary>
    internal sealed class NmInstanceUpdate
    {
        public bool SetName { get; set; }

        public string? Name { get; set; }

        public bool SetDeadline { get; set; }

        public DateTime? Deadline { get; set; }

        public bool SetPriority { get; set; }

        public NmPriority Priority { get; set; }

        /// <summary>Replaces all tags when not null.</summary>
        public string[]? Tags { get; set; }

        /// <summary>Tags to add to the current ones (needs the current tags).</summary>
        public string[]? AddTags { get; set; }

        /// <summary>Tags to take off (needs the current tags).</summary>
        public string[]? RemoveTags { get; set; }

        public bool IsEmpty => !SetName && !SetDeadline && !SetPriority && Tags == null && (AddTags == null || AddTags.Length == 0) && (RemoveTags == null || RemoveTags.Length == 0);

        public bool NeedsCurrentTags => Tags == null && ((AddTags != null && AddTags.Length > 0) || (RemoveTags != null && RemoveTags.Length > 0));

        /// <summary>The tags after the change, given the current ones.</summary>
        public string[] TagsFrom(IEnumerable<string> current)
        {
            var result = (Tags ?? current).ToList();
            foreach (var tag in AddTags ?? Array.Empty<string>())
            {
                if (!result.Contains(tag, StringComparer.Ordinal))
                {
                    result.Add(tag);
                }
            }

            var remove = new HashSet<string>(RemoveTags ?? Array.Empty<string>(), StringComparer.Ordinal);
            return result.Where(t => !remove.Contains(t)).ToArray();
        }

        /// <summary>What the change does, for -WhatIf and -Verbose.</summary>
        public string Describe()
        {
            var parts = new List<string>();
            if (SetName)
            {
                parts.Add($"name '{Name}'");
            }

            if (SetDeadline)
            {
                parts.Add(Deadline is DateTime d ? $"deadline {JsonBody.FormatDate(d)}" : "no deadline");
            }

            if (SetPriority)
            {
                parts.Add($"priority {Priority}");
            }

            if (Tags != null)
            {
                parts.Add($"tags '{string.Join(";", Tags)}'");
            }

            if (AddTags != null && AddTags.Length > 0)
            {
                parts.Add($"add tags '{string.Join(";", AddTags)}'");
            }

            if (RemoveTags != null && RemoveTags.Length > 0)
            {
                parts.Add($"remove tags '{string.Join(";", RemoveTags)}'");
            }

            return "Set " + string.Join(", ", parts);
        }
    }
}
