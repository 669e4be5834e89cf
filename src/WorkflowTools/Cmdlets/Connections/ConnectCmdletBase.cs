using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Connections;

namespace WorkflowTools.Cmdlets.Connections
{
    /// <summary>
    /// The tuning parameters both Connect- cmdlets share. Each starts from the service's value in
    /// <see cref="ConnectionDefaults"/>, which is also what the help shows as its default.
    /// </summary>
    public abstract class ConnectCmdletBase : WorkflowCmdlet
    {
        private protected ConnectCmdletBase(TimeSpan timeout, TimeSpan attemptTimeout, int requestsPerMinute, int requestsPerHour)
        {
            Timeout = timeout;
            AttemptTimeout = attemptTimeout;
            RequestsPerMinute = requestsPerMinute;
            RequestsPerHour = requestsPerHour;
        }

        /// <summary>Retries after the first attempt for requests that certainly were not applied (0–20).</summary>
        [Parameter]
        [ValidateRange(0, ConnectionDefaults.MaxRetriesLimit)]
        public int MaxRetries { get; set; } = ConnectionDefaults.MaxRetries;

        /// <summary>Total time one call may take, retries included: seconds or a TimeSpan (10 ms to 1 hour).</summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan Timeout { get; set; }

        /// <summary>
        /// Time one attempt may take before it counts as failed: seconds or a TimeSpan (10 ms to 1 hour; at most
        /// -Timeout). Next Matter's default is above the 60 s its server allows every request.
        /// </summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan AttemptTimeout { get; set; }

        /// <summary>The first wait before a retry; later waits double, with jitter: seconds or a TimeSpan (0 to 5 minutes).</summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan RetryDelay { get; set; } = ConnectionDefaults.RetryDelay;

        /// <summary>
        /// The largest answer read, in bytes (64 KB to 1 GB; 256MB and 1GB style numbers work). A larger answer
        /// fails with an error that names this limit, before it fills memory.
        /// </summary>
        [Parameter]
        [ValidateRange(ConnectionDefaults.MinResponseSizeLimit, ConnectionDefaults.MaxResponseSizeLimit)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long MaxResponseSize { get; set; } = ConnectionDefaults.MaxResponseSize;

        /// <summary>
        /// Client-side request budget per minute; 0 = no limit. Next Matter's default is its documented limit;
        /// ProcessMaker has none. The budget belongs to this connection alone: it is not shared with other
        /// connections, sessions or processes, unless Connect-NmService -ShareBudget. Two scheduled jobs that run at
        /// the same time with one key each pace to the full limit, so together they can send twice what Next Matter
        /// allows and meet 429s: connect both with -ShareBudget, or give each job its share (-RequestsPerMinute 50
        /// -RequestsPerHour 1475 for two jobs that may overlap).
        /// </summary>
        [Parameter]
        [ValidateRange(0, 100000)]
        public int RequestsPerMinute { get; set; }

        /// <summary>
        /// Client-side request budget per hour; 0 = no limit. The pacer keeps both budgets in every window and slows
        /// down on its own when the server answers 429. With -RequestsPerMinute 0 and no -RequestsPerHour, there is
        /// no hourly limit either.
        /// </summary>
        [Parameter]
        [ValidateRange(0, 10000000)]
        public int RequestsPerHour { get; set; }

        /// <summary>A proxy to send requests through (the system proxy is used otherwise).</summary>
        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for the proxy.</summary>
        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Allow plain http:// to a host other than this machine.</summary>
        [Parameter]
        public SwitchParameter AllowInsecureHttp { get; set; }

        /// <summary>A SecretManagement vault to read the credential from (needs Microsoft.PowerShell.SecretManagement).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Vault { get; set; }

        /// <summary>The secret's name in -Vault; defaults to NextMatterApiKey or ProcessMakerToken.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SecretName { get; set; }

        /// <summary>Write the new connection to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected ConnectionSettings BuildSettings(string credentialSource)
        {
            foreach (var (name, value) in new[] { ("Timeout", Timeout), ("AttemptTimeout", AttemptTimeout) })
            {
                // The retry pipeline's timeout cannot be shorter than 10 ms; neither bound is useful beyond an hour.
                if (value < ConnectionDefaults.MinTimeout || value > ConnectionDefaults.MaxTimeout)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument($"-{name} must be between 10 ms (0.01) and an hour; got {value}.", value));
                }
            }

