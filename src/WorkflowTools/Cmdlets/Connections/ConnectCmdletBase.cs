using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Connections;

namespace WorkflowTools.Cmdlets.Connections
{
    /// <summary>The tuning parameters both Connect- cmdlets share.</summary>
    public abstract class ConnectCmdletBase : WorkflowCmdlet
    {
        /// <summary>Retries after the first attempt for requests that certainly were not applied (0–20).</summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = 5;

        /// <summary>Total time one call may take, retries included: seconds or a TimeSpan (default 100 s; Next Matter 5 min).</summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>
        /// Time one attempt may take before it counts as failed: seconds or a TimeSpan (default 30 s; Next Matter 75 s,
        /// above the 60 s its server allows every request).
        /// </summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The first wait before a retry; later waits double, with jitter: seconds or a TimeSpan (default 1 s).</summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Client-side request budget per minute; 0 = no limit.</summary>
        /// <value>100 for Next Matter (its documented limit), no limit for ProcessMaker.</value>
        [Parameter]
        [ValidateRange(0, 100000)]
        public int RequestsPerMinute { get; set; } = -1;

        /// <summary>
        /// Client-side request budget per hour; 0 = no limit. The pacer keeps both budgets in every window and slows
        /// down on its own when the server answers 429.
        /// </summary>
        /// <value>2950 for Next Matter (it documents fewer than 3000 an hour), no limit for ProcessMaker; with
        /// -RequestsPerMinute 0 and no -RequestsPerHour, no limit either.</value>
        [Parameter]
        [ValidateRange(0, 10000000)]
        public int RequestsPerHour { get; set; } = -1;

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

        private protected ConnectionSettings BuildSettings(int defaultRequestsPerMinute, string credentialSource, TimeSpan? defaultTimeout = null, TimeSpan? defaultAttemptTimeout = null, int defaultRequestsPerHour = 0)
        {
            if (defaultTimeout is TimeSpan total && !MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)))
            {
                Timeout = total;
            }

            if (defaultAttemptTimeout is TimeSpan attempt && !MyInvocation.BoundParameters.ContainsKey(nameof(AttemptTimeout)))
            {
                AttemptTimeout = attempt;
            }

            foreach (var (name, value) in new[] { ("Timeout", Timeout), ("AttemptTimeout", AttemptTimeout) })
            {
                // The retry pipeline's timeout cannot be shorter than 10 ms; neither bound is useful beyond an hour.
                if (value < TimeSpan.FromMilliseconds(10) || value > TimeSpan.FromHours(1))
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument($"-{name} must be between 10 ms (0.01) and an hour; got {value}.", value));
                }
            }

            if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(5))
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
                RequestsPerMinute = RequestsPerMinute >= 0 ? RequestsPerMinute : defaultRequestsPerMinute,
                RequestsPerHour = RequestsPerHour >= 0 ? RequestsPerHour : RequestsPerMinute == 0 ? 0 : defaultRequestsPerHour,
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
