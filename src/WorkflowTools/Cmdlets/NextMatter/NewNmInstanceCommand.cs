using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Concurrency;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Starts an instance of a Next Matter workflow.</summary>
    /// <remarks>
    /// Sends POST instances/ with the workflow's URL, built from -ProcessId on the connection's host, and the
    /// optional name, tags, priority, deadline and step assignments, and writes the new instance. ProcessId, Name,
    /// Tag, Priority and Deadline bind from the pipeline by property name, so rows of a CSV file can start one
    /// instance each. A create is never sent twice: when the outcome of a request is unknown, the error says so
    /// (WorkflowTools.OutcomeUnknown) instead of risking a duplicate. -WhatIf sends nothing.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "NmInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NmInstance))]
    public sealed class NewNmInstanceCommand : NmThrottledCmdlet
    {
        // Every create of this run, so the check after an unknown outcome never names an instance another input created.
        private readonly CreateRun<NmCreateSent> _run = new CreateRun<NmCreateSent>();

        /// <summary>The workflow id: the number at the end of the workflow's URL in Next Matter. Tab offers the workflows this session has already met (Next Matter has no endpoint that lists workflows), so in a new session it offers nothing until an instance or workflow has been read or created.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(NmProcessIdCompleter))]
        public long ProcessId { get; set; }

        /// <summary>The instance name; leave it out when the workflow names instances itself.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateLength(0, 255)]
        public string? Name { get; set; }

        /// <summary>Tags to put on the instance.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Tags")]
        [ValidateNotNull]
        public string[]? Tag { get; set; }

        /// <summary>Regular (default), High or VeryHigh; an empty value (a blank CSV cell) is the default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EnumArgument(typeof(NmPriority), "Regular", "High", "VeryHigh", BlankIsNull = true)]
        public NmPriority? Priority { get; set; }

        /// <summary>When the instance is due.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? Deadline { get; set; }

        /// <summary>For steps assigned at workflow start: step id = user id, e.g. @{ 42 = 7 }.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? StepAssignment { get; set; }

        protected override void ProcessRecord()
        {
            var target = $"workflow {ProcessId.ToString(CultureInfo.InvariantCulture)}" + (string.IsNullOrEmpty(Name) ? string.Empty : $" ('{Name}')");
            var spec = new NmNewInstance
            {
                ProcessId = ProcessId,
                Name = Name,
                Tags = Tag,
                Priority = Priority,
                Deadline = Deadline,
            };

            if (NmTags.Check(Tag, inFilter: false).Problem is string tagProblem)
            {
                WriteError(ErrorRecords.InvalidArgument(tagProblem, Tag));
                return;
            }

            if (StepAssignment != null)
            {
                var assignments = new Dictionary<long, long>();
                foreach (DictionaryEntry entry in StepAssignment)
                {
                    if (!PsValues.TryPositiveId(entry.Key, out var step) || !PsValues.TryPositiveId(entry.Value, out var user))
                    {
                        WriteError(ErrorRecords.InvalidArgument($"-StepAssignment entry '{entry.Key} = {entry.Value}' must map a positive step id to a positive user id.", StepAssignment));
                        return;
                    }

                    assignments[step] = user;
                }

                spec.StepAssignments = assignments;
            }

            if (!ShouldProcess(target, "Create instance"))
            {
                return;
            }

            Enqueue(spec, ct => Api.CreateInstanceAsync(spec, ct, _run), WriteObject);
        }
    }
}
