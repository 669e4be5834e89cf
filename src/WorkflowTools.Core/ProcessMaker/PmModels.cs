using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using WorkflowTools.Json;
using WorkflowTools.Models;

namespace WorkflowTools.ProcessMaker
{
    public enum PmRequestStatus
    {
        Unknown = 0,
        Active,
        Completed,
        Error,
        Canceled,
        Draft,
    }

    public enum PmTaskStatus
    {
        Unknown = 0,
        Active,
        Failing,
        Completed,
        Closed,
        EventCatch,
        Triggered,
        Incoming,
    }

    /// <summary>A start event of a process that a user may trigger (BPMN id such as <c>node_1</c>).</summary>
    public sealed class PmStartEvent
    {
        public string Id { get; set; } = string.Empty;

        public string? Name { get; set; }

        public long ProcessId { get; set; }

        public override string ToString() => string.IsNullOrEmpty(Name) ? Id : $"{Id} ({Name})";

        internal static PmStartEvent FromJson(JsonElement e, long processId) => new PmStartEvent
        {
            Id = e.Str("id") ?? string.Empty,
            Name = e.Str("name"),
            ProcessId = e.Long("ownerProcessId") ?? processId,
        };
    }

    /// <summary>A ProcessMaker process (the definition requests are started from).</summary>
    public sealed class PmProcess
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        public string? Description { get; set; }

        public string? Status { get; set; }

        public long? CategoryId { get; set; }

        /// <summary>The start events this user may trigger; text form <c>node_1 (Start);node_5 (Phone)</c>.</summary>
        public ValueList<PmStartEvent> StartEvents { get; set; } = ValueList<PmStartEvent>.Empty;

        public DateTime? CreatedAt { get; set; }

        public DateTime? UpdatedAt { get; set; }

        /// <summary>The process id again, named for pipeline binding into <c>Start-PmRequest</c>.</summary>
        public long ProcessId => Id;

        public override string ToString() => $"{Id} {Name}";

        internal static PmProcess FromJson(JsonElement e)
        {
            var id = e.Long("id") ?? 0;
            // "events" (asked for with include=events) and "startEvents" list only what the user may start;
            // "start_events" is every start event, timers included, so it is the last resort.
            var events = e.Prop("events") ?? e.Prop("startEvents") ?? e.Prop("start_events");
            var list = new List<PmStartEvent>();
            if (events is JsonElement ev && ev.ValueKind == JsonValueKind.Array)
            {
                list.AddRange(ev.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).Select(x => PmStartEvent.FromJson(x, id)));
            }

            return new PmProcess
            {
                Id = id,
                Name = e.Str("name"),
                Description = e.Str("description"),
                Status = e.Str("status"),
                CategoryId = e.Long("process_category_id"),
                StartEvents = new ValueList<PmStartEvent>(list),
                CreatedAt = e.Date("created_at"),
                UpdatedAt = e.Date("updated_at"),
            };
        }
    }

    /// <summary>A ProcessMaker request (a running or finished instance of a process). Times are UTC.</summary>
    public sealed class PmRequest
    {
        public long Id { get; set; }

        /// <summary>The process name (ProcessMaker names requests after their process).</summary>
        public string? Name { get; set; }

        public PmRequestStatus Status { get; set; }

        /// <summary>The status exactly as the server wrote it (for values this module does not know).</summary>
        public string? StatusText { get; set; }

        public long ProcessId { get; set; }

        public long? UserId { get; set; }

        public DateTime? InitiatedAt { get; set; }

        public DateTime? CompletedAt { get; set; }

        public DateTime? CreatedAt { get; set; }

        public DateTime? UpdatedAt { get; set; }

        public long? ProcessVersionId { get; set; }

        public long? CallableId { get; set; }

        /// <summary>Request data when asked for; a hashtable whose text form is JSON.</summary>
        public JsonData? Data { get; set; }

        /// <summary>The request id again, named for pipeline binding into <c>Get-PmTask</c>.</summary>
        public long RequestId => Id;

        public override string ToString() => $"{Id} {Name}";

        internal static PmRequest FromJson(JsonElement e)
        {
            var statusText = e.Str("status");
            return new PmRequest
            {
                Id = e.Long("id") ?? 0,
                Name = e.Str("name"),
                StatusText = statusText,
                Status = ParseStatus(statusText),
                ProcessId = e.Long("process_id") ?? 0,
                UserId = e.Long("user_id"),
                InitiatedAt = e.Date("initiated_at"),
                CompletedAt = e.Date("completed_at"),
                CreatedAt = e.Date("created_at"),
                UpdatedAt = e.Date("updated_at"),
                ProcessVersionId = e.Long("process_version_id"),
                CallableId = e.Long("callable_id"),
                Data = e.Prop("data") is JsonElement data && data.ValueKind == JsonValueKind.Object ? (JsonData?)data.ToPlain() : null,
            };
        }

        public static PmRequestStatus ParseStatus(string? text)
        {
            switch (text?.Trim().ToUpperInvariant())
            {
                case "ACTIVE": return PmRequestStatus.Active;
                case "COMPLETED": return PmRequestStatus.Completed;
                case "ERROR": return PmRequestStatus.Error;
                case "CANCELED":
                case "CANCELLED": return PmRequestStatus.Canceled;
                case "DRAFT": return PmRequestStatus.Draft;
                default: return PmRequestStatus.Unknown;
            }
        }
    }
}
