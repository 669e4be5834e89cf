<#
.SYNOPSIS
    Cancels the ProcessMaker requests that are still in progress N days after they started.
.DESCRIPTION
    Made for a scheduled task: the token comes from $env:PROCESSMAKER_TOKEN. Try it with -WhatIf first.
    Returns the cancelled requests. Ages are measured from -Now, by default this machine's clock; a test passes the
    sandbox's clock instead (Testing/CancelStaleRequests.Tests.ps1), so it means the same on every day it runs.
.EXAMPLE
    ./CancelStaleRequests.ps1 -OlderThanDays 30 -WhatIf
.EXAMPLE
    ./CancelStaleRequests.ps1 -Now (Set-WorkflowToolsSandboxClock -Advance '30.00:00:00' -PassThru)

    In a test: a month later by the sandbox's clock, whatever today's date is.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # Requests started more than this many days ago are stale.
    [ValidateRange(1, 3650)]
    [int] $OlderThanDays = 30,

    # The ProcessMaker instance: the sandbox's when one is set up.
    [uri] $BaseUri = $env:WORKFLOWTOOLS_SANDBOX_PM,

    # The time ages are measured from (converted to UTC); by default now. Tests pass the sandbox's clock.
    [datetime] $Now = [datetime]::UtcNow
)

$ErrorActionPreference = 'Stop'
Connect-PmServer -BaseUri $BaseUri

$cutoff = $Now.ToUniversalTime().AddDays(-$OlderThanDays)
Get-PmRequest -Status InProgress |
    Where-Object InitiatedAt -lt $cutoff |
    Stop-PmRequest -PassThru
