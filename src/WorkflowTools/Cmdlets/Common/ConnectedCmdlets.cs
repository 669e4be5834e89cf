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
            ActiveConnection = RequireConnection(Connection ?? SessionConnections.NextMatter, "Next Matter", "Connect-NmService");
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
            ActiveConnection = RequireConnection(Connection ?? SessionConnections.ProcessMaker, "ProcessMaker", "Connect-PmServer");
        }
    }

    /// <summary>
    /// Base of the Next Matter cmdlets that change one thing per pipeline item: adds -ThrottleLimit and
    /// -Unordered; ProcessRecord queues each item with <see cref="WorkflowCmdlet"/>.Enqueue.
    /// </summary>
    public abstract class NmBulkCmdlet : NmCmdlet
    {
        /// <summary>
        /// How many requests may be in flight at once, 1–64. The default, 1, sends one after another.
        /// The connection's -RequestsPerMinute still paces every request.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>Write each result as soon as it completes instead of in input order (with -ThrottleLimit above 1).</summary>
        [Parameter]
        public SwitchParameter Unordered { get; set; }

        protected override int MaxInFlight => ThrottleLimit;

        protected override bool KeepInputOrder => !Unordered.IsPresent;
    }

    /// <summary>
    /// Base of the ProcessMaker cmdlets that change one thing per pipeline item: adds -ThrottleLimit and
    /// -Unordered; ProcessRecord queues each item with <see cref="WorkflowCmdlet"/>.Enqueue.
    /// </summary>
    public abstract class PmBulkCmdlet : PmCmdlet
    {
        /// <summary>
        /// How many requests may be in flight at once, 1–64. The default, 1, sends one after another.
        /// The connection's -RequestsPerMinute still paces every request.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>Write each result as soon as it completes instead of in input order (with -ThrottleLimit above 1).</summary>
        [Parameter]
        public SwitchParameter Unordered { get; set; }

        protected override int MaxInFlight => ThrottleLimit;

        protected override bool KeepInputOrder => !Unordered.IsPresent;
    }
}
