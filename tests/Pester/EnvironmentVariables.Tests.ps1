#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Get-, New-, Set- and Remove-PmEnvironmentVariable against the sandbox, which serves /environment_variables as
    PM4 4.15.6's EnvironmentVariablesController does (src/WorkflowTools.Sandbox/ProcessMakerDataApi.cs names the
    sources): the value is write-only, names follow ^[a-zA-Z][a-zA-Z_$0-9]*$ and are unique, a change needs the name
    and the description, and an empty value leaves the stored one.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    $script:secret = 'Env5ecret-Value-' + [guid]::NewGuid().ToString('n')
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Environment variables' {
    It 'creates a variable from a SecureString; the value reaches no stream, no object, no log, no answer' {
        $mark = Get-LastSequence
        $value = ConvertTo-SecureString $script:secret -AsPlainText -Force
        $all = New-PmEnvironmentVariable -Name SMTP_PASSWORD -Value $value -Description 'Mail password' -Verbose -Debug *>&1 | Out-String -Width 300
        $all | Should -Not -Match ([regex]::Escape($script:secret))
        $all | Should -Match 'not shown: it carries a secret'
        $created = Get-PmEnvironmentVariable -Name SMTP_PASSWORD
        $created.Name | Should -Be 'SMTP_PASSWORD'
        $created.Description | Should -Be 'Mail password'
        $created.PSObject.Properties.Name | Should -Not -Contain 'Value'
        ($created | ConvertTo-Csv | Out-String) | Should -Not -Match ([regex]::Escape($script:secret))
        # The server never answers with it, and the sandbox's request log does not keep it.
        $raw = Invoke-SandboxApi ProcessMaker "environment_variables/$($created.Id)"
        $raw.PSObject.Properties.Name | Should -Not -Contain 'value'
        (Get-LoggedRequest -After $mark | ConvertTo-Json -Depth 5) | Should -Not -Match ([regex]::Escape($script:secret))
        @(Get-LoggedRequest -After $mark | Where-Object { $_.method -eq 'POST' -and $_.path -like '*/environment_variables' }).Count | Should -Be 1
    }

    It 'takes a plain string as the value, and never repeats it in an error' {
        New-PmEnvironmentVariable -Name REPORT_FOLDER -Value '/srv/reports' -Description 'Reports' | Should -Not -BeNullOrEmpty
        $errors = $null
        New-PmEnvironmentVariable -Name REPORT_FOLDER -Value $script:secret -Description 'again' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Validation*'
        $errors[0].Exception.Message | Should -Match 'name has already been taken'
        ($errors[0] | Format-List * -Force | Out-String) + ($errors[0].Exception | Format-List * -Force | Out-String) | Should -Not -Match ([regex]::Escape($script:secret))
    }

    It 'refuses a bad name before any request' {
        $mark = Get-LastSequence
        { New-PmEnvironmentVariable -Name '1bad-name' -Value 'x' -Description 'd' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        @(Get-LoggedRequest -After $mark).Count | Should -Be 0
    }

    It 'changes the description and name, keeping what is not given, and the value only with -Value' {
        $mark = Get-LastSequence
        $changed = Set-PmEnvironmentVariable -Name REPORT_FOLDER -Description 'Nightly reports' -NewName REPORT_DIR -PassThru -Confirm:$false
        $changed.Name | Should -Be 'REPORT_DIR'
        $changed.Description | Should -Be 'Nightly reports'
        $put = Get-LoggedRequest -After $mark | Where-Object method -eq 'PUT' | Select-Object -Last 1
        ($put.body | ConvertFrom-Json).PSObject.Properties.Name | Sort-Object | Should -Be @('description', 'name')
        Get-PmEnvironmentVariable -Name REPORT_DIR | Set-PmEnvironmentVariable -Value (ConvertTo-SecureString $script:secret -AsPlainText -Force) -Confirm:$false
        $put = Get-LoggedRequest -After $mark | Where-Object method -eq 'PUT' | Select-Object -Last 1
        ($put.body | ConvertFrom-Json).value | Should -Be '<not recorded>'
    }

    It 'lists with wildcards, -Filter and paging' {
        foreach ($n in 1..12) { $null = New-PmEnvironmentVariable -Name "TEMP_$n" -Value "v$n" -Description "temporary $n" }
        @(Get-PmEnvironmentVariable -Name 'TEMP_*').Count | Should -Be 12
        @(Get-PmEnvironmentVariable -Filter 'temporary').Count | Should -Be 12
        @(Get-PmEnvironmentVariable -Name 'TEMP_*' -First 3 -Skip 2).Count | Should -Be 3
        { Get-PmEnvironmentVariable -Name NO_SUCH_VARIABLE -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.NotFound*'
    }

    It 'previews with -WhatIf, then deletes piped variables with -PassThru' {
        $mark = Get-LastSequence
        Get-PmEnvironmentVariable -Name 'TEMP_*' | Remove-PmEnvironmentVariable -WhatIf
        @(Get-LoggedRequest -After $mark | Where-Object method -eq 'DELETE').Count | Should -Be 0
        $removed = @(Get-PmEnvironmentVariable -Name 'TEMP_*' | Remove-PmEnvironmentVariable -Force -PassThru)
        $removed.Count | Should -Be 12
        @(Get-PmEnvironmentVariable -Name 'TEMP_*').Count | Should -Be 0
        (Invoke-SandboxApi ProcessMaker 'environment_variables?per_page=100').data.name | Should -Not -Contain 'TEMP_1'
    }

    It 'exports to CSV with UTC dates and no type names' {
        $csv = Get-PmEnvironmentVariable | ConvertTo-Csv -NoTypeInformation
        ($csv | Out-String) | Should -Not -Match 'System\.'
        $csv[0] | Should -Be '"Id","Name","Description","CreatedAt","UpdatedAt"'
    }
}
