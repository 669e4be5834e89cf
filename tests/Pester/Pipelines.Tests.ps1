#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Pipelines a user writes, checked on the server: a cmdlet that changes what the listing upstream filters on
    must not lose items, and chained steps complete the next active step.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Get-PmRequest -Status InProgress | Stop-PmRequest' {
    It 'cancels every request the listing found, across pages' {
        1..40 | ForEach-Object { [pscustomobject]@{ ProcessId = 1 } } | Start-PmRequest -Data @{ employee = 'Batch' } | Out-Null
        $before = @(Get-PmRequest -Status InProgress)
        $before.Count | Should -BeGreaterOrEqual 40

        Get-PmRequest -Status InProgress | Stop-PmRequest -Confirm:$false -WarningVariable warnings

        $warnings | Should -BeNullOrEmpty
        foreach ($request in $before) {
            (Invoke-SandboxApi ProcessMaker "requests/$($request.Id)").status | Should -Be 'CANCELED' -Because "request $($request.Id) was listed"
        }
    }
}

Describe 'Get-PmTask -Status Active | Complete-PmTask' {
    It 'completes every task the listing found, across pages' {
        $requests = 1..30 | ForEach-Object { Start-PmRequest -ProcessId 1 -Data @{ employee = "Task $_" } }
        $before = @(Get-PmTask -Status Active | Where-Object { $_.RequestId -in $requests.Id })
        $before.Count | Should -Be 30

        Get-PmTask -Status Active | Where-Object { $_.RequestId -in $requests.Id } | Complete-PmTask -Data @{ approved = $true }

        foreach ($task in $before) {
            (Invoke-SandboxApi ProcessMaker "tasks/$($task.Id)").status | Should -Be 'CLOSED' -Because "task $($task.Id) was listed"
        }
    }
}

Describe 'Stopping a finished item says so and leaves it as it is' {
    It 'Stop-PmRequest warns about a Completed and a Canceled request and does not cancel them' {
        $completed = Get-PmRequest -Status Completed -First 1
        $completed | Should -Not -BeNullOrEmpty
        $canceled = Start-PmRequest -ProcessId 1 -Data @{ employee = 'Twice' }
        Stop-PmRequest -Id $canceled.Id -Confirm:$false

        Stop-PmRequest -Id $completed.Id, $canceled.Id -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings.Count | Should -Be 2
        "$($warnings[0])" | Should -Be "Request $($completed.Id) is already Completed; it was not canceled."
        "$($warnings[1])" | Should -Be "Request $($canceled.Id) is already Canceled; it was not canceled."
        (Invoke-SandboxApi ProcessMaker "requests/$($completed.Id)").status | Should -Be 'COMPLETED'
    }

    It 'Stop-NmInstance warns about a piped Completed instance and returns no Abort result for it' {
        $completed = Get-NmInstance -ProcessId 1 -Status Completed -First 1
        $running = New-NmInstance -ProcessId 1 -Name 'Abort me'

        $result = $completed, $running | Stop-NmInstance -PassThru -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue

        @($result).InstanceId | Should -Be @($running.Id)
        "$($warnings[0])" | Should -Be "The instance $($completed.Id) is already Completed; it was not aborted."
        (Invoke-SandboxApi NextMatter "instances/$($completed.Id)/").completed_time | Should -Not -BeNullOrEmpty
        (Invoke-SandboxApi NextMatter "instances/$($running.Id)/").aborted_time | Should -Not -BeNullOrEmpty
    }
}

