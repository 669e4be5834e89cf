using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using WorkflowTools.Completion;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Completers with a fixed list: for parameters that are neither ids nor files, Tab offers examples of what the
    /// parameter takes (never file names, which PowerShell would offer without a completer).
    /// </summary>
    public abstract class FixedCompleter : IArgumentCompleter
    {
        private protected abstract IReadOnlyList<CompletionCandidate> Candidates { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionCandidate.Match(Candidates, wordToComplete)
                .Select(c => new CompletionResult(Quote(c.Value), c.ListItem, CompletionResultType.ParameterValue, c.ToolTip))
                .ToList();

        private static string Quote(string value) =>
            value.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '-') ? value : "'" + value.Replace("'", "''") + "'";
    }

    /// <summary>Next Matter durations (-MinTotalRuntime, -MaxTotalRuntime): examples in Next Matter's own grammar, with their meaning.</summary>
    public sealed class NmDurationCompleter : FixedCompleter
    {
        private static readonly CompletionCandidate[] Examples =
        {
            new CompletionCandidate("00:50", "50 seconds (two numbers are minutes:seconds)"),
            new CompletionCandidate("05:00", "5 minutes"),
            new CompletionCandidate("01:00:00", "1 hour"),
            new CompletionCandidate("12:00:00", "12 hours"),
            new CompletionCandidate("1 00:00:00", "1 day"),
            new CompletionCandidate("2 00:00:00", "2 days"),
            new CompletionCandidate("7 00:00:00", "7 days"),
            new CompletionCandidate("PT30M", "30 minutes (ISO 8601)"),
        };

        private protected override IReadOnlyList<CompletionCandidate> Candidates => Examples;
    }

    /// <summary>Invoke-NmApi -Path: the Next Matter endpoints the module knows, {id} to be filled in.</summary>
    public sealed class NmApiPathCompleter : FixedCompleter
    {
        private static readonly CompletionCandidate[] Paths =
        {
            new CompletionCandidate("instances/", "POST: start an instance"),
            new CompletionCandidate("instances/{id}/", "GET, PATCH, DELETE one instance"),
            new CompletionCandidate("instances/{id}/complete_step/", "POST: complete a step"),
            new CompletionCandidate("instances/bulk/abort", "POST {\"ids\": [...]}: abort instances"),
            new CompletionCandidate("instances/bulk/delete", "POST {\"ids\": [...]}: delete instances"),
            new CompletionCandidate("processes/{id}/", "GET a workflow with its steps and form fields"),
            new CompletionCandidate("processes/{id}/instances/", "GET a workflow's instances (paged)"),
            new CompletionCandidate("processes/{id}/steps/{step}/actions/{action}/", "GET one form field's values"),
        };

        private protected override IReadOnlyList<CompletionCandidate> Candidates => Paths;
    }

    /// <summary>Invoke-PmApi -Path: ProcessMaker 4 endpoints under /api/1.0/, {id} to be filled in.</summary>
    public sealed class PmApiPathCompleter : FixedCompleter
    {
        private static readonly CompletionCandidate[] Paths =
        {
            new CompletionCandidate("processes", "GET processes (paged)"),
            new CompletionCandidate("processes/{id}", "GET, PUT one process"),
            new CompletionCandidate("start_processes", "GET the processes you may start"),
            new CompletionCandidate("process_events/{id}", "POST: start a request at a start event"),
            new CompletionCandidate("requests", "GET requests (paged)"),
            new CompletionCandidate("requests/{id}", "GET, PUT one request"),
            new CompletionCandidate("tasks", "GET tasks (paged)"),
            new CompletionCandidate("tasks/{id}", "GET, PUT one task"),
            new CompletionCandidate("users", "GET users (paged)"),
            new CompletionCandidate("users/{id}", "GET one user"),
            new CompletionCandidate("groups", "GET groups (paged)"),
        };

        private protected override IReadOnlyList<CompletionCandidate> Candidates => Paths;
    }
}
