using System;
using System.Management.Automation;
using System.Security;
using WorkflowTools.Connections;

namespace WorkflowTools.Cmdlets.Common
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
        /// <summary>The API key (Next Matter → Company settings → API keys). Falls back to $env:NEXTMATTER_API_KEY.</summary>
        [Parameter(Position = 0)]
        public SecureString? ApiKey { get; set; }

        /// <summary>The API base URL; defaults to https://core.nextmatter.com/api/.</summary>
        [Parameter]
        public Uri? BaseUri { get; set; }

        protected override void EndProcessing()
        {
            var (secret, source) = ResolveSecret(ApiKey, nameof(ApiKey), "NEXTMATTER_API_KEY");
            var settings = BuildSettings(NmConnection.DefaultRequestsPerMinute, source);
            NmConnection connection;
            try
            {
                connection = NmConnection.Create(BaseUri, secret, settings);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(ex.Message, BaseUri, "WorkflowTools.InvalidBaseUri"));
                return;
            }

            SessionConnections.NextMatter = connection;
            WriteVerbose($"Connected to Next Matter at {connection.BaseUri} (retries {settings.MaxRetries}, timeout {settings.Timeout.TotalSeconds:0} s, {(settings.RequestsPerMinute == 0 ? "no rate limit" : settings.RequestsPerMinute + " requests/min")}).");
            if (PassThru)
            {
                WriteObject(connection);
            }
        }
    }

    /// <summary>Connect-PmServer: sets the session's ProcessMaker connection.</summary>
    /// <remarks>
    /// Connects this PowerShell session to a ProcessMaker 4 instance (self-hosted or cloud). Every
    /// ProcessMaker cmdlet run afterwards in the same session (runspace) uses this connection unless it is
    /// given another with -Connection. Nothing is sent until the first cmdlet that needs it runs.
    /// <para/>
    /// The access token (a personal access token or an OAuth access token; never a client-credentials
    /// token, which carries no user) is taken from -AccessToken, or else from the PROCESSMAKER_TOKEN
    /// environment variable, which is what a scheduled task should use. The token is never written to any
    /// output stream.
    /// <para/>
    /// -BaseUri is the instance's address, for example https://acme.processmaker.net; /api/1.0 is added
    /// when it is missing.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Connect, "PmServer")]
    [OutputType(typeof(PmConnection))]
    public sealed class ConnectPmServerCommand : ConnectCmdletBase
    {
        /// <summary>The instance URL, with or without /api/1.0.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public Uri BaseUri { get; set; } = null!;

        /// <summary>A personal access token. Falls back to $env:PROCESSMAKER_TOKEN.</summary>
        [Parameter(Position = 1)]
        public SecureString? AccessToken { get; set; }

        protected override void EndProcessing()
        {
            var (secret, source) = ResolveSecret(AccessToken, nameof(AccessToken), "PROCESSMAKER_TOKEN");
            var settings = BuildSettings(0, source);
            PmConnection connection;
            try
            {
                connection = PmConnection.Create(BaseUri, new SecretAuthorization("Bearer", secret), settings);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(ex.Message, BaseUri, "WorkflowTools.InvalidBaseUri"));
                return;
            }

            SessionConnections.ProcessMaker = connection;
            WriteVerbose($"Connected to ProcessMaker at {connection.BaseUri}.");
            if (PassThru)
            {
                WriteObject(connection);
            }
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
            if (SessionConnections.NextMatter is NmConnection connection)
            {
                WriteObject(connection);
            }
        }
    }

    /// <summary>Get-PmConnection: the session's ProcessMaker connection, if any.</summary>
    /// <remarks>
    /// Gets the ProcessMaker connection that Connect-PmServer set in this session: where it points, where
    /// the token came from, retries, timeout and proxy. The token itself is never shown. Writes nothing when
    /// the session is not connected.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmConnection")]
    [OutputType(typeof(PmConnection))]
    public sealed class GetPmConnectionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (SessionConnections.ProcessMaker is PmConnection connection)
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
            if (SessionConnections.NextMatter == null)
            {
                WriteVerbose("There was no Next Matter connection in this session.");
            }

            SessionConnections.NextMatter = null;
        }
    }

    /// <summary>Disconnect-PmServer: forgets the session's ProcessMaker connection.</summary>
    /// <remarks>
    /// Removes the session's current ProcessMaker connection, so ProcessMaker cmdlets fail with
    /// WorkflowTools.NotConnected until Connect-PmServer runs again. A connection object kept in a variable
    /// (Connect-PmServer -PassThru) keeps working with -Connection. Nothing is sent to ProcessMaker.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Disconnect, "PmServer")]
    [OutputType(typeof(void))]
    public sealed class DisconnectPmServerCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (SessionConnections.ProcessMaker == null)
            {
                WriteVerbose("There was no ProcessMaker connection in this session.");
            }

            SessionConnections.ProcessMaker = null;
        }
    }
}
