using System;
using System.Management.Automation;
using WorkflowTools.Connections;
using WorkflowTools.NextMatter;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>Base of the Next Matter cmdlets: resolves -Connection or the session's connection.</summary>
    public abstract class NmCmdlet : WorkflowCmdlet
    {
        /// <summary>The connection to use instead of the session's current one.</summary>
        [Parameter]
        [ValidateNotNull]
        public NmConnection? Connection { get; set; }

        protected NmConnection ActiveConnection { get; private set; } = null!;

        internal NmClient Api => ActiveConnection.Api;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var connection = Connection ?? SessionConnections.NextMatter;
            if (connection == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("Not connected to Next Matter. Run Connect-NmService first, or pass -Connection."),
                    "WorkflowTools.NotConnected",
                    ErrorCategory.ConnectionError,
                    null));
            }

            ActiveConnection = connection!;
        }
    }

    /// <summary>Base of the ProcessMaker cmdlets: resolves -Connection or the session's connection.</summary>
    public abstract class PmCmdlet : WorkflowCmdlet
    {
        /// <summary>The connection to use instead of the session's current one.</summary>
        [Parameter]
        [ValidateNotNull]
        public PmConnection? Connection { get; set; }

        protected PmConnection ActiveConnection { get; private set; } = null!;

        internal PmClient Api => ActiveConnection.Api;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var connection = Connection ?? SessionConnections.ProcessMaker;
            if (connection == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("Not connected to ProcessMaker. Run Connect-PmServer first, or pass -Connection."),
                    "WorkflowTools.NotConnected",
                    ErrorCategory.ConnectionError,
                    null));
            }

            ActiveConnection = connection!;
        }
    }
}
