<#
.SYNOPSIS
    Builds, tests, packages or demonstrates WorkflowTools. Every task wraps a dotnet command, so the
    same work can be done without PowerShell (the command is printed before it runs).
.EXAMPLE
    ./build.ps1                  # build the module into artifacts/module/WorkflowTools/<version>/
.EXAMPLE
    ./build.ps1 -Task Test       # run every test (the same command CI runs)
.EXAMPLE
    ./build.ps1 -Task Demo       # run the quick start against the embedded sandbox
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Sandbox', 'Benchmark')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot

function Invoke-Dotnet {
    param([string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE" }
}

$manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'WorkflowTools.psd1')
$moduleFolder = Join-Path $PSScriptRoot "artifacts/module/WorkflowTools/$($manifest.ModuleVersion)"

switch ($Task) {
    'Build' {
        Invoke-Dotnet @('build', 'src/WorkflowTools/WorkflowTools.csproj', '-c', $Configuration)
        Write-Host "Module ready: Import-Module '$moduleFolder/WorkflowTools.psd1'"
    }
    'Test' {
        Invoke-Dotnet @('test', 'WorkflowTools.sln')
    }
    'Package' {
        Invoke-Dotnet @('build', 'src/WorkflowTools/WorkflowTools.csproj', '-c', $Configuration, '-t:PackModule')
    }
    'Demo' {
        Invoke-Dotnet @('build', 'src/WorkflowTools/WorkflowTools.csproj', '-c', $Configuration)
        $sandbox = Start-Process dotnet -ArgumentList @('run', '--project', 'src/WorkflowTools.Sandbox', '--', '--port', '5080') -PassThru -NoNewWindow
        try {
            Start-Sleep -Seconds 5
            Import-Module (Join-Path $moduleFolder 'WorkflowTools.psd1') -Force
            $env:WORKFLOWTOOLS_SANDBOX = 'http://127.0.0.1:5080/'
            & (Join-Path $PSScriptRoot 'examples/QuickStart.ps1')
        }
        finally {
            Stop-Process -Id $sandbox.Id -ErrorAction SilentlyContinue
        }
    }
    'Sandbox' {
        Invoke-Dotnet @('run', '--project', 'src/WorkflowTools.Sandbox')
    }
    'Benchmark' {
        Invoke-Dotnet @('run', '--project', 'src/WorkflowTools.Benchmarks', '-c', 'Release')
    }
}
