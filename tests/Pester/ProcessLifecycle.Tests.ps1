#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Export-, Import-, Remove- and Restore-PmProcess against two sandboxes (a "test" server and a "production" one), which
    serve PM4 4.15.6's v2 export and import, archive and restore (src/WorkflowTools.Sandbox/ProcessMakerPackagesApi.cs
    names the sources).
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    $script:prod = Start-WorkflowToolsSandbox -NoDemoData
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "wt-packages-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
    $null = New-Item -ItemType Directory -Path $script:work
}

AfterAll {
    if ($script:prod) { Stop-WorkflowToolsSandbox -Sandbox $script:prod }
    Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestSandbox $script:sandbox
}

Describe 'Export-PmProcess and Import-PmProcess' {
    It 'exports a version 2 package and imports it into another server as a new, startable process' {
        $file = Export-PmProcess -Id 2 -Path (Join-Path $script:work 'purchase.json')
        $file | Should -BeOfType [IO.FileInfo]
        $package = Get-Content -Raw $file.FullName | ConvertFrom-Json
        $package.type | Should -Be 'process_package'
        $package.version | Should -Be '2'
        $package.export.($package.root).name | Should -Be 'Purchase request'

        $imported = Import-PmProcess -Path $file.FullName -Connection $script:prod.PmConnection
        $imported | Should -BeOfType 'WorkflowTools.ProcessMaker.PmProcess'
        $imported.Name | Should -Be 'Purchase request'
        @(Get-PmProcess -Connection $script:prod.PmConnection).Name | Should -Contain 'Purchase request'
        $request = Start-PmRequest -ProcessId $imported.Id -StartEvent node_1 -Connection $script:prod.PmConnection
        "$($request.Status)" | Should -Be 'Active'
    }

    It 'updates the same process in place when the package comes again, and copies with -Mode Copy' {
        $file = Join-Path $script:work 'purchase.json'
        $first = @(Get-PmProcess -Connection $script:prod.PmConnection | Where-Object Name -eq 'Purchase request')[0]
        $again = Import-PmProcess -Path $file -Connection $script:prod.PmConnection
        $again.Id | Should -Be $first.Id
        $copy = Import-PmProcess -Path $file -Mode Copy -Connection $script:prod.PmConnection
        $copy.Id | Should -Not -Be $first.Id
    }

    It 'refuses a file that is not a version 2 package before any request' {
        $mark = Get-LastSequence
        Set-Content -LiteralPath (Join-Path $script:work 'v1.json') -Value '{"type":"process_package","version":"1","process":{}}'
        Set-Content -LiteralPath (Join-Path $script:work 'junk.json') -Value 'not json'
        { Import-PmProcess -Path (Join-Path $script:work 'v1.json') -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.InvalidInput*'
        { Import-PmProcess -Path (Join-Path $script:work 'junk.json') -ErrorAction Stop } | Should -Throw '*not JSON*'
        { Import-PmProcess -Path (Join-Path $script:work 'missing.json') -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.FileNotFound*'
        @(Get-LoggedRequest -After $mark | Where-Object path -like '*import*').Count | Should -Be 0
    }

    It 'keeps an existing file unless -Force, sends nothing with -WhatIf, and refuses a piped request' {
        $path = Join-Path $script:work 'purchase.json'
        { Export-PmProcess -Id 2 -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.FileExists*'
        $mark = Get-LastSequence
        Export-PmProcess -Id 1 -Path (Join-Path $script:work 'whatif.json') -WhatIf
        Test-Path (Join-Path $script:work 'whatif.json') | Should -BeFalse
        Get-PmRequest -Id 5 | Export-PmProcess -Path (Join-Path $script:work 'req.json') -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.RequestNotProcess*'
        @(Get-LoggedRequest -After $mark | Where-Object path -like '*export*').Count | Should -Be 0
    }
}

Describe 'Remove-PmProcess and Restore-PmProcess' {
    It 'archives with -Force (high impact) and restores, as the server shows' {
        $mark = Get-LastSequence
        Remove-PmProcess -Id 1 -WhatIf
        @(Get-LoggedRequest -After $mark | Where-Object method -eq 'DELETE').Count | Should -Be 0
        (Get-Command Remove-PmProcess).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
        $archived = Remove-PmProcess -Id 1 -Force -PassThru
        "$($archived.Status)" | Should -Be 'Archived'
        (Invoke-SandboxApi ProcessMaker 'processes/1').status | Should -Be 'ARCHIVED'
        (Get-PmProcess -Archived).Id | Should -Contain 1
        $restored = Get-PmProcess -Archived | Where-Object Id -eq 1 | Restore-PmProcess
        "$($restored.Status)" | Should -Be 'Active'
        (Invoke-SandboxApi ProcessMaker 'processes/1').status | Should -Be 'ACTIVE'
        (Get-PmSecurityLog -Event ProcessArchived, ProcessRestored).Event | Should -Be @('ProcessArchived', 'ProcessRestored')
    }

    It 'reports an unknown process and a piped task as errors, and goes on' {
        $errors = $null
        Remove-PmProcess -Id 424242, 3 -Force -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.NotFound*'
        (Invoke-SandboxApi ProcessMaker 'processes/3').status | Should -Be 'ARCHIVED'
        Restore-PmProcess -Id 3 | Should -Not -BeNullOrEmpty
        $errors = $null
        Get-PmTask -First 1 | Remove-PmProcess -Force -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.RequestNotProcess*'
    }
}
