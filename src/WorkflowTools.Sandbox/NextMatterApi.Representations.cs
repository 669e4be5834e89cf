using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using static WorkflowTools.Sandbox.SandboxJson;
using static WorkflowTools.Sandbox.Routes;

namespace WorkflowTools.Sandbox;

// The JSON the sandbox's Next Matter answers with: instance detail, list rows, process detail, action settings.
internal sealed partial class NextMatterApi
{
    // ---------- representations ----------

    private static string ApiBase(HttpContext context) => Origin(context.Request) + "/nextmatter/api/";
    private static string InstanceUrl(HttpContext context, long id) => $"{ApiBase(context)}instances/{id}/";
    private static string ProcessUrlOf(HttpContext context, long id) => $"{ApiBase(context)}processes/{id}/";

    private JsonObject InstanceDetail(HttpContext context, NmInstance i, bool injectValues, bool stepsTimeFrame)
    {
        lock (Store.Gate)
        {
            var snapshot = new JsonObject
            {
                ["id"] = i.ProcessId,
                ["name"] = i.Process.Name,
                ["steps"] = ArrayOf(i.Process.Steps, s =>
                {
                    var step = new JsonObject
                    {
                        ["id"] = s.Id,
                        ["name"] = s.Name,
                        ["actions"] = ArrayOf(s.Actions, a =>
                        {
                            var action = new JsonObject { ["id"] = a.Id, ["name"] = a.Name, ["type"] = a.Type, ["settings"] = ActionSettings(a) };
                            if (injectValues) action["value"] = i.Values.TryGetValue(a.Id, out var v) ? v?.DeepClone() : null;
                            return action;
                        }),
                    };
                    if (stepsTimeFrame)
                        step["completed_time"] = i.StepCompletedTimes.TryGetValue(s.Id, out var t) ? Time(t) : null;
                    return step;
                }),
            };
            return new JsonObject
            {
                ["id"] = i.Id,
                ["url"] = InstanceUrl(context, i.Id),
                ["name"] = i.Name,
                ["process"] = ProcessUrlOf(context, i.ProcessId),
                ["deadline"] = Time(i.Deadline),
                ["priority"] = i.Priority,
                ["tags"] = Strings(i.Tags),
                ["step_assignments"] = ArrayOf(i.Assignments, a => new JsonObject { ["step_id"] = a.Key, ["user_id"] = a.Value }),
                ["started_time"] = Time(i.StartedTime),
                ["completed_time"] = Time(i.CompletedTime),
                ["aborted_time"] = Time(i.AbortedTime),
                ["last_updated_time"] = Time(i.LastUpdatedTime),
                ["process_snapshot"] = snapshot,
                ["active_step_ids"] = Longs(i.ActiveStepIds),
                ["step_deadlines"] = new JsonArray(),
                ["public_url"] = null,
                ["stage"] = null,
            };
        }
    }

    private JsonObject ListRow(HttpContext context, NmInstance i, DateTimeOffset now) => _server.Options.SlimListRows
        ? new JsonObject { ["id"] = i.Id, ["name"] = i.Name, ["status"] = i.Status, ["public_url"] = null }
        : FullListRow(context, i, now);

    private JsonObject FullListRow(HttpContext context, NmInstance i, DateTimeOffset now) => new()
    {
        ["id"] = i.Id,
        ["url"] = InstanceUrl(context, i.Id),
        ["name"] = i.Name,
        ["status"] = i.Status,
        ["process"] = ProcessUrlOf(context, i.ProcessId),
        ["priority"] = i.Priority,
        ["tags"] = Strings(i.Tags),
        ["started_time"] = Time(i.StartedTime),
        ["completed_time"] = Time(i.CompletedTime),
        ["aborted_time"] = Time(i.AbortedTime),
        ["last_updated_time"] = Time(i.LastUpdatedTime),
        ["active_step_ids"] = Longs(i.ActiveStepIds),
        ["total_runtime"] = DjangoDuration.Format(i.TotalRuntime(now)),
        ["progress"] = i.Progress,
        ["public_url"] = null,
        ["deadline"] = Time(i.Deadline),
    };

    private static JsonObject ProcessDetail(HttpContext context, NmProcess p) => SeedRaw.Merge(p.Raw, new JsonObject
    {
        ["id"] = p.Id,
        ["name"] = p.Name,
        ["url"] = ProcessUrlOf(context, p.Id),
        ["steps"] = ArrayOf(p.Steps, s => SeedRaw.Merge(s.Raw, new JsonObject
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["actions"] = ArrayOf(s.Actions, a => SeedRaw.Merge(a.Raw, new JsonObject
            {
                // A seed's raw.type is the name a real tenant gave the field (Export-WorkflowToolsSandboxSeed keeps it): served as given.
                ["id"] = a.Id, ["name"] = a.Name, ["type"] = a.Raw?["type"] is JsonValue tenant && tenant.TryGetValue<string>(out var name) ? name : a.Type,
                ["required"] = a.Required, ["settings"] = ActionSettings(a),
            })),
        })),
    });

    private static JsonObject ActionSettings(SandboxAction a) => new()
    {
        ["required"] = a.Required,
        ["options"] = a.Options == null ? null : Strings(a.Options),
    };
}
