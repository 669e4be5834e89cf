using System;
using System.Management.Automation;
using WorkflowTools.Connections;
using WorkflowTools.NextMatter;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>Base of the cmdlets of one service: resolves -Connection or the session's connection.</summary>
    public abstract class ConnectedCmdlet<TConnection> : WorkflowCmdlet
        where TConnection : ServiceConnection
    {
        private readonly string _service;
        private readonly string _connectCommand;
        private readonly Func<TConnection?> _sessionConnection;

        private protected ConnectedCmdlet(string service, string connectCommand, Func<TConnection?> sessionConnection)
        {
            _service = service;
            _connectCommand = connectCommand;
            _sessionConnection = sessionConnection;
        }

        /// <summary>The connection to use instead of the session's current one.</summary>
        [Parameter]
        [ValidateNotNull]
        public TConnection? Connection { get; set; }

        protected TConnection ActiveConnection { get; private set; } = null!;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            ActiveConnection = RequireConnection(Connection ?? _sessionConnection(), _service, _connectCommand);
        }
    }

    /// <summary>
    /// Base of the cmdlets that change one thing per pipeline item: adds -ThrottleLimit and -Unordered;
    /// ProcessRecord queues each item with <see cref="WorkflowCmdlet"/>.Enqueue.
    /// </summary>
    public abstract class BulkCmdlet<TConnection> : ConnectedCmdlet<TConnection>
        where TConnection : ServiceConnection
    {
        private protected BulkCmdlet(string service, string connectCommand, Func<TConnection?> sessionConnection)
            : base(service, connectCommand, sessionConnection)
        {
        }

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

    /// <summary>Base of the Next Matter cmdlets.</summary>
    public abstract class NmCmdlet : ConnectedCmdlet<NmConnection>
    {
        protected NmCmdlet()
            : base(NextMatterService.Name, NextMatterService.ConnectCommand, () => SessionConnections.NextMatter)
        {
        }

        internal NmClient Api => ActiveConnection.Api;
    }

    /// <summary>Base of the Next Matter cmdlets that change one thing per pipeline item (-ThrottleLimit, -Unordered).</summary>
    public abstract class NmBulkCmdlet : BulkCmdlet<NmConnection>
    {
        protected NmBulkCmdlet()
            : base(NextMatterService.Name, NextMatterService.ConnectCommand, () => SessionConnections.NextMatter)
        {
        }

        internal NmClient Api => ActiveConnection.Api;
    }

    /// <summary>Base of the ProcessMaker cmdlets.</summary>
    public abstract class PmCmdlet : ConnectedCmdlet<PmConnection>
    {
        protected PmCmdlet()
            : base(ProcessMakerService.Name, ProcessMakerService.ConnectCommand, () => SessionConnections.ProcessMaker)
        {
        }

        internal PmClient Api => ActiveConnection.Api;
    }

    /// <summary>Base of the ProcessMaker cmdlets that change one thing per pipeline item (-ThrottleLimit, -Unordered).</summary>
    public abstract class PmBulkCmdlet : BulkCmdlet<PmConnection>
    {
        protected PmBulkCmdlet()
            : base(ProcessMakerService.Name, ProcessMakerService.ConnectCommand, () => SessionConnections.ProcessMaker)
        {
        }

        internal PmClient Api => ActiveConnection.Api;
    }

    internal static class NextMatterService
    {
        public const string Name = "Next Matter";
        public const string ConnectCommand = "Connect-NmService";
    }

    internal static class ProcessMakerService
    {
        public const string Name = "ProcessMaker";
        public const string ConnectCommand = "Connect-PmServer";
    }
}
