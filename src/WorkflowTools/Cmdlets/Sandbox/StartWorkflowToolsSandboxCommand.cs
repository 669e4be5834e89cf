using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Testing;

namespace WorkflowTools.Cmdlets.Sandbox
{
    /// <summary>Starts a local Next Matter and ProcessMaker sandbox for testing scripts.</summary>
    /// <remarks>
    /// Starts the WorkflowTools sandbox, a fake of both services on 127.0.0.1, in its own process on a free port,
    /// waits until it answers and returns an object with its URLs, its API key and token, and ready connections
    /// (NmConnection, PmConnection) for -Connection. With -Connect it also becomes this session's connection for both
    /// services, as Connect-NmService and Connect-PmServer would make it; with -SetEnvironment the addresses and
    /// credentials go into $env:WORKFLOWTOOLS_SANDBOX_NM, $env:WORKFLOWTOOLS_SANDBOX_PM, $env:NEXTMATTER_API_KEY and
    /// $env:PROCESSMAKER_TOKEN, where scripts run in a child process (pwsh -File) find them.
    /// <para/>
    /// The sandbox runs as the workflowtools-sandbox .NET tool when it is installed (dotnet tool install --global
    /// WorkflowTools.Sandbox), else from the copy in the module's Sandbox folder, which needs the ASP.NET Core Runtime
    /// 10.0 or later; when neither can run, the error says what to install.
    /// <para/>
    /// -SeedPath starts it with your own workflows, processes, users, instances and requests instead of the demo data
    /// (the format is described by Sandbox/Seeds/workflowtools-sandbox-seed.schema.json in the module folder;
    /// Export-WorkflowToolsSandboxSeed writes one from a real tenant). A bad seed file fails here with every problem
    /// and its line. -Fault sets fault rules from the first request; Add-WorkflowToolsSandboxFault adds more later.
    /// <para/>
    /// Stop-WorkflowToolsSandbox stops it and every process it started. A sandbox also stops when the runspace that
    /// started it closes and when the PowerShell process ends, however it ends.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Start, "WorkflowToolsSandbox")]
    [OutputType(typeof(SandboxProcess))]
    public sealed class StartWorkflowToolsSandboxCommand : PSCmdlet
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        /// <summary>A seed file: the data to start with instead of the demo data.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? SeedPath { get; set; }

        /// <summary>Start with no data at all (no demo data, no seed).</summary>
        [Parameter]
        public SwitchParameter NoDemoData { get; set; }

        /// <summary>Fault rules active from the first request, in the sandbox's text form, e.g. 'status=429,retry-after=5,times=3' or 'kind=applied,status=500,method=POST,path=/instances/,times=1'. See Add-WorkflowToolsSandboxFault for the keys.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Fault { get; set; } = Array.Empty<string>();

        /// <summary>Answer Next Matter requests with 429 past this many per minute per key, as the real service does at 100.</summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int RateLimit { get; set; }

        /// <summary>A delay before every API answer, e.g. '00:00:00.050'.</summary>
        [Parameter]
        public TimeSpan Latency { get; set; }

        /// <summary>Keep the sandbox clock still until Set-WorkflowToolsSandboxClock moves it; by default it follows the wall clock.</summary>
        [Parameter]
        public SwitchParameter FrozenClock { get; set; }

        /// <summary>The time the sandbox clock starts at (a seed file's own clock wins); ages in the seed count back from it.</summary>
        [Parameter]
        public DateTime ClockStart { get; set; }

        /// <summary>How long to wait for the sandbox to answer: seconds (a bare number, as Connect-NmService -Timeout reads it) or a [TimeSpan]; more than 0 and at most 10 minutes (default 60 seconds).</summary>
        [Parameter]
        [SecondsTransformation]
        public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Also make the sandbox this session's Next Matter and ProcessMaker connection.</summary>
        [Parameter]
        public SwitchParameter Connect { get; set; }

        /// <summary>Also set $env:WORKFLOWTOOLS_SANDBOX_NM, $env:WORKFLOWTOOLS_SANDBOX_PM, $env:NEXTMATTER_API_KEY and $env:PROCESSMAKER_TOKEN for scripts started from this session. Stop-WorkflowToolsSandbox removes them again.</summary>
        [Parameter]
        public SwitchParameter SetEnvironment { get; set; }

