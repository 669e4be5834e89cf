using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using WorkflowTools.Testing;

namespace WorkflowTools.Cmdlets.Sandbox
{
    /// <summary>
    /// The sandboxes each runspace started. A runspace that closes stops its sandboxes; a process that exits stops
    /// all of them (<see cref="SandboxProcess"/>), and a sandbox stops by itself when the process that started it is gone.
    /// </summary>
    internal static class SessionSandboxes
    {
        private static readonly ConditionalWeakTable<Runspace, List<SandboxProcess>> ByRunspace = new ConditionalWeakTable<Runspace, List<SandboxProcess>>();
        private static readonly List<SandboxProcess> NoRunspace = new List<SandboxProcess>();

        public static void Add(SandboxProcess sandbox)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null)
            {
                lock (NoRunspace)
                {
                    NoRunspace.Add(sandbox);
                }

                return;
            }

            var list = ByRunspace.GetValue(runspace, r =>
            {
                r.StateChanged += OnStateChanged;
                return new List<SandboxProcess>();
            });
            lock (list)
            {
                list.Add(sandbox);
            }
        }

        public static void Remove(SandboxProcess sandbox)
        {
            var list = Current;
            lock (list)
            {
                list.Remove(sandbox);
            }
        }

        /// <summary>This runspace's sandboxes that still run, oldest first.</summary>
        public static IReadOnlyList<SandboxProcess> Running
        {
            get
            {
                var list = Current;
                lock (list)
                {
                    list.RemoveAll(s => !s.IsRunning);
                    return list.ToArray();
                }
            }
        }

        private static List<SandboxProcess> Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace == null ? NoRunspace : ByRunspace.GetValue(runspace, r =>
                {
                    r.StateChanged += OnStateChanged;
                    return new List<SandboxProcess>();
                });
            }
        }

        private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
        {
            if (!(sender is Runspace runspace) || (e.RunspaceStateInfo.State != RunspaceState.Closed && e.RunspaceStateInfo.State != RunspaceState.Broken))
            {
                return;
            }

            if (ByRunspace.TryGetValue(runspace, out var list))
            {
                SandboxProcess[] all;
                lock (list)
                {
                    all = list.ToArray();
                    list.Clear();
                }

                foreach (var s in all)
                {
                    s.Stop();
                }
            }
        }
    }
}
