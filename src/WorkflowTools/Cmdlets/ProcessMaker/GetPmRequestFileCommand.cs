using System;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Lists the files attached to ProcessMaker requests.</summary>
    /// <remarks>
    /// Get-PmRequestFile writes one row per file of each request: its id, the request, its name, the data name (the
    /// request variable it belongs to), its size and type. Requests come from -RequestId or the RequestId property of
    /// piped requests, tasks and CSV rows, so `Get-PmRequest -Status Completed | Get-PmRequestFile` lists the files of
    /// finished requests; pipe the rows on to Save-PmRequestFile to download them. -DataName keeps the files of the
    /// variables that match (wildcards allowed). A request that does not exist, or that you may not see, is an error
    /// for it alone.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "PmRequestFile")]
    [OutputType(typeof(PmRequestFile))]
    public sealed class GetPmRequestFileCommand : PmCmdlet
    {
        /// <summary>The requests whose files to list (numbers, or the RequestId property of piped objects).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NoCandidatesCompleter))]
        public long[] RequestId { get; set; } = Array.Empty<long>();

        /// <summary>Only the files of these request variables (wildcards allowed).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string? DataName { get; set; }

        protected override void ProcessRecord()
        {
            var pattern = DataName == null ? null : new WildcardPattern(DataName, WildcardOptions.IgnoreCase);
            var client = new PmRequestFileClient(Api);
            foreach (var id in RequestId)
            {
                try
                {
                    foreach (var file in Run(ct => client.ListAsync(id, ct)))
                    {
                        if (pattern == null || pattern.IsMatch(file.DataName ?? string.Empty))
                        {
                            WriteObject(file);
                        }
                    }
                }
                catch (ApiException ex)
                {
                    WriteError(ErrorRecordFor(ex, id));
                }
            }
        }
    }
}
