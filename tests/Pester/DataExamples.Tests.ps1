#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The worked examples of the data and lifecycle cmdlets, run as shipped (the built module's Examples folder):
    PromoteProcess.ps1 between two sandboxes, ArchiveRequestFiles.ps1 with every saved file checked by its hash.
    The sandbox's clock starts at this machine's time, so "N days ago" means the same on both sides.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox -ClockStart ([datetime]::UtcNow)
    $script:examples = Join-Path (Split-Path $script:ModuleManifestPath) 'Examples'
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "wt-examples-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
    $null = New-Item -ItemType Directory -Path $script:work
}

AfterAll {
    Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestSandbox $script:sandbox
}

Describe 'Examples/PromoteProcess.ps1' {
    BeforeAll {
        $script:test = Get-PmConnection
        $script:prodSandbox = Start-WorkflowToolsSandbox -NoDemoData
        $script:prod = $script:prodSandbox.PmConnection
        $null = New-PmEnvironmentVariable -Name SMTP_HOST -Value 'mail.example.com' -Description 'present on production' -Connection $script:prod
    }
    AfterAll { if ($script:prodSandbox) { Stop-WorkflowToolsSandbox -Sandbox $script:prodSandbox } }

    It 'with -WhatIf creates and imports nothing on the target' {
        $report = & (Join-Path $script:examples 'PromoteProcess.ps1') -From $script:test -To $script:prod -ProcessId 2 -Variable SMTP_HOST, SMTP_PASSWORD `
            -Values @{ SMTP_PASSWORD = (ConvertTo-SecureString 'pw-1' -AsPlainText -Force) } -WhatIf
        $report.Imported | Should -BeFalse
        @(Get-PmEnvironmentVariable -Connection $script:prod).Name | Should -Be @('SMTP_HOST')
        @(Get-PmProcess -Connection $script:prod).Name | Should -Not -Contain 'Purchase request'
    }

    It 'refuses to promote when a needed variable has no value, and changes nothing' {
        { & (Join-Path $script:examples 'PromoteProcess.ps1') -From $script:test -To $script:prod -ProcessId 2 -Variable SMTP_HOST, SMTP_PASSWORD } |
            Should -Throw '*SMTP_PASSWORD*no value was given*'
        @(Get-PmProcess -Connection $script:prod).Name | Should -Not -Contain 'Purchase request'
    }

    It 'creates the missing variable from the value given, imports the process, and reports' {
        $report = & (Join-Path $script:examples 'PromoteProcess.ps1') -From $script:test -To $script:prod -ProcessId 2 -Variable SMTP_HOST, SMTP_PASSWORD `
            -Values @{ SMTP_PASSWORD = (ConvertTo-SecureString 'pw-1' -AsPlainText -Force) }
        $report.Imported | Should -BeTrue
        $report.VariablesPresent | Should -Be 'SMTP_HOST'
        $report.VariablesCreated | Should -Be 'SMTP_PASSWORD'
        @(Get-PmEnvironmentVariable -Connection $script:prod).Name | Sort-Object | Should -Be @('SMTP_HOST', 'SMTP_PASSWORD')
        $process = Get-PmProcess -Id $report.ToProcessId -Connection $script:prod
        $process.Name | Should -Be 'Purchase request'
        ($report | Out-String) | Should -Not -Match 'pw-1'
        # Promoting again updates the same process and creates nothing.
        $again = & (Join-Path $script:examples 'PromoteProcess.ps1') -From $script:test -To $script:prod -ProcessId 2 -Variable SMTP_HOST, SMTP_PASSWORD
        $again.ToProcessId | Should -Be $report.ToProcessId
        $again.VariablesCreated | Should -Be ''
    }

    It 'with -PackagePassword passes the package encrypted and imports it with the password, which never shows' {
        $password = ConvertTo-SecureString 'Promote-Pa55word!' -AsPlainText -Force
        $mark = Get-LastSequence
        $prodMark = @(Get-WorkflowToolsSandboxRequest -Sandbox $script:prodSandbox)[-1].Sequence
        $DebugPreference = 'Continue'
        $all = @(& (Join-Path $script:examples 'PromoteProcess.ps1') -From $script:test -To $script:prod -ProcessId 2 -Variable SMTP_HOST `
            -PackagePassword $password -Mode Copy -Verbose *>&1)
        $DebugPreference = 'SilentlyContinue'
        $report = @($all | Where-Object { $_.PSObject.Properties['PackageProtected'] })
        $report.Count | Should -Be 1
        $report[0].Imported | Should -BeTrue
        $report[0].PackageProtected | Should -BeTrue
        (Get-PmProcess -Id $report[0].ToProcessId -Connection $script:prod).Name | Should -Be 'Purchase request'
        # The export asked for a password (the sandbox, as PM4, then encrypts), and the encrypted upload carried it: an
        # encrypted package without it is refused before sending, and the import answered 200.
        $export = @(Get-LoggedRequest -After $mark | Where-Object path -like '*/export/process/download/2')
        $export.Count | Should -Be 1
        $export[0].body | Should -BeLike '*"password":"`[redacted`]"*'
        $import = @(Get-WorkflowToolsSandboxRequest -Sandbox $script:prodSandbox -Path '*/import/do-import' -After $prodMark)
        $import.Count | Should -Be 1
        $import[0].StatusCode | Should -Be 200
        ($all | Out-String -Width 400) | Should -Not -BeLike '*Promote-Pa55word!*'
        (@(Get-LoggedRequest -After $mark) + $import).body -join "`n" | Should -Not -BeLike '*Promote-Pa55word!*'
    }
}

Describe 'Examples/ArchiveRequestFiles.ps1' {
    BeforeAll {
        # Files on completed requests 2 (completed 30 days ago) and 7 (20 days), on request 8 (5 days) and on the
        # active request 5: with -OlderThanDays 10 only those of 2 and 7 are archived.
        $script:sources = @{}
        $n = 0
        foreach ($id in 2, 2, 7, 8, 5) {
            $n++
            $path = Join-Path $script:work "source-$n.bin"
            $bytes = [byte[]]::new(1000 * $n + 7); [Random]::new($n).NextBytes($bytes); [IO.File]::WriteAllBytes($path, $bytes)
            $file = Add-PmRequestFile -RequestId $id -Path $path -DataName "attachment$n"
            $script:sources["$($file.Id)"] = (Get-FileHash $path).Hash
        }
    }

    It 'saves the files of requests completed more than N days ago, one folder per request, byte for byte, with an index' {
        $out = Join-Path $script:work 'archive'
        $rows = @(& (Join-Path $script:examples 'ArchiveRequestFiles.ps1') -OlderThanDays 10 -Destination $out)
        $rows.Count | Should -Be 3
        ($rows.RequestId | Sort-Object -Unique) | Should -Be @(2, 7)
        (Get-ChildItem $out -Directory).Name | Sort-Object | Should -Be @('request-2', 'request-7')
        foreach ($row in $rows) {
            (Get-FileHash $row.SavedAs).Hash | Should -Be $script:sources["$($row.FileId)"]
            $row.Sha256 | Should -Be $script:sources["$($row.FileId)"]
            Split-Path (Split-Path $row.SavedAs) -Leaf | Should -Be "request-$($row.RequestId)"
        }
        $index = Import-Csv (Join-Path $out 'index.csv')
        $index.Count | Should -Be 3
        ($index | ForEach-Object { $_.Sha256 -eq $script:sources[$_.FileId] }) | Should -Not -Contain $false
    }

    It 'keeps files already saved unless -Force, and writes nothing with -WhatIf' {
        $out = Join-Path $script:work 'archive'
        { & (Join-Path $script:examples 'ArchiveRequestFiles.ps1') -OlderThanDays 10 -Destination $out } | Should -Throw -ErrorId 'WorkflowTools.FileExists*'
        $rows = @(& (Join-Path $script:examples 'ArchiveRequestFiles.ps1') -OlderThanDays 10 -Destination $out -Force)
        $rows.Count | Should -Be 3
        $other = Join-Path $script:work 'whatif'
        & (Join-Path $script:examples 'ArchiveRequestFiles.ps1') -OlderThanDays 10 -Destination $other -WhatIf | Out-Null
        Test-Path $other | Should -BeFalse
    }
}
