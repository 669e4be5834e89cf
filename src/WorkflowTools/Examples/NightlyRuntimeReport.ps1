<#
.SYNOPSIS
    Nightly report: the instances of a Next Matter workflow that have been running too long, as a CSV file.
.DESCRIPTION
    Lists the running instances whose runtime is at least -LongerThan, longest first, writes them to -Path and
    returns them. Made for a scheduled task: the API key comes from $env:NEXTMATTER_API_KEY, and any error stops
    the script (so the task reports a failure).
.EXAMPLE
    ./NightlyRuntimeReport.ps1 -ProcessId 1 -LongerThan '2 00:00:00' -Path ./long-running.csv
#>
[CmdletBinding()]
param(
    # The workflow to report on.
    [long] $ProcessId = 1,

    # Next Matter's duration format: '1 00:00:00' is a day, '02:30:00' two and a half hours.
    [string] $LongerThan = '1 00:00:00',

    # Where the report goes.
    [string] $Path = (Join-Path ([IO.Path]::GetTempPath()) "long-running-$(Get-Date -Format yyyy-MM-dd).csv"),

    # Next Matter's API: the sandbox's when one is set up, otherwise https://core.nextmatter.com/api/.
    [uri] $BaseUri = $env:WORKFLOWTOOLS_SANDBOX_NM
)

$ErrorActionPreference = 'Stop'
Connect-NmService -BaseUri $BaseUri

$longRunning = Get-NmInstance -ProcessId $ProcessId -Status Running -MinTotalRuntime $LongerThan -SortBy TotalRuntime -Descending
$longRunning |
    Select-Object Id, Name, StartedTime, TotalRuntime, Tags, Priority, ActiveStepIds, Url |
    Export-Csv -LiteralPath $Path -NoTypeInformation -Encoding utf8
Write-Verbose "$(@($longRunning).Count) instance(s) running longer than $LongerThan, written to $Path"
$longRunning
