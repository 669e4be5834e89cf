using System;
using System.Text.Json;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>
    /// A ProcessMaker environment variable. Its value is never here: ProcessMaker 4 hides it in every answer
    /// (Models/EnvironmentVariable <c>$hidden</c>), so it can be written but never read back. Times are UTC.
    /// </summary>
    public sealed class PmEnvironmentVariable
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        public string? Description { get; set; }

        public DateTime? CreatedAt { get; set; }

        public DateTime? UpdatedAt { get; set; }

        public override string ToString() => Name ?? Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        internal static PmEnvironmentVariable FromJson(JsonElement e) => new PmEnvironmentVariable
        {
            Id = e.Long("id") ?? 0,
            Name = e.Str("name"),
            Description = e.Str("description"),
            CreatedAt = e.Date("created_at"),
            UpdatedAt = e.Date("updated_at"),
        };
    }

    /// <summary>A file attached to a ProcessMaker request (a media row: file name, size, the data name it belongs to). Times are UTC.</summary>
    public sealed class PmRequestFile
    {
        public long Id { get; set; }

        public long RequestId { get; set; }

        /// <summary>The file's name as uploaded (untrusted: Save-PmRequestFile keeps it inside the destination folder).</summary>
        public string? Name { get; set; }

        /// <summary>The request variable the file belongs to (<c>custom_properties.data_name</c>).</summary>
        public string? DataName { get; set; }

        /// <summary>Bytes, as the server says.</summary>
        public long? Size { get; set; }

        public string? MimeType { get; set; }

        /// <summary>The user who uploaded it (<c>custom_properties.createdBy</c>).</summary>
        public long? CreatedBy { get; set; }

        public DateTime? CreatedAt { get; set; }

        public DateTime? UpdatedAt { get; set; }

        /// <summary>The file id again, named for pipeline binding into Save-, Remove-PmRequestFile (a piped request's Id is not a file id).</summary>
        public long FileId => Id;

        public override string ToString() => $"{Id} {Name}";

        internal static PmRequestFile FromJson(JsonElement e, long requestId)
        {
            var properties = e.Prop("custom_properties") is JsonElement p && p.ValueKind == JsonValueKind.Object ? p : (JsonElement?)null;
            return new PmRequestFile
            {
                Id = e.Long("id") ?? 0,
                RequestId = e.Long("model_id") ?? requestId,
                Name = e.Str("file_name") ?? e.Str("name"),
                DataName = properties?.Str("data_name"),
                Size = e.Long("size"),
                MimeType = e.Str("mime_type"),
                CreatedBy = properties?.Long("createdBy"),
                CreatedAt = e.Date("created_at"),
                UpdatedAt = e.Date("updated_at"),
            };
        }
    }

    /// <summary>One entry of ProcessMaker's security log (logins, failed logins, changes). Times are UTC.</summary>
    public sealed class PmSecurityLogEntry
    {
        public long Id { get; set; }

        /// <summary>login, logout, attempt, or a change such as UserCreated, ProcessArchived, EnvironmentVariablesUpdated.</summary>
        public string? Event { get; set; }

        public long? UserId { get; set; }

        public string? Ip { get; set; }

        public DateTime? OccurredAt { get; set; }

        public string? Browser { get; set; }

        public string? OperatingSystem { get; set; }

        /// <summary>What the event recorded (a hashtable whose text form is JSON, so a CSV cell holds it).</summary>
        public JsonData? Data { get; set; }

        public override string ToString() => $"{Id} {Event}";

        internal static PmSecurityLogEntry FromJson(JsonElement e)
        {
            var meta = e.Prop("meta") is JsonElement m && m.ValueKind == JsonValueKind.Object ? m : (JsonElement?)null;
            return new PmSecurityLogEntry
            {
                Id = e.Long("id") ?? 0,
                Event = e.Str("event"),
                UserId = e.Long("user_id"),
                Ip = e.Str("ip"),
                OccurredAt = e.Date("occurred_at"),
                Browser = Named(meta, "browser"),
                OperatingSystem = Named(meta, "os"),
                Data = e.Prop("data") is JsonElement data && data.ValueKind == JsonValueKind.Object ? (JsonData?)data.ToPlain() : null,
            };
        }

        private static string? Named(JsonElement? meta, string key)
        {
            if (!(meta?.Prop(key) is JsonElement part) || part.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var name = part.Str("name");
            var version = part.Str("version");
            return string.IsNullOrEmpty(version) ? name : $"{name} {version}";
        }
    }
}
