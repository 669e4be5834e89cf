<#
    Shared by the Pester files. Dot-source it in BeforeAll and call Start-TestSandbox; call Stop-TestSandbox in
    AfterAll. Start-TestSandbox imports the built module folder, starts the built sandbox dll on a free loopback port
    (one sandbox per test file), waits until it answers and connects the session to both services.

    The sandbox dll is $env:WORKFLOWTOOLS_SANDBOX_DLL when set (the runner sets it), else the newest
    src/WorkflowTools.Sandbox/bin/*/net10.0/WorkflowTools.Sandbox.dll. Run it directly rather than through
    `dotnet run`, so the process started here is the server itself and stopping it leaves nothing behind.
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

function Get-SandboxDll {
    if ($env:WORKFLOWTOOLS_SANDBOX_DLL) {
        if (-not (Test-Path -LiteralPath $env:WORKFLOWTOOLS_SANDBOX_DLL)) { throw "WORKFLOWTOOLS_SANDBOX_DLL points to '$env:WORKFLOWTOOLS_SANDBOX_DLL', which does not exist." }
        return $env:WORKFLOWTOOLS_SANDBOX_DLL
    }
    $found = Get-ChildItem -Path (Join-Path $script:RepoRoot 'src/WorkflowTools.Sandbox/bin') -Filter WorkflowTools.Sandbox.dll -Recurse -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -eq 'net10.0' } | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $found) { throw "The sandbox is not built: run 'dotnet build src/WorkflowTools.Sandbox' (or 'dotnet test WorkflowTools.sln') first." }
    $found.FullName
}

function Import-TestModule {
    $manifest = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'WorkflowTools.psd1')
    $built = Join-Path $script:RepoRoot "artifacts/module/WorkflowTools/$($manifest.ModuleVersion)/WorkflowTools.psd1"
    if (-not (Test-Path -LiteralPath $built)) { throw "The module is not built: run 'dotnet build src/WorkflowTools/WorkflowTools.csproj' first ($built is missing)." }
    Import-Module $built -Force -Global
    $built
}

function Start-TestSandbox {
    param([string[]] $ArgumentList = @())

    $script:ModuleManifestPath = Import-TestModule
    $dll = Get-SandboxDll
    $folder = Get-TestOutputFolder
    $name = "sandbox-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $stdout = Join-Path $folder "$name.out.log"
    $stderr = Join-Path $folder "$name.err.log"
    # --port 0: the sandbox picks a free port and prints its URLs, so no two test files race for one port.
    $process = Start-Process -FilePath dotnet -ArgumentList (@("`"$dll`"", '--port', '0') + $ArgumentList) -PassThru `
        -RedirectStandardOutput $stdout -RedirectStandardError $stderr
    $sandbox = [pscustomobject]@{ Process = $process; Base = $null; NextMatter = $null; Instance = $null; Log = $stdout; ControlToken = $null }
    try {
        # A second or two on an idle machine; the limit is for a heavily loaded one.
        $deadline = [datetime]::UtcNow.AddSeconds(120)
        while ($true) {
            if ($process.HasExited) {
                throw "The sandbox exited with code $($process.ExitCode) before it answered: $((Get-Content -Raw -LiteralPath $stderr, $stdout) -join "`n")"
            }
            $line = Select-String -LiteralPath $stdout -Pattern 'Next Matter base URI\s*:\s*(\S+)' -ErrorAction SilentlyContinue | Select-Object -First 1
            # The control token is printed after the addresses: wait for it too.
            $tokenLine = Select-String -LiteralPath $stdout -Pattern 'Control token\s*:\s*(\S+)' -ErrorAction SilentlyContinue | Select-Object -First 1
            if ($line -and $tokenLine) { break }
            if ([datetime]::UtcNow -gt $deadline) { throw "The sandbox printed no address within 120 s; see $stdout and $stderr." }
            Start-Sleep -Milliseconds 100
        }
        $sandbox.NextMatter = $line.Matches[0].Groups[1].Value
        $sandbox.ControlToken = $tokenLine.Matches[0].Groups[1].Value
        $env:WORKFLOWTOOLS_SANDBOX_CONTROL_TOKEN = $sandbox.ControlToken
        $sandbox.Base = $sandbox.NextMatter -replace '/nextmatter/api/$', ''
        $sandbox.Instance = "$($sandbox.Base)/processmaker/"
        # One real request: fail here, once, rather than in every test, when the sandbox does not answer.
        $probe = Invoke-WebRequest "$($sandbox.NextMatter)processes/1/" -Headers @{ Authorization = "Api-Key $script:SandboxNmKey" } -TimeoutSec 60 -SkipHttpErrorCheck
        if ($probe.StatusCode -ne 200) { throw "The sandbox answered $($probe.StatusCode) to GET processes/1/." }

        $env:WORKFLOWTOOLS_SANDBOX_NM = $sandbox.NextMatter
        $env:WORKFLOWTOOLS_SANDBOX_PM = $sandbox.Instance
        $env:NEXTMATTER_API_KEY = $script:SandboxNmKey
        $env:PROCESSMAKER_TOKEN = $script:SandboxPmToken
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
    if ($Sandbox -and $Sandbox.Process) {
        # The whole tree, and wait: nothing may outlive the test file or hold a piped stdout open.
        if (-not $Sandbox.Process.HasExited) { $Sandbox.Process.Kill($true) }
        $null = $Sandbox.Process.WaitForExit(10000)
    }
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
