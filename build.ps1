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
        # What `dotnet run --project src/WorkflowTools.Try` shows, in this shell: the module imported here, a sandbox
        # started by its own Start-WorkflowToolsSandbox, and the quick start run statement by statement as if typed.
        Invoke-Dotnet @('build', 'src/WorkflowTools/WorkflowTools.csproj', '-c', $Configuration)
        $saved = @{}
        foreach ($name in 'WORKFLOWTOOLS_SANDBOX_NM', 'WORKFLOWTOOLS_SANDBOX_PM', 'NEXTMATTER_API_KEY', 'PROCESSMAKER_TOKEN') {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        Import-Module (Join-Path $moduleFolder 'WorkflowTools.psd1') -Force
        $sandbox = Start-WorkflowToolsSandbox -SetEnvironment -ErrorAction Stop
        try {
            $quickStart = Join-Path $moduleFolder 'Examples/QuickStart.ps1'
            $parseErrors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($quickStart, [ref] $null, [ref] $parseErrors)
            if ($parseErrors) { throw "$quickStart does not parse: $($parseErrors -join '; ')" }
            foreach ($statement in $ast.EndBlock.Statements) {
                Write-Host "PS> $($statement.Extent.Text -replace '\r?\n', "`n>> ")"
                . ([scriptblock]::Create($statement.Extent.Text)) | Out-Default
            }
        }
        finally {
            # The sandbox's whole process tree; then the session's variables as they were.
            Stop-WorkflowToolsSandbox -Sandbox $sandbox
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
    'Sandbox' {
        Invoke-Dotnet @('run', '--project', 'src/WorkflowTools.Sandbox')
    }
    'Benchmark' {
        Invoke-Dotnet @('run', '--project', 'src/WorkflowTools.Benchmarks', '-c', 'Release')
    }
}