Describe 'A workflow piped into the instance cmdlets' {
    It 'Get-NmProcess | Get-NmInstance lists the workflow''s instances, not the instance with the workflow''s id' {
        $expected = @(Get-NmInstance -ProcessId 1 | ForEach-Object Id)
        $after = Get-LastSequence
        $listed = @(Get-NmProcess -ProcessId 1 | Get-NmInstance)
        $listed.Count | Should -Be $expected.Count
        @($listed | ForEach-Object Id) | Should -Be $expected
        @($listed | Where-Object ProcessId -ne 1) | Should -BeNullOrEmpty
        @(Get-LoggedRequest $after | Where-Object { $_.path -like '*/instances/1/*' }) | Should -BeNullOrEmpty
    }

    It 'Get-NmProcess | Get-NmInstance -Status Running lists that workflow''s running instances' {
        $expected = @(Get-NmInstance -ProcessId 1 -Status Running | ForEach-Object Id)
        $expected.Count | Should -BeGreaterThan 0
        @(Get-NmProcess -ProcessId 1 | Get-NmInstance -Status Running | ForEach-Object Id) | Should -Be $expected
    }

    It '<Command> refuses a piped workflow and sends nothing for it' -TestCases @(
        @{ Command = 'Stop-NmInstance'; Arguments = @{ Confirm = $false } }
        @{ Command = 'Remove-NmInstance'; Arguments = @{ Confirm = $false } }
        @{ Command = 'Set-NmInstance'; Arguments = @{ Priority = 'High'; Confirm = $false } }
        @{ Command = 'Complete-NmStep'; Arguments = @{ Confirm = $false } }
    ) {
        $workflow = Get-NmProcess -ProcessId 1
        $after = Get-LastSequence
        $workflow | & $Command @Arguments -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.WorkflowNotInstance,*'
        "$failures" | Should -Match "Get-NmInstance -ProcessId 1 \| $Command"
        @(Get-LoggedRequest $after) | Should -BeNullOrEmpty -Because 'nothing may be sent for a workflow id taken as an instance id'
    }

    It 'a CSV of workflows is a workflow too, for Stop-NmInstance' {
        $csv = Join-Path $TestDrive 'workflows.csv'
        Get-NmProcess -ProcessId 1 | Export-Csv -LiteralPath $csv
        $after = Get-LastSequence
        Import-Csv -LiteralPath $csv | Stop-NmInstance -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.WorkflowNotInstance,*'
        @(Get-LoggedRequest $after) | Should -BeNullOrEmpty
    }

    It 'New-NmInstance starts an instance of the piped workflow' {
        $after = Get-LastSequence
        $created = Get-NmProcess -ProcessId 1 | New-NmInstance -Name 'From a workflow row'
        $created.ProcessId | Should -Be 1
        $posts = @(Get-LoggedRequest $after | Where-Object method -eq 'POST')
        $posts | Should -HaveCount 1
        ($posts[0].body | ConvertFrom-Json).process | Should -Match '/processes/1/?$'
        ($posts[0].body | ConvertFrom-Json).name | Should -Be 'From a workflow row'
    }

    It 'still takes instance rows, CSV rows and numbers' {
        $after = Get-LastSequence
        @([pscustomobject]@{ Id = 1002 }, 1003) | Set-NmInstance -Priority High -Confirm:$false
        $paths = @(Get-LoggedRequest $after | Where-Object method -eq 'PATCH' | ForEach-Object path)
        $paths | Should -HaveCount 2
        $paths[0] | Should -BeLike '*/instances/1002/*'
        $paths[1] | Should -BeLike '*/instances/1003/*'
    }
}

Describe 'Chained Complete-NmStep' {
    It 'completes the first step and then the next active one' {
        $result = New-NmInstance -ProcessId 1 -Name 'Chain' |
            Complete-NmStep -Value @{ 123456 = 'Chain'; 789012 = @{ itemSelected = 'Sales' } } |
            Complete-NmStep -Value @{ 555001 = @{ inputValue = @{ radioItemSelected = 'Approve' } } }

        $result.StepId | Should -Be 43
        $server = Invoke-SandboxApi NextMatter "instances/$($result.InstanceId)/"
        $server.active_step_ids | Should -Be @(44)
    }

    It 'completes the active step of a reused instance variable whose ActiveStepIds are out of date' {
        $instance = New-NmInstance -ProcessId 1 -Name 'Reused'
        $instance | Complete-NmStep -Value @{ 123456 = 'Reused'; 789012 = @{ itemSelected = 'IT' } } | Out-Null
        $second = $instance | Complete-NmStep -Value @{ 555001 = @{ inputValue = @{ radioItemSelected = 'Approve' } } } -ErrorAction Stop
        $second.StepId | Should -Be 43
    }

    It 'looks up the active step when only -InstanceId is given' {
        $instance = New-NmInstance -ProcessId 1 -Name 'By id'
        (Complete-NmStep -InstanceId $instance.Id -Value @{ 123456 = 'By id'; 789012 = @{ itemSelected = 'IT' } } -ErrorAction Stop).StepId | Should -Be 42
    }

    It 'says the instance has no active step, and its status, when it has ended' {
        $instance = New-NmInstance -ProcessId 1 -Name 'Ended'
        $instance | Stop-NmInstance -Confirm:$false
        $err = $null
        Complete-NmStep -InstanceId $instance.Id -Value @{ 123456 = 'x' } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.StepNotDetermined,*'
        "$($err[0])" | Should -Be "Instance $($instance.Id) has no active step to complete (it is Aborted); nothing was sent."
    }

    It 'gives every parameter help text' {
        $help = Get-Help Complete-NmStep -Full
        foreach ($parameter in $help.parameters.parameter) {
            "$($parameter.description.Text)".Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs help"
        }
    }
}
