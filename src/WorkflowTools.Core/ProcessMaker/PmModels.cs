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

    public enum PmProcessStatus
    {
        Unknown = 0,
        Active,
        Inactive,
        Archived,
    }

    /// <summary>
    /// Which requests a listing shows: the request statuses users see on <see cref="PmRequest"/> (ProcessMaker's
    /// <c>type</c> parameter where it has one, a PMQL status condition otherwise) and StartedByMe.
    /// </summary>
    public enum PmRequestListStatus
    {
        /// <summary>Everything the user may see (no <c>type</c> sent: <c>type=all</c> is unreliable for non-administrators).</summary>
        All = 0,
        /// <summary>The same as <see cref="Active"/> (<c>type=in_progress</c>), ProcessMaker's own name for it.</summary>
        InProgress,
        /// <summary><c>type=completed</c>: completed requests (canceled ones excluded).</summary>
        Completed,
        /// <summary>
        /// <c>type=started_me</c>: requests the user started that are still open — ProcessMaker leaves out COMPLETED and
        /// CANCELED ones (its notCompleted scope). For every request you started, use All with PMQL
        /// <c>requester = "your user name"</c>.
        /// </summary>
        StartedByMe,
        /// <summary><c>type=in_progress</c>: requests whose status is ACTIVE.</summary>
        Active,
        /// <summary>PMQL <c>status = "CANCELED"</c> (ProcessMaker's <c>type</c> has no value for them).</summary>
        Canceled,
        /// <summary>PMQL <c>status = "ERROR"</c>: requests a failed script or service task stopped.</summary>
        Error,
    }

    /// <summary>Sort keys of a request listing (<c>order_by</c>).</summary>
    public enum PmRequestSortBy
    {
        Id,
        Name,
        Status,
        ProcessId,
        UserId,
        InitiatedAt,
        CompletedAt,
        CreatedAt,
        UpdatedAt,
    }

    /// <summary>Sort keys of a task listing (<c>order_by</c>).</summary>
    public enum PmTaskSortBy
    {
        Id,
        Name,
        Status,
        DueAt,
        CreatedAt,
        CompletedAt,
        UpdatedAt,
        RequestId,
    }

    /// <summary>Wire names of the enums above: ProcessMaker's snake_case values.</summary>
    internal static class PmWireNames
    {
        public static string? Of(PmRequestListStatus status)
        {
            switch (status)
            {
                case PmRequestListStatus.InProgress:
                case PmRequestListStatus.Active: return "in_progress";
                case PmRequestListStatus.Completed: return "completed";
                case PmRequestListStatus.StartedByMe: return "started_me";
                default: return null;
            }
        }

        public static string Of(PmRequestSortBy sortBy)
        {
            switch (sortBy)
            {
                case PmRequestSortBy.Id: return "id";
                case PmRequestSortBy.Status: return "status";
                case PmRequestSortBy.ProcessId: return "process_id";
                case PmRequestSortBy.UserId: return "user_id";
                case PmRequestSortBy.InitiatedAt: return "initiated_at";
                case PmRequestSortBy.CompletedAt: return "completed_at";
                case PmRequestSortBy.CreatedAt: return "created_at";
                case PmRequestSortBy.UpdatedAt: return "updated_at";
                default: return "name";
            }
        }

        public static string Of(PmTaskSortBy sortBy)
        {
            switch (sortBy)
            {
                case PmTaskSortBy.Id: return "id";
                case PmTaskSortBy.Name: return "element_name";
                case PmTaskSortBy.Status: return "status";
                case PmTaskSortBy.DueAt: return "due_at";
                case PmTaskSortBy.CreatedAt: return "created_at";
                case PmTaskSortBy.CompletedAt: return "completed_at";
                case PmTaskSortBy.RequestId: return "process_request_id";
                default: return "updated_at";
            }
        }

        public static string Of(PmTaskStatus status)
        {
            switch (status)
            {
                case PmTaskStatus.EventCatch: return "EVENT_CATCH";
                case PmTaskStatus.Unknown: throw new ArgumentException("Unknown is not a task status ProcessMaker can filter on.");
                default: return status.ToString().ToUpperInvariant();
            }
        }
    }

    /// <summary>A start event of a process that a user may trigger (BPMN id such as <c>node_1</c>).</summary>
    public sealed class PmStartEvent
    {
        public string Id { get; set; } = string.Empty;

        public string? Name { get; set; }

        public long ProcessId { get; set; }

        public override string ToString() => string.IsNullOrEmpty(Name) ? Id : $"{Id} ({Name})";

        /// <summary>
        /// Whether a person can start this event through the API: it has no timer event definition and no web-entry
        /// configuration (<c>config</c> is a JSON string whose <c>web_entry</c> is set). Message, signal and
        /// conditional start events stay, as they do in ProcessMaker's own startEvents list.
        /// </summary>
        public static bool IsManual(JsonElement e)
        {
            if (e.Prop("eventDefinitions") is JsonElement definitions && definitions.ValueKind == JsonValueKind.Array)
            {
                foreach (var definition in definitions.EnumerateArray())
                {
                    if (definition.ValueKind == JsonValueKind.Object && string.Equals(definition.Str("$type"), "timerEventDefinition", StringComparison.OrdinalIgnoreCase))
                    {
                        return false;
                    }
                }
            }

            var config = e.Prop("config");
            if (config is JsonElement c && c.ValueKind == JsonValueKind.String)
            {
                try
                {
                    using var parsed = JsonDocument.Parse(c.GetString() ?? string.Empty);
                    if (parsed.RootElement.ValueKind == JsonValueKind.Object && parsed.RootElement.Prop("web_entry") is JsonElement web && web.ValueKind != JsonValueKind.Null)
                    {
                        return false;
                    }
                }
                catch (JsonException)
                {
                    // An unreadable config says nothing about web entry.
                }
            }
            else if (config is JsonElement o && o.ValueKind == JsonValueKind.Object && o.Prop("web_entry") is JsonElement web && web.ValueKind != JsonValueKind.Null)
            {
                return false;
            }

            return true;
        }

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

        public PmProcessStatus Status { get; set; }

        /// <summary>The status exactly as the server wrote it.</summary>
        public string? StatusText { get; set; }

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
            // List rows carry "startEvents" (the user's events minus timer and web-entry ones) and "events";
            // include=events gives "events" = the events the user is assigned to (an admin: all of them, timers
            // included); "start_events" is every start event. The most specific list present is used, and in
            // every case only the events a person can start are kept, decided from their definitions.
            var events = e.Prop("startEvents") ?? e.Prop("events") ?? e.Prop("start_events");
            var list = new List<PmStartEvent>();
            if (events is JsonElement ev && ev.ValueKind == JsonValueKind.Array)
            {
                list.AddRange(ev.EnumerateArray()
                    .Where(x => x.ValueKind == JsonValueKind.Object && PmStartEvent.IsManual(x))
                    .Select(x => PmStartEvent.FromJson(x, id))
                    .GroupBy(x => x.Id, StringComparer.Ordinal)
                    .Select(g => g.First()));
            }

            return new PmProcess
            {
                Id = id,
                Name = e.Str("name"),
                Description = e.Str("description"),
                StatusText = e.Str("status"),
                Status = ParseStatus(e.Str("status")),
                CategoryId = e.Long("process_category_id"),
                StartEvents = new ValueList<PmStartEvent>(list),
                CreatedAt = e.Date("created_at"),
                UpdatedAt = e.Date("updated_at"),
            };
        }

        public static PmProcessStatus ParseStatus(string? text)
        {
            switch (text?.Trim().ToUpperInvariant())
            {
                case "ACTIVE": return PmProcessStatus.Active;
                case "INACTIVE": return PmProcessStatus.Inactive;
                case "ARCHIVED": return PmProcessStatus.Archived;
                default: return PmProcessStatus.Unknown;
            }
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

    /// <summary>A ProcessMaker task (a user activity of a request). Times are UTC.</summary>
    public sealed class PmTask
    {
        public long Id { get; set; }

        /// <summary>The task's name (BPMN <c>element_name</c>).</summary>
        public string? Name { get; set; }

        /// <summary>The BPMN id of the task (<c>node_2</c>).</summary>
        public string? ElementId { get; set; }

        public string? ElementType { get; set; }

        public PmTaskStatus Status { get; set; }

        /// <summary>The status exactly as the server wrote it (for values this module does not know).</summary>
        public string? StatusText { get; set; }

        public long RequestId { get; set; }

        public long? ProcessId { get; set; }

        /// <summary>The assignee; null while a self-service task waits to be claimed (see <see cref="IsSelfService"/>).</summary>
        public long? UserId { get; set; }

        /// <summary>
        /// True for an unclaimed self-service task (PM4's <c>is_self_service</c>): it has no assignee, and the users and
        /// groups the process names may claim it or complete it as it is. <c>Get-PmTask -UserId</c> lists these for the
        /// user's groups as well as the user's own tasks.
        /// </summary>
        public bool IsSelfService { get; set; }

        public DateTime? DueAt { get; set; }

        public DateTime? CompletedAt { get; set; }

        public DateTime? CreatedAt { get; set; }

        public DateTime? UpdatedAt { get; set; }

        /// <summary>
        /// The request's data when asked for (-IncludeData); a hashtable whose text form is JSON. ProcessMaker's own
        /// magic variables (<c>_user</c>, <c>_request</c>, … — task data comes from DataManager::getData, which adds
        /// them) are left out, as the request endpoints leave them out, so a CSV cell holds the process data.
        /// </summary>
        public JsonData? Data { get; set; }

        /// <summary>The task id again, named for pipeline binding into <c>Complete-PmTask</c>.</summary>
        public long TaskId => Id;

        public override string ToString() => $"{Id} {Name}";

        private static JsonData? WithoutMagicVariables(JsonData? data)
        {
            if (data == null)
            {
                return null;
            }

            foreach (var key in data.Keys.Cast<object>().Select(k => k.ToString()!).Where(k => k.StartsWith("_", StringComparison.Ordinal)).ToList())
            {
                data.Remove(key);
            }

            return data;
        }

        internal static PmTask FromJson(JsonElement e)
        {
            var statusText = e.Str("status");
            return new PmTask
            {
                Id = e.Long("id") ?? 0,
                Name = e.Str("element_name"),
                ElementId = e.Str("element_id"),
                ElementType = e.Str("element_type"),
                StatusText = statusText,
                Status = ParseStatus(statusText),
                RequestId = e.Long("process_request_id") ?? 0,
                ProcessId = e.Long("process_id"),
                UserId = e.Long("user_id"),
                IsSelfService = IsTrue(e.Prop("is_self_service")) && e.Long("user_id") == null,
                DueAt = e.Date("due_at"),
                CompletedAt = e.Date("completed_at"),
                CreatedAt = e.Date("created_at"),
                UpdatedAt = e.Date("updated_at"),
                Data = e.Prop("data") is JsonElement data && data.ValueKind == JsonValueKind.Object ? WithoutMagicVariables((JsonData?)data.ToPlain()) : null,
            };
        }

        /// <summary>A MySQL flag as PM4 writes it: 1 / 0, true / false, or "1" / "0".</summary>
        private static bool IsTrue(JsonElement? value)
        {
            if (!(value is JsonElement v))
            {
                return false;
            }

            switch (v.ValueKind)
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.Number: return v.TryGetInt64(out var n) && n != 0;
                case JsonValueKind.String: return v.GetString() is string s && s != "0" && s.Length > 0 && !string.Equals(s, "false", StringComparison.OrdinalIgnoreCase);
                default: return false;
            }
        }

        public static PmTaskStatus ParseStatus(string? text)
        {
            switch (text?.Trim().ToUpperInvariant())
            {
                case "ACTIVE": return PmTaskStatus.Active;
                case "FAILING": return PmTaskStatus.Failing;
                case "COMPLETED": return PmTaskStatus.Completed;
                case "CLOSED": return PmTaskStatus.Closed;
                case "EVENT_CATCH": return PmTaskStatus.EventCatch;
                case "TRIGGERED": return PmTaskStatus.Triggered;
                case "INCOMING": return PmTaskStatus.Incoming;
                default: return PmTaskStatus.Unknown;
            }
        }
    }
}
