<#
.SYNOPSIS
    Cancels the ProcessMaker requests that are still in progress N days after they started.
.DESCRIPTION
    Made for a scheduled task: the token comes from $env:PROCESSMAKER_TOKEN. Try it with -WhatIf first.
    Returns the cancelled requests.
.EXAMPLE
    ./CancelStaleRequests.ps1 -OlderThanDays 30 -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # Requests started more than this many days ago are stale.
    [ValidateRange(1, 3650)]
    [int] $OlderThanDays = 30,

    # The ProcessMaker instance: the sandbox's when one is set up.
    [uri] $BaseUri = $env:WORKFLOWTOOLS_SANDBOX_PM
)

$ErrorActionPreference = 'Stop'
Connect-PmServer -BaseUri $BaseUri

$cutoff = (Get-Date).ToUniversalTime().AddDays(-$OlderThanDays)
Get-PmRequest -Status InProgress |
    Where-Object InitiatedAt -lt $cutoff |
    Stop-PmRequest -PassThru
