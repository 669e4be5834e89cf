<#
.SYNOPSIS
    The request-file memory benchmark (docs/benchmarks.md, "Request files of 200 MB"): uploads a file of -SizeMB to a
    sandbox request with Add-PmRequestFile, downloads it with Save-PmRequestFile, checks the bytes (SHA-256), and
    reports how far this pwsh process's peak working set rose above its working set before the transfer.
.DESCRIPTION
    Run after a build, in the pinned pwsh:
        dotnet tool run pwsh -NoProfile -File tests/Benchmarks/RequestFileMemory.ps1 -SizeMB 200
    The sandbox runs in its own process (SandboxSetup.ps1), so only the client's memory is measured. A small upload
    and download run first, so the assemblies and the connection exist before the baseline is taken.
#>
param([int] $SizeMB = 200)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '../Pester/SandboxSetup.ps1')
$sandbox = Start-TestSandbox
$work = Join-Path ([IO.Path]::GetTempPath()) "wt-bench-files-$PID"
$null = New-Item -ItemType Directory -Path $work -Force
try {
    $source = Join-Path $work 'big.bin'
    # Written in 1 MB blocks of pseudo-random bytes, so the file itself never sits in this process's memory.
    $random = [Random]::new(42)
    $block = [byte[]]::new(1MB)
    $stream = [IO.File]::Create($source)
    try { for ($i = 0; $i -lt $SizeMB; $i++) { $random.NextBytes($block); $stream.Write($block, 0, $block.Length) } } finally { $stream.Dispose() }
    $block = $null

    $request = Start-PmRequest -ProcessId 1
    $warm = Join-Path $work 'warm.bin'
    [IO.File]::WriteAllBytes($warm, [byte[]]::new(64KB))
    $null = Add-PmRequestFile -RequestId $request.Id -Path $warm -DataName warm
    $null = Get-PmRequestFile -RequestId $request.Id -DataName warm | Save-PmRequestFile -Destination (Join-Path $work 'warm/') -Force

    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $process = [Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    $before = $process.WorkingSet64
    $peakBefore = $process.PeakWorkingSet64

    $watch = [Diagnostics.Stopwatch]::StartNew()
    $row = Add-PmRequestFile -RequestId $request.Id -Path $source -DataName big
    $upload = $watch.Elapsed
    $watch.Restart()
    $saved = $row | Save-PmRequestFile -Destination (Join-Path $work 'out/') -Force
    $download = $watch.Elapsed
    $process.Refresh()
    $peakAfter = $process.PeakWorkingSet64

    $same = (Get-FileHash $source).Hash -eq (Get-FileHash $saved.FullName).Hash
    # The peak before the transfer may already be above the working set (start-up); growth counts from the higher of the two.
    $growth = $peakAfter - [Math]::Max($before, $peakBefore)
    [pscustomobject]@{
        SizeMB             = $SizeMB
        ServerSize         = $row.Size
        ByteIdentical      = $same
        UploadSeconds      = [Math]::Round($upload.TotalSeconds, 2)
        DownloadSeconds    = [Math]::Round($download.TotalSeconds, 2)
        WorkingSetBeforeMB = [Math]::Round($before / 1MB, 1)
        PeakBeforeMB       = [Math]::Round($peakBefore / 1MB, 1)
        PeakAfterMB        = [Math]::Round($peakAfter / 1MB, 1)
        PeakGrowthMB       = [Math]::Round([Math]::Max(0, $growth) / 1MB, 1)
        PwshVersion        = "$($PSVersionTable.PSVersion)"
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestSandbox $sandbox
}
