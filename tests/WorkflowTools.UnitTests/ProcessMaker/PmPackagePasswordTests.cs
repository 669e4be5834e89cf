using System.IO;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;
using WorkflowTools.UnitTests.Support;
using SandboxServer = WorkflowTools.Sandbox.SandboxServer;

namespace WorkflowTools.UnitTests.ProcessMaker
{
    /// <summary>
    /// Password-protected process packages (PM4 4.15.6 Api/ExportController::download with a password,
    /// ImportExport/Importer::handlePasswordDecrypt): the password goes only into a secret body, the package comes back
    /// encrypted, and import needs it, against the sandbox and a look-alike server.
    /// </summary>
    public sealed class PmPackagePasswordTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "wt-pkgpw-" + Guid.NewGuid().ToString("n"));

        public PmPackagePasswordTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private static PmClient Client(Uri baseUri, string token) =>
            new PmClient(new ApiClient(
                new ConnectionSettings { ServiceName = "ProcessMaker", BaseUri = baseUri, MaxRetries = 0 },
                new SecretAuthorization("Bearer", SecretAuthorization.FromPlainText(token))));

        private static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (var c in text)
            {
                s.AppendChar(c);
            }

            s.MakeReadOnly();
            return s;
        }

        [Fact]
        public async Task A_package_exported_with_a_password_is_encrypted_and_imports_only_with_that_password()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            var packages = new PmProcessPackageClient(Client(sandbox.ProcessMakerBaseUri, sandbox.ProcessMakerToken));
            var ct = CancellationToken.None;
            var path = Path.Combine(_folder, "purchase.json");

            var size = await packages.ExportAsync(2, path, false, Secure("Pkg-Pa55word!"), ct);
            Assert.Equal(new FileInfo(path).Length, size);
            using (var doc = JsonDocument.Parse(File.ReadAllBytes(path)))
            {
                Assert.True(doc.RootElement.GetProperty("encrypted").GetBoolean());
                Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("export").ValueKind);
            }

            Assert.True(PmProcessPackageClient.ReadPackage(path, "purchase.json").Encrypted);
            var export = Assert.Single(sandbox.Requests.All, r => r.Path.EndsWith("/export/process/download/2", StringComparison.Ordinal));
            Assert.Contains("\"password\":\"[redacted]\"", export.Body, StringComparison.Ordinal); // the log keeps the field, not the value
            Assert.Contains("\"options\":{}", export.Body, StringComparison.Ordinal);

            var before = sandbox.ProcessMaker.Processes.Count;
            var required = await Assert.ThrowsAsync<ApiException>(() => packages.ImportAsync(path, PmImportMode.Copy, null, ct));
            Assert.Equal((ApiErrorKind.InvalidInput, (int?)null), (required.Kind, required.StatusCode));
            Assert.Equal(PmPackagePasswordProblem.Required, PmProcessPackageClient.PasswordProblemOf(required));
            Assert.Contains("password-protected", required.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(sandbox.Requests.All, r => r.Path.EndsWith("/import/do-import", StringComparison.Ordinal)); // nothing sent

            var wrong = await Assert.ThrowsAsync<ApiException>(() => packages.ImportAsync(path, PmImportMode.Copy, Secure("Not-the-one1!"), ct));
            Assert.Equal((ApiErrorKind.Validation, (int?)400, "incorrect password"), (wrong.Kind, wrong.StatusCode, wrong.Detail));
            Assert.Equal(PmPackagePasswordProblem.Incorrect, PmProcessPackageClient.PasswordProblemOf(wrong));
            Assert.Contains("could not open it with the password given", wrong.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Not-the-one1!", wrong.ToString(), StringComparison.Ordinal);
            Assert.Equal(before, sandbox.ProcessMaker.Processes.Count);

            var imported = await packages.ImportAsync(path, PmImportMode.Copy, Secure("Pkg-Pa55word!"), ct);
            Assert.Equal("Purchase request", imported.Name);
            Assert.NotEqual(2, imported.Id);
            Assert.Equal(before + 1, sandbox.ProcessMaker.Processes.Count);
            Assert.DoesNotContain(sandbox.Requests.All, r => r.Body.Contains("Pkg-Pa55word!", StringComparison.Ordinal) || r.Body.Contains("Not-the-one1!", StringComparison.Ordinal));
        }

        [Fact]
        public async Task The_password_is_sent_in_the_json_body_and_an_upload_field_and_not_for_a_plain_package()
        {
            var plainPackage = "{\"type\":\"process_package\",\"version\":\"2\",\"root\":\"r1\",\"name\":\"P\",\"export\":{\"r1\":{\"attributes\":{}}}}";
            await using var server = await LookAlikeServer.StartAsync((context, _) => context.Request.Path.Value!.Contains("/export/", StringComparison.Ordinal)
                ? LookAlikeServer.Json(context, "{\"type\":\"process_package\",\"version\":\"2\",\"root\":\"r1\",\"name\":\"P\",\"encrypted\":true,\"export\":\"b64\"}")
                : context.Request.Path.Value!.EndsWith("/processes/7", StringComparison.Ordinal)
                    ? LookAlikeServer.Json(context, "{\"id\":7,\"name\":\"P\",\"status\":\"ACTIVE\"}")
                    : LookAlikeServer.Json(context, "{\"processId\":7,\"message\":[]}"));
            var packages = new PmProcessPackageClient(Client(server.Root, "t"));
            var ct = CancellationToken.None;
            var path = Path.Combine(_folder, "p.json");

            await packages.ExportAsync(1, path, false, Secure("S3cret-\u00e4\"x"), ct);
            var export = Assert.Single(server.Seen);
            using (var body = JsonDocument.Parse(export.Body))
            {
                Assert.Equal("S3cret-\u00e4\"x", body.RootElement.GetProperty("password").GetString());
                Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("options").ValueKind);
            }

            Assert.Equal(7, (await packages.ImportAsync(path, PmImportMode.Update, Secure("S3cret-\u00e4\"x"), ct)).Id);
            var upload = server.Seen.Single(r => r.PathAndQuery.EndsWith("/import/do-import", StringComparison.Ordinal));
            Assert.Contains("name=password", upload.Body, StringComparison.Ordinal);
            Assert.Contains("S3cret-\u00e4\"x", upload.Body, StringComparison.Ordinal);

            var plain = Path.Combine(_folder, "plain.json");
            File.WriteAllText(plain, plainPackage);
            await packages.ImportAsync(plain, PmImportMode.Update, Secure("S3cret-\u00e4\"x"), ct);
            var second = server.Seen.Where(r => r.PathAndQuery.EndsWith("/import/do-import", StringComparison.Ordinal)).Last();
            Assert.DoesNotContain("name=password", second.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("S3cret", second.Body, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_package_the_server_left_unencrypted_despite_the_password_is_not_kept()
        {
            await using var server = await LookAlikeServer.StartAsync((context, _) => LookAlikeServer.Json(context,
                "{\"type\":\"process_package\",\"version\":\"2\",\"root\":\"r1\",\"name\":\"P\",\"export\":{\"r1\":{\"attributes\":{}}}}"));
            var path = Path.Combine(_folder, "p.json");
            var ex = await Assert.ThrowsAsync<ApiException>(() => new PmProcessPackageClient(Client(server.Root, "t")).ExportAsync(1, path, false, Secure("Pkg-Pa55word!"), CancellationToken.None));
            Assert.Equal(ApiErrorKind.InvalidResponse, ex.Kind);
            Assert.Contains("without password protection", ex.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(_folder));
        }

        [Theory]
        [InlineData("")]
        [InlineData("0")]
        public async Task A_password_processmaker_would_take_as_none_is_refused_before_sending(string password)
        {
            await using var server = await LookAlikeServer.StartAsync((context, _) => LookAlikeServer.Json(context, "{}"));
            var packages = new PmProcessPackageClient(Client(server.Root, "t"));
            var ex = await Assert.ThrowsAsync<ApiException>(() => packages.ExportAsync(1, Path.Combine(_folder, "p.json"), false, Secure(password), CancellationToken.None));
            Assert.Equal(ApiErrorKind.InvalidInput, ex.Kind);
            var encrypted = Path.Combine(_folder, "e.json");
            File.WriteAllText(encrypted, "{\"type\":\"process_package\",\"version\":\"2\",\"root\":\"r1\",\"encrypted\":true,\"export\":\"b64\"}");
            Assert.Equal(ApiErrorKind.InvalidInput, (await Assert.ThrowsAsync<ApiException>(() => packages.ImportAsync(encrypted, PmImportMode.Update, Secure(password), CancellationToken.None))).Kind);
            Assert.Empty(server.Seen);
        }

        [Fact]
        public void Only_pm4s_two_password_answers_are_password_problems()
        {
            Assert.Equal(PmPackagePasswordProblem.Required, PmProcessPackageClient.PasswordProblemOf(PmProcessPackageClient.PasswordRequired("x.json")));
            Assert.Null(PmProcessPackageClient.PasswordProblemOf(new ApiException(ApiErrorKind.Validation, "x") { StatusCode = 422, Detail = "incorrect password" }));
            Assert.Null(PmProcessPackageClient.PasswordProblemOf(new ApiException(ApiErrorKind.Validation, "x") { StatusCode = 400, Detail = "Password protection required." }));
            Assert.Equal(PmPackagePasswordProblem.Required, PmProcessPackageClient.PasswordProblemOf(new ApiException(ApiErrorKind.Validation, "x") { StatusCode = 400, Detail = "password required" }));
        }
    }
}
