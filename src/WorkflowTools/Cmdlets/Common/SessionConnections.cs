using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using WorkflowTools.Connections;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// The current connections of each runspace. Two runspaces (two consoles, ForEach-Object -Parallel,
    /// a hosted engine) never see each other's connection; a runspace's connections go with it. A replaced
    /// connection keeps working for anyone who holds it (-Connection $c).
    /// </summary>
    internal static class SessionConnections
    {
        private static readonly ConditionalWeakTable<Runspace, Slots> ByRunspace = new ConditionalWeakTable<Runspace, Slots>();
        private static readonly Slots NoRunspace = new Slots();

        public static NmConnection? NextMatter
        {
            get => Current.NextMatter;
            set => Current.NextMatter = value;
        }

        public static PmConnection? ProcessMaker
        {
            get => Current.ProcessMaker;
            set => Current.ProcessMaker = value;
        }

        private static Slots Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace == null ? NoRunspace : ByRunspace.GetValue(runspace, _ => new Slots());
            }
        }

        private sealed class Slots
        {
            public NmConnection? NextMatter;
            public PmConnection? ProcessMaker;
        }
    }
}
