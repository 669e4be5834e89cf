#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Get-PmSecurityLog against the sandbox, whose security log records what PM4 4.15.6's SecurityLogger records for
    the routes the sandbox serves: the Files*, EnvironmentVariables* and Process* events of the changes
    (src/WorkflowTools.Sandbox/ProcessMakerDataEvents.cs names PM4's Events/EnvironmentVariablesCreated.php and the
    rest; an OAuth password grant fires no Illuminate\Auth event, so PM4 logs no 'login'/'attempt' for it), and the
    User*, Group* events of the people routes (src/WorkflowTools.Sandbox/ProcessMakerPeopleEvents.cs names PM4's
    Events/UserCreated.php, GroupCreated.php, GroupUsersUpdated.php and the rest).
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    $secret = ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force
    $good = [pscredential]::new('admin', (ConvertTo-SecureString 'admin' -AsPlainText -Force))
    $bad = [pscredential]::new('admin', (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
    try { Connect-PmServer -BaseUri $script:sandbox.Instance -Credential $bad -ClientId 'sandbox-client' -ClientSecret $secret -ErrorAction Stop } catch { }
    Connect-PmServer -BaseUri $script:sandbox.Instance -Credential $good -ClientId 'sandbox-client' -ClientSecret $secret
    $null = New-PmEnvironmentVariable -Name AUDITED -Value 'not-in-the-log' -Description 'audit'
    Set-PmEnvironmentVariable -Name AUDITED -Description 'audited' -Confirm:$false
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Get-PmSecurityLog' {
    It 'lists the changes, oldest first, as PM4 logs them (password grants, failed or not, are not logged)' {
        $all = @(Get-PmSecurityLog)
        $all.Event | Should -Be @('EnvironmentVariablesCreated', 'EnvironmentVariablesUpdated')
        $all.UserId | Should -Be @(1, 1)
        $created = $all | Where-Object Event -eq 'EnvironmentVariablesCreated'
        $created.Data.name.label | Should -Be 'AUDITED'
        $created.Data.name.link | Should -Match '/designer/environment-variables/\d+/edit$'
        $updated = $all | Where-Object Event -eq 'EnvironmentVariablesUpdated'
        $updated.Data.'+ description' | Should -Be 'audited'
        $updated.Data.'- description' | Should -Be 'audit'
        ($all | ConvertTo-Json -Depth 5) | Should -Not -Match 'not-in-the-log'
    }

    It 'filters by event (ORed), user and time on the server' {
        $mark = Get-LastSequence
        @(Get-PmSecurityLog -Event EnvironmentVariablesUpdated, EnvironmentVariablesCreated).Event | Should -Be @('EnvironmentVariablesCreated', 'EnvironmentVariablesUpdated')
        @(Get-PmSecurityLog -UserId 2 -Event EnvironmentVariablesCreated).Count | Should -Be 0
        @(Get-PmSecurityLog -UserId 1 -Event EnvironmentVariablesCreated).Count | Should -Be 1
        $query = [uri]::UnescapeDataString((Get-LoggedRequest -After $mark | Where-Object path -like '*/security-logs' | Select-Object -Last 1).query)
        $query | Should -Match 'pmql=event = "EnvironmentVariablesCreated" AND user_id = 1'
        $created = Get-PmSecurityLog -Event EnvironmentVariablesCreated
        @(Get-PmSecurityLog -After $created.OccurredAt.AddSeconds(1) -Event EnvironmentVariablesCreated).Count | Should -Be 0
        @(Get-PmSecurityLog -Before $created.OccurredAt.AddSeconds(1) -Event EnvironmentVariablesCreated).Count | Should -Be 1
        { Get-PmSecurityLog -After '2026-02-01' -Before '2026-01-01' -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.InvalidArgument*'
    }

    It 'streams pages and stops paging at -First' {
        foreach ($n in 1..25) { $null = New-PmEnvironmentVariable -Name "PAGED_$n" -Value 'x' -Description 'paging' }
        $mark = Get-LastSequence
        $rows = @(Get-PmSecurityLog -PageSize 10 -First 12)
        $rows.Count | Should -Be 12
        @(Get-LoggedRequest -After $mark | Where-Object path -like '*/security-logs').Count | Should -BeLessOrEqual 3
        @(Get-PmSecurityLog -PageSize 10).Count | Should -Be 27
    }

    It 'exports to CSV for an auditor: UTC dates, Data as JSON, no type names' {
        $csv = Get-PmSecurityLog -Event EnvironmentVariablesCreated -First 1 | ConvertTo-Csv -NoTypeInformation
        ($csv | Out-String) | Should -Not -Match 'System\.'
        $row = $csv | ConvertFrom-Csv
        $row.OccurredAt | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$'
        ($row.Data | ConvertFrom-Json).name.label | Should -Be 'AUDITED'
    }

    It 'says PermissionDenied to a user without view-security-logs' {
        $user = Connect-PmServer -BaseUri $script:sandbox.Instance -AccessToken (ConvertTo-SecureString 'sandbox-processmaker-user-token' -AsPlainText -Force) -PassThru
        { Get-PmSecurityLog -Connection $user -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.Forbidden*'
    }

    It 'shows the people changes PM4 logs: a new user, a new group and its member, never the password' {
        $admin = [pscredential]::new('admin', (ConvertTo-SecureString 'admin' -AsPlainText -Force))
        Connect-PmServer -BaseUri $script:sandbox.Instance -Credential $admin -ClientId 'sandbox-client' -ClientSecret (ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force)
        $password = ConvertTo-SecureString 'Audit-2026!' -AsPlainText -Force
        $user = New-PmUser -UserName 'audited.user' -FirstName 'Audited' -LastName 'User' -Email 'audited@example.com' -Password $password
        $group = New-PmGroup -Name 'Audited group'
        Add-PmGroupMember -GroupId $group.Id -UserId $user.Id
        $created = @(Get-PmSecurityLog -Event UserCreated)
        $created.Count | Should -Be 1
        $created[0].UserId | Should -Be 1
        $created[0].Data.username | Should -Be 'audited.user'
        $created[0].Data.name.label | Should -Be 'audited.user'
        (Get-PmSecurityLog -Event GroupCreated).Data.name.label | Should -Be 'Audited group'
        $member = Get-PmSecurityLog -Event GroupMembersUpdated
        $member.Data.group.label | Should -Be 'Audited group'
        $member.Data.'+ user'.label | Should -Be 'audited.user'
        (Get-PmSecurityLog | ConvertTo-Json -Depth 6) | Should -Not -Match 'Audit-2026!'
    }
}
