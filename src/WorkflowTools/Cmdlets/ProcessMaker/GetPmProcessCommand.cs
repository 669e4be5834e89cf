using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Gets ProcessMaker processes, each with the start events you may trigger.</summary>
    /// <remarks>
    /// Get-PmProcess lists processes (GET /processes, which needs the view-processes permission), only the ones you
    /// may start (-Startable, GET /start_processes, which ordinary users can call), or fetches processes by -Id
    /// (users who may not read /processes get the process from the list of those they may start). A number
    /// without a parameter name is a process id (`Get-PmProcess 2`), as for the other Get- cmdlets; -Name is
    /// always named.
    /// Every process carries StartEvents: the start events you may trigger (timer and web-entry events are left
    /// out), which is what Start-PmRequest needs. -Name takes a wildcard pattern; without wildcards it matches the
    /// whole name exactly, so `Get-PmProcess -Name 'Onboarding' | Start-PmRequest` starts only that process. The
    /// text is also sent as ProcessMaker's free-text filter, so the server narrows the list first. Listings stream
    /// page by page and support -First, -Skip and -IncludeTotalCount.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmProcess", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(PmProcess))]
    public sealed class GetPmProcessCommand : PmCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";

        /// <summary>Process ids to fetch one by one (the first unnamed argument: `Get-PmProcess 2` reads process 2).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The process name; wildcards allowed. Without wildcards the whole name must match (any case). Always named: a bare argument is a process id.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Only the processes you may start (GET start_processes), each with its startable events.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Startable { get; set; }

        /// <summary>List archived processes instead of active ones (not with -Startable).</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Archived { get; set; }

        /// <summary>Rows per request, 1–1000 (ProcessMaker's default is 10).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByIdSet)
            {
                foreach (var id in Id)
                {
                    try
                    {
                        // Users without view-processes still see the processes they may start (the client falls back).
                        var process = Run(ct => Api.GetProcessOrStartableAsync(id, ct));
                        if (process == null)
                        {
                            WriteError(ErrorRecordFor(new ApiException(ApiErrorKind.NotFound, $"ProcessMaker has no process {id} (or you may not see it).") { StatusCode = 204 }, id));
                            continue;
                        }

                        WriteObject(process);
                    }
                    catch (ApiException ex)
                    {
                        WriteError(ErrorRecordFor(ex, id));
                    }
                }

                return;
            }

            if (Startable && Archived)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("-Startable and -Archived exclude each other: archived processes cannot be started.", null, "WorkflowTools.InvalidArgument"));
            }

            WildcardPattern? pattern = null;
            string? serverFilter = null;
            if (Name != null)
            {
                pattern = WildcardPattern.ContainsWildcardCharacters(Name)
                    ? new WildcardPattern(Name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)
                    : new WildcardPattern(WildcardPattern.Escape(Name), WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                serverFilter = LongestLiteral(Name);
            }

            var query = new PmProcessQuery { Filter = serverFilter, Archived = Archived, PageSize = PageSize > 0 ? PageSize : (int?)null };
            var startable = Startable.IsPresent;
            WriteListing(
                startable ? "Listing the processes you may start" : "Listing processes",
                Name,
                () => startable ? Api.ListStartableProcessesAsync(query) : Api.ListProcessesAsync(query),
                where: process => pattern == null || pattern.IsMatch(process.Name ?? string.Empty),
                errorRecord: ex =>
                {
                    var record = ErrorRecordFor(ex, Name);
                    if (ex.Kind == ApiErrorKind.Forbidden && !startable)
                    {
                        record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Listing all processes needs the view-processes permission; use -Startable for the processes you may start." };
                    }

                    return record;
                });
        }

        /// <summary>The longest run of the pattern without wildcard characters: what the server can search for.</summary>
        private static string LongestLiteral(string pattern)
        {
            var best = string.Empty;
            foreach (var part in Regex.Split(pattern, @"[*?\[\]]"))
            {
                if (part.Length > best.Length)
                {
                    best = part;
                }
            }

            return best.Replace("`", string.Empty);
        }
    }
}
