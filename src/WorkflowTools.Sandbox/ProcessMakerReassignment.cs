using System.Linq;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>Whether the task's BPMN definition allows reassignment (PM4's <c>allowReassignment</c> attribute; off unless set).</summary>
public sealed partial record PmTaskDefinition
{
    /// <summary>The assignee (or whoever may update the task) may hand it to someone else.</summary>
    public bool AllowReassignment { get; init; }
}

// Who may reassign a task: PM4 4.15.6 Policies/ProcessRequestTokenPolicy::reassign, reached from
// ProcessRequestToken::reassign when the new user is not the caller claiming a self-service task. The route's own
// `can:update,task` check (MayWorkOn) comes first.
internal sealed partial class ProcessMakerApi
{
    /// <summary>Null when <paramref name="me"/> may reassign <paramref name="task"/>; otherwise PM4's 403 message.</summary>
    private string? ReassignDenied(PmUser me, PmTask task)
    {
        if (me.IsAdministrator) return null; // before()
        var process = task.Request.Process;
        if (process.ManagerId == me.Id) return null;
        // The process's reassignment_permissions property: named users, and the users of named groups, nested ones included.
        if (process.Raw?["properties"]?["reassignment_permissions"] is JsonObject allowed)
        {
            bool Has(JsonNode? list, System.Func<long, bool> test) =>
                list is JsonArray a && a.Any(x => x != null && long.TryParse(x.ToString(), out var id) && test(id));
            if (Has(allowed["users"], id => id == me.Id) || Has(allowed["groups"], g => Store.RecursiveUsers(g).Contains(me.Id))) return null;
        }
        if (!MayWorkOn(me, task)) return "Not authorized to update this task";
        return task.Definition.AllowReassignment ? null : "Not authorized to reassign this task";
    }
}
