using System;
using System.Security;
using WorkflowTools.Http;

namespace WorkflowTools.Connections
{
    /// <summary>
    /// Where and as whom a ProcessMaker OAuth2 password grant asks for tokens: the grant's credentials only. How the
    /// token requests are sent (timeouts, retries, answer size, proxy) is the connection's, through its one
    /// <see cref="ApiClient"/>.
    /// </summary>
    internal sealed class PasswordGrantCredentials
    {
        public PasswordGrantCredentials(Uri tokenEndpoint, string userName, SecureString password, string clientId, SecureString clientSecret)
        {
            TokenEndpoint = tokenEndpoint ?? throw new ArgumentNullException(nameof(tokenEndpoint));
            UserName = string.IsNullOrWhiteSpace(userName) ? throw new ArgumentException("A user name is required for the password grant.") : userName;
            Password = (password ?? throw new ArgumentNullException(nameof(password))).Copy();
            Password.MakeReadOnly();
            ClientId = string.IsNullOrWhiteSpace(clientId) ? throw new ArgumentException("A client id is required for the password grant.") : clientId;
            ClientSecret = (clientSecret ?? throw new ArgumentNullException(nameof(clientSecret))).Copy();
            ClientSecret.MakeReadOnly();
        }

        /// <summary><c>&lt;instance&gt;/oauth/token</c>.</summary>
        public Uri TokenEndpoint { get; }

        /// <summary>The ProcessMaker user name (not the e-mail address).</summary>
        public string UserName { get; }

        internal SecureString Password { get; }

        public string ClientId { get; }

        internal SecureString ClientSecret { get; }

        /// <summary>Renew this long before the access token expires (capped at a tenth of its lifetime).</summary>
        public TimeSpan RenewBefore { get; set; } = ConnectionDefaults.TokenRenewBefore;

        /// <summary>The clock used to decide expiry (tests replace it).</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;
    }
}
