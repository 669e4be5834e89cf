using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>How an imported process meets one the server already has from the same package.</summary>
    public enum PmImportMode
    {
        /// <summary>Update it in place (PM4's default): same id.</summary>
        Update,

        /// <summary>Import a copy as a new process.</summary>
        Copy,
    }

    /// <summary>
    /// A process's lifecycle (PM4 4.15.6): export and import packages on the v2 road a token can use
    /// (<c>POST export/process/download/{id}</c>, <c>POST import/do-import</c>; the v1 export answers a URL behind a browser
    /// session), archive (<c>DELETE processes/{id}</c>) and restore (<c>PUT processes/{id}/restore</c>).
    /// </summary>
    internal sealed class PmProcessPackageClient
    {
        private const int CopyBuffer = FileDownload.CopyBuffer;

        /// <summary>How long an import waits for the new process to answer.</summary>
        public static readonly TimeSpan ImportReadyTimeout = TimeSpan.FromSeconds(60);

        private readonly PmClient _client;

        public PmProcessPackageClient(PmClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        private ApiClient Api => _client.Http;

        /// <summary>Asks for the process's package and streams it to <paramref name="path"/> (via a temporary file). Returns its size.</summary>
        public async Task<long> ExportAsync(long processId, string path, bool overwrite, CancellationToken cancellationToken)
        {
            using var download = new FileDownload(path);
            var body = Encoding.UTF8.GetBytes("{\"options\":{}}");
            // Exporting changes nothing on the server: safe to send again.
            var request = new ApiRequest("POST", Api.Resolve($"export/process/download/{Id(processId)}"), body, idempotent: true)
            {
                Operation = $"export process {Id(processId)}",
                ReadSuccess = download.ReadAsync,
            };
            await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            ReadPackage(download.PartialPath, Path.GetFileName(path));
            return download.Complete(overwrite, "package");
        }

        /// <summary>
        /// Checks that a file is a v2 process package (type process_package, version 2, a root asset in export) and
        /// returns its root uuid and name; throws an <see cref="ApiException"/> of kind InvalidInput otherwise.
        /// </summary>
        public static (string Root, string? Name, bool Encrypted) ReadPackage(string path, string shownAs)
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var doc = JsonDocument.Parse(stream);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || root.Str("type") != "process_package")
                {
                    throw Invalid(shownAs, "it is not a ProcessMaker process package (its type is not process_package)");
                }

                if (root.Str("version") != "2")
                {
                    throw Invalid(shownAs, $"it is a version {root.Str("version") ?? "?"} package; only version 2 packages (ProcessMaker 4.2 and later, Export-PmProcess) can be imported through the API");
                }

                var encrypted = root.Prop("encrypted") is JsonElement e && e.ValueKind == JsonValueKind.True;
                var rootId = root.Str("root");
                if (string.IsNullOrEmpty(rootId) || (!encrypted && !(root.Prop("export") is JsonElement export && export.ValueKind == JsonValueKind.Object && export.Prop(rootId!) is JsonElement asset && asset.ValueKind == JsonValueKind.Object)))
                {
                    throw Invalid(shownAs, "its root asset is missing from export");
                }

                return (rootId!, root.Str("name"), encrypted);
            }
            catch (JsonException ex)
            {
                throw Invalid(shownAs, "it is not JSON (" + ex.Message + ")");
            }
        }

        /// <summary>Uploads a package (file, options as a file part, no password) and returns the new or updated process once it answers.</summary>
        public async Task<PmProcess> ImportAsync(string path, PmImportMode mode, CancellationToken cancellationToken)
        {
            var (root, _, encrypted) = ReadPackage(path, Path.GetFileName(path));
            if (encrypted)
            {
                throw Invalid(Path.GetFileName(path), "it is password-protected; export it again without a password");
            }

            var options = Encoding.UTF8.GetBytes("{\"" + root.Replace("\"", string.Empty) + "\":{\"mode\":\"" + (mode == PmImportMode.Copy ? "copy" : "update") + "\"}}");
            var request = new ApiRequest("POST", Api.Resolve("import/do-import"), idempotent: false)
            {
                Operation = $"import {Path.GetFileName(path)}",
                Content = () =>
                {
                    var form = new MultipartFormDataContent();
                    var file = new StreamContent(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBuffer, useAsync: true), CopyBuffer);
                    file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    form.Add(file, "file", Path.GetFileName(path));
                    var optionsPart = new ByteArrayContent(options);
                    optionsPart.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    form.Add(optionsPart, "options", "options.json");
                    return form;
                },
            };
            var response = await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            long processId;
            using (var doc = JsonAnswer.Parse(response))
            {
                if (!(doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.Long("processId") is long id && id > 0))
                {
                    throw JsonAnswer.Malformed(response, "the import's answer ({processId, message})");
                }

                processId = id;
            }

            // The import is done when the answer comes; wait until the process itself answers (a queued server may lag).
            var deadline = DateTime.UtcNow + ImportReadyTimeout;
            while (true)
            {
                var process = await _client.GetProcessAsync(processId, cancellationToken).ConfigureAwait(false);
                if (process != null)
                {
                    return process;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new ApiException(ApiErrorKind.Timeout, $"The import answered process {processId}, but it did not appear within {ImportReadyTimeout.TotalSeconds:0} s.");
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Archives a process (PM4's delete: status ARCHIVED, 204).</summary>
        public async Task ArchiveAsync(long processId, CancellationToken cancellationToken)
        {
            var request = new ApiRequest("DELETE", Api.Resolve($"processes/{Id(processId)}")) { Operation = $"archive process {Id(processId)}" };
            await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Restores an archived process (status ACTIVE) and returns it.</summary>
        public async Task<PmProcess> RestoreAsync(long processId, CancellationToken cancellationToken)
        {
            var request = new ApiRequest("PUT", Api.Resolve($"processes/{Id(processId)}/restore")) { Operation = $"restore process {Id(processId)}" };
            await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return await _client.GetProcessAsync(processId, cancellationToken).ConfigureAwait(false)
                ?? throw new ApiException(ApiErrorKind.NotFound, $"Process {Id(processId)} was restored but does not answer.");
        }

        private static ApiException Invalid(string file, string why) =>
            new ApiException(ApiErrorKind.InvalidInput, $"'{file}' cannot be imported: {why}. Nothing was sent.");

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    }
}
