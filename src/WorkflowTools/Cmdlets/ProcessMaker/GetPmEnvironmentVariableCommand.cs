using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Gets ProcessMaker environment variables (names and descriptions: ProcessMaker never returns a value).</summary>
    /// <remarks>
    /// Get-PmEnvironmentVariable lists the variables by name, or gets them by -Id or -Name (wildcards allowed).
    /// -Filter is ProcessMaker's own search in names and descriptions. A variable's value is write-only in
    /// ProcessMaker: no answer carries it, so none of these objects has one. Listings stream page by page and take
    /// -First, -Skip and -IncludeTotalCount. Needs the permission view-environment_variables.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmEnvironmentVariable", DefaultParameterSetName = "List", SupportsPaging = true)]
    [OutputType(typeof(PmEnvironmentVariable))]
    public sealed class GetPmEnvironmentVariableCommand : PmEnvironmentCmdlet
    {
        /// <summary>Variable ids (numbers may also come from the pipeline).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ById", ValueFromPipeline = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>Names to get; wildcards (* and ?) match several.</summary>
        [Parameter(Position = 0, ParameterSetName = "List")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string? Name { get; set; }

        /// <summary>ProcessMaker's search: variables whose name or description contains this text.</summary>
        [Parameter(ParameterSetName = "List")]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == "ById")
            {
                WriteEach(Id, Variables.GetAsync);

                return;
            }

            var pattern = Name == null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            var literal = Name != null && !WildcardPattern.ContainsWildcardCharacters(Name);
            var filter = Filter ?? (literal ? Name : null);
            var found = false;
            WriteListing(
                "Listing environment variables",
                Name ?? Filter,
                () => Variables.List(filter, 100),
                v => pattern == null || pattern.IsMatch(v.Name ?? string.Empty),
                v =>
                {
                    found = true;
                    return v;
                });
            if (literal && !found)
            {
                WriteError(new ErrorRecord(new ApiException(ApiErrorKind.NotFound, $"ProcessMaker has no environment variable named '{Name}'."), "WorkflowTools.NotFound", ErrorCategory.ObjectNotFound, Name));
            }
        }
    }
}
