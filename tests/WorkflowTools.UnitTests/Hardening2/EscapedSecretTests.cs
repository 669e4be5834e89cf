using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests.Hardening2
{
    /// <summary>
    /// Issue 26 item 2: a server that echoes a secret with a JSON escape (PHP's <c>\/</c>, <c>\uXXXX</c> for an
    /// ordinary character) never gets it printed in clear: the text shown is built from the parsed JSON, so that
    /// text is what is redacted.
    /// </summary>
    public class EscapedSecretTests
    {
        private const string Key = "abc+def/GHI.SECRET123";

        [Theory]
        [InlineData("{\"detail\":\"bad key abc+def\\/GHI.SECRET123\"}")]
        [InlineData("{\"detail\":\"bad key abc\\u002bdef\\/GHI\\u002eSECRET123\"}")]
        [InlineData("{\"message\":\"bad key \\u0061\\u0062\\u0063+def/GHI.SECRET\\u0031\\u0032\\u0033\"}")]
        [InlineData("{\"errors\":{\"key\":[\"abc+def\\/GHI.SECRET123 is not valid\"]}}")]
        [InlineData("{\"errors\":{\"abc+def\\/GHI.SECRET123\":[\"unknown\"]}}")]
        [InlineData("[\"Bearer abc\\/xyz.OTHER-TOKEN-99\"]")]
        public async Task A_secret_escaped_in_json_is_shown_nowhere(string body)
        {
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, body, 401));
            using var connection = NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText(Key), new ConnectionSettings { MaxRetries = 0 });

            var error = await Assert.ThrowsAsync<ApiException>(() => connection.Client.GetInstanceAsync(1, false, CancellationToken.None));

            var shown = error.Message + "|" + error.Detail + "|" + error.BodyExcerpt + "|"
                + string.Join("|", error.FieldErrors.Select(f => f.Key + ":" + string.Join(" ", f.Value)));
            Assert.DoesNotContain("SECRET123", shown);
            Assert.DoesNotContain("SECRET\\u0031", shown);
            Assert.DoesNotContain("OTHER-TOKEN-99", shown);
            Assert.Contains(SecretRedactor.Mark, error.Message);
        }

        [Fact]
        public async Task A_secret_with_a_quote_and_a_backslash_is_shown_nowhere()
        {
            const string key = "q\"uo\\te-SECRET77";
            await using var server = await LookAlikeServer.StartAsync((c, _) => LookAlikeServer.Json(c, "{\"detail\":\"bad key q\\\"uo\\\\te-SECRET77\"}", 401));
            using var connection = NmConnection.Create(new Uri(server.Root, "api/"), SecretAuthorization.FromPlainText(key), new ConnectionSettings { MaxRetries = 0 });

            var error = await Assert.ThrowsAsync<ApiException>(() => connection.Client.GetInstanceAsync(1, false, CancellationToken.None));

            Assert.DoesNotContain("SECRET77", error.Message + error.Detail);
        }

        [Fact]
        public void Text_without_a_secret_keeps_its_escapes()
        {
            var redactor = new SecretRedactor(new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText(Key)));
            const string text = "{\"detail\":\"see https:\\/\\/example.test\\/x \\u00e9\"}";
            Assert.Equal(text, redactor.Redact(text));
        }

        [Fact]
        public void An_escaped_backslash_before_u_is_not_read_as_an_escape()
        {
            var redactor = new SecretRedactor(new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText("\\u0041BCD-secret")));
            var text = redactor.Redact("{\"detail\":\"key \\\\u0041BCD-secret\"}");
            Assert.DoesNotContain("BCD-secret", text);
        }
    }
}
