<#
.SYNOPSIS
    Starts one Next Matter instance per row of a CSV file, e.g. the week's new hires.
.DESCRIPTION
    The CSV has the columns ProcessId, Name, Tags (separated by ';') and Priority (Regular, High or VeryHigh).
    Every row is sent on its own: a row that fails is reported and the others still go, and the script then
    exits with code 1 (so a scheduled task reports a failure). Returns the new instances; -WhatIf shows what
    would be created.
.EXAMPLE
    ./BulkCreateFromCsv.ps1 -Path ./new-hires.csv | Export-Csv ./created.csv -NoTypeInformation
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # The rows; the sample next to this script by default.
    [string] $Path = (Join-Path $PSScriptRoot 'new-hires.csv'),

    # Next Matter's API: the sandbox's when one is set up, otherwise https://core.nextmatter.com/api/.
    [uri] $BaseUri = $env:WORKFLOWTOOLS_SANDBOX_NM
)

Connect-NmService -BaseUri $BaseUri -ErrorAction Stop

Import-Csv -LiteralPath $Path -ErrorAction Stop |
    Select-Object ProcessId, Name, @{ Name = 'Tag'; Expression = { $_.Tags -split ';' -ne '' } }, Priority |
    New-NmInstance -ErrorVariable failedRows

# The other rows went on; a scheduled task still sees the failure in the exit code.
if ($failedRows) { exit 1 }
