#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Scheduled-task mode: every cmdlet run with -Verbose and with -Debug by a job started as a task scheduler starts
    it, `pwsh -NoProfile -NonInteractive -File job.ps1` with stdin closed. Nothing may prompt ("Continue with this
    operation?") or fail for want of a console, and the work must really be done on the server.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    # A ProcessMaker user with a password no other text contains, for the password grant the job connects with.
    $script:jobPassword = 'J0b+Pa55/w0rd=Qx7'
    $script:seed = Join-Path (Get-TestOutputFolder) "job-seed-$PID.json"
    @{ version = 1; demoData = $true; processMaker = @{ users = @(@{ id = 50; username = 'jobrunner'; admin = $true; password = $script:jobPassword }) } } |
        ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $script:seed -Encoding utf8
    $script:sandbox = Start-TestSandbox -SeedPath $script:seed
}

AfterAll {
    Stop-TestSandbox $script:sandbox
    Remove-Item -LiteralPath $script:seed -ErrorAction SilentlyContinue
}

Describe 'Every cmdlet with -Verbose and with -Debug in a non-interactive job' {
    BeforeAll {
        # One job for all of it (a pwsh start costs seconds). Each case runs once per switch; the job prints
        # "OK <cmdlet> <switch>" or "FAIL <cmdlet> <switch>: <error>" and the ids of what it changed.
        $env:JOB_PASSWORD = $script:jobPassword
        $env:JOB_CLIENT_SECRET = 'sandbox-secret'
        $env:JOB_CASES = Join-Path $PSScriptRoot 'CmdletCases.psd1'
        $script:job = Invoke-ScheduledJob -TimeoutSeconds 240 -Script @'
$PSStyle.OutputRendering = 'PlainText'
# The cases, in order (later ones use what earlier ones made): the Job of each cmdlet in CmdletCases.psd1.
$cases = [ordered]@{}
# An entry without a Job counts as missing below; a name twice fails as a duplicate key of a literal table would.
foreach ($case in (Import-PowerShellDataFile -LiteralPath $env:JOB_CASES).Cmdlets) {
    if ($cases.Contains($case.Name)) { "FAIL $($case.Name) (two cases in CmdletCases.psd1)" }
    elseif ($case.Job) { $cases[$case.Name] = [scriptblock]::Create($case.Job) }
}
$missing = Get-Command -Module WorkflowTools | Where-Object { -not $cases.Contains($_.Name) }
foreach ($command in $missing) { "FAIL $($command.Name) (no case in this job)" }
foreach ($switch in 'Verbose', 'Debug') {
    foreach ($name in $cases.Keys) {
        try {
            & $cases[$name] @{ $switch = $true } *>&1 | ForEach-Object { "  $_" }
            "OK $name $switch"
        }
        catch {
            "FAIL $name ${switch}: $($_.Exception.GetType().Name): $($_.Exception.Message)"
        }
    }
}
# Everything $Error holds, in full (records, exceptions with their inner ones, error details), for the secret check.
"ERRORS $($Error.Count)"
foreach ($record in $Error) {
    ($record | Format-List * -Force | Out-String -Width 500) -split '\r?\n' | ForEach-Object { "  $_" }
    $exception = if ($record -is [System.Management.Automation.ErrorRecord]) { $record.Exception } else { $record }
    "$exception" -split '\r?\n' | ForEach-Object { "  $_" }
}
'@
        $script:lines = $script:job.Output -split '\r?\n' | ForEach-Object Trim
    }

    It 'shows no secret in any stream or in $Error, in any encoding' {
        # Every stream of every case went to stdout (*>&1), $Error was printed in full at the end, stderr is kept too.
        $text = $script:job.Output + "`n" + $script:job.Error
        $text | Should -Match 'ERRORS \d+'
        $text | Should -Match 'Authorization: Bearer \[redacted\]'
        $secrets = @(
            'sandbox.nextmatter-api-key', 'nextmatter-api-key'     # the Next Matter key (from NEXTMATTER_API_KEY)
            'sandbox-processmaker-token', 'processmaker-token'      # the ProcessMaker token (from PROCESSMAKER_TOKEN)
            'sandbox-secret'                                       # the OAuth client secret
            $script:jobPassword, [uri]::EscapeDataString($script:jobPassword), 'Pa55'   # the password, as is and form-encoded
            'eyJ'                                                  # any JWT: the access tokens the password grant returned
            'pm-refresh-'                                          # the refresh tokens
        )
        foreach ($secret in $secrets) {
            $found = @($text -split '\r?\n' | Where-Object { $_.Contains($secret) })
            $found | Should -BeNullOrEmpty -Because "'$secret' must not appear (it did in: $($found | Select-Object -First 2))"
        }
    }

    It 'finishes with exit code 0 and no error output' {
        $script:job.Error | Should -BeNullOrEmpty
        $script:job.ExitCode | Should -Be 0
    }

    It 'runs every exported cmdlet with both switches and never prompts' {
        $failed = $script:lines | Where-Object { $_ -like 'FAIL *' }
        $failed | Should -BeNullOrEmpty
        ($script:lines | Where-Object { $_ -like 'OK *' }).Count | Should -Be (2 * @(Get-Command -Module WorkflowTools).Count)
        $script:job.Output | Should -Not -Match 'Continue with this operation|NonInteractive mode'
    }

    It 'shows debug lines and warnings with -Debug' {
        $script:lines | Should -Contain 'Credential source: environment variable NEXTMATTER_API_KEY.'
        ($script:lines | Where-Object { $_ -match '^(WARNING: )?Request \d+ is already Completed; it was not canceled\.$' }).Count | Should -Be 2
    }

    It 'did the work on the server: the request is canceled, its task closed, the instance deleted' {
        foreach ($id in $script:lines | Where-Object { $_ -like 'CANCELED *' } | ForEach-Object { ($_ -split ' ')[1] }) {
            (Invoke-SandboxApi ProcessMaker "requests/$id").status | Should -Be 'CANCELED'
        }
        foreach ($id in $script:lines | Where-Object { $_ -like 'TASK *' } | ForEach-Object { ($_ -split ' ')[1] }) {
            (Invoke-SandboxApi ProcessMaker "tasks/$id").status | Should -Be 'CLOSED'
        }
        $removed = @($script:lines | Where-Object { $_ -like 'REMOVED *' } | ForEach-Object { ($_ -split ' ')[1] })
        $removed.Count | Should -Be 2
        foreach ($id in $removed) {
            { Invoke-SandboxApi NextMatter "instances/$id/" } | Should -Throw '*404*'
        }
    }
}
