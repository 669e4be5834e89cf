using System.Management.Automation;
using WorkflowTools.Http;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Writes the trace lines of the HTTP core as a cmdlet's verbose and debug records: they may come from any
    /// thread, so they go through the cmdlet's mailbox to its pipeline thread.
    /// </summary>
    internal sealed class MailboxTrace : IApiTrace, IApiTraceLevels, IApiTraceNotices, IApiTraceWarnings
    {
        private readonly WorkflowCmdlet _owner;

        public MailboxTrace(WorkflowCmdlet owner, bool verbose, bool debug)
        {
            _owner = owner;
            VerboseEnabled = verbose;
            DebugEnabled = debug;
        }

        public bool VerboseEnabled { get; }

        public bool DebugEnabled { get; }

        public void Verbose(string message)
        {
            if (VerboseEnabled)
            {
                _owner.Mailbox.Post(() => _owner.WriteVerbose(message));
            }
        }

        public void Debug(string message)
        {
            if (DebugEnabled)
            {
                _owner.Mailbox.Post(() => _owner.WriteDebug(message));
            }
        }

        /// <summary>Something sent on a guess (an unknown form field type): a warning.</summary>
        public void Warning(string message)
        {
            _owner.Mailbox.Post(() => _owner.WriteWarning(message));
        }

        /// <summary>A long wait between attempts: a warning, shown without -Verbose.</summary>
        public void LongWait(string message)
        {
            _owner.Mailbox.Post(() => _owner.WriteWarning(message));
        }
    }
}
