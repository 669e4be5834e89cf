using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using WorkflowTools.Connections;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>The tuning parameters both Connect- cmdlets share.</summary>
    public abstract class ConnectCmdletBase : WorkflowCmdlet
    {
        /// <summary>Retries after the first attempt for requests that certainly were not applied (0–20).</summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = 5;

        /// <summary>Total time one call may take, retries included: seconds or a TimeSpan.</summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>Client-side request budget per minute; 0 = no limit.</summary>
        /// <value>100 for Next Matter (its documented limit), no limit for ProcessMaker.</value>
        [Parameter]
        [ValidateRange(0, 100000)]
        public int RequestsPerMinute { get; set; } = -1;

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

        /// <summary>Write the new connection to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected ConnectionSettings BuildSettings(int defaultRequestsPerMinute, string credentialSource)
        {
            if (Timeout <= TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument($"-Timeout must be positive; got {Timeout}.", Timeout));
            }

            IWebProxy? proxy = null;
            if (Proxy != null)
            {
                if (!Proxy.IsAbsoluteUri)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument($"-Proxy '{Proxy}' is not an absolute URL.", Proxy));
                }

                proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };
            }

            return new ConnectionSettings
            {
                MaxRetries = MaxRetries,
                Timeout = Timeout,
                AttemptTimeout = Timeout < TimeSpan.FromSeconds(30) ? Timeout : TimeSpan.FromSeconds(30),
                RequestsPerMinute = RequestsPerMinute >= 0 ? RequestsPerMinute : defaultRequestsPerMinute,
                Proxy = proxy,
                AllowInsecureHttp = AllowInsecureHttp.IsPresent,
                CredentialSource = credentialSource,
            };
        }

        /// <summary>The secret from the parameter, else from an environment variable; says which in Debug.</summary>
        protected (SecureString Secret, string Source) ResolveSecret(SecureString? fromParameter, string parameterName, string environmentVariable)
        {
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
                new ArgumentException($"No credential: pass -{parameterName}, or set the environment variable {environmentVariable}."),
                "WorkflowTools.NoCredential",
                ErrorCategory.AuthenticationError,
                null));
            throw new InvalidOperationException("unreachable");
        }
    }
}
