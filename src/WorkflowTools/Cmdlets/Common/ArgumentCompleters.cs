using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Completion;
using WorkflowTools.Connections;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Shared plumbing of the argument completers: find the connection (-Connection on the command line,
    /// else the session's), ask Core for candidates within a short time budget, and never throw: a Tab
    /// press that cannot reach the server simply offers nothing.
    /// </summary>
    public abstract class WorkflowCompleter : IArgumentCompleter
    {
        /// <summary>How long one Tab press may wait for the server.</summary>
        public static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<CompletionCandidate> candidates = Array.Empty<CompletionCandidate>();
            try
            {
                // The connection is found here, on the pipeline thread: the session's connections belong to its runspace.
                var source = Prepare(fakeBoundParameters ?? new Hashtable());
                if (source != null)
                {
                    using var cts = new CancellationTokenSource(Budget);
                    var task = Task.Run(() => source(cts.Token));
                    candidates = task.Wait(Budget) ? task.Result : Array.Empty<CompletionCandidate>();
                }
            }
            catch (Exception)
            {
                // Not connected, offline, no permission: completion stays silent, as PowerShell's own does.
                candidates = Array.Empty<CompletionCandidate>();
            }

            return CompletionCandidate.Match(candidates, wordToComplete)
                .Select(c => new CompletionResult(Quote(c.Value), c.ListItem, CompletionResultType.ParameterValue, c.ToolTip))
                .ToList();
        }

        /// <summary>Called on the pipeline thread: what to ask the server, or null when there is nothing to ask.</summary>
        private protected abstract Func<CancellationToken, Task<IReadOnlyList<CompletionCandidate>>>? Prepare(IDictionary boundParameters);

        protected static T? ConnectionFrom<T>(IDictionary boundParameters, T? session)
            where T : ServiceConnection
        {
            var given = boundParameters.Contains("Connection") ? boundParameters["Connection"] : null;
            return (given is PSObject pso ? pso.BaseObject : given) as T ?? session;
        }

        protected static long? Long(IDictionary boundParameters, string name)
        {
            var value = boundParameters.Contains(name) ? boundParameters[name] : null;
            value = value is PSObject pso ? pso.BaseObject : value;
            if (value is IList list && list.Count > 0)
            {
                value = list[0] is PSObject item ? item.BaseObject : list[0];
            }

            return PsValues.TryPositiveId(value, out var id) ? id : (long?)null;
        }

        private static string Quote(string value) =>
            value.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '-') ? value : "'" + value.Replace("'", "''") + "'";
    }

    /// <summary>
    /// Completes Next Matter -ProcessId: the workflows this session has met (instances created or read
    /// name their workflow; Next Matter has no endpoint that lists workflows), with names from
    /// GET processes/{id}/, cached on the connection for two minutes.
    /// </summary>
    public sealed class NmProcessIdCompleter : WorkflowCompleter
    {
        private protected override Func<CancellationToken, Task<IReadOnlyList<CompletionCandidate>>>? Prepare(IDictionary boundParameters)
        {
            var connection = ConnectionFrom(boundParameters, SessionConnections.NextMatter);
            return connection == null ? null : ct => CompletionSources.NmProcessesAsync(connection, ct);
        }
    }

    /// <summary>Completes ProcessMaker -ProcessId: the processes the user may start (GET start_processes), cached on the connection for two minutes.</summary>
    public sealed class PmProcessIdCompleter : WorkflowCompleter
    {
        private protected override Func<CancellationToken, Task<IReadOnlyList<CompletionCandidate>>>? Prepare(IDictionary boundParameters)
        {
            var connection = ConnectionFrom(boundParameters, SessionConnections.ProcessMaker);
            return connection == null ? null : ct => CompletionSources.PmProcessesAsync(connection, ct);
        }
    }

    /// <summary>Completes ProcessMaker -StartEvent: the startable events of the process named by -ProcessId on the same command line.</summary>
    public sealed class PmStartEventCompleter : WorkflowCompleter
    {
        private protected override Func<CancellationToken, Task<IReadOnlyList<CompletionCandidate>>>? Prepare(IDictionary boundParameters)
        {
            var connection = ConnectionFrom(boundParameters, SessionConnections.ProcessMaker);
            var processId = Long(boundParameters, "ProcessId");
            return connection == null || processId == null ? null : ct => CompletionSources.PmStartEventsAsync(connection, processId.Value, ct);
        }
    }

    /// <summary>
    /// For id parameters with nothing to offer (instance, step, task, user ids): no candidates, so Tab does not fall
    /// back to file names (./README.md is never an instance id).
    /// </summary>
    public sealed class NoCandidatesCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Array.Empty<CompletionResult>();
    }
}
