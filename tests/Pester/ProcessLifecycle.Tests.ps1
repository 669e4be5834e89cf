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

Describe 'Password-protected packages' {
    It 'exports an encrypted package that imports only with its password, and the password never shows' {
        $password = ConvertTo-SecureString 'Pkg-Pa55word!' -AsPlainText -Force
        $wrong = ConvertTo-SecureString 'Wrong-Pa55word!' -AsPlainText -Force
        $path = Join-Path $script:work 'protected.json'
        $mark = Get-LastSequence
        $DebugPreference = 'Continue'
        $trace = @(Export-PmProcess -Id 2 -Path $path -Password $password -Verbose *>&1)
        $DebugPreference = 'SilentlyContinue'
        $file = @($trace | Where-Object { $_ -is [IO.FileInfo] })
        $file.Count | Should -Be 1
        $package = Get-Content -Raw $path | ConvertFrom-Json
        $package.encrypted | Should -BeTrue
        $package.export | Should -BeOfType [string]
        $package.name | Should -Be 'Purchase request'

        # Without -Password: the error before anything is sent, naming the file and the parameter.
        $before = @(Invoke-SandboxApi ProcessMaker 'processes?per_page=1000').data.Count
        Import-PmProcess -Path $path -Mode Copy -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing.Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.PasswordRequired*'
        "$($missing[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $missing[0].TargetObject | Should -Be $path
        "$missing" | Should -BeLike '*-Password*'
        @(Get-LoggedRequest -After $mark | Where-Object path -like '*import*').Count | Should -Be 0

        # A wrong password: PM4's 400 "incorrect password", as its own error; nothing imported.
        { Import-PmProcess -Path $path -Mode Copy -Password $wrong -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.IncorrectPassword*'
        Import-PmProcess -Path $path -Mode Copy -Password $wrong -ErrorVariable refused -ErrorAction SilentlyContinue
        "$refused" | Should -BeLike '*incorrect password*'
        @(Invoke-SandboxApi ProcessMaker 'processes?per_page=1000').data.Count | Should -Be $before

        $DebugPreference = 'Continue'
        $out = @(Import-PmProcess -Path $path -Mode Copy -Password $password -Verbose *>&1)
        $DebugPreference = 'SilentlyContinue'
        $imported = @($out | Where-Object { $_ -is [WorkflowTools.ProcessMaker.PmProcess] })
        $imported.Count | Should -Be 1
        $imported[0].Name | Should -Be 'Purchase request'
        $imported[0].Id | Should -Not -Be 2
        @(Invoke-SandboxApi ProcessMaker 'processes?per_page=1000').data.Count | Should -Be ($before + 1)

        $shown = ($trace + $out + $missing + $refused | Out-String -Width 400) + ($Error | ForEach-Object { $_ | Format-List * -Force | Out-String; "$($_.Exception)" })
        $shown | Should -Not -BeLike '*Pkg-Pa55word!*'
        $shown | Should -Not -BeLike '*Wrong-Pa55word!*'
        $logged = (Get-LoggedRequest -After $mark | ForEach-Object { $_.body }) -join "`n"
        $logged | Should -Not -BeLike '*Pkg-Pa55word!*'
        $logged | Should -Not -BeLike '*Wrong-Pa55word!*'
        $logged | Should -BeLike '*"password":"`[redacted`]"*'
        Get-Content -Raw $path | Should -Not -BeLike '*Pkg-Pa55word!*'
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
