<#
.SYNOPSIS
    Runs the Pester suite (tests/Pester/*.Tests.ps1) against the built module and sandbox, and exits non-zero
    when any test, block or file fails or when no test ran.
.DESCRIPTION
    `dotnet test WorkflowTools.sln` runs this through tests/WorkflowTools.Pester in real pwsh 7.6.9; you can run it
    yourself after a build:
        dotnet build tests/WorkflowTools.Pester
        dotnet tool run pwsh -NoProfile -File tests/Pester/Invoke-PesterSuite.ps1
    Results go to artifacts/pester/ (git-ignored): results.xml (NUnit XML) and summary.json (counts and the failed
    tests with their messages). With $env:CI set, or when output is redirected, the output is plain text.
#>
[CmdletBinding()]
param(
    # Pester.psd1 of Pester 5.9.1; by default the copy NuGet restored for tests/WorkflowTools.Pester.
    [string] $PesterManifest,
    # Test files or folders; by default every *.Tests.ps1 here.
    [string[]] $Path = @($PSScriptRoot),
    [string] $OutputFolder,
    [string[]] $FullNameFilter
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if (-not $PSBoundParameters.ContainsKey('Path')) {
    # The worked example users copy (Examples/Testing), run as shipped: from the built module folder.
    $version = (Import-PowerShellDataFile (Join-Path $root 'WorkflowTools.psd1')).ModuleVersion
    $shippedExamples = Join-Path $root "artifacts/module/WorkflowTools/$version/Examples/Testing"
    if (Test-Path -LiteralPath $shippedExamples) { $Path += $shippedExamples }
}
if (-not $OutputFolder) { $OutputFolder = Join-Path $root 'artifacts/pester' }
$null = New-Item -ItemType Directory -Path $OutputFolder -Force
$env:WORKFLOWTOOLS_PESTER_OUTPUT = $OutputFolder

if (-not $PesterManifest) {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $PesterManifest = Join-Path $packages 'pester/5.9.1/tools/Pester.psd1'
}
if (-not (Test-Path -LiteralPath $PesterManifest)) {
    throw "Pester 5.9.1 is not restored at ${PesterManifest}; run 'dotnet restore tests/WorkflowTools.Pester' first."
}
Import-Module $PesterManifest -Force

$plain = $env:CI -or [Console]::IsOutputRedirected
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
# "[|] name..." as each test starts: a run stopped for taking too long (tests/WorkflowTools.Pester) names the test.
$configuration.Debug.ShowStartMarkers = $true
if ($plain) {
    $configuration.Output.RenderMode = 'Plaintext'
    $PSStyle.OutputRendering = 'PlainText'
}
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = Join-Path $OutputFolder 'results.xml'
if ($FullNameFilter) { $configuration.Filter.FullName = $FullNameFilter }

$started = [datetime]::UtcNow
$result = Invoke-Pester -Configuration $configuration
$elapsed = [datetime]::UtcNow - $started

$failures = @(
    foreach ($test in $result.Failed) {
        [ordered]@{ Name = $test.ExpandedPath; Message = (($test.ErrorRecord | ForEach-Object { $_.ToString() }) -join "`n") }
    }
    foreach ($block in $result.FailedBlocks) {
        [ordered]@{ Name = "$($block.ExpandedPath) (setup)"; Message = (($block.ErrorRecord | ForEach-Object { $_.ToString() }) -join "`n") }
    }
    foreach ($container in $result.FailedContainers) {
        [ordered]@{ Name = "$($container.Item) (file)"; Message = (($container.ErrorRecord | ForEach-Object { $_.ToString() }) -join "`n") }
    }
)
$summary = [ordered]@{
    Result   = $result.Result
    Passed   = $result.PassedCount
    Failed   = $result.FailedCount
    Skipped  = $result.SkippedCount
    NotRun   = $result.NotRunCount
    Total    = $result.TotalCount
    Seconds  = [math]::Round($elapsed.TotalSeconds, 1)
    Failures = $failures
}
$summary | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $OutputFolder 'summary.json') -Encoding utf8

# Failed blocks and files count as failures too: Pester reports their tests as not run.
$ok = $result.Result -eq 'Passed' -and $result.FailedCount -eq 0 -and $failures.Count -eq 0 -and $result.PassedCount -gt 0
exit ([int](-not $ok))
