using System;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// Password-protected process packages, as PM4 4.15.6 makes and opens them (github:ProcessMaker/processmaker):
/// Http/Controllers/Api/ExportController.php download (a password encrypts the payload), ImportExport/ExportEncrypted.php
/// (AES-256-CBC, key SHA-256(password), base64(IV + ciphertext), "encrypted": true), Http/Controllers/Api/ImportController.php
/// import and ImportExport/Importer.php handlePasswordDecrypt (400 "password required" / "incorrect password").
/// </summary>
public sealed class ProcessMakerPackageEncryptionTests
{
    private static async Task<(int Status, JsonNode? Body)> Import(HttpClient c, string package, string? password)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(package)), "file", "package.json");
        if (password != null) form.Add(new StringContent(password), "password");
        using var response = await c.PostAsync("import/do-import", form);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task An_export_with_a_password_is_encrypted_as_PM4_does_and_imports_only_with_that_password()
    {
        await using var s = await SandboxServer.StartAsync();
        using var c = TestSupport.PmClient(s);
        var (status, body, text) = await c.PostAsync2("export/process/download/2", "{\"options\":{},\"password\":\"Pack-Secret-1\"}");
        Assert.Equal(200, status);
        Assert.True((bool)body!["encrypted"]!);
        Assert.Equal("process_package", (string)body["type"]!);
        var root = (string)body["root"]!;
        Assert.DoesNotContain("Purchase request\",\"description", text); // the assets are not readable

        // ExportEncrypted::decrypt, done here independently of the sandbox's code
        var both = Convert.FromBase64String((string)body["export"]!);
        using var aes = Aes.Create();
        aes.Key = SHA256.HashData(Encoding.UTF8.GetBytes("Pack-Secret-1"));
        var plain = aes.DecryptCbc(both.AsSpan(16), both.AsSpan(0, 16), PaddingMode.PKCS7);
        Assert.Equal("Purchase request", (string)JsonNode.Parse(plain)![root]!["attributes"]!["name"]!);

        Assert.Equal((400, "password required"), Pick(await Import(c, text, null)));
        Assert.Equal((400, "incorrect password"), Pick(await Import(c, text, "wrong")));
        var (ok, imported) = await Import(c, text, "Pack-Secret-1");
        Assert.Equal(200, ok);
        Assert.Equal(2L, (long)imported!["processId"]!); // the same package into the same server updates the process

        // without a password the package stays plain; the password never reaches the request log
        (status, body, _) = await c.PostAsync2("export/process/download/2", "{\"options\":{}}");
        Assert.Equal(200, status);
        Assert.False(body!.AsObject().ContainsKey("encrypted"));
        Assert.IsType<JsonObject>(body["export"]);
        Assert.DoesNotContain(s.Requests.All, r => r.Body.Contains("Pack-Secret-1", StringComparison.Ordinal));
    }

    private static (int, string?) Pick((int Status, JsonNode? Body) r) => (r.Status, (string?)r.Body?["error"]);
}
