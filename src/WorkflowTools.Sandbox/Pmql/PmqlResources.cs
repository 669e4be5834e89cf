using System;
using System.Linq;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox.Pmql;

/// <summary>
/// The columns and aliases of the two resources the sandbox filters with PMQL, as PM4 4.15.6 defines them on
/// ProcessRequest (fieldAliasCreated/Modified/Started/Completed, valueAliasStatus/Request/Requester/Participant/FullText)
/// and ProcessRequestToken (fieldAliasStarted/Created/Modified/Due/Completed/User_Id, valueAliasStatus/Request/Task/
/// Process_Name/FullText, and fieldWildcard: <c>data.</c> fields read the request's data).
/// </summary>
internal static class PmqlResources
{
    public static PmqlResource<PmRequest> Requests(ProcessMakerStore store)
    {
        var r = new PmqlResource<PmRequest> { Data = q => q.Data };
        var c = r.Columns;
        c["id"] = q => q.Id;
        c["process_id"] = q => q.ProcessId;
        c["process_collaboration_id"] = _ => null;
        c["user_id"] = q => q.UserId;
        c["participant_id"] = _ => null;
        c["callable_id"] = _ => "ProcessId";
        c["status"] = q => q.Status;
        c["name"] = q => q.Name;
        c["case_title"] = q => q.Name;
        c["initiated_at"] = q => q.InitiatedAt;
        c["completed_at"] = q => q.CompletedAt;
        c["created_at"] = q => q.CreatedAt;
        c["updated_at"] = q => q.UpdatedAt;
        c["process_version_id"] = q => q.Process.ProcessVersionId;
        r.FieldAliases["created"] = "created_at";
        r.FieldAliases["modified"] = "updated_at";
        r.FieldAliases["started"] = "initiated_at";
        r.FieldAliases["completed"] = "completed_at";

        // "In Progress", "Completed", "Error", "Canceled" (any case) name the stored statuses.
        r.ValueAliases["status"] = (op, value) =>
        {
            var v = Lower(value);
            v = v switch { "in progress" => "ACTIVE", "completed" => "COMPLETED", "error" => "ERROR", "canceled" => "CANCELED", _ => v };
            return PmqlEvaluator.Compare<PmRequest>(q => q.Status, op, v, caseSensitive: false);
        };
        // "request" compares the process name (Process::where('name', op, value)).
        r.ValueAliases["request"] = (op, value) => PmqlEvaluator.Compare<PmRequest>(q => q.Process.Name, op, value, caseSensitive: false);
        r.ValueAliases["requester"] = (op, value) =>
        {
            var user = store.FindUserByName(Text(value)) ?? throw new PmqlMethodException("requester", "The specified requester username does not exist.");
            return PmqlEvaluator.Compare<PmRequest>(q => q.UserId, op, user.Id, caseSensitive: false);
        };
        r.ValueAliases["participant"] = (op, value) =>
        {
            var user = store.FindUserByName(Text(value)) ?? throw new PmqlMethodException("participant", "The specified participant username does not exist.");
            // Requests with a token whose user_id compares so with the user's id.
            return op == "=" ? q => store.HasParticipant(q, user.Id) : q => ParticipantIds(store, q).Any(id => PmqlEvaluator.Compare<long>(x => x, op, user.Id, false)(id));
        };
        r.ValueAliases["fulltext"] = (_, value) => FullText<PmRequest>(value, q => new[] { q.Name, q.Status, q.Id.ToString(), q.Data.ToJsonString() });
        return r;
    }

