<#
.SYNOPSIS
    Saves every file of the ProcessMaker requests completed more than N days ago, one folder per request, and writes
    an index CSV.
.DESCRIPTION
    Made for a scheduled task: the token comes from $env:PROCESSMAKER_TOKEN. Each file is streamed to
    <Destination>/request-<id>/ under its own name (a name the server sends never leaves that folder); index.csv in
    <Destination> lists request, file, data name, size, where it was saved and its SHA-256 hash. Files already saved
    are kept unless -Force. Returns the index rows.
.EXAMPLE
    ./ArchiveRequestFiles.ps1 -OlderThanDays 90 -Destination D:\Archive\ProcessMaker
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # Requests completed more than this many days ago are archived.
    [ValidateRange(0, 3650)]
    [int] $OlderThanDays = 90,

    # The folder to save into (created when missing).
    [Parameter(Mandatory)]
    [string] $Destination,

    # Overwrite files saved by an earlier run.
    [switch] $Force,

    # The ProcessMaker instance: the sandbox's when one is set up.
    [uri] $BaseUri = $env:WORKFLOWTOOLS_SANDBOX_PM
)

$ErrorActionPreference = 'Stop'
Connect-PmServer -BaseUri $BaseUri

$cutoff = (Get-Date).ToUniversalTime().AddDays(-$OlderThanDays)
$root = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Destination)
$index = foreach ($request in Get-PmRequest -Status Completed | Where-Object { $_.CompletedAt -and $_.CompletedAt -lt $cutoff }) {
    $folder = Join-Path $root "request-$($request.Id)"
    foreach ($file in Get-PmRequestFile -RequestId $request.Id) {
        # The trailing separator makes Save-PmRequestFile create the folder.
        $saved = $file | Save-PmRequestFile -Destination ($folder + [IO.Path]::DirectorySeparatorChar) -Force:$Force
        if (-not $saved) { continue }
        [pscustomobject]@{
            RequestId   = $request.Id
            ProcessId   = $request.ProcessId
            Process     = $request.Name
            CompletedAt = $request.CompletedAt
            FileId      = $file.Id
            DataName    = $file.DataName
            FileName    = $file.Name
            Size        = $file.Size
            SavedAs     = $saved.FullName
            Sha256      = (Get-FileHash -LiteralPath $saved.FullName -Algorithm SHA256).Hash
        }
    }
}

if ($PSCmdlet.ShouldProcess((Join-Path $root 'index.csv'), 'Write the index')) {
    $null = New-Item -ItemType Directory -Path $root -Force
    @($index) | Export-Csv -LiteralPath (Join-Path $root 'index.csv') -NoTypeInformation -Encoding utf8
}
$index
