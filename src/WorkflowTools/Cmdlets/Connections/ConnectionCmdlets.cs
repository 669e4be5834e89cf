using System;
using System.Management.Automation;
using System.Security;
using WorkflowTools.Connections;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>Connect-NmService: sets the session's Next Matter connection.</summary>
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
            var (secret, source) = ResolveSecret(ApiKey, nameof(ApiKey), "NEXTMATTER_API_KEY", "NextMatterApiKey");
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
            var (secret, source) = ResolveSecret(AccessToken, nameof(AccessToken), "PROCESSMAKER_TOKEN", "ProcessMakerToken");
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
