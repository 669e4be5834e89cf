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
        $script:job = Invoke-ScheduledJob -TimeoutSeconds 240 -Script @'
$PSStyle.OutputRendering = 'PlainText'
$cases = [ordered]@{
    'Connect-NmService'    = { param($s) Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM @s }
    'Get-NmConnection'     = { param($s) Get-NmConnection @s }
    'New-NmInstance'       = { param($s) $script:instance = New-NmInstance -ProcessId 1 -Name "job $($s.Keys)" -Tag job @s; "INSTANCE $($script:instance.Id)" }
    'Complete-NmStep'      = { param($s) Complete-NmStep -InstanceId $script:instance.Id -StepId 42 -Value @{ 123456 = 'Job'; 789012 = @{ itemSelected = 'Sales' } } @s }
    'Get-NmInstance'       = { param($s) Get-NmInstance -Id $script:instance.Id @s; Get-NmInstance -ProcessId 1 -First 2 @s }
    'Set-NmInstance'       = { param($s) Set-NmInstance -Id $script:instance.Id -AddTag debugged @s }
    'Get-NmProcess'        = { param($s) Get-NmProcess -ProcessId 1 -Step @s }
    'Get-NmFieldValue'     = { param($s) Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 123456 -First 2 @s }
    'Invoke-NmApi'         = { param($s) Invoke-NmApi "instances/$($script:instance.Id)/" @s }
    'Stop-NmInstance'      = { param($s) Stop-NmInstance -Id $script:instance.Id -Confirm:$false @s }
    'Remove-NmInstance'    = { param($s) Remove-NmInstance -Id $script:instance.Id -Force @s; "REMOVED $($script:instance.Id)" }
    'Disconnect-NmService' = { param($s) Disconnect-NmService @s; Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM }
    # The password grant: a password, a client secret, then an access and a refresh token are in play from here on.
    'Connect-PmServer'     = { param($s) Connect-PmServer -BaseUri $env:WORKFLOWTOOLS_SANDBOX_PM @s
                               Connect-PmServer -BaseUri $env:WORKFLOWTOOLS_SANDBOX_PM -ClientId sandbox-client @s `
                                   -Credential ([pscredential]::new('jobrunner', (ConvertTo-SecureString $env:JOB_PASSWORD -AsPlainText -Force))) `
                                   -ClientSecret (ConvertTo-SecureString $env:JOB_CLIENT_SECRET -AsPlainText -Force) }
    'Get-PmConnection'     = { param($s) Get-PmConnection @s }
    'Get-PmProcess'        = { param($s) Get-PmProcess -Id 1 @s }
    'Start-PmRequest'      = { param($s) $script:request = Start-PmRequest -ProcessId 1 -Data @{ employee = 'Job' } @s; "REQUEST $($script:request.Id)" }
    'Get-PmRequest'        = { param($s) Get-PmRequest -Id $script:request.Id @s }
    'Get-PmTask'           = { param($s) $script:task = Get-PmTask -RequestId $script:request.Id -Status Active @s | Select-Object -First 1 }
    'Complete-PmTask'      = { param($s) Complete-PmTask -TaskId $script:task.Id -Data @{ approved = $true } @s; "TASK $($script:task.Id)" }
    'Invoke-PmApi'         = { param($s) Invoke-PmApi -Path "requests/$($script:request.Id)" @s }
    'Stop-PmRequest'       = { param($s) $open = Start-PmRequest -ProcessId 1; Stop-PmRequest -Id $open.Id -Confirm:$false @s; "CANCELED $($open.Id)"
                               # A finished request: a warning, which must not prompt either.
                               Stop-PmRequest -Id $script:request.Id -Confirm:$false @s }
    'Get-PmUser'           = { param($s) Get-PmUser -First 2 @s; Get-PmUser -Id 2 @s }
    'New-PmUser'           = { param($s) $script:user = New-PmUser -UserName "job.$($s.Keys)".ToLowerInvariant() -FirstName Job -LastName User -Email 'job@example.com' -Password (ConvertTo-SecureString 'Job-Pa55word!' -AsPlainText -Force) @s; "USER $($script:user.Id)" }
    'Set-PmUser'           = { param($s) Set-PmUser -Id $script:user.Id -Title 'Scheduled' -PassThru @s }
    'New-PmGroup'          = { param($s) $script:group = New-PmGroup -Name "Job $($s.Keys)" @s; "GROUP $($script:group.Id)" }
    'Get-PmGroup'          = { param($s) Get-PmGroup -Id $script:group.Id @s }
    'Set-PmGroup'          = { param($s) Set-PmGroup -Id $script:group.Id -Description 'scheduled' @s }
    'Add-PmGroupMember'    = { param($s) Add-PmGroupMember -GroupId $script:group.Id -UserId $script:user.Id @s }
    'Get-PmGroupMember'    = { param($s) Get-PmGroupMember -GroupId $script:group.Id @s }
    'Remove-PmGroupMember' = { param($s) Remove-PmGroupMember -GroupId $script:group.Id -UserId $script:user.Id -Force @s }
    'Remove-PmGroup'       = { param($s) Remove-PmGroup -Id $script:group.Id -Force @s }
    'Set-PmTask'           = { param($s) $open = Start-PmRequest -ProcessId 1 | Get-PmTask -Status Active; Set-PmTask -Id $open.Id -AssignTo 2 @s; "REASSIGNED $($open.Id)" }
    'Remove-PmUser'        = { param($s) Remove-PmUser -Id $script:user.Id -Force @s }
    'Restore-PmUser'       = { param($s) Restore-PmUser -Id $script:user.Id -PassThru @s }
    'Set-PmRequest'        = { param($s) Set-PmRequest -Id $script:request.Id -Data @{ note = "job $($s.Keys)" } -Confirm:$false @s }
    'New-PmEnvironmentVariable' = { param($s) New-PmEnvironmentVariable -Name "JOB_$($s.Keys)" -Value 'job-secret-value' -Description 'job' @s }
    'Get-PmEnvironmentVariable' = { param($s) Get-PmEnvironmentVariable -Name "JOB_$($s.Keys)" @s }
    'Set-PmEnvironmentVariable' = { param($s) Set-PmEnvironmentVariable -Name "JOB_$($s.Keys)" -Value 'job-secret-2' -Confirm:$false @s }
    'Remove-PmEnvironmentVariable' = { param($s) Remove-PmEnvironmentVariable -Name "JOB_$($s.Keys)" -Force @s }
    'Add-PmRequestFile'    = { param($s) $f = Join-Path ([IO.Path]::GetTempPath()) "wt-job-$PID.txt"; Set-Content $f 'job'; $script:file = Add-PmRequestFile -RequestId $script:request.Id -Path $f -DataName "job$($s.Keys)" @s }
    'Get-PmRequestFile'    = { param($s) Get-PmRequestFile -RequestId $script:request.Id @s }
    'Save-PmRequestFile'   = { param($s) $script:file | Save-PmRequestFile -Destination ([IO.Path]::GetTempPath() + "wt-job-$PID/") -Force @s }
    'Remove-PmRequestFile' = { param($s) $script:file | Remove-PmRequestFile -Force @s }
    'Get-PmSecurityLog'    = { param($s) Get-PmSecurityLog -First 5 @s }
    'Export-PmProcess'     = { param($s) $script:package = Export-PmProcess -Id 1 -Path ([IO.Path]::GetTempPath() + "wt-job-$PID.json") -Force @s }
    'Import-PmProcess'     = { param($s) Import-PmProcess -Path $script:package.FullName -Mode Copy @s }
    'Remove-PmProcess'     = { param($s) Remove-PmProcess -Id 2 -Force @s }
    'Restore-PmProcess'    = { param($s) Restore-PmProcess -Id 2 -Confirm:$false @s }
    'Wait-PmRequest'       = { param($s) Wait-PmRequest -Id $script:request.Id -Timeout 30 -PollInterval 0.5 @s }
    'Wait-NmInstance'      = { param($s) $w = New-NmInstance -ProcessId 1 -Name "wait $($s.Keys)"; Stop-NmInstance -Id $w.Id -Confirm:$false; $w | Wait-NmInstance -Timeout 30 -PollInterval 0.5 @s }
    'Disconnect-PmServer'  = { param($s) Disconnect-PmServer @s; Connect-PmServer -BaseUri $env:WORKFLOWTOOLS_SANDBOX_PM -ClientId sandbox-client `
                                   -Credential ([pscredential]::new('jobrunner', (ConvertTo-SecureString $env:JOB_PASSWORD -AsPlainText -Force))) `
                                   -ClientSecret (ConvertTo-SecureString $env:JOB_CLIENT_SECRET -AsPlainText -Force) }
    # The export reads through the session's connections (the test sandbox); the others act on a sandbox of their own.
    'Export-WorkflowToolsSandboxSeed' = { param($s) $seed = Join-Path ([IO.Path]::GetTempPath()) "wt-job-seed-$PID.json"
                               try { $file = Export-WorkflowToolsSandboxSeed -Path $seed -NmProcessId 1 -PmProcessId 1 -Force @s
                                     if ((Get-Content -Raw $file.FullName | ConvertFrom-Json).nextMatter.processes.Count -ne 1) { throw "the seed lacks workflow 1" } }
                               finally { Remove-Item -LiteralPath $seed -ErrorAction SilentlyContinue } }
    'Start-WorkflowToolsSandbox' = { param($s) $script:sb = Start-WorkflowToolsSandbox -NoDemoData @s; "SANDBOX $($script:sb.ProcessId)" }
    'Get-WorkflowToolsSandbox' = { param($s) if (-not (Get-WorkflowToolsSandbox @s | Where-Object ProcessId -eq $script:sb.ProcessId)) { throw 'the started sandbox is not listed' } }
    'Add-WorkflowToolsSandboxFault' = { param($s) Add-WorkflowToolsSandboxFault -Sandbox $script:sb -Kind Status -StatusCode 503 -Times 1 -Path '/nowhere/' @s }
    'Clear-WorkflowToolsSandboxFault' = { param($s) Clear-WorkflowToolsSandboxFault -Sandbox $script:sb @s }
    'Reset-WorkflowToolsSandbox' = { param($s) Reset-WorkflowToolsSandbox -Sandbox $script:sb -Confirm:$false @s }
    'Set-WorkflowToolsSandboxClock' = { param($s) Set-WorkflowToolsSandboxClock -Sandbox $script:sb -Advance '01:00:00' -PassThru @s }
    'Get-WorkflowToolsSandboxRequest' = { param($s) Get-WorkflowToolsSandboxRequest -Sandbox $script:sb @s }
    'Clear-WorkflowToolsSandboxRequest' = { param($s) Clear-WorkflowToolsSandboxRequest -Sandbox $script:sb @s
                               if (Get-WorkflowToolsSandboxRequest -Sandbox $script:sb) { throw 'the request log is not empty' } }
    'Stop-WorkflowToolsSandbox' = { param($s) Stop-WorkflowToolsSandbox -Sandbox $script:sb @s; if ($script:sb.IsRunning) { throw 'the sandbox still runs' } }
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
