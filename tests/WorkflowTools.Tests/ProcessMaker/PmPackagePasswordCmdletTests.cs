using System.IO;
using System.Management.Automation;
using System.Security;
using System.Text.Json;

namespace WorkflowTools.Tests.ProcessMaker
{
    /// <summary>
    /// Export-PmProcess -Password and Import-PmProcess -Password against the sandbox, which encrypts and opens packages
    /// as PM4 4.15.6 does (src/WorkflowTools.Sandbox/ProcessMakerPackageEncryption.cs): the errors' ids, categories and
    /// targets, what is sent, and that the password shows nowhere.
    /// </summary>
    public sealed class PmPackagePasswordCmdletTests : IClassFixture<SandboxFixture>, IDisposable
    {
        private const string Password = "Cmdlet-Pa55word!";
        private const string Wrong = "Wrong-Pa55word!";
        private readonly SandboxFixture _f;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "wt-pkgpw-" + Guid.NewGuid().ToString("n"));

        public PmPackagePasswordCmdletTests(SandboxFixture fixture)
        {
            _f = fixture;
            Directory.CreateDirectory(_folder);
            S.Set("pw", PsSession.Secure(Password));
            S.Set("wrong", PsSession.Secure(Wrong));
            S.Set("folder", _folder);
        }

        private PsSession S => _f.Session;

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Fact]
        public void Password_is_an_optional_SecureString_on_both_cmdlets()
        {
            foreach (var name in new[] { "Export-PmProcess", "Import-PmProcess" })
            {
                var parameter = S.Run($"(Get-Command {name}).Parameters['Password']").Single().BaseObject as ParameterMetadata;
                Assert.NotNull(parameter);
                Assert.Equal(typeof(SecureString), parameter!.ParameterType);
                Assert.All(parameter.ParameterSets.Values, set => Assert.False(set.IsMandatory));
                var help = S.Run($"(Get-Help {name} -Parameter Password).description.Text -join ' '").Single().ToString();
                Assert.Contains("password", help, StringComparison.OrdinalIgnoreCase);
            }
        }

        [Fact]
        public void An_encrypted_package_imports_only_with_its_password_and_the_password_shows_nowhere()
        {
            var path = Path.Combine(_folder, "protected.json");
            var mark = _f.Mark();
            var export = S.Run("$DebugPreference = 'Continue'; Export-PmProcess -Id 2 -Path (Join-Path $folder 'protected.json') -Password $pw -Verbose");
            export.ThrowIfFailed();
            Assert.Contains(export.Debug, d => d.Contains("<not shown: it carries a secret>", StringComparison.Ordinal));
            Assert.Contains(export.Verbose, v => v.Contains("password-protected", StringComparison.Ordinal));
            using (var doc = JsonDocument.Parse(File.ReadAllBytes(path)))
            {
                Assert.True(doc.RootElement.GetProperty("encrypted").GetBoolean());
            }

            var sent = Assert.Single(_f.RequestsSince(mark));
            Assert.Contains("\"password\":\"[redacted]\"", sent.Body, StringComparison.Ordinal);

            // No -Password: refused before any request, with the user's input as target.
            mark = _f.Mark();
            var processes = _f.Sandbox.ProcessMaker.Processes.Count;
            var missing = S.Run("Import-PmProcess -Path (Join-Path $folder 'protected.json') -Mode Copy");
            var error = Assert.Single(missing.Errors);
            Assert.Equal("WorkflowTools.PasswordRequired,WorkflowTools.Cmdlets.ProcessMaker.ImportPmProcessCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(path, error.TargetObject);
            Assert.Contains("-Password", error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Empty(_f.RequestsSince(mark));
            Assert.StartsWith("WorkflowTools.PasswordRequired,", S.Run("Import-PmProcess -Path (Join-Path $folder 'protected.json') -ErrorAction Stop").TerminatingRecord?.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Empty(_f.RequestsSince(mark));

            // A wrong password: PM4's 400 "incorrect password", sent once, nothing imported.
            mark = _f.Mark();
            var wrong = S.Run("$DebugPreference = 'Continue'; Import-PmProcess -Path (Join-Path $folder 'protected.json') -Mode Copy -Password $wrong -Verbose");
            var refused = Assert.Single(wrong.Errors);
            Assert.StartsWith("WorkflowTools.IncorrectPassword,", refused.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("incorrect password", refused.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Equal(400, Assert.Single(_f.RequestsSince(mark), r => r.Path.EndsWith("/import/do-import", StringComparison.Ordinal)).StatusCode);
            Assert.Equal(processes, _f.Sandbox.ProcessMaker.Processes.Count);

            var imported = S.Run("$DebugPreference = 'Continue'; Import-PmProcess -Path (Join-Path $folder 'protected.json') -Mode Copy -Password $pw -Verbose");
            var process = imported.Single();
            Assert.Equal("Purchase request", process.P<string>("Name"));
            Assert.Equal(processes + 1, _f.Sandbox.ProcessMaker.Processes.Count);

            var everything = string.Join("\n", export.AllText(), missing.AllText(), wrong.AllText(), imported.AllText(),
                S.Run("$Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String; \"$($_.Exception)\" }").AllText(),
                string.Join("\n", _f.Sandbox.Requests.All.Select(r => r.Body)), File.ReadAllText(path));
            Assert.DoesNotContain(Password, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(Wrong, everything, StringComparison.Ordinal);
        }

        [Fact]
        public void A_password_for_a_plain_package_is_not_sent_and_a_password_processmaker_ignores_is_refused()
        {
            S.Run("Export-PmProcess -Id 1 -Path (Join-Path $folder 'plain.json')").ThrowIfFailed();
            var plain = S.Run("Import-PmProcess -Path (Join-Path $folder 'plain.json') -Mode Copy -Password $pw -Verbose");
            plain.ThrowIfFailed();
            Assert.Contains(plain.Verbose, v => v.Contains("not password-protected; -Password is not sent", StringComparison.Ordinal));

            var mark = _f.Mark();
            S.Set("zero", PsSession.Secure("0"));
            var zero = S.Run("Export-PmProcess -Id 1 -Path (Join-Path $folder 'zero.json') -Password $zero");
            Assert.StartsWith("WorkflowTools.InvalidInput,", Assert.Single(zero.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Empty(_f.RequestsSince(mark));
            Assert.False(File.Exists(Path.Combine(_folder, "zero.json")));
        }
    }
}
