using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static WorkflowTools.Sandbox.PmRoutes;
using static WorkflowTools.Sandbox.SandboxJson;

namespace WorkflowTools.Sandbox;

/// <summary>
/// A process's lifecycle as PM4 4.15.6 serves it: routes/api.php (DELETE processes/{process} and PUT
/// processes/{process}/restore with can:archive-processes; POST export/{type}/download/{id}; POST import/do-import with
/// can:import-processes), Api/ProcessController.php destroy (status ARCHIVED, 204 '') and restore (Process::find then
/// status ACTIVE, the resource; an unknown id fails on null, a 500), Api/ExportController.php download and
/// Api/ImportController.php import, ImportExport/Exporter and Importer (package {type: process_package, version: 2,
/// root, name, export: {uuid: asset}}; options {uuid: {mode: update|copy|discard}}, update by default).
/// </summary>
/// <remarks>
/// Source over docs: api-docs.json documents only the v1 roads (POST processes/{id}/export answering a download URL,
/// POST processes/import with an is_ready check). The v1 URL is a web route behind a browser session that a bearer
/// token cannot fetch (/work/shared/api/processmaker.md), so the sandbox serves the v2 road the source has, which
/// answers the package in the export's own response and imports synchronously. A password on export encrypts the
/// package as PM4 does (ProcessMakerPackageEncryption.cs); import then needs it ("password required", "incorrect
/// password"). What the sandbox does not model: screens and scripts (a process asset carries its start events and
/// tasks in the sandbox's own attributes, since the sandbox has no BPMN), and assets that force a password.
/// </remarks>
internal sealed class ProcessMakerPackagesApi
{
    private readonly SandboxServer _server;

    public ProcessMakerPackagesApi(SandboxServer server) => _server = server;

    private ProcessMakerStore Store => _server.ProcessMaker;

    public void Map(RouteGroupBuilder g)
    {
        g.MapDelete("/processes/{id:long}", (HttpContext c, long id) => Guard(c, "archive-processes") ?? Archive(c, id));
        g.MapPut("/processes/{id:long}/restore", (HttpContext c, long id) => Guard(c, "archive-processes") ?? Restore(c, id));
        g.MapPost("/export/process/download/{id:long}", (HttpContext c, long id) => Guard(c, "export-processes") is { } no ? Task.FromResult(no) : ExportAsync(c, id));
        g.MapPost("/import/do-import", Routes.H(c => Guard(c, "import-processes") is { } no ? Task.FromResult(no) : ImportAsync(c)));
    }

    private IResult? Guard(HttpContext c, string permission) => PmRoutes.Guard(c, Store, permission);

    private IResult Archive(HttpContext c, long id)
    {
        if (Store.FindProcess(id) is not { } process) return NotFound();
        Store.SetProcessStatus(process, "ARCHIVED");
        Store.RecordSecurityEvent(Me(c).Id, "ProcessArchived", PmDataEvents.ProcessStatusChanged(c, Store.FindProcess(id)!, _server.Clock.Now));
        // Laravel's 204 carries a Content-Type and no body. Nothing is written: a written (even empty) body on a 204 could
        // end the kept-alive connection, and the client's next request on it then failed now and then.
        c.Response.ContentType = "text/html; charset=UTF-8";
        return Results.StatusCode(204);
    }

    private IResult Restore(HttpContext c, long id)
    {
        // Process::find($id) is null for an unknown id, and setting its status fails: PM4 answers 500.
        if (Store.FindProcess(id) is not { } process) return Json(500, ErrorBodies.ProcessMaker(500));
        process = Store.SetProcessStatus(process, "ACTIVE");
        Store.RecordSecurityEvent(Me(c).Id, "ProcessRestored", PmDataEvents.ProcessStatusChanged(c, process, _server.Clock.Now));
        return Json(200, Resource(process));
    }

