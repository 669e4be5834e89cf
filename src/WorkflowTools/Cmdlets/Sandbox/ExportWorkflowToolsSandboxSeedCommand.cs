using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.Testing;

namespace WorkflowTools.Cmdlets.Sandbox
{
    /// <summary>Writes a sandbox seed file from the definitions of real Next Matter workflows and ProcessMaker processes.</summary>
    /// <remarks>
    /// Reads the workflows named by -NmProcessId (GET processes/{id}/: steps and form fields with their types,
    /// required flags and options) and the processes named by -PmProcessId (GET processes/{id}?include=events,category:
    /// name, description, status (ACTIVE, INACTIVE or ARCHIVED), category and its name, manager, start events with
    /// their type and who may start them; the users (GET users/{id}) and groups (GET groups/{id} and its users) those
    /// assignments name; and the tasks seen in the process's own tasks list, since the API lists no task definitions)
    /// and writes them as a seed file for Start-WorkflowToolsSandbox -SeedPath. Your scripts can then be tested against
    /// the shapes and rights of your own workflows. ProcessMaker's API does not show a user's or group's permissions
    /// (such as view-processes): a warning says so, and you add "permissions" to the file by hand.
    /// <para/>
    /// Next Matter does not document the body of GET processes/{id}/, so it is read tolerantly: a field type the
    /// sandbox does not know is written as text (with a warning), and every property that is not interpreted is kept
    /// under "raw", which the sandbox serves back as given. What was verified: the round trip against the sandbox itself
    /// (a workflow or process exported from one sandbox, seeded into a second and exported again comes out the same);
    /// the real services' bodies only as far as the facts sheets describe them.
    /// <para/>
    /// No instance data and no personal data leave the service unless asked for: -IncludeInstances adds instances
    /// and requests (state, age, active step or open task, a request name that differs from the process name, tags and
    /// priority; never form values or request data), users are written as "user{id}" without names, and
    /// only -IncludePersonalData keeps instance names and properties whose names look like people (e-mail, user,
    /// assignee, owner, requester, …), which are dropped otherwise.
    /// <para/>
    /// -IncludePeople adds ProcessMaker's users, groups and memberships (nested groups too), so a sandbox started from
    /// the file meets the same people; users 1 and 2 are the sandbox's own and are not written. No password, hash or
    /// token is ever exported (the sandbox's users sign in with their user name as password), and unless
    /// -IncludePersonalData is given user names, names and e-mails are replaced (user12, "User 12"). Permissions are not
    /// exported: ProcessMaker's user and group resources do not show them; add them to the file by hand.
    /// <para/>
    /// With -PmProcessId the seed also holds ProcessMaker's environment variables (every one the connection may read:
    /// name and description, under processMaker.environmentVariables). Their "value" is null, because ProcessMaker never
    /// returns a variable's value; a warning says so. Where a test needs a value, write it into the file, or better
    /// name an environment variable of the sandbox's process with "valueFromEnv" instead, so a real secret stays out of
    /// the file. With -IncludeInstances and -IncludePersonalData (what people attach to requests is theirs) each
    /// exported request also holds its files: name, data name, media type and the bytes inline as base64, each file up
    /// to 5 MB; a larger file is left out with a warning. The sandbox serves them back to Get-PmRequestFile and
    /// Save-PmRequestFile.
    /// </remarks>
    [Cmdlet(VerbsData.Export, "WorkflowToolsSandboxSeed", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportWorkflowToolsSandboxSeedCommand : PSCmdlet
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        /// <summary>The seed file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Next Matter workflows to export (the number at the end of the workflow's URL).</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long[] NmProcessId { get; set; } = Array.Empty<long>();

        /// <summary>ProcessMaker processes to export.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long[] PmProcessId { get; set; } = Array.Empty<long>();

        /// <summary>The Next Matter connection; default: the session's (Connect-NmService).</summary>
        [Parameter]
        public NmConnection? NmConnection { get; set; }

        /// <summary>The ProcessMaker connection; default: the session's (Connect-PmServer).</summary>
        [Parameter]
        public PmConnection? PmConnection { get; set; }

        /// <summary>Also export instances and requests (state, age, step or task; no form values or request data).</summary>
        [Parameter]
        public SwitchParameter IncludeInstances { get; set; }

        /// <summary>Also export ProcessMaker's users, groups and memberships (no passwords or tokens; user names, names and e-mails only with -IncludePersonalData).</summary>
        [Parameter]
        public SwitchParameter IncludePeople { get; set; }

        /// <summary>Keep instance names and properties that look like personal data; with -IncludeInstances, also the files attached to the exported requests (each up to 5 MB, inline).</summary>
        [Parameter]
        public SwitchParameter IncludePersonalData { get; set; }

        /// <summary>At most this many instances or requests per workflow or process (default 50).</summary>
        [Parameter]
        [ValidateRange(1, 10000)]
        public int InstanceLimit { get; set; } = 50;

        /// <summary>Overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            if (NmProcessId.Length == 0 && PmProcessId.Length == 0 && !IncludePeople)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("Name what to export: -NmProcessId, -PmProcessId, -IncludePeople, or several.", null));
            }

            var nm = NmProcessId.Length == 0 ? null : NmConnection ?? SessionConnections.GetNextMatter(SessionState);
            var pm = PmProcessId.Length == 0 && !IncludePeople ? null : PmConnection ?? SessionConnections.GetProcessMaker(SessionState);
            if (NmProcessId.Length > 0 && nm == null)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("Not connected to Next Matter: run Connect-NmService or pass -NmConnection."), "WorkflowTools.NotConnected", ErrorCategory.ConnectionError, NmProcessId));
            }

            if ((PmProcessId.Length > 0 || IncludePeople) && pm == null)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("Not connected to ProcessMaker: run Connect-PmServer or pass -PmConnection."), "WorkflowTools.NotConnected", ErrorCategory.ConnectionError, PmProcessId));
            }

            var target = GetUnresolvedProviderPathFromPSPath(Path);
            if (File.Exists(target) && !Force)
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"'{target}' exists; pass -Force to overwrite it."), "WorkflowTools.FileExists", ErrorCategory.ResourceExists, Path));
            }

            if (!ShouldProcess(target, $"Write a sandbox seed of {NmProcessId.Length} Next Matter workflow(s) and {PmProcessId.Length} ProcessMaker process(es){(IncludePeople ? " with ProcessMaker's users and groups" : string.Empty)}"))
            {
                return;
            }

            var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var exporter = new SeedExporter(new SeedExportOptions { IncludeInstances = IncludeInstances, IncludePersonalData = IncludePersonalData, IncludePeople = IncludePeople, InstanceLimit = InstanceLimit, SchemaUri = ShippedSchemaUri() }, warnings.Enqueue);
            string text;
            try
            {
                text = exporter.ExportTextAsync(nm?.Client, NmProcessId, pm?.Client, PmProcessId, _cancel.Token).GetAwaiter().GetResult();
            }
            catch (ApiException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, (object?)NmProcessId.FirstOrDefault() ?? PmProcessId.FirstOrDefault()));
                return;
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                return;
            }

            foreach (var w in warnings)
            {
                DebugSafeStreams.WriteWarning(this, w);
            }

            File.WriteAllText(target, text, new UTF8Encoding(false));
            // Made after the write, so its size and times are the new file's. A bare FileInfo shows no size in
            // PowerShell's own file view (that reads the provider's properties, which are not CSV-safe), so it
            // carries a type name of its own with a view that shows its size and time.
            var written = PSObject.AsPSObject(new FileInfo(target));
            written.TypeNames.Insert(0, SeedFileTypeName);
            WriteObject(written);
        }

        /// <summary>The type name of the returned file, for its view in Sandbox.format.ps1xml.</summary>
        internal const string SeedFileTypeName = "WorkflowTools.Testing.SeedFile";

        /// <summary>
        /// The seed schema shipped in the module (Sandbox/Seeds/workflowtools-sandbox-seed.schema.json) as a file URI,
        /// so an editor validates the seed offline; null when the module folder has none.
        /// </summary>
        private string? ShippedSchemaUri()
        {
            var moduleBase = MyInvocation.MyCommand.Module?.ModuleBase;
            if (string.IsNullOrEmpty(moduleBase))
            {
                return null;
            }

            var schema = System.IO.Path.Combine(moduleBase, "Sandbox", "Seeds", "workflowtools-sandbox-seed.schema.json");
            return File.Exists(schema) ? new Uri(schema).AbsoluteUri : null;
        }

        protected override void StopProcessing() => _cancel.Cancel();
    }
}
