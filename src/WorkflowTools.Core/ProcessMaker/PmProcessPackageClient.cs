using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
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

    /// <summary>Why ProcessMaker would not open a password-protected package.</summary>
    internal enum PmPackagePasswordProblem
    {
        /// <summary>No password was given ("password required").</summary>
        Required,

        /// <summary>The password does not open it ("incorrect password").</summary>
        Incorrect,
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

        /// <summary>PM4's error texts (Importer::handlePasswordDecrypt, 400 {"error": ...}).</summary>
        internal const string PasswordRequiredText = "password required";

        internal const string IncorrectPasswordText = "incorrect password";

        private readonly PmClient _client;

        public PmProcessPackageClient(PmClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        private ApiClient Api => _client.Http;

        /// <summary>
        /// Asks for the process's package and streams it to <paramref name="path"/> (via a temporary file). Returns its
        /// size. With a <paramref name="password"/> the package comes encrypted (PM4's <c>"encrypted": true</c>): the
        /// password travels only in the body, which is a <see cref="ApiRequest.SecretBody"/> (never traced) and cleared
        /// once sent; a package that comes back unencrypted all the same is not kept.
        /// </summary>
        public async Task<long> ExportAsync(long processId, string path, bool overwrite, SecureString? password, CancellationToken cancellationToken)
        {
            if (password != null)
            {
                CheckPassword(password);
            }

            using var download = new FileDownload(path);
            var body = password == null
                ? Encoding.UTF8.GetBytes("{\"options\":{}}")
                : PmClient.SecretBody(new Dictionary<string, object?> { ["options"] = new Dictionary<string, object?>() }, new KeyValuePair<string, SecureString>("password", password));
            // Exporting changes nothing on the server: safe to send again.
            var request = new ApiRequest("POST", Api.Resolve($"export/process/download/{Id(processId)}"), body, idempotent: true)
            {
                Operation = $"export process {Id(processId)}",
                ReadSuccess = download.ReadAsync,
                SecretBody = password != null,
            };
            try
            {
                await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
            }

            var (_, _, encrypted) = ReadPackage(download.PartialPath, Path.GetFileName(path));
            if (password != null && !encrypted)
            {
                throw new ApiException(ApiErrorKind.InvalidResponse, $"Process {Id(processId)} was exported without password protection although a password was given (the server ignored it); the package was not kept.");
            }

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

        /// <summary>
        /// Uploads a package (file, options as a file part, and the password as a form field when the package is
        /// encrypted) and returns the new or updated process once it answers. An encrypted package without a
        /// password fails before anything is sent (<see cref="PasswordRequired"/>); a password for a package that is
        /// not encrypted is not sent. PM4's 400 "password required" / "incorrect password" become clear errors whose
        /// <see cref="ApiException.Detail"/> stays PM4's text (<see cref="PasswordProblemOf"/> tells them apart).
        /// </summary>
        public async Task<PmProcess> ImportAsync(string path, PmImportMode mode, SecureString? password, CancellationToken cancellationToken)
        {
            var shownAs = Path.GetFileName(path);
            var (root, _, encrypted) = ReadPackage(path, shownAs);
            if (encrypted && password == null)
            {
                throw PasswordRequired(shownAs);
            }

            if (encrypted)
            {
                CheckPassword(password!);
            }

            var secrets = new List<byte[]>();
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
                    if (encrypted)
                    {
                        // A plain form field, as PM4's $request->input('password') reads it; its bytes are cleared once sent.
                        var secret = Encoding.UTF8.GetBytes(PmClient.Plain(password!));
                        lock (secrets)
                        {
                            secrets.Add(secret);
                        }

                        form.Add(new ByteArrayContent(secret), "password");
                    }

                    return form;
                },
                SecretBody = encrypted,
            };
            ApiResponse response;
            try
            {
                response = await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (PasswordProblemOf(ex) is PmPackagePasswordProblem problem)
            {
                throw problem == PmPackagePasswordProblem.Incorrect
                    ? Refused(ex, $"'{shownAs}' was not imported: ProcessMaker could not open it with the password given (incorrect password). Give the password it was exported with.")
                    : Refused(ex, $"'{shownAs}' was not imported: ProcessMaker says it is password-protected and needs its password (password required).");
            }
            finally
            {
                lock (secrets)
                {
                    foreach (var secret in secrets)
                    {
                        Array.Clear(secret, 0, secret.Length);
                    }
                }
            }

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

        /// <summary>The error for an encrypted package given no password: nothing is sent.</summary>
        public static ApiException PasswordRequired(string shownAs) =>
            new ApiException(ApiErrorKind.InvalidInput, $"'{shownAs}' cannot be imported: it is password-protected (exported with a password), and no password was given. Nothing was sent.")
            {
                Detail = PasswordRequiredText,
            };

        /// <summary>Which password problem an error is (PM4's 400 answers, or <see cref="PasswordRequired"/>), or null for any other.</summary>
        public static PmPackagePasswordProblem? PasswordProblemOf(ApiException ex)
        {
            if (ex.Kind == ApiErrorKind.InvalidInput && ex.StatusCode == null && ex.Detail == PasswordRequiredText)
            {
                return PmPackagePasswordProblem.Required;
            }

            if (ex.StatusCode != 400)
            {
                return null;
            }

            return ex.Detail == IncorrectPasswordText ? PmPackagePasswordProblem.Incorrect
                : ex.Detail == PasswordRequiredText ? PmPackagePasswordProblem.Required
                : (PmPackagePasswordProblem?)null;
        }

        /// <summary>PHP's truthiness, which PM4 applies to the password: an empty one or "0" is none (the export would not be encrypted).</summary>
        private static void CheckPassword(SecureString password)
        {
            if (password.Length == 0 || (password.Length == 1 && PmClient.Plain(password) == "0"))
            {
                throw new ApiException(ApiErrorKind.InvalidInput, "The password is empty or the single character zero, which ProcessMaker takes as no password at all. Nothing was sent.");
            }
        }

        private static ApiException Refused(ApiException ex, string message) =>
            new ApiException(ApiErrorKind.Validation, message, ex)
            {
                StatusCode = ex.StatusCode,
                Method = ex.Method,
                RequestPath = ex.RequestPath,
                Detail = ex.Detail,
                BodyExcerpt = ex.BodyExcerpt,
                Attempts = ex.Attempts,
            };

        private static ApiException Invalid(string file, string why) =>
            new ApiException(ApiErrorKind.InvalidInput, $"'{file}' cannot be imported: {why}. Nothing was sent.");

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    }
}
