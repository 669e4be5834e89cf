using System;
using System.Management.Automation;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Connections;

namespace WorkflowTools.Cmdlets.Connections
{
    /// <summary>Connect-NmService: sets the session's Next Matter connection.</summary>
    /// <remarks>
    /// Connects this PowerShell session to Next Matter. Every Next Matter cmdlet run afterwards in the same
    /// session (runspace) uses this connection unless it is given another with -Connection. Nothing is sent
    /// to Next Matter until the first cmdlet that needs it runs.
    /// <para/>
    /// The API key is taken from -ApiKey, or else from the NEXTMATTER_API_KEY environment variable, which is
    /// what a scheduled task should use. The key is kept as a SecureString and never written to any output
    /// stream; -Debug says only where it came from.
    /// <para/>
    /// Requests are paced to Next Matter's documented 100 requests per minute, and throttled (429) or
    /// unavailable (502/503/504) answers are retried with Retry-After honoured. A create or a completion
    /// is retried only when it certainly was not applied, so no work is ever done twice.
    /// <para/>
    /// Use -PassThru to keep the connection in a variable and pass it to -Connection later.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Connect, "NmService")]
    [OutputType(typeof(NmConnection))]
    public sealed class ConnectNmServiceCommand : ConnectCmdletBase
    {
        public ConnectNmServiceCommand()
            : base(ConnectionDefaults.NextMatter.Timeout, ConnectionDefaults.NextMatter.AttemptTimeout, ConnectionDefaults.NextMatter.RequestsPerMinute, ConnectionDefaults.NextMatter.RequestsPerHour)
        {
        }

        /// <summary>The API key (Next Matter → Company settings → API keys). Falls back to $env:NEXTMATTER_API_KEY.</summary>
        [Parameter(Position = 0)]
        public SecureString? ApiKey { get; set; }

        /// <summary>The API base URL; defaults to https://core.nextmatter.com/api/.</summary>
        [Parameter]
        public Uri? BaseUri { get; set; }

        /// <summary>
        /// Share -RequestsPerMinute and -RequestsPerHour with every process on this machine, under this user account,
        /// that connects with the same key to the same service and -ShareBudget: two scheduled jobs that overlap then
        /// send no more together than Next Matter allows. The slots taken in the last hour are kept in a small file in
        /// the user's local application data, named by a hash of the service and the key (never the key itself).
        /// Without it each connection paces alone.
        /// </summary>
        [Parameter]
        public SwitchParameter ShareBudget { get; set; }

