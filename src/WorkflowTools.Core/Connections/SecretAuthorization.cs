using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.Connections
{
    /// <summary>A key, token or credential that cannot be used as given (the message never quotes it).</summary>
    internal sealed class CredentialFormatException : ArgumentException
    {
        public CredentialFormatException(string message)
            : base(message)
        {
        }
    }

    /// <summary>
    /// An Authorization header made from a <see cref="SecureString"/> at the moment a request is built.
    /// The plain secret exists only inside <see cref="GetHeaderValueAsync"/>; nothing here prints it.
    /// </summary>
    internal sealed class SecretAuthorization : IAuthorizationSource, ISecretHolder
    {
        private readonly string _scheme;
        private readonly SecureString _secret;

        /// <summary>Refuses a secret that cannot go into a header (control characters, non-ASCII), naming it by <paramref name="what"/>.</summary>
        public SecretAuthorization(string scheme, SecureString secret, string? what = null)
        {
            _scheme = scheme;
            if (HeaderRules.Problem(Reveal(secret)) is string problem)
            {
                var name = what ?? (scheme == "Api-Key" ? "API key" : "access token");
                throw new CredentialFormatException($"The {name} contains {problem}; a key or token is printable ASCII only, on one line. Copy it again without line breaks or other characters.");
            }

            _secret = secret.Copy();
            _secret.MakeReadOnly();
        }

        public void AddSecretsTo(System.Collections.Generic.ICollection<string> secrets) => secrets.Add(Reveal(_secret));

        public string RedactedHeaderValue => _scheme + " [redacted]";

        public Task<string> GetHeaderValueAsync(CancellationToken cancellationToken) => Task.FromResult(_scheme + " " + Reveal(_secret));

        public Task<bool> TryRefreshAsync(CancellationToken cancellationToken) => Task.FromResult(false);

        public override string ToString() => RedactedHeaderValue;

        /// <summary>Decodes a secure string; callers keep the result no longer than one header.</summary>
        internal static string Reveal(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer, secret.Length);
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }

        /// <summary>True when the secret is empty or only white space.</summary>
        public static bool IsBlank(SecureString? secret)
        {
            if (secret == null || secret.Length == 0)
            {
                return true;
            }

            return string.IsNullOrWhiteSpace(Reveal(secret));
        }

        /// <summary>Makes a read-only secure string from plain text (environment variables, vaults).</summary>
        public static SecureString FromPlainText(string text)
        {
            var secure = new SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
