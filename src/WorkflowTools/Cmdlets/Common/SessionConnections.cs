using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using WorkflowTools.Connections;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// The current connections of each session, kept in a variable of the session's global scope
    /// (<c>$global:__WorkflowToolsConnections</c>, which holds no secret). Two runspaces (two consoles,
    /// ForEach-Object -Parallel, a hosted engine) never see each other's connection, and a runspace that
    /// PowerShell resets for reuse (ForEach-Object -Parallel hands each iteration a pooled runspace after
    /// ResetRunspaceState) starts without one: the reset clears the global variables, and the connections
    /// with them. A replaced connection keeps working for anyone who holds it (-Connection $c).
    /// </summary>
    internal static class SessionConnections
    {
        internal const string VariableName = "global:__WorkflowToolsConnections";

        // For callers that have no session state at hand (argument completers): the slots a cmdlet of the
        // runspace last used. Completion only reads it, and never in a -Parallel iteration.
        private static readonly ConditionalWeakTable<Runspace, Slots> LastSeen = new ConditionalWeakTable<Runspace, Slots>();

        public static NmConnection? GetNextMatter(SessionState state) => Find(state)?.NextMatter;

        public static PmConnection? GetProcessMaker(SessionState state) => Find(state)?.ProcessMaker;

        public static void SetNextMatter(SessionState state, NmConnection? connection) => Slot(state).NextMatter = connection;

        public static void SetProcessMaker(SessionState state, PmConnection? connection) => Slot(state).ProcessMaker = connection;

        /// <summary>The runspace's connection as its cmdlets last saw it (for completers).</summary>
        public static NmConnection? NextMatter => LastSeenSlots()?.NextMatter;

        /// <summary>The runspace's connection as its cmdlets last saw it (for completers).</summary>
        public static PmConnection? ProcessMaker => LastSeenSlots()?.ProcessMaker;

        private static Slots? Find(SessionState state)
        {
            var slots = state.PSVariable.GetValue(VariableName) as Slots;
            Remember(slots);
            return slots;
        }

        private static Slots Slot(SessionState state)
        {
            if (!(state.PSVariable.GetValue(VariableName) is Slots slots))
            {
                slots = new Slots();
                state.PSVariable.Set(VariableName, slots);
            }

            Remember(slots);
            return slots;
        }

        private static void Remember(Slots? slots)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace != null)
            {
                LastSeen.Remove(runspace);
                if (slots != null)
                {
                    LastSeen.Add(runspace, slots);
                }
            }
        }

        private static Slots? LastSeenSlots()
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace != null && LastSeen.TryGetValue(runspace, out var slots) ? slots : null;
        }

        /// <summary>What the variable holds; its text names the services, never a secret.</summary>
        internal sealed class Slots
        {
            public NmConnection? NextMatter;
            public PmConnection? ProcessMaker;

            public override string ToString() =>
                $"Next Matter: {(NextMatter == null ? "not connected" : NextMatter.BaseUri.ToString())}; ProcessMaker: {(ProcessMaker == null ? "not connected" : ProcessMaker.BaseUri.ToString())}";
        }
    }
}
