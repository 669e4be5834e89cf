#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Parameters that work alike across the cmdlets, and nits a user meets.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Parameter consistency' {
    It 'Complete-PmTask takes -Id like the other cmdlets' {
        $request = Start-PmRequest -ProcessId 1 -Data @{ employee = 'Consistent' }
        $task = Get-PmTask -RequestId $request.Id -Status Active | Select-Object -First 1
        (Complete-PmTask -Id $task.Id -Data @{ approved = $true } -ErrorAction Stop).Status | Should -Be 'Closed'
        (Invoke-SandboxApi ProcessMaker "tasks/$($task.Id)").status | Should -Be 'CLOSED'
    }

    It 'Start-PmRequest takes ProcessId and StartEvent from CSV rows' {
        $event = ((Get-PmProcess -Id 2).StartEvents | Select-Object -First 1).Id
        $rows = "ProcessId,StartEvent`n2,$event" | ConvertFrom-Csv
        $request = $rows | Start-PmRequest -Data @{ employee = 'From CSV' } -ErrorAction Stop
        $request.ProcessId | Should -Be 2
        (Invoke-SandboxApi ProcessMaker "requests/$($request.Id)").process_id | Should -Be 2
    }
}
