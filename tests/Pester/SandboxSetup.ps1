<#
    Shared by the Pester files. Dot-source it in BeforeAll and call Start-TestSandbox; call Stop-TestSandbox in
    AfterAll. Start-TestSandbox imports the built module folder and starts the sandbox as users do, with the module's
    own Start-WorkflowToolsSandbox (one sandbox per test file, on a free loopback port; its copy in the module's
    Sandbox/ folder, or the workflowtools-sandbox tool when that is installed), then connects the session to both
    services with the sandbox's key and token.
#>

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:SandboxNmKey = 'sandbox.nextmatter-api-key'
$script:SandboxPmToken = 'sandbox-processmaker-token'

function Get-TestOutputFolder {
    # Logs and results live under artifacts/ (git-ignored), never next to the tests.
    $folder = if ($env:WORKFLOWTOOLS_PESTER_OUTPUT) { $env:WORKFLOWTOOLS_PESTER_OUTPUT } else { Join-Path $script:RepoRoot 'artifacts/pester' }
    $null = New-Item -ItemType Directory -Path $folder -Force
    $folder
}

function Import-TestModule {
    $manifest = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'WorkflowTools.psd1')
    $built = Join-Path $script:RepoRoot "artifacts/module/WorkflowTools/$($manifest.ModuleVersion)/WorkflowTools.psd1"
    if (-not (Test-Path -LiteralPath $built)) { throw "The module is not built: run 'dotnet build src/WorkflowTools/WorkflowTools.csproj' first ($built is missing)." }
    Import-Module $built -Force -Global
    $built
}

function Get-SandboxDll {
    <# The sandbox's dll in the built module's Sandbox/ folder: the copy Start-WorkflowToolsSandbox runs. #>
    $manifest = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'WorkflowTools.psd1')
    $dll = Join-Path $script:RepoRoot "artifacts/module/WorkflowTools/$($manifest.ModuleVersion)/Sandbox/WorkflowTools.Sandbox.dll"
    if (-not (Test-Path -LiteralPath $dll)) { throw "The module's sandbox is not built: run 'dotnet build src/WorkflowTools/WorkflowTools.csproj' first ($dll is missing)." }
    $dll
}

function Start-TestSandbox {
    <#
        Start-WorkflowToolsSandbox -SetEnvironment (with -SeedPath / -ClockStart / -RateLimit when given), connected as
        a user connects. Returns the addresses the tests use (NextMatter, Instance, Base), the control token and the
        sandbox. Parameters it does not know are an error, not dropped.
    #>
    [CmdletBinding()]
    param([string] $SeedPath, [datetime] $ClockStart, [int] $RateLimit)

    $script:ModuleManifestPath = Import-TestModule
    $start = @{ SetEnvironment = $true; StartTimeout = 120 }   # seconds on an idle machine; the limit is for a loaded one
    if ($SeedPath) { $start.SeedPath = $SeedPath }
    if ($PSBoundParameters.ContainsKey('ClockStart')) { $start.ClockStart = $ClockStart }
    if ($RateLimit) { $start.RateLimit = $RateLimit }
    $started = Start-WorkflowToolsSandbox @start -ErrorAction Stop
    $sandbox = [pscustomobject]@{ Sandbox = $started; Base = $null; NextMatter = $null; Instance = $null; ControlToken = $null }
    try {
        # The control token is what the sandbox prints at start (its Output); the tests' raw control calls send it.
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while (-not ($started.Output -match 'Control token\s*:\s*(\S+)')) {
            if ([datetime]::UtcNow -gt $deadline) { throw "The sandbox printed no control token within 60 s: $($started.Output)" }
            Start-Sleep -Milliseconds 50
        }
        $sandbox.ControlToken = $Matches[1]
        $env:WORKFLOWTOOLS_SANDBOX_CONTROL_TOKEN = $sandbox.ControlToken
        $sandbox.NextMatter = $started.NextMatterUri.AbsoluteUri
        $sandbox.Instance = $started.ProcessMakerUri.AbsoluteUri
        $sandbox.Base = $sandbox.NextMatter -replace '/nextmatter/api/$', ''
        # One real request: fail here, once, rather than in every test, when the sandbox does not answer.
        $probe = Invoke-WebRequest "$($sandbox.NextMatter)processes/1/" -Headers @{ Authorization = "Api-Key $script:SandboxNmKey" } -TimeoutSec 60 -SkipHttpErrorCheck
        if ($probe.StatusCode -ne 200) { throw "The sandbox answered $($probe.StatusCode) to GET processes/1/." }

        Connect-NmService -BaseUri $sandbox.NextMatter -ApiKey (ConvertTo-SecureString $script:SandboxNmKey -AsPlainText -Force)
        Connect-PmServer -BaseUri $sandbox.Instance -AccessToken (ConvertTo-SecureString $script:SandboxPmToken -AsPlainText -Force)
    }
    catch {
        Stop-TestSandbox $sandbox
        throw
    }
    $sandbox
}

