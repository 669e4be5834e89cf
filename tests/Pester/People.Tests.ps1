#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    ProcessMaker people in real pwsh against a sandbox seeded with people (Start-WorkflowToolsSandbox -SeedPath): the
    user, group and membership cmdlets, Set-PmTask, and the worked example Examples/OffboardUser.ps1. Every test checks
    the sandbox's own state afterwards through its API with the administrator's token, not only what the commands said.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $null = Import-TestModule
    $script:folder = Join-Path (Get-TestOutputFolder) "people-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Path $script:folder -Force
    $script:offboard = Join-Path (Split-Path (Get-Module WorkflowTools).Path) 'Examples/OffboardUser.ps1'
    # Users 3 (the leaver, who may view users and view and edit groups), 4 (the successor), 5 (an HR officer: view and
    # edit users and groups, manager of process 20 only). The leaver has three open tasks: requests 100 and 101 of
    # process 20 (whose task allows reassignment), request 102 of process 21 (whose task does not).
    $script:seedPath = Join-Path $script:folder 'people-seed.json'
    @'
{ "version": 1, "processMaker": {
  "users": [
    { "id": 3, "username": "lee.leaver", "firstname": "Lee", "lastname": "Leaver", "email": "lee@example.com", "tokens": ["leaver-token"],
      "permissions": ["view-users", "view-groups", "edit-groups"] },
    { "id": 4, "username": "sam.successor", "firstname": "Sam", "lastname": "Successor", "email": "sam@example.com" },
    { "id": 5, "username": "hr.officer", "firstname": "Hana", "lastname": "Officer", "email": "hr@example.com", "tokens": ["hr-token"],
      "permissions": ["view-users", "edit-users", "view-groups", "edit-groups"] } ],
  "groups": [
    { "id": 10, "name": "Finance", "members": [3, 4] },
    { "id": 11, "name": "Approvers", "members": [3] } ],
  "processes": [
    { "id": 20, "name": "Expenses", "startEvents": [{ "id": "node_1", "name": "Start" }], "tasks": [{ "id": "node_2", "name": "Approve", "allowReassignment": true }], "manager": 5 },
    { "id": 21, "name": "Purchases", "startEvents": [{ "id": "node_1", "name": "Start" }], "tasks": [{ "id": "node_2", "name": "Check" }] } ],
  "requests": [
    { "id": 100, "process": 20, "user": 3, "openTask": "node_2" },
    { "id": 101, "process": 20, "user": 3, "openTask": "node_2" },
    { "id": 102, "process": 21, "user": 3, "openTask": "node_2" },
    { "id": 103, "process": 20, "user": 4, "openTask": "node_2" } ] } }
'@ | Set-Content -LiteralPath $script:seedPath -Encoding utf8NoBOM

    function script:Start-PeopleSandbox {
        Stop-WorkflowToolsSandbox
        $script:sb = Start-WorkflowToolsSandbox -SeedPath $script:seedPath -Connect
    }

    function script:Get-Sandbox([string] $Path) {
        <# The sandbox's state, read with the administrator's token (not through the cmdlets under test). #>
        Invoke-RestMethod -Uri "$($script:sb.ProcessMakerUri)api/1.0/$Path" -Headers @{ Authorization = "Bearer $($script:sb.AccessToken)" }
    }

    function script:Get-OpenTaskOwner([long] $RequestId) {
        (Get-Sandbox "tasks?process_request_id=$RequestId&status=ACTIVE").data[0].user_id
    }

    function script:Get-GroupUserIds([long] $GroupId) {
        @((Get-Sandbox "groups/$GroupId/users?per_page=100").data | ForEach-Object member_id)
    }

    function script:Connect-As([string] $Token) {
        Connect-PmServer -BaseUri $script:sb.ProcessMakerUri -AccessToken (ConvertTo-SecureString $Token -AsPlainText -Force)
    }

    function script:Invoke-Offboarding([hashtable] $Arguments) {
        <# Runs the example in this session (its connection) and returns its rows and exit code. #>
        $global:LASTEXITCODE = 0
        $rows = @(& $script:offboard @Arguments 3>$null)
        [pscustomobject]@{ Rows = $rows; ExitCode = $global:LASTEXITCODE }
    }
}