    public static PmqlResource<PmTask> Tasks(ProcessMakerStore store, PmUser me)
    {
        var r = new PmqlResource<PmTask> { Data = t => t.Request.Data };
        var c = r.Columns;
        c["id"] = t => t.Id;
        c["process_id"] = t => t.Request.ProcessId;
        c["process_request_id"] = t => t.Request.Id;
        c["user_id"] = t => t.UserId;
        c["process_request_tokens.user_id"] = t => t.UserId;
        c["element_id"] = t => t.ElementId;
        c["element_type"] = _ => "task";
        c["element_name"] = t => t.ElementName;
        c["status"] = t => t.Status;
        c["is_self_service"] = t => t.IsSelfService ? 1L : 0L;
        c["completed_at"] = t => t.CompletedAt;
        c["due_at"] = t => t.DueAt;
        c["initiated_at"] = t => t.CreatedAt;
        c["riskchanges_at"] = _ => null;
        c["created_at"] = t => t.CreatedAt;
        c["updated_at"] = t => t.UpdatedAt;
        r.FieldAliases["started"] = "created_at";
        r.FieldAliases["created"] = "created_at";
        r.FieldAliases["modified"] = "updated_at";
        r.FieldAliases["due"] = "due_at";
        r.FieldAliases["completed"] = "completed_at";

        r.ValueAliases["status"] = (op, value) =>
        {
            var v = Lower(value);
            if (v == "self service") return t => store.IsAvailableSelfService(me, t);
            string[]? mapped = v switch { "in progress" => new[] { "ACTIVE" }, "completed" => new[] { "CLOSED", "COMPLETED" }, _ => null };
            if (mapped != null)
            {
                // Only = and != name the mapped statuses; any other operator keeps just the is_self_service = 0 part.
                return op switch
                {
                    "=" => t => !t.IsSelfService && mapped.Contains(t.Status),
                    "!=" => t => !t.IsSelfService && !mapped.Contains(t.Status),
                    _ => t => !t.IsSelfService,
                };
            }
            var compare = PmqlEvaluator.Compare<PmTask>(t => t.Status, op, v, caseSensitive: false);
            return t => !t.IsSelfService && compare(t);
        };
        r.ValueAliases["request"] = (op, value) => PmqlEvaluator.Compare<PmTask>(t => t.Request.Name, op, value, caseSensitive: false);
        r.ValueAliases["process_name"] = (op, value) => PmqlEvaluator.Compare<PmTask>(t => t.Request.Name, op, value, caseSensitive: false);
        r.ValueAliases["task"] = (op, value) => PmqlEvaluator.Compare<PmTask>(t => t.ElementName, op, value, caseSensitive: false);
        r.ValueAliases["fulltext"] = (_, value) => FullText<PmTask>(value, t => new[] { t.ElementName, t.Status, t.Id.ToString(), t.Request.Name, t.Request.Process.Name, t.Request.Data.ToJsonString() });
        return r;
    }

    /// <summary>Process columns (PMQL on GET /processes; Process defines no aliases).</summary>
    public static PmqlResource<PmProcess> Processes()
    {
        var r = new PmqlResource<PmProcess>();
        var c = r.Columns;
        c["id"] = p => p.Id;
        c["name"] = p => p.Name;
        c["description"] = p => p.Description;
        c["status"] = p => p.Status;
        c["process_category_id"] = p => p.ProcessCategoryId;
        c["user_id"] = _ => ProcessMakerStore.AdminUserId;
        c["created_at"] = p => p.CreatedAt;
        c["updated_at"] = p => p.CreatedAt;
        return r;
    }

    private static long[] ParticipantIds(ProcessMakerStore store, PmRequest q) =>
        store.Tasks.Where(t => t.Request == q && t.UserId != null).Select(t => t.UserId!.Value).Prepend(q.UserId).Distinct().ToArray();

    /// <summary>The model's scopeFilter: any of the texts contains the value (LIKE %value%, case-insensitive).</summary>
    private static Func<T, bool> FullText<T>(object value, Func<T, string[]> texts)
    {
        var pattern = "%" + Text(value) + "%";
        return row => texts(row).Any(t => PmqlEvaluator.SqlLike(t, pattern));
    }

    private static string Text(object value) => value is DateTimeOffset d ? d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private static string Lower(object value) => Text(value).ToLowerInvariant();
}
