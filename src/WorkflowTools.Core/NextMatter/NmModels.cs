using System;
using System.Text.Json;
using WorkflowTools.Json;
using WorkflowTools.Models;

namespace WorkflowTools.NextMatter
{
    public enum NmInstanceStatus
    {
        Unknown = 0,
        Running,
        Completed,
        Aborted,
    }

    public enum NmPriority
    {
        Regular = 0,
        High,
        VeryHigh,
    }

    /// <summary>A Next Matter workflow instance, flat and typed. Times are UTC.</summary>
    public sealed class NmInstance
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        /// <summary>
        /// Read from the API, or derived from the time fields when the API leaves it out; Unknown when the answer has
        /// neither, or a status this module does not know.
        /// </summary>
        public NmInstanceStatus? Status { get; set; }

        /// <summary>The workflow: from the answer, or from the request when the answer does not say (a listing's rows).</summary>
        public long ProcessId { get; set; }

        /// <summary>Null when the answer does not carry it (slim listing rows); Regular when it says regular (null or omitted in a detail).</summary>
        public NmPriority? Priority { get; set; }

        /// <summary>Null when the answer does not carry tags (slim listing rows).</summary>
        public ValueList<string>? Tags { get; set; } = ValueList<string>.Empty;

        public DateTime? StartedTime { get; set; }

        public DateTime? CompletedTime { get; set; }

        public DateTime? AbortedTime { get; set; }

        public DateTime? LastUpdatedTime { get; set; }

        public DateTime? Deadline { get; set; }

        /// <summary>How long the instance has run (to its end, or to now while it runs).</summary>
        public TimeSpan? TotalRuntime { get; set; }

        public double? Progress { get; set; }

        /// <summary>Null when the answer does not carry them (slim listing rows): Complete-NmStep then reads the instance.</summary>
        public ValueList<long>? ActiveStepIds { get; set; } = ValueList<long>.Empty;

        public string? Stage { get; set; }

        public string? Url { get; set; }

        public string? ProcessUrl { get; set; }

        public string? PublicUrl { get; set; }

        /// <summary>
        /// The instance's form values when asked for (<c>-IncludeValues</c>): action id → value as a person reads it
        /// (the text, the selected item, the checked items, the date in UTC; other field types as their object).
        /// Fields nobody filled in are left out. Its text form is JSON, so a CSV cell holds the values.
        /// </summary>
        public JsonData? Values { get; set; }

        public override string ToString() => $"{Id} {Name}";

        /// <summary>
        /// Reads an instance from a detail body, a list row or a v2 row. A field the answer does not carry stays
        /// null (never 0 or a default); <paramref name="processId"/> is the workflow the request was about, used when
        /// the answer does not name it (Next Matter's public example of a listing shows rows of only
        /// <c>{id, name, status, public_url}</c>).
        /// </summary>
        public static NmInstance FromJson(JsonElement e, DateTime nowUtc, long? processId = null)
        {
            var instance = new NmInstance
            {
                Id = e.Long("id") ?? 0,
                Name = e.Str("name"),
                ProcessUrl = ProcessUrlOf(e),
                Priority = Has(e, "priority") ? ParsePriority(e.Str("priority")) : (NmPriority?)null,
                Tags = Has(e, "tags") ? ValueList<string>.Own(e.Strings("tags")) : null,
                StartedTime = e.Date("started_time"),
                CompletedTime = e.Date("completed_time"),
                AbortedTime = e.Date("aborted_time"),
                LastUpdatedTime = e.Date("last_updated_time"),
                Deadline = e.Date("deadline"),
                Progress = e.Double("progress"),
                ActiveStepIds = Has(e, "active_step_ids") ? ValueList<long>.Own(e.Longs("active_step_ids")) : null,
                Stage = e.Prop("stage") is JsonElement stage ? (stage.ValueKind == JsonValueKind.Object ? stage.Str("name") : e.Str("stage")) : null,
                Url = e.Str("url"),
                PublicUrl = e.Str("public_url"),
            };

            instance.ProcessId = e.Long("process_id") ?? ProcessIdFromUrl(instance.ProcessUrl) ?? processId ?? 0;
            // No status and no time to derive it from: Unknown, never Running (a piped Stop must not take it for a live one).
            instance.Status = StatusOf(e) ?? (Has(e, "started_time") || Has(e, "completed_time") || Has(e, "aborted_time") ? DeriveStatus(instance) : NmInstanceStatus.Unknown);
            var runtimeText = e.Str("total_runtime");
            if (runtimeText != null && NmDuration.TryParse(runtimeText, out var runtime, out _))
            {
                instance.TotalRuntime = runtime;
            }
            else if (e.Prop("total_runtime") is JsonElement seconds && seconds.ValueKind == JsonValueKind.Number)
            {
                instance.TotalRuntime = TimeSpan.FromSeconds(seconds.GetDouble());
            }
            else if (instance.StartedTime is DateTime started)
            {
                var end = instance.CompletedTime ?? instance.AbortedTime ?? (instance.Status == NmInstanceStatus.Running ? nowUtc : (DateTime?)null);
                if (end is DateTime finished && finished >= started)
                {
                    instance.TotalRuntime = finished - started;
                }
            }

            instance.TotalRuntime = WholeSeconds(instance.TotalRuntime);
            return instance;
        }