function Stop-TestSandbox {
    param($Sandbox)
    # Stop-WorkflowToolsSandbox ends the sandbox's whole process tree and waits: nothing outlives the test file.
    if ($Sandbox -and $Sandbox.Sandbox) { Stop-WorkflowToolsSandbox -Sandbox $Sandbox.Sandbox }
    Remove-Module WorkflowTools -ErrorAction SilentlyContinue
}

function Get-LoggedRequest {
    <# What the sandbox of the last Start-TestSandbox received after sequence number $After (its own control calls excluded). #>
    param([long] $After = 0)
    $base = $env:WORKFLOWTOOLS_SANDBOX_NM -replace '/nextmatter/api/$', ''
    @(Invoke-SandboxControl -Path "requests?after=$After") | ForEach-Object { $_ }
}

function Invoke-SandboxControl {
    <# A call to the control API (/_sandbox/...) of the last Start-TestSandbox, with its control token. #>
    param([Parameter(Mandatory)] [string] $Path, [string] $Method = 'Get', $Body)
    $base = $env:WORKFLOWTOOLS_SANDBOX_NM -replace '/nextmatter/api/$', ''
    $call = @{ Method = $Method; Uri = "$base/_sandbox/$Path"; Headers = @{ 'X-Sandbox-Token' = $env:WORKFLOWTOOLS_SANDBOX_CONTROL_TOKEN } }
    if ($PSBoundParameters.ContainsKey('Body')) { $call.ContentType = 'application/json'; $call.Body = ($Body | ConvertTo-Json -Depth 5 -Compress) }
    Invoke-RestMethod @call
}

function Get-LastSequence {
    <# The sequence number of the last request the sandbox logged: pass it to Get-LoggedRequest -After. #>
    $log = @(Get-LoggedRequest)
    if ($log.Count) { [long]$log[-1].sequence } else { 0L }
}

function Invoke-SandboxApi {
    <# A raw request to the sandbox, not through the module: how a test reads the server's own state. #>
    param(
        [Parameter(Mandatory)] [ValidateSet('NextMatter', 'ProcessMaker')] [string] $Service,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Method = 'GET'
    )
    if ($Service -eq 'NextMatter') {
        Invoke-RestMethod -Method $Method -Uri "$env:WORKFLOWTOOLS_SANDBOX_NM$Path" -Headers @{ Authorization = "Api-Key $script:SandboxNmKey" }
    }
    else {
        Invoke-RestMethod -Method $Method -Uri "$($env:WORKFLOWTOOLS_SANDBOX_PM)api/1.0/$Path" -Headers @{ Authorization = "Bearer $script:SandboxPmToken" }
    }
}

function Invoke-ScheduledJob {
    <#
        Runs a script as a scheduled task would: a new `pwsh -NoProfile -NonInteractive -File job.ps1` with stdin
        closed, the built module and the sandbox's address in the environment. Returns the exit code and every line
        the job wrote to stdout and stderr.
    #>
    param([Parameter(Mandatory)] [string] $Script, [int] $TimeoutSeconds = 60)
    $folder = Get-TestOutputFolder
    $job = Join-Path $folder "job-$([guid]::NewGuid().ToString('n').Substring(0, 8)).ps1"
    $prelude = "`$ErrorActionPreference = 'Stop'`nImport-Module '$($script:ModuleManifestPath -replace "'", "''")'`n" +
        "Connect-NmService -BaseUri `$env:WORKFLOWTOOLS_SANDBOX_NM`nConnect-PmServer -BaseUri `$env:WORKFLOWTOOLS_SANDBOX_PM`n"
    Set-Content -LiteralPath $job -Value ($prelude + $Script) -Encoding utf8
    # The same pwsh as this one; under `dotnet tool run pwsh` that is `dotnet …/pwsh.dll`.
    $info = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-File', $job) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    try {
        $process.StandardInput.Close()
        $out = $process.StandardOutput.ReadToEndAsync()
        $err = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "The job did not finish within $TimeoutSeconds s: $job"
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $out.Result; Error = $err.Result; Script = $job }
    }
    finally {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.Dispose()
        Remove-Item -LiteralPath $job -ErrorAction SilentlyContinue
    }
}
