using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Testing;

namespace WorkflowTools.Cmdlets.Sandbox
{
    /// <summary>Shared by the cmdlets that act on one running sandbox: -Sandbox, defaulting to the last one this session started.</summary>
    public abstract class SandboxCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        /// <summary>The sandbox, as Start-WorkflowToolsSandbox returned it; by default the last one this session started that still runs.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public SandboxProcess? Sandbox { get; set; }

        protected CancellationToken Cancel => _cancel.Token;

        protected SandboxProcess Target()
        {
            var sandbox = Sandbox ?? SessionSandboxes.Running.LastOrDefault();
            if (sandbox == null)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("No sandbox runs in this session; start one with Start-WorkflowToolsSandbox, or pass -Sandbox."), "WorkflowTools.NoSandbox", ErrorCategory.ObjectNotFound, null));
            }

            if (!sandbox!.IsRunning)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"{sandbox} is not running any more."), "WorkflowTools.SandboxStopped", ErrorCategory.ResourceUnavailable, sandbox));
            }

            return sandbox;
        }

        /// <summary>Runs a control call; a refusal or a failed call becomes an error record on <paramref name="target"/>.</summary>
        protected bool TryControl(Action call, object? target)
        {
            try
            {
                call();
                return true;
            }
            catch (SandboxControlException e)
            {
                WriteError(new ErrorRecord(new ArgumentException(e.Message, e), "WorkflowTools.SandboxRefused", ErrorCategory.InvalidArgument, target));
            }
            catch (HttpRequestException e)
            {
                WriteError(new ErrorRecord(e, "WorkflowTools.SandboxUnreachable", ErrorCategory.ConnectionError, target));
            }
            catch (OperationCanceledException) when (!Cancel.IsCancellationRequested)
            {
                WriteError(new ErrorRecord(new TimeoutException("The sandbox did not answer within 30 seconds."), "WorkflowTools.SandboxUnreachable", ErrorCategory.OperationTimeout, target));
            }

            return false;
        }

        protected override void StopProcessing() => _cancel.Cancel();
    }

    /// <summary>Stops sandboxes started with Start-WorkflowToolsSandbox.</summary>
    /// <remarks>
    /// Ends each sandbox's process and every process it started, and forgets it. Without -Sandbox it stops every
    /// sandbox this session started. Connections made with -Connect are removed from the session, and variables set
    /// with -SetEnvironment are removed while they still point at the stopped sandbox. Stopping a stopped sandbox does nothing.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Stop, "WorkflowToolsSandbox")]
    [OutputType(typeof(void))]
    public sealed class StopWorkflowToolsSandboxCommand : PSCmdlet
    {
        private bool _any;

        /// <summary>The sandboxes to stop; by default all that this session started.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public SandboxProcess[] Sandbox { get; set; } = Array.Empty<SandboxProcess>();

        protected override void ProcessRecord()
        {
            foreach (var s in Sandbox)
            {
                _any = true;
                StopOne(s);
            }
        }

        protected override void EndProcessing()
        {
            if (!_any && !MyInvocation.BoundParameters.ContainsKey(nameof(Sandbox)))
            {
                foreach (var s in SessionSandboxes.Running)
                {
                    StopOne(s);
                }
            }
        }

        private void StopOne(SandboxProcess sandbox)
        {
            DebugSafeStreams.WriteVerbose(this, $"Stopping {sandbox} (process {sandbox.ProcessId}).");
            if (ReferenceEquals(SessionConnections.GetNextMatter(SessionState), sandbox.NmConnection))
            {
                SessionConnections.SetNextMatter(SessionState, null);
            }

            if (ReferenceEquals(SessionConnections.GetProcessMaker(SessionState), sandbox.PmConnection))
            {
                SessionConnections.SetProcessMaker(SessionState, null);
            }

            SandboxEnvironment.Clear(sandbox);
            SessionSandboxes.Remove(sandbox);
            sandbox.Stop();
        }
    }

    /// <summary>Gets the sandboxes this session started that still run.</summary>
    /// <remarks>Lists the sandboxes Start-WorkflowToolsSandbox started in this session and that have not stopped, oldest first.</remarks>
    [Cmdlet(VerbsCommon.Get, "WorkflowToolsSandbox")]
    [OutputType(typeof(SandboxProcess))]
    public sealed class GetWorkflowToolsSandboxCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            foreach (var s in SessionSandboxes.Running)
            {
                WriteObject(s);
            }
        }
    }

    /// <summary>Gets the requests a sandbox received: method, path, query, body and the status it answered.</summary>
    /// <remarks>
    /// Reads the sandbox's request log, oldest first, so a test can check what a script sent and how often. Calls
    /// to the sandbox's own control endpoints are not in it, nor are request headers (they carry the credentials).
    /// A StatusCode of 0 means the sandbox dropped the connection without an answer (a reset fault). The log
    /// keeps everything since the sandbox started or since Clear-WorkflowToolsSandboxRequest; -After picks up
    /// where an earlier read stopped.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "WorkflowToolsSandboxRequest")]
    [OutputType(typeof(SandboxRequest))]
    public sealed class GetWorkflowToolsSandboxRequestCommand : SandboxCmdlet
    {
        /// <summary>Only requests with this HTTP method (GET, POST, PUT, PATCH, DELETE).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Method { get; set; }

        /// <summary>Only requests whose URL path matches this wildcard pattern, e.g. '*/instances/*'.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Only requests to this service.</summary>
        [Parameter]
        [ValidateSet("NextMatter", "ProcessMaker")]
        public string? Service { get; set; }

        /// <summary>Only requests after this Sequence number (the last one an earlier call returned).</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long After { get; set; }

        protected override void ProcessRecord()
        {
            var sandbox = Target();
            var pattern = Path == null ? null : new WildcardPattern(Path, WildcardOptions.IgnoreCase);
            IReadOnlyList<SandboxRequest> rows = Array.Empty<SandboxRequest>();
            if (!TryControl(() => rows = sandbox.Control.GetRequests(After, Cancel), sandbox))
            {
                return;
            }

            foreach (var r in rows)
            {
                if ((Method == null || string.Equals(r.Method, Method, StringComparison.OrdinalIgnoreCase))
                    && (pattern == null || pattern.IsMatch(r.Path))
                    && (Service == null || r.Service == Service))
                {
                    WriteObject(r);
                }
            }
        }
    }

    /// <summary>Empties a sandbox's request log.</summary>
    /// <remarks>Forgets the requests logged so far, so the next Get-WorkflowToolsSandboxRequest shows only what came after. Sequence numbers keep counting.</remarks>
    [Cmdlet(VerbsCommon.Clear, "WorkflowToolsSandboxRequest")]
    [OutputType(typeof(void))]
    public sealed class ClearWorkflowToolsSandboxRequestCommand : SandboxCmdlet
    {
        protected override void ProcessRecord()
        {
            var sandbox = Target();
            TryControl(() => sandbox.Control.ClearRequests(Cancel), sandbox);
        }
    }

    /// <summary>Adds a fault rule to a running sandbox: throttling, server errors, resets, delays, stalls, broken bodies.</summary>
    /// <remarks>
    /// Makes the sandbox answer matching API requests badly, to test how a script copes. Rules are tried in the order
    /// they were added; the first that matches a request applies. -Kind says what happens:
    /// Status answers -StatusCode without doing the request (429 gets Retry-After: 1 unless -RetryAfter says otherwise);
    /// Applied does the request, then answers -StatusCode (the work happened, the client sees an error);
    /// Delay waits -Delay, then answers; Stall does the request, sends the headers and half the body, then nothing
    /// (for -Delay, or until the client gives up); Reset drops the connection; Html answers 502 with an HTML proxy page;
    /// Truncated does the request and answers 200 with half of the JSON.
    /// <para/>
    /// -Method and -Path (a part of the URL path such as /instances/) choose the requests; -Times limits how many
    /// get the fault, -Probability makes it random (repeatable: the sandbox's random source is seeded). -Spec takes the
    /// same rule as text, the form Start-WorkflowToolsSandbox -Fault and the sandbox's --fault take:
    /// kind=status,status=429,retry-after=5,method=POST,path=/instances/,times=3. Returns the rule as the sandbox read it.
    /// </remarks>
    [Cmdlet(VerbsCommon.Add, "WorkflowToolsSandboxFault", DefaultParameterSetName = TypedSet)]
    [OutputType(typeof(SandboxFault))]
    public sealed class AddWorkflowToolsSandboxFaultCommand : SandboxCmdlet
    {
        private const string TypedSet = "Typed";
        private const string SpecSet = "Spec";

        /// <summary>What the fault does: Status, Applied, Delay, Stall, Reset, Html or Truncated.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TypedSet)]
        [ValidateSet("Status", "Applied", "Delay", "Stall", "Reset", "Html", "Truncated")]
        public string Kind { get; set; } = "Status";

        /// <summary>The status to answer (Status and Applied), e.g. 429, 500, 503.</summary>
        [Parameter(ParameterSetName = TypedSet)]
        [ValidateRange(100, 599)]
        public int StatusCode { get; set; }

        /// <summary>Retry-After to send with the status: seconds ('5'), 'date:5' for an HTTP date five seconds ahead, or 'none' for no header.</summary>
        [Parameter(ParameterSetName = TypedSet)]
        [ValidatePattern("^([0-9]+|date:[0-9]+|none)$")]
        public string? RetryAfter { get; set; }

        /// <summary>Only requests with this HTTP method.</summary>
        [Parameter(ParameterSetName = TypedSet)]
        [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE")]
        public string? Method { get; set; }

        /// <summary>Only requests whose URL path contains this text (case-sensitive), e.g. '/instances/' or '/process_events/'.</summary>
        [Parameter(ParameterSetName = TypedSet)]
        [ValidatePattern("^[^,=]+$")]
        public string? Path { get; set; }

        /// <summary>How many matching requests get the fault; then the rule is spent. Default: all.</summary>
        [Parameter(ParameterSetName = TypedSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Times { get; set; }

        /// <summary>The chance (above 0, at most 1) that a matching request gets the fault.</summary>
        [Parameter(ParameterSetName = TypedSet)]
        [ValidateRange(0.0001, 1.0)]
        public double Probability { get; set; }

        /// <summary>How long Delay waits, and how long Stall stays silent (default: until the client gives up): a [TimeSpan] or seconds (a bare number), at most 24 hours.</summary>
        [Parameter(ParameterSetName = TypedSet)]
        [SecondsTransformation]
        public TimeSpan Delay { get; set; }

        /// <summary>Delay and Reset: do the request before the fault, so the work is done but the answer is late or lost.</summary>
        [Parameter(ParameterSetName = TypedSet)]
        public SwitchParameter ApplyFirst { get; set; }

        /// <summary>The rule in the sandbox's text form, e.g. 'status=503,method=GET,times=2'.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SpecSet)]
        [ValidateNotNullOrEmpty]
        public string Spec { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Delay)) && !SandboxLimits.IsDelay(Delay))
            {
                WriteError(ErrorRecords.InvalidArgument($"-Delay must be between 0 and {SandboxLimits.MaxDelay} (24 hours); got {Delay}.", Delay));
                return;
            }

            var sandbox = Target();
            var spec = ParameterSetName == SpecSet ? Spec : BuildSpec();
            SandboxFault? fault = null;
            if (TryControl(() => fault = sandbox.Control.AddFault(spec, Cancel), spec))
            {
                WriteObject(fault);
            }
        }

        private string BuildSpec()
        {
            var bound = MyInvocation.BoundParameters;
            var parts = new List<string> { "kind=" + Kind.ToLowerInvariant() };
            if (bound.ContainsKey(nameof(StatusCode)))
            {
                parts.Add("status=" + StatusCode.ToString(CultureInfo.InvariantCulture));
            }

            if (RetryAfter != null)
            {
                parts.Add("retry-after=" + RetryAfter);
            }

            if (Method != null)
            {
                parts.Add("method=" + Method);
            }

            if (Path != null)
            {
                parts.Add("path=" + Path);
            }

            if (bound.ContainsKey(nameof(Times)))
            {
                parts.Add("times=" + Times.ToString(CultureInfo.InvariantCulture));
            }

            if (bound.ContainsKey(nameof(Probability)))
            {
                parts.Add("probability=" + Probability.ToString(CultureInfo.InvariantCulture));
            }

            if (bound.ContainsKey(nameof(Delay)))
            {
                parts.Add("delay=" + ((long)Delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms");
            }

            if (ApplyFirst)
            {
                parts.Add("apply-first=true");
            }

            return string.Join(",", parts);
        }
    }

    /// <summary>Removes every fault rule from a sandbox.</summary>
    /// <remarks>Removes the rules added with Add-WorkflowToolsSandboxFault or Start-WorkflowToolsSandbox -Fault: from the next request on, the sandbox answers normally.</remarks>
    [Cmdlet(VerbsCommon.Clear, "WorkflowToolsSandboxFault")]
    [OutputType(typeof(void))]
    public sealed class ClearWorkflowToolsSandboxFaultCommand : SandboxCmdlet
    {
        protected override void ProcessRecord()
        {
            var sandbox = Target();
            TryControl(() => sandbox.Control.ClearFaults(Cancel), sandbox);
        }
    }

    /// <summary>Moves a sandbox's clock, so running instances and requests age.</summary>
    /// <remarks>
    /// Every time the sandbox shows or compares (started and completed times, total runtimes, runtime filters) comes
    /// from its clock. -Advance moves it (a day: '1.00:00:00'; a negative span moves it back); -Time sets it. Running
    /// instances then are that much older: a nightly report that looks for instances running longer than two days finds
    /// one that ran a day once the clock moved by another. -PassThru writes the new time.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "WorkflowToolsSandboxClock", DefaultParameterSetName = AdvanceSet)]
    [OutputType(typeof(DateTime))]
    public sealed class SetWorkflowToolsSandboxClockCommand : SandboxCmdlet
    {
        private const string AdvanceSet = "Advance";
        private const string TimeSet = "Time";

        /// <summary>How far to move the clock, e.g. '1.00:00:00' (a day), (New-TimeSpan -Hours 6) or 90 (a bare number is seconds); at most 100 years either way.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = AdvanceSet)]
        [SecondsTransformation]
        public TimeSpan Advance { get; set; }

        /// <summary>The time to set the clock to (local times are converted to UTC), from 1970-01-01 to 2999-12-31 UTC.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TimeSet)]
        public DateTime Time { get; set; }

        /// <summary>Write the clock's new time (UTC).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == AdvanceSet && !SandboxLimits.IsAdvance(Advance))
            {
                WriteError(ErrorRecords.InvalidArgument($"-Advance must be between -{SandboxLimits.MaxAdvance} and {SandboxLimits.MaxAdvance} (100 years either way); got {Advance}.", Advance));
                return;
            }

            if (ParameterSetName == TimeSet && !SandboxLimits.IsClockTime(Time))
            {
                WriteError(ErrorRecords.InvalidArgument($"-Time must be between {SandboxLimits.Earliest:yyyy-MM-dd} and {SandboxLimits.Latest:yyyy-MM-dd HH:mm:ss} UTC; got {Time:o}.", Time));
                return;
            }

            var sandbox = Target();
            var now = default(DateTime);
            var target = ParameterSetName == AdvanceSet ? (object)Advance : Time;
            if (TryControl(() => now = ParameterSetName == AdvanceSet ? sandbox.Control.AdvanceClock(Advance, Cancel) : sandbox.Control.SetClock(Time, Cancel), target))
            {
                DebugSafeStreams.WriteVerbose(this, $"The clock of {sandbox} is now {now:yyyy-MM-dd HH:mm:ss} UTC.");
                if (PassThru)
                {
                    WriteObject(now);
                }
            }
        }
    }
}
