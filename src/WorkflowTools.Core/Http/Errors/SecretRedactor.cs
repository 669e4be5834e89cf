using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace WorkflowTools.Http
{
    /// <summary>Implemented by whatever holds a connection's secrets, so that no text can show them.</summary>
    internal interface ISecretHolder
    {
        /// <summary>Adds every secret held now (key, tokens, client secret, password) in plain text.</summary>
        void AddSecretsTo(ICollection<string> secrets);
    }

    /// <summary>
    /// The one place that takes secrets out of text before anyone sees it: an error message built from a
    /// server's answer, an excerpt, a Debug line. It removes every secret the connection holds, in the forms
    /// a server echoes them (as is, URL-encoded, JSON-escaped), and whatever follows an Authorization scheme
    /// or a credential's name in a form or JSON body, since a server may echo a secret this connection
    /// never had (an old token, another user's key).
    /// </summary>
    internal sealed class SecretRedactor
    {
        public const string Mark = "[redacted]";

        /// <summary>Secrets shorter than this are not searched for: they would redact ordinary words.</summary>
        private const int ShortestSecret = 4;

        private static readonly Regex Schemes = new Regex(
            @"(?<scheme>\b(?:Api-Key|Bearer|Basic|Token)(?:\s|%20|\+)+)(?<secret>[^\s""'<>,;&\\]+)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // A value that opens a list or an object is not a secret but a structure (PM4's validation errors list the
        // messages about a password as "password":["…"]): it stays, so the field errors can still be read.
        private static readonly Regex Named = new Regex(
            @"(?<name>\b(?:client_secret|password|refresh_token|access_token|api_key|apikey|token)\b(?:""?\s*[:=]\s*""?|=))(?<secret>[^\s""'<>,;&\\}\[{][^\s""'<>,;&\\}]*)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private readonly List<ISecretHolder> _holders = new List<ISecretHolder>();

        public SecretRedactor(params ISecretHolder?[] holders)
        {
            foreach (var holder in holders)
            {
                if (holder != null)
                {
                    _holders.Add(holder);
                }
            }
        }

        /// <summary>A redactor that knows no secret of its own (it still removes what follows a scheme or a credential's name).</summary>
        public static SecretRedactor None { get; } = new SecretRedactor();

        public void Add(ISecretHolder holder) => _holders.Add(holder ?? throw new ArgumentNullException(nameof(holder)));

        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? string.Empty;
            }

            // A server may echo a secret with JSON escapes no encoder here writes (PHP's "\/", "\u0041" for
            // an ordinary letter). Look for secrets in the text with those escapes read; when that finds one,
            // the unescaped, redacted text is what is shown; otherwise the text keeps its escapes.
            var unescaped = JsonEscapes.ReadHarmless(text!);
            if (!ReferenceEquals(unescaped, text))
            {
                var redacted = RedactPlain(unescaped);
                if (redacted != unescaped)
                {
                    return redacted;
                }
            }

            return RedactPlain(text!);
        }

        private string RedactPlain(string text)
        {
            var secrets = new List<string>();
            foreach (var holder in _holders)
            {
                holder.AddSecretsTo(secrets);
            }

            // Longest first, so a secret that contains another is removed whole.
            secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
            var result = text;
            foreach (var secret in secrets)
            {
                if (secret == null || secret.Length < ShortestSecret)
                {
                    continue;
                }

                foreach (var form in Forms(secret))
                {
                    if (result.IndexOf(form, StringComparison.Ordinal) >= 0)
                    {
                        result = result.Replace(form, Mark);
                    }
                }
            }

            result = Schemes.Replace(result, m => m.Groups["secret"].Value == Mark ? m.Value : m.Groups["scheme"].Value + Mark);
            result = Named.Replace(result, m => m.Groups["secret"].Value.StartsWith(Mark, StringComparison.Ordinal) ? m.Value : m.Groups["name"].Value + Mark);
            return result;
        }

        private static IEnumerable<string> Forms(string secret)
        {
            yield return secret;
            var encoded = Uri.EscapeDataString(secret);
            if (encoded != secret)
            {
                yield return encoded;
                var plus = encoded.Replace("%20", "+");
                if (plus != encoded)
                {
                    yield return plus;
                }
            }

            var json = System.Text.Json.JsonEncodedText.Encode(secret).ToString();
            if (json != secret)
            {
                yield return json;
            }
        }
    }
}
