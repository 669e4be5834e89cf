using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>
/// A password-protected process package, as PM4 4.15.6 makes and opens it (ImportExport/ExportEncrypted.php, called by
/// Api/ExportController::download when a password is given and by ImportExport/Importer::handlePasswordDecrypt on
/// import): the package's <c>export</c> object as JSON, encrypted with config('app.cipher') = AES-256-CBC (PKCS#7
/// padding, OpenSSL's default) under the key SHA-256(password) and a random 16-byte IV, written back as
/// base64(IV + ciphertext), with <c>"encrypted": true</c> beside it. The password is never kept or logged.
/// </summary>
internal static class PmPackageEncryption
{
    /// <summary>ExportEncrypted::call: replaces <c>export</c> with its encrypted text and marks the package.</summary>
    public static void Encrypt(JsonObject package, string password)
    {
        var plaintext = Encoding.UTF8.GetBytes(package["export"]?.ToJsonString() ?? "null");
        using var aes = Aes.Create();
        aes.Key = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var iv = RandomNumberGenerator.GetBytes(16);
        var ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
        var both = new byte[iv.Length + ciphertext.Length];
        iv.CopyTo(both, 0);
        ciphertext.CopyTo(both, iv.Length);
        package["export"] = Convert.ToBase64String(both);
        package["encrypted"] = true;
    }

    /// <summary>
    /// ExportEncrypted::decrypt: the <c>export</c> object, or null where PM4's <c>json_decode</c> of the decrypted text
    /// gives null (a wrong password: the padding check fails, or the text is no JSON), which PM4 answers with
    /// "incorrect password".
    /// </summary>
    public static JsonNode? Decrypt(JsonObject package, string password)
    {
        try
        {
            var both = Convert.FromBase64String(package["export"]?.GetValue<string>() ?? "");
            if (both.Length < 16) return null;
            using var aes = Aes.Create();
            aes.Key = SHA256.HashData(Encoding.UTF8.GetBytes(password));
            var plaintext = aes.DecryptCbc(both.AsSpan(16), both.AsSpan(0, 16), PaddingMode.PKCS7);
            return JsonNode.Parse(plaintext);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>PHP's truthiness of the password input (<c>if ($password)</c>): a non-empty string other than "0".</summary>
    public static string? Given(string? password) => string.IsNullOrEmpty(password) || password == "0" ? null : password;
}
