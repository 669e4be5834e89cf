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
        # What `dotnet run --project src/WorkflowTools.Try` shows, in this shell: a sandbox on a free port, the module
        # imported here, and the quick start run statement by statement as if typed at the prompt.
        Invoke-Dotnet @('build', 'src/WorkflowTools/WorkflowTools.csproj', '-c', $Configuration)
        Invoke-Dotnet @('build', 'src/WorkflowTools.Sandbox/WorkflowTools.Sandbox.csproj', '-c', $Configuration)
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $sandboxDll = Join-Path $PSScriptRoot "src/WorkflowTools.Sandbox/bin/$Configuration/net10.0/WorkflowTools.Sandbox.dll"
        $sandboxLog = Join-Path ([System.IO.Path]::GetTempPath()) "workflowtools-sandbox-$port.log"
        $sandbox = Start-Process dotnet -ArgumentList @("`"$sandboxDll`"", '--port', $port) -PassThru -NoNewWindow -RedirectStandardOutput $sandboxLog -RedirectStandardError "$sandboxLog.err"
        $saved = @{}
        $variables = @{
            WORKFLOWTOOLS_SANDBOX_NM = "http://127.0.0.1:$port/nextmatter/api/"
            WORKFLOWTOOLS_SANDBOX_PM = "http://127.0.0.1:$port/processmaker/"
            NEXTMATTER_API_KEY       = 'sandbox.nextmatter-api-key'
            PROCESSMAKER_TOKEN       = 'sandbox-processmaker-token'
        }
        try {
            $deadline = (Get-Date).AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 250
                $probe = [System.Net.Sockets.TcpClient]::new()
                try { $probe.Connect('127.0.0.1', $port); $up = $true } catch { $up = $false } finally { $probe.Dispose() }
            } until ($up -or $sandbox.HasExited -or (Get-Date) -gt $deadline)
            if (-not $up) { throw "The sandbox did not start on port ${port}: $((Get-Content -Raw -LiteralPath $sandboxLog, "$sandboxLog.err" -ErrorAction SilentlyContinue) -join "`n")" }

            foreach ($name in $variables.Keys) {
                $saved[$name] = [Environment]::GetEnvironmentVariable($name)
                [Environment]::SetEnvironmentVariable($name, $variables[$name])
            }
            Import-Module (Join-Path $moduleFolder 'WorkflowTools.psd1') -Force
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
            # The whole tree, then the log: a demo leaves nothing behind in the temp folder.
            if (-not $sandbox.HasExited) { $sandbox.Kill($true) }
            $null = $sandbox.WaitForExit(10000)
            Remove-Item -LiteralPath $sandboxLog, "$sandboxLog.err" -ErrorAction SilentlyContinue
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
