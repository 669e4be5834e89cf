using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Http
{
    /// <summary>Supplies the Authorization header of a connection; the secret is decoded only here, per request.</summary>
    internal interface IAuthorizationSource
    {
        /// <summary>The full header value, e.g. <c>Api-Key abc.def</c> or <c>Bearer eyJ…</c>.</summary>
        Task<string> GetHeaderValueAsync(CancellationToken cancellationToken);

        /// <summary>The header as it may be shown in a trace: scheme only, secret redacted.</summary>
        string RedactedHeaderValue { get; }

        /// <summary>After a 401: get a fresh credential if possible. True means "try once more".</summary>
        Task<bool> TryRefreshAsync(CancellationToken cancellationToken);
    }
}
