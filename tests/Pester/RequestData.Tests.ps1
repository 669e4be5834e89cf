#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Set-PmRequest against the sandbox, which edits request data as ProcessMaker 4.15.6's
    ProcessRequestController::update does (src/WorkflowTools.Sandbox/ProcessMakerRequestsApi.cs names the sources):
    array_merge of the top-level keys, TrimStrings and ConvertEmptyStringsToNull, no tag stripping (data is in the
    controller's $doNotSanitize), and ProcessRequestPolicy::editData for the rights.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    function Get-StoredData([long] $Id) { (Invoke-SandboxApi ProcessMaker "requests/${Id}?include=data").data }
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Set-PmRequest' {
    It 'merges the keys given into the data and keeps the others' {
        $request = Start-PmRequest -ProcessId 1 -Data @{ employee = 'Ada'; team = 'Sales' }
        $changed = Set-PmRequest -Id $request.Id -Data @{ team = 'Research'; level = 3 } -PassThru -Confirm:$false
        $changed.Id | Should -Be $request.Id
        $changed.Data.team | Should -Be 'Research'
        $stored = Get-StoredData $request.Id
        $stored.employee | Should -Be 'Ada'
        $stored.team | Should -Be 'Research'
        $stored.level | Should -Be 3
    }

    It 'replaces a nested value whole, trims strings and stores an empty one as null, and keeps tags (as PM4 does)' {
        $request = Start-PmRequest -ProcessId 1 -Data @{ address = @{ city = 'Bern'; zip = '3000' } }
        Set-PmRequest -Id $request.Id -Data @{ address = @{ city = '  Basel  ' }; comment = ''; html = '<b>bold</b> {{x}}' } -Confirm:$false
        $stored = Get-StoredData $request.Id
        $stored.address.city | Should -Be 'Basel'
        $stored.address.PSObject.Properties.Name | Should -Not -Contain 'zip'
        $stored.PSObject.Properties.Name | Should -Contain 'comment'
        $stored.comment | Should -BeNullOrEmpty
        $stored.html | Should -Be '<b>bold</b> {{x}}'
    }

    It 'takes piped requests and sends nothing with -WhatIf' {
        $mark = Get-LastSequence
        Get-PmRequest -Id 1, 3 | Set-PmRequest -Data @{ flag = 'x' } -WhatIf
        @(Get-LoggedRequest -After $mark | Where-Object method -eq 'PUT').Count | Should -Be 0
        (Get-StoredData 1).PSObject.Properties.Name | Should -Not -Contain 'flag'
        $null = Get-PmRequest -Id 1, 3 | Set-PmRequest -Data @{ flag = 'x' } -Confirm:$false
        (Get-StoredData 1).flag | Should -Be 'x'
        (Get-StoredData 3).flag | Should -Be 'x'
    }

    It 'refuses empty -Data before any request' {
        $mark = Get-LastSequence
        { Set-PmRequest -Id 1 -Data @{} -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.InvalidData*'
        @(Get-LoggedRequest -After $mark).Count | Should -Be 0
    }

    It 'gives PermissionDenied to a requester without edit-task_data, and goes on with the next request' {
        $user = Connect-PmServer -BaseUri $script:sandbox.Instance -AccessToken (ConvertTo-SecureString 'sandbox-processmaker-user-token' -AsPlainText -Force) -PassThru
        $errors = $null
        Set-PmRequest -Id 3, 424242 -Data @{ note = 'mine' } -Connection $user -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 2
        $errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $errors[0].Exception.Message | Should -Match 'edit-task_data'
        $errors[0].TargetObject | Should -Be 3
        $errors[1].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.NotFound*'
        (Get-StoredData 3).note | Should -BeNullOrEmpty
        Connect-PmServer -BaseUri $script:sandbox.Instance -AccessToken (ConvertTo-SecureString $script:SandboxPmToken -AsPlainText -Force)
    }

    It 'does not send an edit again when its outcome is unknown' {
        Invoke-RestMethod -Method Post -Uri "$($script:sandbox.Base)/_sandbox/faults" -ContentType 'application/json' -Headers @{ 'X-Sandbox-Token' = $script:sandbox.ControlToken } `
            -Body (@{ spec = 'kind=applied,status=502,times=1,method=PUT,path=/requests/5' } | ConvertTo-Json)
        $mark = Get-LastSequence
        { Set-PmRequest -Id 5 -Data @{ retried = 'once' } -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.OutcomeUnknown*'
        @(Get-LoggedRequest -After $mark | Where-Object { $_.method -eq 'PUT' -and $_.path -like '*/requests/5' }).Count | Should -Be 1
        (Get-StoredData 5).retried | Should -Be 'once'
    }
}
