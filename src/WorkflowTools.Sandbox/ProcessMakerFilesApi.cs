using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using static WorkflowTools.Sandbox.PmRoutes;
using static WorkflowTools.Sandbox.SandboxJson;

namespace WorkflowTools.Sandbox;

/// <summary>
/// Request files as PM4 4.15.6 serves them: routes/api.php (requests/{request}/files, can:view / can:participate),
/// Api/ProcessRequestFileController.php (index, show, store, destroy, validatePDFFile), Models/Media.php
/// getFilesRequest (an unknown media id is 400, another request's file 404), config/media-library.php (max_file_size
/// 256 MB, answered 422 by the controller's FileIsTooBig handler).
/// </summary>
/// <remarks>
/// Source over docs: api-docs.json documents the upload's answer as 200 {message, fileUploadId} and the file list
/// as a plain collection; both agree with the source. It documents <c>data_name</c> as a query parameter; the source
/// reads it with <c>$request->input</c>, so the query or a form field both work.
/// </remarks>
internal sealed class ProcessMakerFilesApi
{
    /// <summary>config/media-library.php max_file_size: 256 MB.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    private readonly SandboxServer _server;

    public ProcessMakerFilesApi(SandboxServer server) => _server = server;

    private ProcessMakerStore Store => _server.ProcessMaker;

    public void Map(RouteGroupBuilder g)
    {
        g.MapGet("/requests/{id:long}/files", (HttpContext c, long id) => List(c, id));
        g.MapGet("/requests/{id:long}/files/{fileId:long}", (HttpContext c, long id, long fileId) => Download(c, id, fileId));
        g.MapPost("/requests/{id:long}/files", (HttpContext c, long id) => UploadAsync(c, id));
        g.MapDelete("/requests/{id:long}/files/{fileId:long}", (HttpContext c, long id, long fileId) => Delete(c, id, fileId));
    }

    /// <summary>ProcessRequestPolicy::view (admin, requester, view-all_requests); participants are not modelled.</summary>
    private bool MayView(PmUser me, PmRequest request) => request.UserId == me.Id || Store.HasPermission(me, "view-all_requests");

    /// <summary>ProcessRequestPolicy::participate: admin or requester (participants are not modelled).</summary>
    private static bool MayParticipate(PmUser me, PmRequest request) => me.IsAdministrator || request.UserId == me.Id;

    private IResult List(HttpContext c, long id)
    {
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        if (!MayView(Me(c), request)) return Forbidden();
        var q = c.Request.Query;
        var files = Store.FilesOf(id).AsEnumerable();
        if (q["id"].ToString() is { Length: > 0 } fileId)
        {
            if (Resolve(request, fileId) is { } fail) return fail.Result!;
            files = files.Where(f => f.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == fileId);
        }
        else if (q["name"].ToString() is { Length: > 0 } name)
        {
            files = files.Where(f => f.DataName == name);
        }

        // A ResourceCollection without pagination: only "data".
        return Json(200, new JsonObject { ["data"] = new JsonArray(files.Select(f => (JsonNode)MediaJson(f)).ToArray()) });
    }