        protected override void EndProcessing()
        {
            var (secret, source) = ResolveSecret(ApiKey, nameof(ApiKey), "NEXTMATTER_API_KEY", "NextMatterApiKey");
            var settings = BuildSettings(source);
            settings.ShareBudget = ShareBudget.IsPresent;
            NmConnection connection;
            try
            {
                connection = NmConnection.Create(BaseUri, secret, settings);
            }
            catch (CredentialFormatException ex)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(ex.Message, "ApiKey", "WorkflowTools.InvalidCredential"));
                return;
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(ex.Message, BaseUri, "WorkflowTools.InvalidBaseUri"));
                return;
            }

            SessionConnections.SetNextMatter(SessionState, connection);
            WriteVerbose($"Connected to Next Matter at {connection.BaseUri} (retries {settings.MaxRetries}, timeout {settings.Timeout.TotalSeconds:0} s, {(settings.RequestsPerMinute == 0 ? "no rate limit" : settings.RequestsPerMinute + " requests/min")}{(settings.RequestsPerHour > 0 ? ", " + settings.RequestsPerHour + " requests/h" : string.Empty)}{(settings.ShareBudget && settings.RequestsPerMinute + settings.RequestsPerHour > 0 ? ", budget shared with this user's other processes that use this key" : string.Empty)}).");
            if (PassThru)
            {
                WriteObject(connection);
            }
        }
    }

    /// <summary>Connects this session to a ProcessMaker 4 instance.</summary>
    /// <remarks>
    /// Connect-PmServer checks the instance URL (given with or without /api/1.0) and stores a connection that
    /// every ProcessMaker cmdlet in this session uses unless it gets -Connection. Authenticate with a personal
    /// access token (-AccessToken, or the PROCESSMAKER_TOKEN environment variable), or with the OAuth2 password
    /// grant: -Credential (ProcessMaker user name, not the e-mail address, and password) with the -ClientId and
    /// -ClientSecret of a password-grant client. The password grant asks for a token at once, so wrong
    /// credentials fail here; the token is cached, renewed shortly before it expires and again after a 401
    /// (refresh_token grant, else the password again), so long listings and nightly jobs never notice.
    /// No token, password or secret is ever written to any stream.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Connect, "PmServer", DefaultParameterSetName = TokenSet)]
    [OutputType(typeof(PmConnection))]
    public sealed class ConnectPmServerCommand : ConnectCmdletBase
    {
        private const string TokenSet = "AccessToken";
        private const string PasswordSet = "PasswordGrant";

        public ConnectPmServerCommand()
            : base(ConnectionDefaults.ProcessMaker.Timeout, ConnectionDefaults.ProcessMaker.AttemptTimeout, ConnectionDefaults.ProcessMaker.RequestsPerMinute, ConnectionDefaults.ProcessMaker.RequestsPerHour)
        {
        }

        /// <summary>The instance URL (https://pm.example.com), with or without /api/1.0.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public Uri BaseUri { get; set; } = null!;

        /// <summary>A personal access token. Falls back to $env:PROCESSMAKER_TOKEN.</summary>
        [Parameter(Position = 1, ParameterSetName = TokenSet)]
        public SecureString? AccessToken { get; set; }

        /// <summary>The ProcessMaker user name (not the e-mail address) and password for the OAuth2 password grant.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = null!;

        /// <summary>The id of the OAuth2 client that allows the password grant.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; } = null!;

        /// <summary>The OAuth2 client's secret. Falls back to $env:PROCESSMAKER_CLIENT_SECRET.</summary>
        [Parameter(ParameterSetName = PasswordSet)]
        public SecureString? ClientSecret { get; set; }

        protected override void EndProcessing()
        {
            PmConnection connection;
            if (ParameterSetName == PasswordSet)
            {
                var (secret, secretSource) = ResolveSecret(ClientSecret, nameof(ClientSecret), "PROCESSMAKER_CLIENT_SECRET", "ProcessMakerClientSecret");
                var userName = Credential.UserName?.TrimStart('\\') ?? string.Empty;
                if (string.IsNullOrWhiteSpace(userName) || SecretAuthorization.IsBlank(Credential.Password))
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument("-Credential needs a user name and a password.", null, "WorkflowTools.EmptyCredential"));
                }

                var settings = BuildSettings($"OAuth2 password grant for '{userName}' (client secret from {secretSource})");
                try
                {
                    PasswordGrantSettingsCheck();
                    connection = Run(ct => PmConnection.ConnectWithPasswordGrantAsync(BaseUri, userName, Credential.Password, ClientId, secret, settings, ct));
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument(ex.Message, BaseUri, "WorkflowTools.InvalidBaseUri"));
                    return;
                }
                catch (WorkflowTools.Http.ApiException ex)
                {
                    ThrowTerminatingError(ErrorRecords.From(ex, BaseUri, ex.Kind == WorkflowTools.Http.ApiErrorKind.Unauthorized ? "WorkflowTools.AuthenticationFailed" : null));
                    return;
                }
            }
            else
            {
                var (secret, source) = ResolveSecret(AccessToken, nameof(AccessToken), "PROCESSMAKER_TOKEN", "ProcessMakerToken");
                var settings = BuildSettings(source);
                try
                {
                    connection = PmConnection.Create(BaseUri, new SecretAuthorization("Bearer", secret), settings);
                }
                catch (CredentialFormatException ex)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument(ex.Message, "AccessToken", "WorkflowTools.InvalidCredential"));
                    return;
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument(ex.Message, BaseUri, "WorkflowTools.InvalidBaseUri"));
                    return;
                }
            }

            SessionConnections.SetProcessMaker(SessionState, connection);
            WriteVerbose($"Connected to ProcessMaker at {connection.BaseUri} ({connection.AuthenticationMethod}{(connection.UserName != null ? " as " + connection.UserName : string.Empty)}).");
            if (PassThru)
            {
                WriteObject(connection);
            }
        }

        private void PasswordGrantSettingsCheck()
        {
            // Fails early (ArgumentException) on a bad URL before any credential is sent.
            PmConnection.TokenEndpointFor(BaseUri, AllowInsecureHttp.IsPresent);
        }
    }

    /// <summary>Get-NmConnection: the session's Next Matter connection, if any.</summary>
    /// <remarks>
    /// Gets the Next Matter connection that Connect-NmService set in this session: where it points, where
    /// the API key came from, retries, timeout, request budget and proxy. The key itself is never shown.
    /// Writes nothing when the session is not connected.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "NmConnection")]
    [OutputType(typeof(NmConnection))]
    public sealed class GetNmConnectionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (SessionConnections.GetNextMatter(SessionState) is NmConnection connection)
            {
                WriteObject(connection);
            }
        }
    }

    /// <summary>Gets this session's ProcessMaker connection.</summary>
    /// <remarks>
    /// Get-PmConnection writes the connection that Connect-PmServer stored for this session (nothing when there
    /// is none): the API base URL, how it authenticates (access token or OAuth2 password grant, with the user
    /// name), where the credential came from, and its retry, timeout and rate settings. It never shows a token,
    /// password or secret. Pass the object to -Connection of any ProcessMaker cmdlet to use it explicitly.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmConnection")]
    [OutputType(typeof(PmConnection))]
    public sealed class GetPmConnectionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (SessionConnections.GetProcessMaker(SessionState) is PmConnection connection)
            {
                WriteObject(connection);
            }
        }
    }

    /// <summary>Disconnect-NmService: forgets the session's Next Matter connection.</summary>
    /// <remarks>
    /// Removes the session's current Next Matter connection, so Next Matter cmdlets fail with
    /// WorkflowTools.NotConnected until Connect-NmService runs again. A connection object kept in a variable
    /// (Connect-NmService -PassThru) keeps working with -Connection. Nothing is sent to Next Matter.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Disconnect, "NmService")]
    [OutputType(typeof(void))]
    public sealed class DisconnectNmServiceCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (SessionConnections.GetNextMatter(SessionState) == null)
            {
                DebugSafeStreams.WriteVerbose(this, "There was no Next Matter connection in this session.");
            }

            SessionConnections.SetNextMatter(SessionState, null);
        }
    }

    /// <summary>Forgets this session's ProcessMaker connection.</summary>
    /// <remarks>
    /// Disconnect-PmServer removes the connection that Connect-PmServer stored for this session, so ProcessMaker
    /// cmdlets fail with WorkflowTools.NotConnected until you connect again. A connection object you kept in a
    /// variable keeps working with -Connection. Nothing is sent to the server.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Disconnect, "PmServer")]
    [OutputType(typeof(void))]
    public sealed class DisconnectPmServerCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (SessionConnections.GetProcessMaker(SessionState) == null)
            {
                DebugSafeStreams.WriteVerbose(this, "There was no ProcessMaker connection in this session.");
            }

            SessionConnections.SetProcessMaker(SessionState, null);
        }
    }
}