        protected override void EndProcessing()
        {
            var options = new SandboxStartOptions { NoDemoData = NoDemoData, FrozenClock = FrozenClock, StartTimeout = StartTimeout };
            if (SeedPath != null)
            {
                var full = GetUnresolvedProviderPathFromPSPath(SeedPath);
                if (!File.Exists(full))
                {
                    ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The seed file '{full}' does not exist.", full), "WorkflowTools.SandboxSeedNotFound", ErrorCategory.ObjectNotFound, SeedPath));
                }

                options.SeedPath = full;
            }

            if (StartTimeout <= TimeSpan.Zero || StartTimeout > TimeSpan.FromMinutes(10))
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument($"-StartTimeout must be more than 0 and at most 10 minutes; got {StartTimeout}.", StartTimeout));
            }

            if (Latency < TimeSpan.Zero || Latency > TimeSpan.FromMinutes(5))
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument($"-Latency must be between 0 and 5 minutes; got {Latency}.", Latency));
            }

            foreach (var f in Fault)
            {
                options.Faults.Add(f);
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(RateLimit)))
            {
                options.RateLimitPerMinute = RateLimit;
            }

            if (Latency > TimeSpan.Zero)
            {
                options.Latency = Latency;
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(ClockStart)))
            {
                options.ClockStart = new DateTimeOffset(ClockStart.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(ClockStart, DateTimeKind.Utc) : ClockStart.ToUniversalTime());
            }

            SandboxProgram program;
            try
            {
                program = SandboxLocator.Find(ModuleSandboxFolder());
            }
            catch (SandboxUnavailableException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "WorkflowTools.SandboxUnavailable", ErrorCategory.NotInstalled, SeedPath));
                return;
            }

            DebugSafeStreams.WriteVerbose(this, $"Starting the sandbox from the {(program.StartedFrom == "tool" ? "installed tool" : "module's copy")}: {program.FileName} {SandboxProcess.CommandLine(program.Prefix)}");
            SandboxProcess sandbox;
            try
            {
                sandbox = SandboxProcess.Start(program, options, _cancel.Token);
            }
            catch (SandboxStartException e)
            {
                var id = e.ExitCode == 2 ? "WorkflowTools.SandboxInvalidArguments" : "WorkflowTools.SandboxStartFailed";
                ThrowTerminatingError(new ErrorRecord(e, id, e.ExitCode == 2 ? ErrorCategory.InvalidData : ErrorCategory.OpenError, (object?)SeedPath ?? Fault));
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            SessionSandboxes.Add(sandbox);
            DebugSafeStreams.WriteVerbose(this, $"Sandbox {sandbox.Id} (process {sandbox.ProcessId}) answers at {sandbox.NextMatterUri} and {sandbox.ProcessMakerUri}.");
            if (Connect)
            {
                SessionConnections.SetNextMatter(SessionState, sandbox.NmConnection);
                SessionConnections.SetProcessMaker(SessionState, sandbox.PmConnection);
            }

            if (SetEnvironment)
            {
                SandboxEnvironment.Set(sandbox);
            }

            WriteObject(sandbox);
        }

        protected override void StopProcessing() => _cancel.Cancel();

        private string? ModuleSandboxFolder()
        {
            var moduleBase = MyInvocation.MyCommand.Module?.ModuleBase
                ?? Path.GetDirectoryName(typeof(StartWorkflowToolsSandboxCommand).Assembly.Location);
            return moduleBase == null ? null : Path.Combine(moduleBase, "Sandbox");
        }
    }

    /// <summary>The environment variables -SetEnvironment sets, and their removal when that sandbox stops.</summary>
    internal static class SandboxEnvironment
    {
        public const string NmVariable = "WORKFLOWTOOLS_SANDBOX_NM";
        public const string PmVariable = "WORKFLOWTOOLS_SANDBOX_PM";

        public static void Set(SandboxProcess sandbox)
        {
            Environment.SetEnvironmentVariable(NmVariable, sandbox.NextMatterUri.ToString());
            Environment.SetEnvironmentVariable(PmVariable, sandbox.ProcessMakerUri.ToString());
            Environment.SetEnvironmentVariable("NEXTMATTER_API_KEY", sandbox.ApiKey);
            Environment.SetEnvironmentVariable("PROCESSMAKER_TOKEN", sandbox.AccessToken);
        }

        /// <summary>Removes the variables only while they still point at <paramref name="sandbox"/>.</summary>
        public static void Clear(SandboxProcess sandbox)
        {
            if (Environment.GetEnvironmentVariable(NmVariable) != sandbox.NextMatterUri.ToString())
            {
                return;
            }

            Environment.SetEnvironmentVariable(NmVariable, null);
            Environment.SetEnvironmentVariable(PmVariable, null);
            if (Environment.GetEnvironmentVariable("NEXTMATTER_API_KEY") == sandbox.ApiKey)
            {
                Environment.SetEnvironmentVariable("NEXTMATTER_API_KEY", null);
            }

            if (Environment.GetEnvironmentVariable("PROCESSMAKER_TOKEN") == sandbox.AccessToken)
            {
                Environment.SetEnvironmentVariable("PROCESSMAKER_TOKEN", null);
            }
        }
    }
}