    private async Task<IResult> ExportAsync(HttpContext c, long id)
    {
        if (Store.FindProcess(id) is not { } process) return NotFound();
        // $request->json()->all()['password']: a body that is no JSON object has none.
        var (body, _) = await ReadBodyAsync(c);
        var password = PmPackageEncryption.Given(body is JsonObject post && post["password"] is JsonValue p ? (p.TryGetValue<string>(out var s) ? s : p.ToJsonString()) : null);
        var uuid = Store.UuidOf(id).ToString();
        var asset = new JsonObject
        {
            ["type"] = "Process",
            ["type_human"] = "Process",
            ["type_plural"] = "Processes",
            ["model"] = "ProcessMaker\\Models\\Process",
            ["name"] = process.Name,
            ["description"] = process.Description,
            ["attributes"] = new JsonObject
            {
                ["name"] = process.Name,
                ["description"] = process.Description,
                ["status"] = process.Status,
                ["bpmn"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"/>",
                // The sandbox's stand-in for the BPMN it does not keep.
                ["sandbox_start_events"] = ArrayOf(process.StartEvents, e => new JsonObject { ["id"] = e.Id, ["name"] = e.Name, ["kind"] = e.Kind }),
                ["sandbox_tasks"] = ArrayOf(process.Tasks, t => new JsonObject { ["element_id"] = t.ElementId, ["name"] = t.Name }),
            },
            ["extraAttributes"] = new JsonObject(),
            ["references"] = new JsonObject(),
            ["dependents"] = new JsonArray(),
        };
        var package = new JsonObject
        {
            ["type"] = "process_package",
            ["version"] = "2",
            ["root"] = uuid,
            ["name"] = process.Name,
            ["export"] = new JsonObject { [uuid] = asset },
        };
        var info = new JsonObject
        {
            ["exported"] = new JsonObject { ["Process"] = new JsonObject { ["name"] = "Process", ["name_plural"] = "Processes", ["ids"] = new JsonArray(id) } },
            ["name"] = process.Name,
        };
        c.Response.Headers["export-info"] = info.ToJsonString();
        if (password != null) PmPackageEncryption.Encrypt(package, password);
        var fileName = process.Name.ToLowerInvariant().Replace(' ', '_') + ".json";
        return Results.File(Encoding.UTF8.GetBytes(package.ToJsonString()), "application/json", fileName);
    }

    /// <summary>ImportController::import: multipart file, options (a file part of JSON), password.</summary>
    private async Task<IResult> ImportAsync(HttpContext c)
    {
        if (!c.Request.HasFormContentType) return Json(500, ErrorBodies.ProcessMaker(500));
        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        // $request->file('file')->get() on a missing file, json_decode of a non-package, $payload['root'] missing: PM4 fails with 500.
        if (form.Files.GetFile("file") is not { } file) return Json(500, ErrorBodies.ProcessMaker(500));
        JsonObject? package;
        using (var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8))
        {
            try { package = JsonNode.Parse(await reader.ReadToEndAsync(c.RequestAborted)) as JsonObject; }
            catch (JsonException) { package = null; }
        }

        if (package == null) return Json(500, ErrorBodies.ProcessMaker(500));
        if (package["encrypted"]?.GetValue<bool>() == true)
        {
            // Importer::handlePasswordDecrypt: no password, or one that does not open the package, is a 400.
            if (PmPackageEncryption.Given(form["password"].ToString()) is not { } password) return Json(400, new JsonObject { ["error"] = "password required" });
            if (PmPackageEncryption.Decrypt(package, password) is not { } export) return Json(400, new JsonObject { ["error"] = "incorrect password" });
            package["export"] = export;
        }
        if (package["root"]?.ToString() is not { } root || !Guid.TryParse(root, out var uuid) || package["export"] is not JsonObject assets || assets[root] is not JsonObject asset || asset["attributes"] is not JsonObject attributes)
            return Json(500, ErrorBodies.ProcessMaker(500));

        var mode = "update";
        if (form.Files.GetFile("options") is { } optionsFile)
        {
            using var reader = new StreamReader(optionsFile.OpenReadStream(), Encoding.UTF8);
            try
            {
                if (JsonNode.Parse(await reader.ReadToEndAsync(c.RequestAborted)) is JsonObject options && options[root]?["mode"]?.ToString() is { } m) mode = m;
            }
            catch (JsonException) { return Json(500, ErrorBodies.ProcessMaker(500)); }
        }

        var existing = mode == "copy" ? null : Store.FindProcessByUuid(uuid);
        if (mode == "discard" && existing != null) return Json(200, new JsonObject { ["processId"] = existing.Id, ["message"] = new JsonArray() });
        var events = (attributes["sandbox_start_events"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .Select(e => new PmStartEvent(e["id"]?.ToString() ?? "node_1", e["name"]?.ToString() ?? "Start", e["kind"]?.ToString() ?? "none")).ToList();
        var tasks = (attributes["sandbox_tasks"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .Select(t => new PmTaskDefinition(t["element_id"]?.ToString() ?? "node_2", t["name"]?.ToString() ?? "Task")).ToList();
        var imported = Store.ImportProcess(mode == "copy" ? Guid.NewGuid() : uuid, existing, attributes["name"]?.ToString() ?? asset["name"]?.ToString() ?? "Imported process",
            attributes["description"]?.ToString() ?? "", events, tasks);
        // No security log entry: PM4's import dispatches no ProcessCreated (see PmDataEvents).
        return Json(200, new JsonObject { ["processId"] = imported.Id, ["message"] = new JsonArray() });
    }

    /// <summary>The process resource's plain attributes.</summary>
    private static JsonObject Resource(PmProcess p) => new()
    {
        ["id"] = p.Id,
        ["process_category_id"] = p.ProcessCategoryId,
        ["user_id"] = ProcessMakerStore.AdminUserId,
        ["description"] = p.Description,
        ["name"] = p.Name,
        ["status"] = p.Status,
        ["is_valid"] = 1,
        ["created_at"] = PmTime(p.CreatedAt),
        ["updated_at"] = PmTime(p.CreatedAt),
    };
}
