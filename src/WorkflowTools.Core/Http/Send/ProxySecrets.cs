using System.Collections.Generic;
using System.Net;

namespace WorkflowTools.Http
{
    /// <summary>The proxy's password, for the redactor of a connection that goes through a proxy.</summary>
    internal sealed class ProxySecrets : ISecretHolder
    {
        private readonly IWebProxy? _proxy;

        public ProxySecrets(IWebProxy? proxy) => _proxy = proxy;

        public void AddSecretsTo(ICollection<string> secrets)
        {
            if (_proxy?.Credentials is NetworkCredential credential && !string.IsNullOrEmpty(credential.Password))
            {
                secrets.Add(credential.Password);
            }
        }
    }
}
