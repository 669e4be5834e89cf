using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Testing
{
    /// <summary>
    /// ProcessMaker's data in a seed. Environment variables: name and description, and <c>"value": null</c>, because
    /// PM4 never answers a value (EnvironmentVariable::$hidden); whoever runs the sandbox fills in a value, or names an
    /// environment variable of the sandbox's process with <c>valueFromEnv</c>, where a test needs one. Request files
    /// (with requests, and only with <see cref="SeedExportOptions.IncludePersonalData"/>: what people attach to requests
    /// is theirs): name, data name, media type and the bytes inline as base64, each file up to
    /// <see cref="SeedExportOptions.MaxFileBytes"/>; a larger one is left out with a warning.
    /// </summary>
    internal sealed partial class SeedExporter
    {
        /// <summary>Adds <c>environmentVariables</c> to the processMaker part when the server has any the connection may read.</summary>
        private async Task AddVariablesAsync(PmClient pm, JsonObject part, CancellationToken cancellationToken)
        {
            var variables = new JsonArray();
            try
            {
                await foreach (var v in new PmEnvironmentClient(pm).List(null, 100).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    if (string.IsNullOrEmpty(v.Name))
                    {
                        continue;
                    }

                    // PM4 requires a description; an empty one would not load, so the name stands in.
                    var description = string.IsNullOrEmpty(v.Description) ? v.Name : v.Description;
                    variables.Add(new JsonObject { ["name"] = v.Name, ["description"] = description, ["value"] = null });
                }
            }
            catch (ApiException e)
            {
                _warn($"ProcessMaker's environment variables: not read ({e.Message}); left out.");
                return;
            }

            if (variables.Count == 0)
            {
                return;
            }

            part["environmentVariables"] = variables;
            _warn($"ProcessMaker never answers an environment variable's value: the seed's {variables.Count.ToString(CultureInfo.InvariantCulture)} variable(s) have \"value\": null. Write a value, or \"valueFromEnv\" (an environment variable of the sandbox's process), where a test needs one.");
        }

        /// <summary>Adds <c>files</c> to each exported request that has any: downloaded one at a time through a temporary file.</summary>
        private async Task AddFilesAsync(PmClient pm, JsonArray requests, CancellationToken cancellationToken)
        {
            var client = new PmRequestFileClient(pm);
            var folder = Path.Combine(Path.GetTempPath(), "wt-seed-files-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                foreach (var request in requests.OfType<JsonObject>())
                {
                    var id = (long?)request["id"] ?? 0;
                    if (id <= 0)
                    {
                        continue;
                    }

                    var files = new JsonArray();
                    try
                    {
                        foreach (var f in await client.ListAsync(id, cancellationToken).ConfigureAwait(false))
                        {
                            if (await FileAsync(client, f, id, folder, cancellationToken).ConfigureAwait(false) is JsonObject file)
                            {
                                files.Add(file);
                            }
                        }
                    }
                    catch (ApiException e)
                    {
                        _warn($"ProcessMaker request {id}: its files were not read ({e.Message}); left out.");
                    }

                    if (files.Count > 0)
                    {
                        request["files"] = files;
                    }
                }
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        private async Task<JsonObject?> FileAsync(PmRequestFileClient client, PmRequestFile f, long requestId, string folder, CancellationToken cancellationToken)
        {
            var name = SafeFileName.From(f.Name, "file" + f.Id.ToString(CultureInfo.InvariantCulture));
            var limit = _options.MaxFileBytes;
            if (f.Size > limit)
            {
                _warn($"ProcessMaker request {requestId}, file {f.Id} ({name}): {f.Size} bytes, above the {limit}-byte limit for a seed; left out.");
                return null;
            }

            var temporary = Path.Combine(folder, f.Id.ToString(CultureInfo.InvariantCulture));
            var length = await client.DownloadAsync(requestId, f.Id, temporary, true, cancellationToken).ConfigureAwait(false);
            try
            {
                if (length > limit)
                {
                    _warn($"ProcessMaker request {requestId}, file {f.Id} ({name}): {length} bytes, above the {limit}-byte limit for a seed; left out.");
                    return null;
                }

                var o = new JsonObject { ["name"] = name };
                if (!string.IsNullOrEmpty(f.DataName) && f.DataName != name)
                {
                    o["dataName"] = f.DataName;
                }

                o["mimeType"] = string.IsNullOrEmpty(f.MimeType) ? "application/octet-stream" : f.MimeType;
                o["content"] = Convert.ToBase64String(File.ReadAllBytes(temporary));
                return o;
            }
            finally
            {
                File.Delete(temporary);
            }
        }
    }
}
