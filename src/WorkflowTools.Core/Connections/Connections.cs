using System;
using System.Net.Http;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Connections
{
    /// <summary>What both connections show: where they point and how they behave. Never the secret.</summary>
    public abstract class ServiceConnection : IDisposable
    {
        private protected ServiceConnection(string service, Uri baseUri, ConnectionSettings settings, ApiClient client)
        {
            Service = service;
            BaseUri = baseUri;
            CredentialSource = settings.CredentialSource;
            MaxRetries = settings.MaxRetries;
            Timeout = settings.Timeout;
            AttemptTimeout = settings.AttemptTimeout < settings.Timeout ? settings.AttemptTimeout : settings.Timeout;
            RequestsPerMinute = settings.RequestsPerMinute;
            RequestsPerHour = settings.RequestsPerHour;
            MaxResponseSize = settings.MaxResponseSize;
            Proxy = settings.Proxy is System.Net.WebProxy proxy ? proxy.Address : null;
            ConnectedAt = DateTime.UtcNow;
            Http = client;
        }

        public string Service { get; }

        public Uri BaseUri { get; }

        public string CredentialSource { get; }

        public int MaxRetries { get; }

        public TimeSpan Timeout { get; }

        /// <summary>Time one attempt may take.</summary>
        public TimeSpan AttemptTimeout { get; }

        /// <summary>Client-side request budget; 0 = no limit.</summary>
        public int RequestsPerMinute { get; }

        /// <summary>Client-side hourly budget; 0 = no limit.</summary>
        public int RequestsPerHour { get; }

        /// <summary>The largest answer read, in bytes.</summary>
        public long MaxResponseSize { get; }

        public Uri? Proxy { get; }

        public DateTime ConnectedAt { get; }

        internal ApiClient Http { get; }

        public void Dispose() => Http.Dispose();

        public override string ToString() => $"{Service} at {BaseUri}";

        private protected static ApiClient CreateClient(string service, Uri baseUri, ConnectionSettings settings, IAuthorizationSource auth, HttpMessageHandler? handler, string? notFoundHint = null, string? budgetCredential = null)
        {
            var options = settings.For(service, baseUri, notFoundHint);
            if (settings.ShareBudget && budgetCredential != null && (settings.RequestsPerMinute > 0 || settings.RequestsPerHour > 0))
            {
                options.SharedBudget = new SharedPaceLedger(SharedPaceLedger.PathFor(baseUri, budgetCredential, settings.SharedBudgetFolder), settings.RequestsPerMinute, settings.RequestsPerHour);
            }

            return new ApiClient(options, auth, handler);
        }
    }

    /// <summary>A session's connection to Next Matter (<c>Authorization: Api-Key …</c>).</summary>
    public sealed class NmConnection : ServiceConnection
    {
        /// <summary>Next Matter documents 100 requests per minute.</summary>
        public const int DefaultRequestsPerMinute = ConnectionDefaults.NextMatter.RequestsPerMinute;

        public static readonly Uri DefaultBaseUri = new Uri("https://core.nextmatter.com/api/");

        private NmConnection(Uri baseUri, ConnectionSettings settings, ApiClient client)
            : base("Next Matter", baseUri, settings, client)
        {
            Client = new NmClient(client);
        }

        internal NmClient Client { get; }

        internal static NmConnection Create(Uri? baseUri, System.Security.SecureString apiKey, ConnectionSettings settings, HttpMessageHandler? handler = null)
        {
            var uri = BaseUriRules.Normalize(baseUri ?? DefaultBaseUri, settings.AllowInsecureHttp);
            var auth = new SecretAuthorization("Api-Key", apiKey);
            var client = CreateClient("Next Matter", uri, settings, auth, handler, NotFoundHintFor(uri), settings.ShareBudget ? SecretAuthorization.Reveal(apiKey) : null);
            return new NmConnection(uri, settings, client);
        }

        /// <summary>
        /// Next Matter's API root ends in /api/ (https://core.nextmatter.com/api/, a sandbox's …/nextmatter/api/). A base
        /// URI without it (http://host:port/) answers 404 to every call: its 404s then say to check the base URI.
        /// </summary>
        private static string? NotFoundHintFor(Uri uri) =>
            uri.AbsolutePath.EndsWith("/api/", StringComparison.OrdinalIgnoreCase)
                ? null
                : $"The connection's base URI {uri} does not end in /api/: Next Matter's API is at {DefaultBaseUri} (a sandbox's at http://127.0.0.1:<port>/nextmatter/api/); check Connect-NmService -BaseUri.";
    }

    /// <summary>A session's connection to a ProcessMaker 4 instance (<c>Authorization: Bearer …</c>).</summary>
    public sealed class PmConnection : ServiceConnection
    {
        private readonly IAuthorizationSource _auth;

        private PmConnection(Uri baseUri, ConnectionSettings settings, ApiClient client, IAuthorizationSource auth)
            : base("ProcessMaker", baseUri, settings, client)
        {
            _auth = auth;
            Client = new PmClient(client, auth);
            var grant = auth as PasswordGrantAuthorization;
            AuthenticationMethod = grant != null ? "OAuth2 password grant" : "Access token";
            UserName = grant?.UserName;
            ClientId = grant?.ClientId;
        }

        /// <summary>"Access token" or "OAuth2 password grant".</summary>
        public string AuthenticationMethod { get; }

        /// <summary>The user name of the password grant; empty for an access token.</summary>
        public string? UserName { get; }

        /// <summary>The OAuth2 client id of the password grant.</summary>
        public string? ClientId { get; }

        /// <summary>When the current OAuth2 access token expires (UTC); empty for an access token.</summary>
        public DateTime? TokenExpiresAt => (_auth as PasswordGrantAuthorization)?.ExpiresAt?.UtcDateTime;

        internal PmClient Client { get; }

        /// <summary>The instance URL (the API base without <c>api/1.0/</c>).</summary>
        public Uri InstanceUri => new Uri(BaseUri, "../../");

        internal static PmConnection Create(Uri baseUri, IAuthorizationSource auth, ConnectionSettings settings, HttpMessageHandler? handler = null)
        {
            var uri = BaseUriRules.NormalizeProcessMaker(baseUri, settings.AllowInsecureHttp);
            var client = CreateClient("ProcessMaker", uri, settings, auth, handler);
            return new PmConnection(uri, settings, client, auth);
        }

        /// <summary>The token endpoint of an instance: <c>&lt;instance&gt;/oauth/token</c>, from a URL given with or without <c>/api/1.0</c>.</summary>
        public static Uri TokenEndpointFor(Uri baseUri, bool allowInsecureHttp)
        {
            var api = BaseUriRules.NormalizeProcessMaker(baseUri, allowInsecureHttp);
            return new Uri(api, "../../oauth/token");
        }

        /// <summary>
        /// Connects with the OAuth2 password grant: asks for the first token now, so wrong credentials fail
        /// here rather than at the first command.
        /// </summary>
        internal static async System.Threading.Tasks.Task<PmConnection> ConnectWithPasswordGrantAsync(
            Uri baseUri,
            string userName,
            System.Security.SecureString password,
            string clientId,
            System.Security.SecureString clientSecret,
            ConnectionSettings settings,
            System.Threading.CancellationToken cancellationToken,
            HttpMessageHandler? handler = null)
        {
            var auth = new PasswordGrantAuthorization(new PasswordGrantCredentials(TokenEndpointFor(baseUri, settings.AllowInsecureHttp), userName, password, clientId, clientSecret));
            var connection = Create(baseUri, auth, settings, handler);
            // The token requests take the connection's own road: its HttpClient, timeouts, retry policy and answer bound.
            auth.SendThrough(connection.Http);
            try
            {
                await auth.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                connection.Dispose();
                auth.Dispose();
                throw;
            }

            return connection;
        }
    }
}
