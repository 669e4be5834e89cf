using System;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Reads ProcessMaker's security log: logins, failed logins and changes.</summary>
    /// <remarks>
    /// Get-PmSecurityLog streams the security log page by page, oldest first: each entry's event (login, logout,
    /// attempt for a failed login, or a change such as UserCreated, ProcessArchived, EnvironmentVariablesUpdated), the
    /// user, the IP address, the time (UTC), the browser and operating system, and what the event recorded as Data (a
    /// hashtable whose text form is JSON, so `Export-Csv` writes a readable cell for an auditor). -UserId, -Event
    /// (several are ORed) and -After / -Before (UTC times; -After includes, -Before excludes) narrow it on the server,
    /// as PMQL. Listings take -First, -Skip and -IncludeTotalCount; `Select-Object -First 10` stops the paging at once.
    /// Needs the permission view-security-logs.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmSecurityLog", SupportsPaging = true)]
    [OutputType(typeof(PmSecurityLogEntry))]
    public sealed class GetPmSecurityLogCommand : PmCmdlet
    {
        /// <summary>Only entries of this user.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long UserId { get; set; }

        /// <summary>Only these events (login, logout, attempt, UserCreated, ProcessArchived…); several are ORed.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[]? Event { get; set; }

        /// <summary>Only entries at or after this time (a local time is converted to UTC).</summary>
        [Parameter]
        public DateTime After { get; set; }

        /// <summary>Only entries before this time (a local time is converted to UTC).</summary>
        [Parameter]
        public DateTime Before { get; set; }

        /// <summary>Rows per request, 1–1000 (default 100).</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; }

        protected override void ProcessRecord()
        {
            var after = MyInvocation.BoundParameters.ContainsKey(nameof(After)) ? After.ToUniversalTime() : (DateTime?)null;
            var before = MyInvocation.BoundParameters.ContainsKey(nameof(Before)) ? Before.ToUniversalTime() : (DateTime?)null;
            if (after != null && before != null && after >= before)
            {
                WriteError(ErrorRecords.InvalidArgument("-After must be earlier than -Before.", After));
                return;
            }

            if (Event != null && Event.Any(e => e.IndexOf('"') >= 0))
            {
                WriteError(ErrorRecords.InvalidArgument("An -Event name cannot contain a double quote.", Event));
                return;
            }

            var query = new PmSecurityLogQuery
            {
                UserId = UserId > 0 ? UserId : (long?)null,
                Events = Event,
                After = after,
                Before = before,
                PageSize = PageSize > 0 ? PageSize : (int?)null,
            };
            var client = new PmSecurityLogClient(Api);
            WriteListing("Reading the security log", query.Pmql() ?? (object)"security log", () => client.List(query));
        }
    }
}
