#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The ProcessMaker cmdlets, for people who have pwsh and Pester 5:
        dotnet build src/WorkflowTools/WorkflowTools.csproj
        Invoke-Pester tests/Pester/ProcessMaker.Tests.ps1
    SandboxSetup.ps1 starts the sandbox on a free loopback port and imports the built module folder.
    The xunit engine tests (tests/WorkflowTools.Tests/ProcessMaker) cover the same ground and also check the wire.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    $script:instance = $script:sandbox.Instance
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Connect-PmServer' {
    It 'connects with the OAuth2 password grant and never shows the secret' {
        $secret = ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force
        $cred = [pscredential]::new('admin', (ConvertTo-SecureString 'admin' -AsPlainText -Force))
        $connection = Connect-PmServer -BaseUri "$($script:instance)api/1.0" -Credential $cred -ClientId 'sandbox-client' -ClientSecret $secret -PassThru
        $connection.AuthenticationMethod | Should -Be 'OAuth2 password grant'
        $connection.UserName | Should -Be 'admin'
        ($connection | Format-List * | Out-String) | Should -Not -Match 'sandbox-secret'
        (Get-PmProcess -Id 1).Name | Should -Be 'Onboarding'
        $token = ConvertTo-SecureString 'sandbox-processmaker-token' -AsPlainText -Force
        Connect-PmServer -BaseUri $script:instance -AccessToken $token
    }

    It 'fails at once on a wrong password' {
        $secret = ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force
        $cred = [pscredential]::new('admin', (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        { Connect-PmServer -BaseUri $script:instance -Credential $cred -ClientId 'sandbox-client' -ClientSecret $secret -ErrorAction Stop } |
            Should -Throw -ErrorId 'WorkflowTools.AuthenticationFailed*'
    }
}

Describe 'Get-PmProcess and Start-PmRequest' {
    It 'starts a request of a process found by name' {
        $request = Get-PmProcess -Name 'Onboarding' | Start-PmRequest -Data @{ employee = 'Pester' }
        $request | Should -BeOfType 'WorkflowTools.ProcessMaker.PmRequest'
        $request.ProcessId | Should -Be 1
        "$($request.Status)" | Should -Be 'Active'
    }

    It 'lists only startable processes with -Startable' {
        (Get-PmProcess -Startable).Id | Sort-Object | Should -Be @(1, 2)
    }
}

Describe 'Get-PmRequest, Get-PmTask and Complete-PmTask' {
    It 'completes the open task of request 5 through the pipeline' {
        $task = Get-PmRequest -Id 5 | Get-PmTask -Status Active | Complete-PmTask -Data @{ approved = $true }
        "$($task.Status)" | Should -Be 'Closed'
        (Get-PmRequest -Id 5 -IncludeData).Data.approved | Should -BeTrue
    }

    It 'says clearly when a task is already closed' {
        $task = Get-PmTask -RequestId 2 | Select-Object -First 1
        { $task | Complete-PmTask -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.TaskAlreadyClosed*'
    }

    It 'pages with -First and -Skip' {
        $ids = (Get-PmRequest -SortBy Id -PageSize 3 -Skip 1 -First 4).Id
        $ids | Should -Be @(2, 3, 4, 5)
    }

    It 'exports to CSV without type names' {
        Get-PmRequest -IncludeData -PageSize 50 | ConvertTo-Csv -NoTypeInformation | Should -Not -Match 'System\.'
    }
}

Describe 'Stop-PmRequest' {
    It 'sends nothing with -WhatIf' {
        $before = (Get-PmRequest -Status InProgress -PageSize 100).Count
        Get-PmRequest -Status InProgress -PageSize 100 | Stop-PmRequest -WhatIf
        (Get-PmRequest -Status InProgress -PageSize 100).Count | Should -Be $before
    }
}

Describe 'Invoke-PmApi' {
    It 'follows every page with -All' {
        (Invoke-PmApi -Path 'requests' -Query @{ per_page = 2 } -All).Count | Should -Be (Get-PmRequest -PageSize 100).Count
    }

    It 'names the invalid field of a validation error' {
        $task = Get-PmTask -Status Active | Select-Object -First 1
        $err = $null
        Invoke-PmApi -Method PUT -Path "tasks/$($task.Id)" -Body @{ user_id = 424242 } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Validation*'
        $err[0].ErrorDetails.Message | Should -Match 'user_id'
    }
}
