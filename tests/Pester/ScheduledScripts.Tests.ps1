#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Every script the README and the help offer for scheduled use, run as a task scheduler runs it
    (`pwsh -NoProfile -NonInteractive -File job.ps1`, stdin closed, the module found through PSModulePath): it exits
    0 when all went well and non-zero with a bad key and with the service stopped (issue 24, section 2, item 2).
    Nothing here sets $ErrorActionPreference for the scripts: each must do what it needs itself.
#>

BeforeDiscovery {
    $script:Scripts = @(
        @{ Name = 'README nightly job' }
        @{ Name = 'NightlyRuntimeReport.ps1' }
        @{ Name = 'CancelStaleRequests.ps1' }
        @{ Name = 'BulkCreateFromCsv.ps1' }
        @{ Name = 'Disconnect-NmService example 2' }
        @{ Name = 'Remove-NmInstance example 2' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    $script:folder = Join-Path (Get-TestOutputFolder) "scheduled-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Path $script:folder -Force
    $script:moduleRoot = Split-Path (Split-Path (Split-Path $script:ModuleManifestPath))
    $script:examples = Join-Path (Split-Path $script:ModuleManifestPath) 'Examples'

    function script:CodeBlockAfter {
        <# The first ```powershell block after the line that matches $Marker in a Markdown file. #>
        param([string] $Path, [string] $Marker)
        $text = Get-Content -Raw -LiteralPath $Path
        $at = $text.IndexOf($Marker)
        if ($at -lt 0) { throw "'$Marker' is not in $Path." }
        if ($text.Substring($at) -notmatch '(?s)```powershell\r?\n(.*?)```') { throw "No powershell block after '$Marker' in $Path." }
        $Matches[1]
    }

    Set-Content -LiteralPath (Join-Path $script:folder 'one-hire.csv') -Value "ProcessId,Name,Tags,Priority`n1,Onboarding Scheduled,hr;remote,High" -Encoding utf8
    # The README's snippet as pasted, but for its credential line: a test has no vault and must not reach
    # core.nextmatter.com, so it takes the key from $env:NEXTMATTER_API_KEY (the snippet's own alternative) and the
    # sandbox's address.
    $readme = CodeBlockAfter (Join-Path $script:RepoRoot 'README.md') 'A nightly job:'
    $readme.Contains('Connect-NmService -Vault NightlyVault') | Should -BeTrue
    $readme = $readme.Replace('Connect-NmService -Vault NightlyVault', 'Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM')
    # The help's examples for scheduled scripts assume a connected session; a scheduled script connects first.
    $connect = "Connect-NmService -BaseUri `$env:WORKFLOWTOOLS_SANDBOX_NM`n"
    $helpFolder = Join-Path $script:RepoRoot 'src/WorkflowTools/Help/Examples'
    $script:Jobs = @{
        'README nightly job'             = @{ Text = $readme }
        'NightlyRuntimeReport.ps1'       = @{ File = Join-Path $script:examples 'NightlyRuntimeReport.ps1'; Arguments = @('-Path', (Join-Path $script:folder 'report.csv')) }
        'CancelStaleRequests.ps1'        = @{ File = Join-Path $script:examples 'CancelStaleRequests.ps1' }
        # One row: with the service stopped, each row waits out the connection's retries.
        'BulkCreateFromCsv.ps1'          = @{ File = Join-Path $script:examples 'BulkCreateFromCsv.ps1'; Arguments = @('-Path', (Join-Path $script:folder 'one-hire.csv')) }
        'Disconnect-NmService example 2' = @{ Text = $connect + (CodeBlockAfter (Join-Path $helpFolder 'Disconnect-NmService.md') '## Example 2') }
        'Remove-NmInstance example 2'    = @{ Text = $connect + (CodeBlockAfter (Join-Path $helpFolder 'Remove-NmInstance.md') '## Example 2') }
    }

    function script:Start-ScheduledScript {
        <# Starts one job in its own pwsh; $Environment overrides the sandbox's address, key and token. #>
        param([string] $Name, [hashtable] $Environment)
        $job = $script:Jobs[$Name]
        $file = $job.File
        if (-not $file) {
            $file = Join-Path $script:folder "$($Name -replace '\W', '-')-$([guid]::NewGuid().ToString('n').Substring(0, 6)).ps1"
            Set-Content -LiteralPath $file -Value $job.Text -Encoding utf8
        }
        $info = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $file) + @($job.Arguments | Where-Object { $_ })) { $info.ArgumentList.Add($a) }
        $info.WorkingDirectory = $script:folder
        $info.Environment['PSModulePath'] = $script:moduleRoot + [IO.Path]::PathSeparator + $env:PSModulePath
        $info.Environment['WORKFLOWTOOLS_SANDBOX_NM'] = $script:sandbox.NextMatter
        $info.Environment['WORKFLOWTOOLS_SANDBOX_PM'] = $script:sandbox.Instance
        $info.Environment['NEXTMATTER_API_KEY'] = $script:SandboxNmKey
        $info.Environment['PROCESSMAKER_TOKEN'] = $script:SandboxPmToken
        foreach ($k in $Environment.Keys) { $info.Environment[$k] = $Environment[$k] }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $process.StandardInput.Close()
        [pscustomobject]@{ Name = $Name; Process = $process; Out = $process.StandardOutput.ReadToEndAsync(); Err = $process.StandardError.ReadToEndAsync() }
    }

    function script:Wait-ScheduledScripts {
        <# Waits for started jobs and returns their outcomes by name. #>
        param([object[]] $Started, [int] $TimeoutSeconds = 300)
        $results = @{}
        $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
        foreach ($s in $Started) {
            try {
                $left = [math]::Max(1, ($deadline - [datetime]::UtcNow).TotalMilliseconds)
                if (-not $s.Process.WaitForExit([int]$left)) { throw "$($s.Name) did not finish within $TimeoutSeconds s." }
                $s.Process.WaitForExit()
                $results[$s.Name] = [pscustomobject]@{ ExitCode = $s.Process.ExitCode; Output = $s.Out.Result; Error = $s.Err.Result }
            }
            finally {
                if (-not $s.Process.HasExited) { $s.Process.Kill($true) }
            }
        }
        $results
    }

    $port = & {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }
    # A test instance for Remove-NmInstance's example to delete when all is well.
    $aborted = New-NmInstance -ProcessId 1 -Name 'Scheduled delete' -Tag test
    Stop-NmInstance -Id $aborted.Id -Confirm:$false

    # All jobs at once: with the service stopped, most of their time is the connection's retry waits (seconds).
    $stopped = foreach ($name in $script:Jobs.Keys) {
        Start-ScheduledScript $name @{ WORKFLOWTOOLS_SANDBOX_NM = "http://127.0.0.1:$port/nextmatter/api/"; WORKFLOWTOOLS_SANDBOX_PM = "http://127.0.0.1:$port/processmaker/" }
    }
    $good = foreach ($name in $script:Jobs.Keys) { Start-ScheduledScript $name @{} }
    $script:Good = Wait-ScheduledScripts $good
    $badKey = foreach ($name in $script:Jobs.Keys) { Start-ScheduledScript $name @{ NEXTMATTER_API_KEY = 'bad.nextmatter-key'; PROCESSMAKER_TOKEN = 'bad-processmaker-token' } }
    $script:BadKey = Wait-ScheduledScripts $badKey
    $script:Stopped = Wait-ScheduledScripts $stopped
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Scripts for scheduled tasks: <Name>' -ForEach $script:Scripts {
    It 'exits 0 with no error when all is well' {
        $run = $script:Good[$Name]
        $run.Error | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
    }

    It 'exits non-zero and says why with a bad key' {
        $run = $script:BadKey[$Name]
        $run.ExitCode | Should -Not -Be 0
        $run.Error + $run.Output | Should -Match '401|Unauthorized|key or token'
    }

    It 'exits non-zero and says why with the service stopped' {
        $run = $script:Stopped[$Name]
        $run.ExitCode | Should -Not -Be 0
        $run.Error + $run.Output | Should -Match 'ConnectionRefused'
    }
}
