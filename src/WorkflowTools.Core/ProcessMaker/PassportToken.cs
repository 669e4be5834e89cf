using System;
using System.Text;
using System.Text.Json;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>
    /// Reads who a ProcessMaker token belongs to. Laravel Passport issues access tokens (personal access
    /// tokens and OAuth2 tokens alike) as JWTs whose <c>sub</c> claim is the user id. The signature is not
    /// checked: the server does that on every call; here the id only narrows a listing to "mine".
    /// </summary>
    internal static class PassportToken
    {
        /// <summary>The user id in a bearer token (with or without the "Bearer " prefix); null when it is not a JWT with a numeric sub.</summary>
        public static long? TryReadUserId(string? token)
        {
            if (string.IsNullOrEmpty(token))
            {
                return null;
            }

            var text = token!.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token.Substring(7).Trim() : token.Trim();
            var parts = text.Split('.');
            if (parts.Length != 3 || parts[1].Length == 0)
            {
                return null;
            }

            try
            {
                var payload = DecodeBase64Url(parts[1]);
                using var doc = JsonDocument.Parse(payload);
                return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Long("sub") : null;
            }
            catch (FormatException)
            {
                return null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static byte[] DecodeBase64Url(string text)
        {
            var s = text.Replace('-', '+').Replace('_', '/');
            switch (s.Length % 4)
            {
                case 2: s += "=="; break;
                case 3: s += "="; break;
                case 1: throw new FormatException("Not base64url.");
            }

            return Convert.FromBase64String(s);
        }
    }
}