            if (RetryDelay < TimeSpan.Zero || RetryDelay > ConnectionDefaults.RetryDelayLimit)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument($"-RetryDelay must be between 0 and 5 minutes; got {RetryDelay}.", RetryDelay));
            }

            IWebProxy? proxy = null;
            if (Proxy != null)
            {
                if (!Proxy.IsAbsoluteUri)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument($"-Proxy '{Proxy}' is not an absolute URL.", Proxy));
                }

                if (!string.IsNullOrEmpty(Proxy.UserInfo))
                {
                    // A password in the URL would show on the connection object and in messages.
                    ThrowTerminatingError(ErrorRecords.InvalidArgument($"-Proxy must not carry a user name or password ({Proxy.Scheme}://…@{Proxy.Authority}); use -ProxyCredential for them.", null, "WorkflowTools.InvalidProxy"));
                }

                var scheme = Proxy.Scheme.ToLowerInvariant();
                if (scheme != "http" && scheme != "https" && scheme != "socks4" && scheme != "socks4a" && scheme != "socks5")
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument($"-Proxy '{Proxy.GetLeftPart(UriPartial.Authority)}' uses '{Proxy.Scheme}:'; a proxy is http://, https:// or socks5:// (socks4, socks4a).", Proxy, "WorkflowTools.InvalidProxy"));
                }

                proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };
            }

            return new ConnectionSettings
            {
                MaxRetries = MaxRetries,
                Timeout = Timeout,
                AttemptTimeout = AttemptTimeout, // capped at Timeout where the client is made
                RetryBaseDelay = RetryDelay,
                RequestsPerMinute = RequestsPerMinute,
                RequestsPerHour = RequestsPerMinute == 0 && !MyInvocation.BoundParameters.ContainsKey(nameof(RequestsPerHour)) ? 0 : RequestsPerHour,
                MaxResponseSize = MaxResponseSize,
                Proxy = proxy,
                AllowInsecureHttp = AllowInsecureHttp.IsPresent,
                CredentialSource = credentialSource,
            };
        }

        /// <summary>
        /// The secret from the parameter, else from -Vault, else from an environment variable; Debug says
        /// which one was used (never the secret).
        /// </summary>
        protected (SecureString Secret, string Source) ResolveSecret(SecureString? fromParameter, string parameterName, string environmentVariable, string defaultSecretName)
        {
            if (fromParameter == null && Vault != null)
            {
                var name = SecretName ?? defaultSecretName;
                var secret = ReadFromVault(Vault, name);
                WriteDebug($"Credential source: secret '{name}' in SecretManagement vault '{Vault}'.");
                return (secret, $"vault {Vault} (secret {name})");
            }

            if (fromParameter != null)
            {
                if (SecretAuthorization.IsBlank(fromParameter))
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument($"-{parameterName} is empty.", null, "WorkflowTools.EmptyCredential"));
                }

                WriteDebug($"Credential source: the -{parameterName} parameter.");
                return (fromParameter, "parameter");
            }

            var fromEnvironment = Environment.GetEnvironmentVariable(environmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                WriteDebug($"Credential source: environment variable {environmentVariable}.");
                return (SecretAuthorization.FromPlainText(fromEnvironment!.Trim()), "environment variable " + environmentVariable);
            }

            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"No credential: pass -{parameterName}, name a SecretManagement vault with -Vault, or set the environment variable {environmentVariable}."),
                "WorkflowTools.NoCredential",
                ErrorCategory.AuthenticationError,
                null));
            throw new InvalidOperationException("unreachable");
        }

        private SecureString ReadFromVault(string vault, string name)
        {
            const string getSecret = "Microsoft.PowerShell.SecretManagement\\Get-Secret";
            var available = InvokeCommand.InvokeScript($"Get-Command {getSecret} -ErrorAction SilentlyContinue");
            if (available.Count == 0)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("-Vault needs the Microsoft.PowerShell.SecretManagement module: Install-Module Microsoft.PowerShell.SecretManagement, register a vault, and store the secret in it."),
                    "WorkflowTools.SecretManagementMissing",
                    ErrorCategory.NotInstalled,
                    vault));
            }

            object? value;
            try
            {
                var result = InvokeCommand.InvokeScript($"param($name, $vault) {getSecret} -Name $name -Vault $vault -ErrorAction Stop", false, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, name, vault);
                value = result.Count == 1 ? result[0]?.BaseObject : null;
            }
            catch (RuntimeException ex)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"Secret '{name}' could not be read from vault '{vault}': {ex.Message}"),
                    "WorkflowTools.SecretNotFound",
                    ErrorCategory.ObjectNotFound,
                    name));
                throw;
            }

            switch (value)
            {
                case SecureString secure when !SecretAuthorization.IsBlank(secure):
                    return secure;
                case PSCredential credential when !SecretAuthorization.IsBlank(credential.Password):
                    return credential.Password;
                case string text when !string.IsNullOrWhiteSpace(text):
                    return SecretAuthorization.FromPlainText(text);
                default:
                    ThrowTerminatingError(new ErrorRecord(
                        new InvalidOperationException($"Secret '{name}' in vault '{vault}' is empty or not text (a SecureString, string or PSCredential is expected)."),
                        "WorkflowTools.SecretNotUsable",
                        ErrorCategory.InvalidData,
                        name));
                    throw new InvalidOperationException("unreachable");
            }
        }
    }
}