        /// <summary>
        /// Runtimes are whole seconds, as Next Matter writes them (<c>1 00:09:30</c>): its text is then
        /// <c>1.00:09:30</c> in a CSV cell and on screen, never a seven-digit fraction of the moment it was read.
        /// </summary>
        internal static TimeSpan? WholeSeconds(TimeSpan? runtime) =>
            runtime is TimeSpan r ? TimeSpan.FromTicks(r.Ticks - (r.Ticks % TimeSpan.TicksPerSecond)) : (TimeSpan?)null;

        private static bool Has(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out _);

        /// <summary>The status field; the usual lower-case words are compared in place, without a string per row.</summary>
        private static NmInstanceStatus? StatusOf(JsonElement e)
        {
            if (e.Prop("status") is JsonElement status && status.ValueKind == JsonValueKind.String)
            {
                if (status.ValueEquals("running"))
                {
                    return NmInstanceStatus.Running;
                }

                if (status.ValueEquals("completed"))
                {
                    return NmInstanceStatus.Completed;
                }

                if (status.ValueEquals("aborted"))
                {
                    return NmInstanceStatus.Aborted;
                }
            }

            return ParseStatus(e.Str("status"));
        }

        /// <summary>The workflow URL; a listing's rows all name the same one, so the previous row's string is reused.</summary>
        private static string? ProcessUrlOf(JsonElement e)
        {
            var last = _lastProcessUrl;
            if (last != null && e.Prop("process") is JsonElement url && url.ValueKind == JsonValueKind.String && url.ValueEquals(last.Url))
            {
                return last.Url;
            }

            return e.Str("process");
        }

        public static NmInstanceStatus? ParseStatus(string? text)
        {
            switch (text?.Trim().ToLowerInvariant())
            {
                case "running":
                case "active":
                case "in_progress":
                    return NmInstanceStatus.Running;
                case "completed":
                case "done":
                    return NmInstanceStatus.Completed;
                case "aborted":
                case "stopped":
                    return NmInstanceStatus.Aborted;
                case null:
                case "":
                    return null;
                default:
                    return NmInstanceStatus.Unknown;
            }
        }

        public static NmInstanceStatus DeriveStatus(NmInstance instance) =>
            instance.AbortedTime != null ? NmInstanceStatus.Aborted
            : instance.CompletedTime != null ? NmInstanceStatus.Completed
            : NmInstanceStatus.Running;

        public static NmPriority ParsePriority(string? code)
        {
            switch (code?.Trim().ToUpperInvariant())
            {
                case "V":
                    return NmPriority.VeryHigh;
                case "H":
                    return NmPriority.High;
                default:
                    return NmPriority.Regular;
            }
        }

        public static string? PriorityCode(NmPriority? priority) =>
            priority == NmPriority.VeryHigh ? "V" : priority == NmPriority.High ? "H" : null;

        public static long? ProcessIdFromUrl(string? url)
        {
            if (string.IsNullOrEmpty(url))
            {
                return null;
            }

            // The rows of a listing all name the same workflow URL: read it once.
            var last = _lastProcessUrl;
            if (last != null && (ReferenceEquals(last.Url, url) || string.Equals(last.Url, url, StringComparison.Ordinal)))
            {
                return last.Id;
            }

            var id = ReadProcessId(url!);
            _lastProcessUrl = new ProcessUrlId(url!, id);
            return id;
        }

        private static volatile ProcessUrlId? _lastProcessUrl;

        private static long? ReadProcessId(string url)
        {
            var parts = url.TrimEnd('/').Split('/');
            for (var i = parts.Length - 1; i > 0; i--)
            {
                if (parts[i - 1] == "processes" && long.TryParse(parts[i], out var id))
                {
                    return id;
                }
            }

            return null;
        }

        private sealed class ProcessUrlId
        {
            public ProcessUrlId(string url, long? id)
            {
                Url = url;
                Id = id;
            }

            public string Url { get; }

            public long? Id { get; }
        }
    }

    /// <summary>What <c>Complete-NmStep</c> reports: the step that was completed and where the instance stands now.</summary>
    public sealed class NmStepCompletion
    {
        public long InstanceId { get; set; }

        public long StepId { get; set; }

        public int ActionCount { get; set; }

        public NmInstanceStatus InstanceStatus { get; set; }

        /// <summary>Null when the answer does not carry them (slim listing rows): Complete-NmStep then reads the instance.</summary>
        public ValueList<long>? ActiveStepIds { get; set; } = ValueList<long>.Empty;

        public string? InstanceName { get; set; }

        /// <summary>When the server confirmed the completion (UTC, this machine's clock).</summary>
        public DateTime CompletedAt { get; set; }

        public override string ToString() => $"Step {StepId} of instance {InstanceId}";
    }

    /// <summary>The specification of a new instance.</summary>
    public sealed class NmNewInstance
    {
        public long ProcessId { get; set; }

        public string? Name { get; set; }

        public string[]? Tags { get; set; }

        public NmPriority? Priority { get; set; }

        public DateTime? Deadline { get; set; }

        public System.Collections.Generic.IReadOnlyDictionary<long, long>? StepAssignments { get; set; }

        /// <summary>What an error about this instance names as its target: "new instance of workflow 1 ('Name')".</summary>
        public override string ToString() =>
            $"new instance of workflow {ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}" + (string.IsNullOrEmpty(Name) ? string.Empty : $" ('{Name}')");
    }

    /// <summary>One form action of a step completion: an action id and its input object.</summary>
    internal sealed class NmAction
    {
        public NmAction(long actionId, object? inputObject)
        {
            ActionId = actionId;
            InputObject = inputObject;
        }

        public long ActionId { get; }

        public object? InputObject { get; }
    }
}
