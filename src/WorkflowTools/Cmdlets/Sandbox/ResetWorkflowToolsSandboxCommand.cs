using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Testing;

namespace WorkflowTools.Cmdlets.Sandbox
{
    /// <summary>Puts a running sandbox back as it started: data, request log, fault rules, clock and rate limits.</summary>
    /// <remarks>
    /// Made for a test's BeforeEach: one sandbox for the whole test file, reset before each test, so every test sees
    /// the seed it was written against (a request a first test cancelled is open again for the second), at the cost
    /// of a few milliseconds where a fresh sandbox takes seconds to start.
    /// <para/>
    /// Both services' data is rebuilt from the demo data and the seed file the sandbox started with (ids count from
    /// the seed again, so a test sees the same ids on every run); the request log is emptied (Sequence numbers keep
    /// counting); the fault rules are those given to Start-WorkflowToolsSandbox -Fault, unused again, and the random
    /// source of probabilistic rules starts over; the clock is back at its start (the seed's clock, or -ClockStart);
    /// Next Matter's rate limit forgets the requests it counted, and so does the pacing of the sandbox's own
    /// connections (-Connection $sandbox.NmConnection, or the session's after Start-WorkflowToolsSandbox -Connect), so
    /// each test has the request budget of a fresh sandbox; a connection made with Connect-NmService keeps its own
    /// pacing. ProcessMaker sign-ins stay valid, so connections made before the reset keep working without signing
    /// in again.
    /// <para/>
    /// -PassThru writes the sandbox. The sandbox's clock after the reset is its start time: a script that computes
    /// ages from its own Get-Date should take the time from the sandbox in a test (see the README's "Test your own
    /// scripts" and CancelStaleRequests.ps1 -Now).
    /// </remarks>
    [Cmdlet(VerbsCommon.Reset, "WorkflowToolsSandbox", SupportsShouldProcess = true)]
    [OutputType(typeof(SandboxProcess))]
    public sealed class ResetWorkflowToolsSandboxCommand : SandboxCmdlet
    {
        /// <summary>Write the sandbox after resetting it.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var sandbox = Target();
            if (!ShouldProcess(sandbox.ToString(), "Reset data, request log, faults and clock to the start"))
            {
                return;
            }

            var now = default(System.DateTime);
            if (TryControl(() => now = sandbox.Reset(Cancel), sandbox))
            {
                DebugSafeStreams.WriteVerbose(this, $"{sandbox} is back at its start; its clock reads {now:yyyy-MM-dd HH:mm:ss} UTC.");
                if (PassThru)
                {
                    WriteObject(sandbox);
                }
            }
        }
    }
}