    private IResult Download(HttpContext c, long id, long fileId)
    {
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        if (!MayView(Me(c), request)) return Forbidden();
        var found = Resolve(request, fileId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (found?.Result is { } fail) return fail;
        var file = found!.File!;
        // No security log entry: PM4 dispatches no FilesDownloaded on this route (see PmDataEvents).
        // response()->download($path): the bytes, the file's type, attachment with its name.
        return Results.File(file.Content, file.MimeType, file.FileName);
    }

    private IResult Delete(HttpContext c, long id, long fileId)
    {
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        if (!MayParticipate(Me(c), request)) return Forbidden();
        var found = Resolve(request, fileId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (found?.Result is { } fail) return fail;
        Store.RemoveFile(found!.File!);
        Store.RecordSecurityEvent(Me(c).Id, "FilesDeleted", PmDataEvents.FileDeleted(found.File!, _server.Clock.Now));
        return Results.StatusCode(204);
    }

    private sealed record Found(PmRequestFile? File, IResult? Result);

    /// <summary>Media::getFilesRequest with an id: unknown → 400, another request's → 404.</summary>
    private Found? Resolve(PmRequest request, string fileId)
    {
        var file = long.TryParse(fileId, out var n) ? Store.FindFile(n) : null;
        if (file == null) return new Found(null, Json(400, new JsonObject { ["message"] = "Something went wrong and the file cannot be previewed or downloaded." }));
        if (file.RequestId != request.Id) return new Found(null, NotFound());
        return new Found(file, null);
    }

    /// <summary>ProcessRequestFileController::store: multipart <c>file</c>, <c>data_name</c> (query or form; default the file's name).</summary>
    private async Task<IResult> UploadAsync(HttpContext c, long id)
    {
        var request = Store.FindRequest(id);
        if (request == null) return NotFound();
        var me = Me(c);
        if (!MayParticipate(me, request)) return Forbidden();
        var boundary = MediaTypeHeaderValue.TryParse(c.Request.ContentType, out var type) ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary)) return Json(500, ErrorBodies.ProcessMaker(500));

        var reader = new MultipartReader(boundary, c.Request.Body);
        string? dataName = c.Request.Query["data_name"].ToString() is { Length: > 0 } fromQuery ? fromQuery : null;
        (string Name, string Type, byte[] Bytes)? upload = null;
        for (var section = await reader.ReadNextSectionAsync(c.RequestAborted); section != null; section = await reader.ReadNextSectionAsync(c.RequestAborted))
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (disposition.IsFileDisposition() && field == "file")
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await section.Body.ReadAsync(chunk, c.RequestAborted)) > 0)
                {
                    if (buffer.Length + read > MaxFileBytes)
                        return Json(422, new JsonObject { ["errors"] = new JsonObject { ["file"] = new JsonArray($"file may not be greater than {MaxFileBytes / 1024} kilobytes") } });
                    buffer.Write(chunk, 0, read);
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "file";
                upload = (Path.GetFileName(name), section.ContentType ?? "application/octet-stream", buffer.ToArray());
            }
            else if (field == "data_name" && dataName == null)
            {
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                var value = (await text.ReadToEndAsync(c.RequestAborted)).Trim();
                dataName = value.Length > 0 ? value : null;
            }
        }

        // No file: $request->file is null and saveUploadedFile's type check fails, a 500.
        if (upload is not { } file) return Json(500, ErrorBodies.ProcessMaker(500));
        if (file.Name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) && ContainsJavaScript(file.Bytes))
        {
            // validatePDFFile refuses it; the abort() inside store()'s try becomes a 500 (see the notes). Nothing is stored.
            return Json(500, new JsonObject { ["errors"] = new JsonObject { ["message"] = "" } });
        }

        var stored = Store.AddFile(id, file.Name, file.Type, file.Bytes, dataName ?? file.Name, me.Id);
        Store.RecordSecurityEvent(me.Id, "FilesCreated", PmDataEvents.FileCreated(c, request, stored));
        return Json(200, new JsonObject { ["message"] = "The file was uploaded.", ["fileUploadId"] = stored.Id });
    }

    private static bool ContainsJavaScript(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        return text.Contains("/JavaScript", StringComparison.Ordinal);
    }

    /// <summary>A Spatie media row as PM4's resource writes it.</summary>
    private static JsonObject MediaJson(PmRequestFile f) => new()
    {
        ["id"] = f.Id,
        ["model_type"] = "ProcessMaker\\Models\\ProcessRequest",
        ["model_id"] = f.RequestId,
        ["collection_name"] = "default",
        ["name"] = Path.GetFileNameWithoutExtension(f.FileName),
        ["file_name"] = f.FileName,
        ["mime_type"] = f.MimeType,
        ["disk"] = "public",
        ["size"] = f.Content.LongLength,
        ["manipulations"] = new JsonArray(),
        ["custom_properties"] = new JsonObject { ["data_name"] = f.DataName, ["parent"] = null, ["row_id"] = null, ["createdBy"] = f.CreatedBy },
        ["responsive_images"] = new JsonArray(),
        ["order_column"] = f.Id,
        ["created_at"] = PmTime(f.CreatedAt),
        ["updated_at"] = PmTime(f.CreatedAt),
    };
}
