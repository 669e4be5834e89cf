<#
    The per-cmdlet test cases: one entry per exported cmdlet, in the order the tests run them (a script may use what
    an earlier one made: $leak, $leakFile, $leakPackage and $sb in the leak scripts, $script:instance, $script:request,
    $script:user... in the job). A new cmdlet gets one entry here; the tests that read it fail until it has one.

    Name         the cmdlet.
    LeakSuccess  a call that succeeds and one that fails (a server error, a missing item or bad input), run with
    LeakFailure  -Verbose -Debug by SecretLeakTests (tests/WorkflowTools.Tests/Reliability): no API key, token or
                 password may reach any stream, object or error. Variables: $nmUri, $pmUri, $nmKey, $pmToken.
    Job          a script block's text, param($s): run once with -Verbose and once with -Debug splatted as $s by
                 ScheduledTask.Tests.ps1 in a non-interactive `pwsh -File` job; nothing may prompt or fail.
    Samples      (for the cmdlet that shows an output type best) output type name -> a script block's text,
                 param($Sandbox): one sample of each type the module writes, for Views.Tests.ps1 (80 columns) and
                 CsvRoundTrip.Tests.ps1 (Export-Csv and Import-Csv), through OutputSamples.ps1.

    Data only (Import-PowerShellDataFile reads it; the C# tests parse it with the same rules): scripts are
    single-quoted strings, with '' for a quote.
#>
@{
    Cmdlets = @(
        @{ Name        = 'Connect-NmService'
           LeakSuccess = 'Connect-NmService -BaseUri $nmUri -ApiKey $nmKey -RequestsPerMinute 0 -RetryDelay 0.01 -PassThru'
           LeakFailure = 'Connect-NmService -BaseUri ''http://example.com/api/'' -ApiKey $nmKey'
           Job         = 'param($s) Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM @s' }
        @{ Name        = 'Get-NmConnection'
           LeakSuccess = 'Get-NmConnection | Format-List * | Out-String'
           LeakFailure = 'Get-NmConnection -Bogus'
           Job         = 'param($s) Get-NmConnection @s'
           Samples     = @{ 'WorkflowTools.Connections.NmConnection' = 'param($Sandbox) Get-NmConnection' } }
        @{ Name        = 'New-NmInstance'
           LeakSuccess = 'New-NmInstance -ProcessId 1 -Name leak'
           LeakFailure = 'New-NmInstance -ProcessId 999'
           Job         = 'param($s) $script:instance = New-NmInstance -ProcessId 1 -Name "job $($s.Keys)" -Tag job @s; "INSTANCE $($script:instance.Id)"' }
        @{ Name        = 'Complete-NmStep'
           LeakSuccess = 'New-NmInstance -ProcessId 1 | Complete-NmStep -StepId 42 -Value @{ 123456 = ''x''; 789012 = @{ itemSelected = ''IT'' } }'
           LeakFailure = 'Complete-NmStep -InstanceId 1001 -StepId 44 -Value @{ 555003 = [datetime]''2026-01-01'' }'
           Job         = 'param($s) Complete-NmStep -InstanceId $script:instance.Id -StepId 42 -Value @{ 123456 = ''Job''; 789012 = @{ itemSelected = ''Sales'' } } @s'
           Samples     = @{ 'WorkflowTools.NextMatter.NmStepCompletion' = 'param($Sandbox) New-NmInstance -ProcessId 1 | Complete-NmStep -Value @{ 123456 = ''View''; 789012 = ''Sales'' }' } }
        @{ Name        = 'Get-NmInstance'
           LeakSuccess = 'Get-NmInstance -ProcessId 1 -PageSize 5 -First 7'
           LeakFailure = 'Get-NmInstance -Id 424242'
           Job         = 'param($s) Get-NmInstance -Id $script:instance.Id @s; Get-NmInstance -ProcessId 1 -First 2 @s'
           Samples     = @{ 'WorkflowTools.NextMatter.NmInstance' = 'param($Sandbox) Get-NmInstance -ProcessId 1 -Status Completed -First 3' } }
        @{ Name        = 'Set-NmInstance'
           LeakSuccess = 'Set-NmInstance -Id 1001 -Name renamed -PassThru'
           LeakFailure = 'Set-NmInstance -Id 424242 -Name nope'
           Job         = 'param($s) Set-NmInstance -Id $script:instance.Id -AddTag debugged @s' }
        @{ Name        = 'Get-NmProcess'
           LeakSuccess = 'Get-NmProcess -ProcessId 1 -Step'
           LeakFailure = 'Get-NmProcess -ProcessId 424242'
           Job         = 'param($s) Get-NmProcess -ProcessId 1 -Step @s'
           Samples     = @{ 'WorkflowTools.NextMatter.NmProcess' = 'param($Sandbox) Get-NmProcess -ProcessId 1'
                           'WorkflowTools.NextMatter.NmStep' = 'param($Sandbox) Get-NmProcess -ProcessId 1 -Step'
                           'WorkflowTools.NextMatter.NmStepAction' = 'param($Sandbox) Get-NmProcess -ProcessId 1 -Action' } }
        @{ Name        = 'Get-NmFieldValue'
           LeakSuccess = 'Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 123456'
           LeakFailure = 'Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 424242'
           Job         = 'param($s) Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 123456 -First 2 @s'
           Samples     = @{ 'WorkflowTools.NextMatter.NmFieldValue' = 'param($Sandbox) Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 123456 -Status Completed -First 3' } }
        @{ Name        = 'Invoke-NmApi'
           LeakSuccess = 'Invoke-NmApi -Method GET -Path ''instances/1001/'''
           LeakFailure = 'Invoke-NmApi -Method GET -Path ''instances/424242/'''
           Job         = 'param($s) Invoke-NmApi "instances/$($script:instance.Id)/" @s' }
        @{ Name        = 'Stop-NmInstance'
           LeakSuccess = 'New-NmInstance -ProcessId 1 | Stop-NmInstance -PassThru'
           LeakFailure = 'Stop-NmInstance -Id 424242'
           Job         = 'param($s) Stop-NmInstance -Id $script:instance.Id -Confirm:$false @s'
           Samples     = @{ 'WorkflowTools.NextMatter.NmBulkResult' = 'param($Sandbox) New-NmInstance -ProcessId 1 | Stop-NmInstance -PassThru -Confirm:$false' } }
        @{ Name        = 'Remove-NmInstance'
           LeakSuccess = 'New-NmInstance -ProcessId 1 | Remove-NmInstance -Force -PassThru'
           LeakFailure = 'Remove-NmInstance -Id 424242 -Force'
           Job         = 'param($s) Remove-NmInstance -Id $script:instance.Id -Force @s; "REMOVED $($script:instance.Id)"' }
        @{ Name        = 'Disconnect-NmService'
           LeakSuccess = 'Disconnect-NmService; Connect-NmService -BaseUri $nmUri -ApiKey $nmKey -RequestsPerMinute 0 -RetryDelay 0.01'
           LeakFailure = 'Disconnect-NmService -Bogus'
           Job         = 'param($s) Disconnect-NmService @s; Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM' }
        # The password grant: a password, a client secret, then an access and a refresh token are in play from here on.
        @{ Name        = 'Connect-PmServer'
           LeakSuccess = 'Connect-PmServer -BaseUri $pmUri -AccessToken $pmToken -RetryDelay 0.01 -PassThru'
           LeakFailure = 'Connect-PmServer -BaseUri ''mailto:x@example.com'' -AccessToken $pmToken'
           Job         = 'param($s) Connect-PmServer -BaseUri $env:WORKFLOWTOOLS_SANDBOX_PM @s
                                   Connect-PmServer -BaseUri $env:WORKFLOWTOOLS_SANDBOX_PM -ClientId sandbox-client @s `
                                       -Credential ([pscredential]::new(''jobrunner'', (ConvertTo-SecureString $env:JOB_PASSWORD -AsPlainText -Force))) `
                                       -ClientSecret (ConvertTo-SecureString $env:JOB_CLIENT_SECRET -AsPlainText -Force)' }
        @{ Name        = 'Get-PmConnection'
           LeakSuccess = 'Get-PmConnection | Format-List * | Out-String'
           LeakFailure = 'Get-PmConnection -Bogus'
           Job         = 'param($s) Get-PmConnection @s'
           Samples     = @{ 'WorkflowTools.Connections.PmConnection' = 'param($Sandbox) Get-PmConnection' } }
        @{ Name        = 'Get-PmProcess'
           LeakSuccess = 'Get-PmProcess -Name Onboarding'
           LeakFailure = 'Get-PmProcess -Id 424242'
           Job         = 'param($s) Get-PmProcess -Id 1 @s'
           Samples     = @{ 'WorkflowTools.ProcessMaker.PmProcess' = 'param($Sandbox) Get-PmProcess' } }
        @{ Name        = 'Start-PmRequest'
           LeakSuccess = 'Start-PmRequest -ProcessId 1 -Data @{ a = 1 }'
           LeakFailure = 'Start-PmRequest -ProcessId 2'
           Job         = 'param($s) $script:request = Start-PmRequest -ProcessId 1 -Data @{ employee = ''Job'' } @s; "REQUEST $($script:request.Id)"' }
        @{ Name        = 'Get-PmRequest'
           LeakSuccess = 'Get-PmRequest -Status InProgress -IncludeData -First 3'
           LeakFailure = 'Get-PmRequest -Id 424242'
           Job         = 'param($s) Get-PmRequest -Id $script:request.Id @s'
           Samples     = @{ 'WorkflowTools.ProcessMaker.PmRequest' = 'param($Sandbox) Get-PmRequest -Status Completed -First 3' } }
        @{ Name        = 'Get-PmTask'
           LeakSuccess = 'Start-PmRequest -ProcessId 1 | Get-PmTask'
           LeakFailure = 'Get-PmTask -Id 424242'
           Job         = 'param($s) $script:task = Get-PmTask -RequestId $script:request.Id -Status Active @s | Select-Object -First 1'
           Samples     = @{ 'WorkflowTools.ProcessMaker.PmTask' = 'param($Sandbox) Get-PmTask -First 3' } }
        @{ Name        = 'Complete-PmTask'
           LeakSuccess = 'Start-PmRequest -ProcessId 1 | Get-PmTask | Complete-PmTask -Data @{ ok = $true }'
           LeakFailure = 'Complete-PmTask -TaskId 424242 -Data @{}'
           Job         = 'param($s) Complete-PmTask -TaskId $script:task.Id -Data @{ approved = $true } @s; "TASK $($script:task.Id)"' }
        @{ Name        = 'Invoke-PmApi'
           LeakSuccess = 'Invoke-PmApi -Method GET -Path ''requests'' -All'
           LeakFailure = 'Invoke-PmApi -Method GET -Path ''requests/424242'''
           Job         = 'param($s) Invoke-PmApi -Path "requests/$($script:request.Id)" @s' }
        @{ Name        = 'Stop-PmRequest'
           LeakSuccess = 'Start-PmRequest -ProcessId 1 | Stop-PmRequest -PassThru'
           LeakFailure = 'Stop-PmRequest -Id 424242'
           Job         = 'param($s) $open = Start-PmRequest -ProcessId 1; Stop-PmRequest -Id $open.Id -Confirm:$false @s; "CANCELED $($open.Id)"
                                   # A finished request: a warning, which must not prompt either.
                                   Stop-PmRequest -Id $script:request.Id -Confirm:$false @s' }
        @{ Name        = 'Get-PmUser'
           LeakSuccess = 'Get-PmUser -First 2; Get-PmUser -Deleted'
           LeakFailure = 'Get-PmUser -Id 424242'
           Job         = 'param($s) Get-PmUser -First 2 @s; Get-PmUser -Id 2 @s'
           Samples     = @{ 'WorkflowTools.ProcessMaker.PmUser' = 'param($Sandbox) Get-PmUser' } }
        @{ Name        = 'New-PmUser'
           LeakSuccess = 'New-PmUser -UserName leak.user -FirstName L -LastName U -Email l@example.com -Password (ConvertTo-SecureString ''Leak-Pa55word!'' -AsPlainText -Force)'
           LeakFailure = 'New-PmUser -UserName leak.bad -FirstName L -LastName U -Email l@example.com -Password (ConvertTo-SecureString ''Leak-short'' -AsPlainText -Force)'
           Job         = 'param($s) $script:user = New-PmUser -UserName "job.$($s.Keys)".ToLowerInvariant() -FirstName Job -LastName User -Email ''job@example.com'' -Password (ConvertTo-SecureString ''Job-Pa55word!'' -AsPlainText -Force) @s; "USER $($script:user.Id)"' }
        @{ Name        = 'Set-PmUser'
           LeakSuccess = 'Set-PmUser -Id 2 -Title leak -Password (ConvertTo-SecureString ''Leak-Pa55word!'' -AsPlainText -Force) -PassThru'
           LeakFailure = 'Set-PmUser -Id 424242 -Title nope'
           Job         = 'param($s) Set-PmUser -Id $script:user.Id -Title ''Scheduled'' -PassThru @s' }
        @{ Name        = 'New-PmGroup'
           LeakSuccess = 'New-PmGroup -Name ''Leak two'''
           LeakFailure = 'New-PmGroup -Name ''bad/name'''
           Job         = 'param($s) $script:group = New-PmGroup -Name "Job $($s.Keys)" @s; "GROUP $($script:group.Id)"'
           Samples     = @{ 'WorkflowTools.ProcessMaker.PmGroup' = 'param($Sandbox) New-PmGroup -Name "Views $(Get-Random)" -Description ''Who may approve purchases above the limit''' } }
        @{ Name        = 'Get-PmGroup'
           LeakSuccess = 'Get-PmGroup -Name ''Leak two'''
           LeakFailure = 'Get-PmGroup -Id 424242'
           Job         = 'param($s) Get-PmGroup -Id $script:group.Id @s' }
        @{ Name        = 'Set-PmGroup'
           LeakSuccess = 'Get-PmGroup -Name ''Leak two'' | Set-PmGroup -Description x -PassThru'
           LeakFailure = 'Set-PmGroup -Id 424242 -Description x'
           Job         = 'param($s) Set-PmGroup -Id $script:group.Id -Description ''scheduled'' @s' }
        @{ Name        = 'Add-PmGroupMember'
           LeakSuccess = '$g = New-PmGroup -Name ''Leak three''; Add-PmGroupMember -GroupId $g.Id -UserId 2 -PassThru'
           LeakFailure = 'Add-PmGroupMember -GroupId 424242 -UserId 2'
           Job         = 'param($s) Add-PmGroupMember -GroupId $script:group.Id -UserId $script:user.Id @s'
           Samples     = @{ 'WorkflowTools.ProcessMaker.PmGroupMember' = 'param($Sandbox) $g = New-PmGroup -Name "Members $(Get-Random)"; Add-PmGroupMember -GroupId $g.Id -UserId 1, 2 -PassThru' } }
        @{ Name        = 'Get-PmGroupMember'
           LeakSuccess = 'Get-PmGroupMember -UserId 2'
           LeakFailure = 'Get-PmGroupMember -GroupId 424242'
           Job         = 'param($s) Get-PmGroupMember -GroupId $script:group.Id @s' }
        @{ Name        = 'Remove-PmGroupMember'
           LeakSuccess = 'Get-PmGroupMember -UserId 2 | Remove-PmGroupMember -Force -PassThru'
           LeakFailure = 'Remove-PmGroupMember -GroupId 424242 -UserId 2 -Force'
           Job         = 'param($s) Remove-PmGroupMember -GroupId $script:group.Id -UserId $script:user.Id -Force @s' }
        @{ Name        = 'Remove-PmGroup'
           LeakSuccess = 'Get-PmGroup -Name ''Leak two'' | Remove-PmGroup -Force -PassThru'
           LeakFailure = 'Remove-PmGroup -Id 424242 -Force'
           Job         = 'param($s) Remove-PmGroup -Id $script:group.Id -Force @s' }
        @{ Name        = 'Set-PmTask'
           LeakSuccess = 'Start-PmRequest -ProcessId 1 | Get-PmTask | Set-PmTask -AssignTo 2 -PassThru'
           LeakFailure = 'Set-PmTask -Id 424242 -AssignTo 2'
           Job         = 'param($s) $open = Start-PmRequest -ProcessId 1 | Get-PmTask -Status Active; Set-PmTask -Id $open.Id -AssignTo 2 @s; "REASSIGNED $($open.Id)"' }
        @{ Name        = 'Remove-PmUser'
           LeakSuccess = 'Get-PmUser -UserName leak.user | Remove-PmUser -Force -PassThru'
           LeakFailure = 'Remove-PmUser -Id 424242 -Force'
           Job         = 'param($s) Remove-PmUser -Id $script:user.Id -Force @s' }
        @{ Name        = 'Restore-PmUser'
           LeakSuccess = 'Get-PmUser -Deleted -Filter leak.user | Restore-PmUser -PassThru'
           LeakFailure = 'Restore-PmUser -Id 424242'
           Job         = 'param($s) Restore-PmUser -Id $script:user.Id -PassThru @s' }
        @{ Name        = 'Set-PmRequest'
           LeakSuccess = 'Set-PmRequest -Id 5 -Data @{ leak = 1 } -PassThru'
           LeakFailure = 'Set-PmRequest -Id 424242 -Data @{ leak = 1 }'
           Job         = 'param($s) Set-PmRequest -Id $script:request.Id -Data @{ note = "job $($s.Keys)" } -Confirm:$false @s' }
        @{ Name        = 'New-PmEnvironmentVariable'
           LeakSuccess = '$leak = ''LEAK_'' + [guid]::NewGuid().ToString(''n''); New-PmEnvironmentVariable -Name $leak -Value $pmToken -Description d'
           LeakFailure = 'New-PmEnvironmentVariable -Name $leak -Value $pmToken -Description d'
           Job         = 'param($s) New-PmEnvironmentVariable -Name "JOB_$($s.Keys)" -Value ''job-secret-value'' -Description ''job'' @s' }
        @{ Name        = 'Get-PmEnvironmentVariable'
           LeakSuccess = 'Get-PmEnvironmentVariable'
           LeakFailure = 'Get-PmEnvironmentVariable -Id 424242'
           Job         = 'param($s) Get-PmEnvironmentVariable -Name "JOB_$($s.Keys)" @s'
           Samples     = @{ 'WorkflowTools.ProcessMaker.PmEnvironmentVariable' = 'param($Sandbox)
            $null = New-PmEnvironmentVariable -Name VIEW_SAMPLE_WITH_A_LONG_NAME -Value x -Description ''A description longer than its column, to see it cut''
            Get-PmEnvironmentVariable' } }
        @{ Name        = 'Set-PmEnvironmentVariable'
           LeakSuccess = 'Set-PmEnvironmentVariable -Name $leak -Value $pmToken -PassThru'
           LeakFailure = 'Set-PmEnvironmentVariable -Name NO_SUCH -Value $pmToken'
           Job         = 'param($s) Set-PmEnvironmentVariable -Name "JOB_$($s.Keys)" -Value ''job-secret-2'' -Confirm:$false @s' }
        @{ Name        = 'Remove-PmEnvironmentVariable'
           LeakSuccess = 'Remove-PmEnvironmentVariable -Name $leak -Force -PassThru'
           LeakFailure = 'Remove-PmEnvironmentVariable -Id 424242 -Force'
           Job         = 'param($s) Remove-PmEnvironmentVariable -Name "JOB_$($s.Keys)" -Force @s' }
        @{ Name        = 'Add-PmRequestFile'
           LeakSuccess = '$leakFile = Join-Path ([IO.Path]::GetTempPath()) "wt-leak-$PID.txt"; Set-Content $leakFile ''leak''; Add-PmRequestFile -RequestId 5 -Path $leakFile'
           LeakFailure = 'Add-PmRequestFile -RequestId 424242 -Path $leakFile'
           Job         = 'param($s) $f = Join-Path ([IO.Path]::GetTempPath()) "wt-job-$PID.txt"; Set-Content $f ''job''; $script:file = Add-PmRequestFile -RequestId $script:request.Id -Path $f -DataName "job$($s.Keys)" @s' }
        @{ Name        = 'Get-PmRequestFile'
           LeakSuccess = 'Get-PmRequestFile -RequestId 5'
           LeakFailure = 'Get-PmRequestFile -RequestId 424242'
           Job         = 'param($s) Get-PmRequestFile -RequestId $script:request.Id @s'
           Samples     = @{ 'WorkflowTools.ProcessMaker.PmRequestFile' = 'param($Sandbox)
            $f = Join-Path ([IO.Path]::GetTempPath()) ''view-sample-attachment-with-a-long-name.txt''; Set-Content $f ''view''
            $null = Add-PmRequestFile -RequestId 5 -Path $f -DataName invoice_attachment; Get-PmRequestFile -RequestId 5' } }
        @{ Name        = 'Save-PmRequestFile'
           LeakSuccess = 'Get-PmRequestFile -RequestId 5 | Save-PmRequestFile -Destination ([IO.Path]::GetTempPath() + "wt-leak-$PID/") -Force'
           LeakFailure = 'Save-PmRequestFile -RequestId 5 -FileId 424242 -Destination ([IO.Path]::GetTempPath() + "wt-leak-$PID/")'
           Job         = 'param($s) $script:file | Save-PmRequestFile -Destination ([IO.Path]::GetTempPath() + "wt-job-$PID/") -Force @s' }
        @{ Name        = 'Remove-PmRequestFile'
           LeakSuccess = 'Get-PmRequestFile -RequestId 5 | Remove-PmRequestFile -Force'
           LeakFailure = 'Remove-PmRequestFile -RequestId 5 -FileId 424242 -Force'
           Job         = 'param($s) $script:file | Remove-PmRequestFile -Force @s' }
        @{ Name        = 'Get-PmSecurityLog'
           LeakSuccess = 'Get-PmSecurityLog -First 5'
           LeakFailure = 'Get-PmSecurityLog -After ''2026-02-01'' -Before ''2026-01-01'''
           Job         = 'param($s) Get-PmSecurityLog -First 5 @s'
           Samples     = @{ 'WorkflowTools.ProcessMaker.PmSecurityLogEntry' = 'param($Sandbox) Get-PmSecurityLog -First 3' } }
        @{ Name        = 'Export-PmProcess'
           LeakSuccess = '$leakPackage = Join-Path ([IO.Path]::GetTempPath()) "wt-leak-$PID.json"; Export-PmProcess -Id 1 -Path $leakPackage -Force -Password (ConvertTo-SecureString ''Leak-Pa55word!'' -AsPlainText -Force)'
           LeakFailure = 'Export-PmProcess -Id 424242 -Path $leakPackage -Force -Password (ConvertTo-SecureString ''Leak-Pa55word!'' -AsPlainText -Force)'
           Job         = 'param($s) $script:package = Export-PmProcess -Id 1 -Path ([IO.Path]::GetTempPath() + "wt-job-$PID.json") -Force @s' }
        @{ Name        = 'Import-PmProcess'
           LeakSuccess = 'Import-PmProcess -Path $leakPackage -Mode Copy -Password (ConvertTo-SecureString ''Leak-Pa55word!'' -AsPlainText -Force)'
           LeakFailure = 'Import-PmProcess -Path $leakPackage -Mode Copy -Password (ConvertTo-SecureString ''Leak-short'' -AsPlainText -Force)'
           Job         = 'param($s) Import-PmProcess -Path $script:package.FullName -Mode Copy @s' }
        @{ Name        = 'Remove-PmProcess'
           LeakSuccess = 'Remove-PmProcess -Id 2 -Force -PassThru'
           LeakFailure = 'Remove-PmProcess -Id 424242 -Force'
           Job         = 'param($s) Remove-PmProcess -Id 2 -Force @s' }
        @{ Name        = 'Restore-PmProcess'
           LeakSuccess = 'Restore-PmProcess -Id 2'
           LeakFailure = 'Restore-PmProcess -Id 424242'
           Job         = 'param($s) Restore-PmProcess -Id 2 -Confirm:$false @s' }
        @{ Name        = 'Wait-PmRequest'
           LeakSuccess = 'Get-PmRequest -Id 2 | Wait-PmRequest -Timeout 5 -PollInterval 0.2'
           LeakFailure = 'Wait-PmRequest -Id 424242 -Timeout 1 -PollInterval 0.2'
           Job         = 'param($s) Wait-PmRequest -Id $script:request.Id -Timeout 30 -PollInterval 0.5 @s' }
        @{ Name        = 'Wait-NmInstance'
           LeakSuccess = 'New-NmInstance -ProcessId 1 -Name wait | Tee-Object -Variable w | Stop-NmInstance; $w | Wait-NmInstance -Timeout 5 -PollInterval 0.2'
           LeakFailure = 'Wait-NmInstance -Id 424242 -Timeout 1 -PollInterval 0.2'
           Job         = 'param($s) $w = New-NmInstance -ProcessId 1 -Name "wait $($s.Keys)"; Stop-NmInstance -Id $w.Id -Confirm:$false; $w | Wait-NmInstance -Timeout 30 -PollInterval 0.5 @s' }
        @{ Name        = 'Disconnect-PmServer'
           LeakSuccess = 'Disconnect-PmServer; Connect-PmServer -BaseUri $pmUri -AccessToken $pmToken -RetryDelay 0.01'
           LeakFailure = 'Disconnect-PmServer -Bogus'
           Job         = 'param($s) Disconnect-PmServer @s; Connect-PmServer -BaseUri $env:WORKFLOWTOOLS_SANDBOX_PM -ClientId sandbox-client `
                                       -Credential ([pscredential]::new(''jobrunner'', (ConvertTo-SecureString $env:JOB_PASSWORD -AsPlainText -Force))) `
                                       -ClientSecret (ConvertTo-SecureString $env:JOB_CLIENT_SECRET -AsPlainText -Force)' }
        # The export reads through the session's connections (the test sandbox); the others act on a sandbox of their own.
        @{ Name        = 'Export-WorkflowToolsSandboxSeed'
           LeakSuccess = '$f = Join-Path ([IO.Path]::GetTempPath()) "wt-leak-seed-$PID.json"; $null = Export-WorkflowToolsSandboxSeed -Path $f -NmProcessId 1 -PmProcessId 1 -IncludeInstances -IncludePersonalData -Force; Get-Content -Raw $f; Remove-Item $f'
           LeakFailure = 'Export-WorkflowToolsSandboxSeed -Path ./leak.json -NmProcessId 424242 -Force'
           Job         = 'param($s) $seed = Join-Path ([IO.Path]::GetTempPath()) "wt-job-seed-$PID.json"
                                   try { $file = Export-WorkflowToolsSandboxSeed -Path $seed -NmProcessId 1 -PmProcessId 1 -Force @s
                                         if ((Get-Content -Raw $file.FullName | ConvertFrom-Json).nextMatter.processes.Count -ne 1) { throw "the seed lacks workflow 1" } }
                                   finally { Remove-Item -LiteralPath $seed -ErrorAction SilentlyContinue }'
           Samples     = @{ 'WorkflowTools.Testing.SeedFile' = 'param($Sandbox) Export-WorkflowToolsSandboxSeed -Path (Join-Path (Get-TestOutputFolder) "sample-seed-$PID.json") -NmProcessId 1 -Force' } }
        @{ Name        = 'Start-WorkflowToolsSandbox'
           LeakSuccess = '$sb = Start-WorkflowToolsSandbox -NoDemoData -FrozenClock; $sb | Format-List * | Out-String'
           LeakFailure = 'Start-WorkflowToolsSandbox -SeedPath ./no-such-seed.json'
           Job         = 'param($s) $script:sb = Start-WorkflowToolsSandbox -NoDemoData @s; "SANDBOX $($script:sb.ProcessId)"' }
        @{ Name        = 'Get-WorkflowToolsSandbox'
           LeakSuccess = 'Get-WorkflowToolsSandbox | Format-List * | Out-String'
           LeakFailure = 'Get-WorkflowToolsSandbox -Bogus'
           Job         = 'param($s) if (-not (Get-WorkflowToolsSandbox @s | Where-Object ProcessId -eq $script:sb.ProcessId)) { throw ''the started sandbox is not listed'' }'
           Samples     = @{ 'WorkflowTools.Testing.SandboxProcess' = 'param($Sandbox) Get-WorkflowToolsSandbox' } }
        @{ Name        = 'Add-WorkflowToolsSandboxFault'
           LeakSuccess = 'Add-WorkflowToolsSandboxFault -Sandbox $sb -Kind Html -Times 1'
           LeakFailure = 'Add-WorkflowToolsSandboxFault -Sandbox $sb -Spec ''kind=nope'''
           Job         = 'param($s) Add-WorkflowToolsSandboxFault -Sandbox $script:sb -Kind Status -StatusCode 503 -Times 1 -Path ''/nowhere/'' @s'
           Samples     = @{ 'WorkflowTools.Testing.SandboxFault' = 'param($Sandbox) Add-WorkflowToolsSandboxFault -Sandbox $Sandbox -Kind Status -StatusCode 503 -RetryAfter 0 -Times 2 -Path ''/processes/1/instances/''' } }
        @{ Name        = 'Clear-WorkflowToolsSandboxFault'
           LeakSuccess = 'Clear-WorkflowToolsSandboxFault -Sandbox $sb'
           LeakFailure = 'Clear-WorkflowToolsSandboxFault -Bogus'
           Job         = 'param($s) Clear-WorkflowToolsSandboxFault -Sandbox $script:sb @s' }
        @{ Name        = 'Reset-WorkflowToolsSandbox'
           LeakSuccess = 'Reset-WorkflowToolsSandbox -Sandbox $sb -PassThru | Format-List * | Out-String'
           LeakFailure = 'Reset-WorkflowToolsSandbox -Bogus'
           Job         = 'param($s) Reset-WorkflowToolsSandbox -Sandbox $script:sb -Confirm:$false @s' }
        @{ Name        = 'Set-WorkflowToolsSandboxClock'
           LeakSuccess = 'Set-WorkflowToolsSandboxClock -Sandbox $sb -Advance 01:00:00 -PassThru'
           LeakFailure = 'Set-WorkflowToolsSandboxClock -Sandbox $sb -Advance ''soon'''
           Job         = 'param($s) Set-WorkflowToolsSandboxClock -Sandbox $script:sb -Advance ''01:00:00'' -PassThru @s' }
        @{ Name        = 'Get-WorkflowToolsSandboxRequest'
           LeakSuccess = 'Get-WorkflowToolsSandboxRequest -Sandbox $sb | Format-List * | Out-String'
           LeakFailure = 'Get-WorkflowToolsSandboxRequest -Sandbox $sb -After -1'
           Job         = 'param($s) Get-WorkflowToolsSandboxRequest -Sandbox $script:sb @s'
           Samples     = @{ 'WorkflowTools.Testing.SandboxRequest' = 'param($Sandbox)
            $null = Get-NmInstance -ProcessId 1 -Status Running -First 3 -Connection $Sandbox.NmConnection
            Get-WorkflowToolsSandboxRequest -Sandbox $Sandbox' } }
        @{ Name        = 'Clear-WorkflowToolsSandboxRequest'
           LeakSuccess = 'Clear-WorkflowToolsSandboxRequest -Sandbox $sb'
           LeakFailure = 'Clear-WorkflowToolsSandboxRequest -Bogus'
           Job         = 'param($s) Clear-WorkflowToolsSandboxRequest -Sandbox $script:sb @s
                                   if (Get-WorkflowToolsSandboxRequest -Sandbox $script:sb) { throw ''the request log is not empty'' }' }
        @{ Name        = 'Stop-WorkflowToolsSandbox'
           LeakSuccess = 'Stop-WorkflowToolsSandbox -Sandbox $sb'
           LeakFailure = 'Stop-WorkflowToolsSandbox -Bogus'
           Job         = 'param($s) Stop-WorkflowToolsSandbox -Sandbox $script:sb @s; if ($script:sb.IsRunning) { throw ''the sandbox still runs'' }' }
    )
}
