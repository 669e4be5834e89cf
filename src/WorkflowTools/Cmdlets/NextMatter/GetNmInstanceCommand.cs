using System;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Get-NmInstance: instances by id, or a workflow's instances with Next Matter's filters.</summary>
    /// <remarks>
    /// Gets Next Matter instances: by id (-Id, also from the pipeline), or all instances of one workflow
    /// (-ProcessId) filtered on the server by runtime, status, name, tags, priority, active step and time
    /// ranges, sorted with -SortBy.
    /// <para/>
    /// -MinTotalRuntime and -MaxTotalRuntime take Next Matter's duration syntax, where 00:50 means 50
    /// seconds (minutes:seconds), 01:30:00 one and a half hours, 2 00:00:00 two days, and PT50M fifty
    /// minutes; a [TimeSpan] works too. Invalid durations fail before any request is sent.
    /// <para/>
    /// Listings follow Next Matter's next links page by page and write each instance as soon as its page
    /// arrives; Select-Object -First or -First stops the paging at once. Listings of several pages show a
    /// progress bar (silent when $ProgressPreference is SilentlyContinue).
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "NmInstance", DefaultParameterSetName = ByProcess, SupportsPaging = true)]
    [OutputType(typeof(NmInstance))]
    public sealed class GetNmInstanceCommand : NmCmdlet
    {
        private const string ById = "ById";
        private const string ByProcess = "ByProcess";

        /// <summary>Instance ids to fetch one by one.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("InstanceId")]
        [ValidateRange(1, long.MaxValue)]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>The workflow whose instances to list.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByProcess, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NmProcessIdCompleter))]
        public long ProcessId { get; set; }

        /// <summary>Only instances that ran at least this long (Next Matter's duration meaning: 00:50 is 50 s).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [NmDurationTransformation]
        public TimeSpan? MinTotalRuntime { get; set; }

        /// <summary>Only instances that ran at most this long (Next Matter's duration meaning: 00:50 is 50 s).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [NmDurationTransformation]
        public TimeSpan? MaxTotalRuntime { get; set; }

        /// <summary>Running, Completed or Aborted.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateSet("Running", "Completed", "Aborted", IgnoreCase = true)]
        public NmInstanceStatus? Status { get; set; }

        /// <summary>Instances whose name contains this text.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Instances with any of these tags.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateNotNullOrEmpty]
        public string[]? Tag { get; set; }

        /// <summary>High or VeryHigh.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateSet("High", "VeryHigh", IgnoreCase = true)]
        public NmPriority? Priority { get; set; }

        /// <summary>Instances whose given step is active.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateRange(1, long.MaxValue)]
        public long? ActiveStepId { get; set; }

        /// <summary>Only instances started after this time (converted to UTC).</summary>
        [Parameter(ParameterSetName = ByProcess)] public DateTime? StartedAfter { get; set; }
        /// <summary>Only instances started before this time (converted to UTC).</summary>
        [Parameter(ParameterSetName = ByProcess)] public DateTime? StartedBefore { get; set; }
        /// <summary>Only instances completed after this time (converted to UTC).</summary>
        [Parameter(ParameterSetName = ByProcess)] public DateTime? CompletedAfter { get; set; }
        /// <summary>Only instances completed before this time (converted to UTC).</summary>
        [Parameter(ParameterSetName = ByProcess)] public DateTime? CompletedBefore { get; set; }
        /// <summary>Only instances whose deadline is after this time (converted to UTC).</summary>
        [Parameter(ParameterSetName = ByProcess)] public DateTime? DeadlineAfter { get; set; }
        /// <summary>Only instances whose deadline is before this time (converted to UTC).</summary>
        [Parameter(ParameterSetName = ByProcess)] public DateTime? DeadlineBefore { get; set; }

        /// <summary>Sort key; add -Descending for the reverse order.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public NmInstanceSortBy? SortBy { get; set; }

        /// <summary>Sort in descending order.</summary>
        [Parameter(ParameterSetName = ByProcess)]
        public SwitchParameter Descending { get; set; }

        /// <summary>Rows per request, 1–500 (Next Matter's default is 100).</summary>
        [Parameter(ParameterSetName = ByProcess)]
        [ValidateRange(1, NmInstanceQuery.MaxPageSize)]
        public int PageSize { get; set; }

        /// <summary>Include the instances' form values (Next Matter's inject_values).</summary>
        [Parameter]
        public SwitchParameter IncludeValues { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ById)
            {
                foreach (var id in Id)
                {
                    try
                    {
                        WriteObject(Run(ct => Api.GetInstanceAsync(id, IncludeValues, ct)));
                    }
                    catch (ApiException ex)
                    {
                        WriteFailure(ex, id);
                    }
                }

                return;
            }

            if (MinTotalRuntime is TimeSpan min && MaxTotalRuntime is TimeSpan max && min > max)
            {
                WriteError(ErrorRecords.InvalidArgument($"-MinTotalRuntime ({min}) is longer than -MaxTotalRuntime ({max}); no instance can match.", MinTotalRuntime));
                return;
            }

            var query = new NmInstanceQuery
            {
                MinTotalRuntime = MinTotalRuntime,
                MaxTotalRuntime = MaxTotalRuntime,
                Status = Status,
                Name = Name,
                Tags = Tag,
                Priority = Priority,
                ActiveStepId = ActiveStepId,
                StartedAfter = StartedAfter,
                StartedBefore = StartedBefore,
                CompletedAfter = CompletedAfter,
                CompletedBefore = CompletedBefore,
                DeadlineAfter = DeadlineAfter,
                DeadlineBefore = DeadlineBefore,
                SortBy = SortBy,
                Descending = Descending,
                PageSize = PageSize > 0 ? PageSize : (int?)null,
                IncludeValues = IncludeValues,
            };

            var processId = ProcessId;
            var activity = $"Listing instances of workflow {processId.ToString(CultureInfo.InvariantCulture)}";
            var paging = new PagedOutput(this, activity);
            try
            {
                Stream(ct => Api.ListInstancesAsync(processId, query, info => Post(() => paging.OnPage(info)), ct), paging.Offer);
            }
            catch (ApiException ex)
            {
                WriteFailure(ex, processId);
            }
            finally
            {
                paging.Complete();
            }
        }
    }
}