AfterAll {
    Stop-WorkflowToolsSandbox
}

Describe 'Users' {
    BeforeAll { Start-PeopleSandbox }

    It 'Get-PmUser | Export-Csv round-trips non-ASCII names and e-mail, with no password or token in any cell' {
        $password = ConvertTo-SecureString 'Zo-Pa55word!' -AsPlainText -Force
        $created = New-PmUser -UserName 'zoe.nunez' -FirstName 'Zoë' -LastName 'Ñúñez-Łukasiewicz' -Email 'zoë.ñúñez@exämple.de' -Password $password
        $path = Join-Path $script:folder 'users.csv'
        Get-PmUser -PageSize 2 | Export-Csv -LiteralPath $path -NoTypeInformation -Encoding utf8
        $rows = @(Import-Csv -LiteralPath $path)
        $rows.Count | Should -Be 6
        $row = $rows | Where-Object UserName -eq 'zoe.nunez'
        $row.Id | Should -Be "$($created.Id)"
        $row.FirstName | Should -BeExactly 'Zoë'
        $row.LastName | Should -BeExactly 'Ñúñez-Łukasiewicz'
        $row.Email | Should -BeExactly 'zoë.ñúñez@exämple.de'
        $row.CreatedAt | Should -Match '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$'
        $text = Get-Content -Raw -LiteralPath $path
        $text | Should -Not -Match 'Zo-Pa55word|remember|sandbox-remember'
        (Get-Sandbox "users/$($created.Id)").lastname | Should -BeExactly 'Ñúñez-Łukasiewicz'
    }

    It 'never shows a password: not in any stream with -Verbose -Debug, not in the sandbox''s request log' {
        $password = ConvertTo-SecureString 'Hidden-Pa55word!' -AsPlainText -Force
        $all = New-PmUser -UserName 'hidden.pw' -FirstName 'Hid' -LastName 'Den' -Email 'h@example.com' -Password $password -Verbose -Debug *>&1 | Out-String
        $all += Set-PmUser -Id 4 -Password $password -Verbose -Debug *>&1 | Out-String
        $all | Should -Not -Match 'Hidden-Pa55word'
        $log = Get-WorkflowToolsSandboxRequest -Sandbox $script:sb | Where-Object Path -like '*/users*' | ForEach-Object Body
        ($log -join "`n") | Should -Not -Match 'Hidden-Pa55word'
        ($log -join "`n") | Should -Match '"password":"\[redacted\]"'
    }

    It 'reports each field ProcessMaker refuses, and creates nothing' {
        $before = (Get-Sandbox 'users?per_page=100').meta.total
        New-PmUser -UserName 'lee.leaver' -FirstName 'X' -LastName 'Y' -Email 'x@example.com' -Password (ConvertTo-SecureString 'short' -AsPlainText -Force) -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Validation,*'
        $failed[0].ErrorDetails.Message | Should -Match 'username: The Username has already been taken\.'
        $failed[0].ErrorDetails.Message | Should -Match 'password: .*at least 8 characters'
        (Get-Sandbox 'users?per_page=100').meta.total | Should -Be $before
    }

    It 'New-PmUser -GroupId with a group that does not exist: the user exists, and the error says so' {
        New-PmUser -UserName 'half.done' -FirstName 'Half' -LastName 'Done' -Email 'half@example.com' -Password (ConvertTo-SecureString 'Half-Pa55word!' -AsPlainText -Force) -GroupId 999 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $id = @((Get-Sandbox 'users?filter=half.done').data)[0].id
        $id | Should -BeGreaterThan 5
        $failed[0].Exception.Message | Should -Match "User 'half.done' was created \(id $id\) but not put into groups 999"
    }

    It 'Set-PmUser -Email needs your own password (-CurrentPassword), as PM4 asks for it' {
        Set-PmUser -Id 4 -Email 'sam.new@example.com' -ErrorVariable refused -ErrorAction SilentlyContinue
        "$refused" | Should -Match '-CurrentPassword'
        (Get-Sandbox 'users/4').email | Should -Be 'sam@example.com'
        Set-PmUser -Id 4 -Email 'sam.new@example.com' -CurrentPassword (ConvertTo-SecureString 'wrong' -AsPlainText -Force) -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].ErrorDetails.Message | Should -Match 'email: The authentication is incorrect\.'
        Set-PmUser -Id 4 -Email 'sam.new@example.com' -CurrentPassword (ConvertTo-SecureString 'admin' -AsPlainText -Force)
        (Get-Sandbox 'users/4').email | Should -Be 'sam.new@example.com'
        (Get-WorkflowToolsSandboxRequest -Sandbox $script:sb | Where-Object Path -like '*/users/4').Body -join "`n" | Should -Not -Match '"valpassword":"(admin|wrong)"'
    }

    It 'Set-PmUser -Status Inactive deactivates; Remove-PmUser deletes softly; Restore-PmUser brings the user back' {
        Set-PmUser -Id 4 -Status Inactive
        (Get-Sandbox 'users/4').status | Should -Be 'INACTIVE'
        Remove-PmUser -Id 4 -WhatIf
        (Get-Sandbox 'users/4').id | Should -Be 4
        Remove-PmUser -Id 4 -Force
        { Get-Sandbox 'users/4' } | Should -Throw
        @((Get-Sandbox 'deleted_users').data.id) | Should -Contain 4
        Get-GroupUserIds 10 | Should -Not -Contain 4 -Because 'PM4 takes a deleted user out of every group'
        $back = Restore-PmUser -Id 4 -PassThru
        $back.Status | Should -Be 'Active'
        (Get-Sandbox 'users/4').status | Should -Be 'ACTIVE'
    }

    It 'meets PM4''s 403s with a non-administrator''s token' {
        try {
            Connect-As 'sandbox-processmaker-user-token' # jdoe (user 2), who holds no permission
            Get-PmUser -ErrorVariable denied -ErrorAction SilentlyContinue
            $denied[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Forbidden,*'
            (Get-PmUser -Id 2).UserName | Should -Be 'jdoe' -Because 'anyone may read their own user'
            Connect-As 'hr-token'
            New-PmUser -UserName 'not.allowed' -FirstName 'N' -LastName 'A' -Email 'n@example.com' -Password (ConvertTo-SecureString 'Not-Pa55word!' -AsPlainText -Force) -ErrorVariable denied -ErrorAction SilentlyContinue
            $denied[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Forbidden,*' -Because 'hr.officer lacks create-users'
            # group_members shows a non-administrator only their own rows: an empty answer about someone else is flagged.
            @(Get-PmGroupMember -UserId 3 -WarningVariable hidden 3>$null) | Should -BeNullOrEmpty
            "$hidden" | Should -Match 'only to administrators'
            @(Get-PmGroup | Get-PmGroupMember -MemberType User | Where-Object MemberId -eq 3).GroupName | Sort-Object | Should -Be @('Approvers', 'Finance')
            Remove-PmUser -Id 4 -Force -ErrorVariable denied -ErrorAction SilentlyContinue
            $denied[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Forbidden,*'
            (Get-Sandbox 'users/4').status | Should -Be 'ACTIVE'
            @((Get-Sandbox 'users?per_page=100').data.username) | Should -Not -Contain 'not.allowed'
        }
        finally {
            Connect-As $script:sb.AccessToken
        }
    }
}

Describe 'Groups and members' {
    BeforeAll { Start-PeopleSandbox }

    It 'creates, nests, lists and removes memberships, and the sandbox holds exactly that' {
        $audit = New-PmGroup -Name 'Audit' -Description 'Internal audit'
        Get-PmUser -UserName '*.*' | Add-PmGroupMember -GroupId $audit.Id
        Add-PmGroupMember -GroupId 10 -MemberGroupId $audit.Id
        (Get-GroupUserIds $audit.Id | Sort-Object) | Should -Be @(3, 4, 5)
        @((Get-Sandbox 'groups/10/groups').data.member_id) | Should -Be @($audit.Id)

        $rows = @(Get-PmGroupMember -GroupId $audit.Id)
        $rows.Count | Should -Be 3
        $rows[0].GroupName | Should -Be 'Audit'
        @(Get-PmGroupMember -GroupId 10 -MemberType Group).MemberName | Should -Be 'Audit'
        @(Get-PmGroupMember -UserId 3).GroupName | Sort-Object | Should -Be @('Approvers', 'Audit', 'Finance')

        # Removing what a listing found: the rows are collected before the first removal.
        Get-PmGroupMember -GroupId $audit.Id | Remove-PmGroupMember -Confirm:$false
        Get-GroupUserIds $audit.Id | Should -BeNullOrEmpty
        Remove-PmGroupMember -GroupId 11 -UserId 4 -Force -WarningVariable warned 3>$null
        $warned | Should -Match 'not a member'
    }

    It 'Set-PmUser -GroupId sets exactly those groups; Set-PmGroup and Remove-PmGroup change the sandbox' {
        Set-PmUser -Id 4 -GroupId 11
        Get-GroupUserIds 11 | Should -Contain 4
        Get-GroupUserIds 10 | Should -Not -Contain 4
        Set-PmGroup -Id 11 -NewName 'Senior approvers' -Status Inactive
        (Get-Sandbox 'groups/11').name | Should -Be 'Senior approvers'
        (Get-Sandbox 'groups/11').status | Should -Be 'INACTIVE'
        Get-PmGroup -Name 'Senior*' | Remove-PmGroup -Force
        { Get-Sandbox 'groups/11' } | Should -Throw
    }
}

Describe 'Set-PmTask' {
    BeforeEach { Start-PeopleSandbox }

    It 'moves every task a listing found to -AssignTo, never where a piped row''s UserId points' {
        Get-PmTask -UserId 3 -Status Active | Set-PmTask -AssignTo 4 -WhatIf
        Get-OpenTaskOwner 100 | Should -Be 3
        $moved = @(Get-PmTask -UserId 3 -Status Active | Set-PmTask -AssignTo 4 -PassThru)
        $moved.Count | Should -Be 3
        foreach ($request in 100, 101, 102) { Get-OpenTaskOwner $request | Should -Be 4 }
        Get-OpenTaskOwner 103 | Should -Be 4
    }

    It 'is refused (403) where ProcessRequestTokenPolicy refuses, and goes on with the rest' {
        try {
            Connect-As 'hr-token'
            $tasks = @(100, 101, 102 | ForEach-Object { (Get-Sandbox "tasks?process_request_id=$_&status=ACTIVE").data[0].id })
            Set-PmTask -Id $tasks -AssignTo 4 -ErrorVariable denied -ErrorAction SilentlyContinue
            $denied.Count | Should -Be 1
            $denied[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Forbidden,*'
            $denied[0].TargetObject | Should -Be $tasks[2]
            Get-OpenTaskOwner 100 | Should -Be 4 -Because 'hr.officer manages process 20'
            Get-OpenTaskOwner 102 | Should -Be 3
        }
        finally {
            Connect-As $script:sb.AccessToken
        }
    }
}

Describe 'Examples/OffboardUser.ps1' {
    BeforeEach {
        Start-PeopleSandbox
        $script:csv = Join-Path $script:folder "offboarding-$([guid]::NewGuid().ToString('n').Substring(0, 8)).csv"
    }

    It 'with -WhatIf changes nothing and writes what it would do' {
        $run = Invoke-Offboarding @{ UserName = 'lee.leaver'; Successor = 'sam.successor'; CsvPath = $script:csv; WhatIf = $true }
        $run.ExitCode | Should -Be 0
        @($run.Rows | Where-Object Step -eq 'ReassignTask').Count | Should -Be 3
        @($run.Rows.Result | Sort-Object -Unique) | Should -Be @('WhatIf')
        foreach ($request in 100, 101, 102) { Get-OpenTaskOwner $request | Should -Be 3 }
        Get-GroupUserIds 10 | Should -Contain 3
        Get-GroupUserIds 11 | Should -Contain 3
        (Get-Sandbox 'users/3').status | Should -Be 'ACTIVE'
        @(Import-Csv -LiteralPath $script:csv).Count | Should -Be 6
    }

    It 'reassigns every open task, leaves every group, deactivates, and writes the CSV' {
        $run = Invoke-Offboarding @{ UserName = 'lee.leaver'; Successor = 'sam.successor'; CsvPath = $script:csv }
        $run.ExitCode | Should -Be 0
        foreach ($request in 100, 101, 102) { Get-OpenTaskOwner $request | Should -Be 4 }
        Get-GroupUserIds 10 | Should -Not -Contain 3
        Get-GroupUserIds 11 | Should -Not -Contain 3
        Get-GroupUserIds 10 | Should -Contain 4 -Because 'only the leaver leaves'
        (Get-Sandbox 'users/3').status | Should -Be 'INACTIVE'
        $rows = @(Import-Csv -LiteralPath $script:csv)
        $rows.Step -join ',' | Should -Be 'ReassignTask,ReassignTask,ReassignTask,LeaveGroup,LeaveGroup,Deactivate'
        @($rows.Result | Sort-Object -Unique) | Should -Be @('Done')
    }

    It 'run by someone who may not reassign every task (403): moves what it may, keeps the account active, exits 1; an administrator''s rerun finishes' {
        # The leaver hands over their own work: PM4 lets an assignee reassign only where the task allows reassignment.
        try {
            Connect-As 'leaver-token'
            $run = Invoke-Offboarding @{ UserName = 'lee.leaver'; Successor = 'sam.successor'; CsvPath = $script:csv }
        }
        finally {
            Connect-As $script:sb.AccessToken
        }
        $run.ExitCode | Should -Be 1
        $failed = @($run.Rows | Where-Object Result -eq 'Failed')
        $failed.Count | Should -Be 1
        $failed[0].Target | Should -Match 'request 102'
        $failed[0].Detail | Should -Match '403'
        ($run.Rows | Where-Object Step -eq 'Deactivate').Result | Should -Be 'Skipped'
        Get-OpenTaskOwner 100 | Should -Be 4
        Get-OpenTaskOwner 101 | Should -Be 4
        Get-OpenTaskOwner 102 | Should -Be 3
        Get-GroupUserIds 10 | Should -Not -Contain 3
        (Get-Sandbox 'users/3').status | Should -Be 'ACTIVE'

        $rerun = Invoke-Offboarding @{ UserName = 'lee.leaver'; Successor = 'sam.successor'; CsvPath = $script:csv }
        $rerun.ExitCode | Should -Be 0
        @($rerun.Rows | Where-Object Step -eq 'ReassignTask').Count | Should -Be 1 -Because 'only the task left behind is the leaver''s now'
        Get-OpenTaskOwner 102 | Should -Be 4
        (Get-Sandbox 'users/3').status | Should -Be 'INACTIVE'
    }

    It 'after a fault mid-way loses nothing, exits 1, and a rerun finishes the job' {
        $second = (Get-Sandbox 'tasks?process_request_id=101&status=ACTIVE').data[0].id
        Add-WorkflowToolsSandboxFault -Sandbox $script:sb -Kind Status -StatusCode 500 -Method PUT -Path "/tasks/$second" -Times 1
        $run = Invoke-Offboarding @{ UserName = 'lee.leaver'; Successor = 'sam.successor'; CsvPath = $script:csv }
        $run.ExitCode | Should -Be 1
        Get-OpenTaskOwner 100 | Should -Be 4
        Get-OpenTaskOwner 101 | Should -Be 3 -Because 'the faulted reassignment did not happen'
        Get-OpenTaskOwner 102 | Should -Be 4 -Because 'the script went on after the fault'
        (Get-Sandbox 'users/3').status | Should -Be 'ACTIVE'
        @(Import-Csv -LiteralPath $script:csv | Where-Object Result -eq 'Failed').Count | Should -Be 1

        $rerun = Invoke-Offboarding @{ UserName = 'lee.leaver'; Successor = 'sam.successor'; CsvPath = $script:csv }
        $rerun.ExitCode | Should -Be 0
        foreach ($request in 100, 101, 102) { Get-OpenTaskOwner $request | Should -Be 4 }
        Get-GroupUserIds 10 | Should -Not -Contain 3
        (Get-Sandbox 'users/3').status | Should -Be 'INACTIVE'
        @((Get-Sandbox 'tasks?status=ACTIVE&per_page=100').data).Count | Should -Be 4 -Because 'no task was lost or duplicated'
    }
}
