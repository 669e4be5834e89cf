using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>
    /// A request's files (<c>requests/{id}/files</c>, PM4 4.15.6 ProcessRequestFileController). Uploads and
    /// downloads stream: a file is never held in memory whole, whatever its size; the HTTP core's answer-size bound
    /// does not apply to a download, which goes to disk in 80 kB steps under the attempt timeout and Ctrl+C.
    /// </summary>
    internal sealed class PmRequestFileClient
    {
        /// <summary>The copy buffer of a download (below the large-object heap's 85 000 bytes).</summary>
        private const int CopyBuffer = FileDownload.CopyBuffer;

        private readonly PmClient _client;

        public PmRequestFileClient(PmClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        private ApiClient Api => _client.Http;

        /// <summary>A request's files (one answer: PM4 does not page this list).</summary>
        public async Task<IReadOnlyList<PmRequestFile>> ListAsync(long requestId, CancellationToken cancellationToken)
        {
            var response = await Api.SendAsync(new ApiRequest("GET", Api.Resolve($"requests/{Id(requestId)}/files")), cancellationToken).ConfigureAwait(false);
            using var doc = JsonAnswer.Parse(response);
            var rows = doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Prop("data") : doc.RootElement;
            if (!(rows is JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw JsonAnswer.Malformed(response, "a list of files (an object with a data array)");
            }

            return list.EnumerateArray()
                .Where(r => r.ValueKind == JsonValueKind.Object && r.Long("id") > 0)
                .Select(r => PmRequestFile.FromJson(r, requestId))
                .ToList();
        }

        /// <summary>
        /// Downloads one file to <paramref name="path"/>: into a temporary file beside it, renamed into place once
        /// complete, so an interrupted download never leaves a partial file under the real name. Returns the bytes written.
        /// </summary>
        public async Task<long> DownloadAsync(long requestId, long fileId, string path, bool overwrite, CancellationToken cancellationToken)
        {
            using var download = new FileDownload(path);
            var request = new ApiRequest("GET", Api.Resolve($"requests/{Id(requestId)}/files/{Id(fileId)}"))
            {
                Operation = $"download file {Id(fileId)} of request {Id(requestId)}",
                ReadSuccess = download.ReadAsync,
            };
            await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return download.Complete(overwrite, "file");
        }

        /// <summary>
        /// Uploads a file as <c>multipart/form-data</c> (<c>file</c>, and <c>data_name</c> when given), streamed from
        /// disk. ProcessMaker replaces an earlier file of the request with the same data name. Not resent when the
        /// outcome is unknown. Returns the new file's id.
        /// </summary>
        public async Task<long> UploadAsync(long requestId, string path, string? dataName, CancellationToken cancellationToken)
        {
            var fileName = Path.GetFileName(path);
            var request = new ApiRequest("POST", Api.Resolve($"requests/{Id(requestId)}/files"), idempotent: false)
            {
                Operation = $"upload {fileName} to request {Id(requestId)}",
                Content = () =>
                {
                    var form = new MultipartFormDataContent();
                    var file = new StreamContent(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBuffer, useAsync: true), CopyBuffer);
                    file.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.Of(fileName));
                    form.Add(file, "file", fileName);
                    if (!string.IsNullOrEmpty(dataName))
                    {
                        form.Add(new StringContent(dataName), "data_name");
                    }

                    return form;
                },
            };
            var response = await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            using var doc = JsonAnswer.Parse(response);
            if (!(doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.Long("fileUploadId") is long id && id > 0))
            {
                throw JsonAnswer.Malformed(response, "the upload's answer ({message, fileUploadId})");
            }

            return id;
        }

        /// <summary>Deletes one file of a request (204).</summary>
        public async Task DeleteAsync(long requestId, long fileId, CancellationToken cancellationToken)
        {
            var request = new ApiRequest("DELETE", Api.Resolve($"requests/{Id(requestId)}/files/{Id(fileId)}")) { Operation = $"delete file {Id(fileId)} of request {Id(requestId)}" };
            await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A file's media type from its extension (what a browser's upload would say; ProcessMaker stores it).</summary>
    internal static class MediaTypes
    {
        private static readonly Dictionary<string, string> Known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".pdf"] = "application/pdf",
            [".txt"] = "text/plain",
            [".csv"] = "text/csv",
            [".json"] = "application/json",
            [".xml"] = "application/xml",
            [".png"] = "image/png",
            [".jpg"] = "image/jpeg",
            [".jpeg"] = "image/jpeg",
            [".gif"] = "image/gif",
            [".zip"] = "application/zip",
            [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        };

        public static string Of(string fileName) => Known.TryGetValue(Path.GetExtension(fileName), out var type) ? type : "application/octet-stream";
    }

    /// <summary>Where a file named by a server may be written: always inside the destination folder.</summary>
    internal static class SafeFileName
    {
        /// <summary>
        /// The server's name reduced to one plain file name (no folder part, no "..", no characters a file system
        /// refuses on any platform); <paramref name="fallback"/> when nothing usable is left.
        /// </summary>
        public static string From(string? serverName, string fallback)
        {
            var name = (serverName ?? string.Empty).Replace('\\', '/');
            name = name.Substring(name.LastIndexOf('/') + 1);
            var invalid = Path.GetInvalidFileNameChars().Concat(new[] { ':', '*', '?', '"', '<', '>', '|' }).ToArray();
            var chars = name.Select(c => c < 32 || invalid.Contains(c) ? '_' : c).ToArray();
            name = new string(chars).Trim().TrimEnd('.');
            if (name.Length == 0 || name == "." || name == ".." || name.Trim('.').Length == 0)
            {
                return fallback;
            }

            return name.Length > 200 ? name.Substring(0, 200) : name;
        }
    }
}
