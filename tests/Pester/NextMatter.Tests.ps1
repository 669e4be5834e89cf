#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The Next Matter cmdlet set, for people who have pwsh and Pester 5:
        dotnet build src/WorkflowTools/WorkflowTools.csproj
        Invoke-Pester tests/Pester
    SandboxSetup.ps1 starts the sandbox on a free loopback port and imports the built module folder.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    $script:base = $script:sandbox.Base
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Get-NmInstance filters and paging' {
    It 'narrows the listing on the server' {
        $running = Get-NmInstance -ProcessId 1 -Status Running -PageSize 3
        $running | Should -Not -BeNullOrEmpty
        $running.Status | Sort-Object -Unique | Should -Be 'Running'
    }

    It 'reads the same instances across page boundaries as in one page' {
        $small = (Get-NmInstance -ProcessId 1 -PageSize 4).Id
        $large = (Get-NmInstance -ProcessId 1 -PageSize 500).Id
        $small | Should -Be $large
    }

    It 'honours -Skip and -First' {
        (Get-NmInstance -ProcessId 1 -PageSize 2 -Skip 2 -First 2).Id | Should -Be @(1003, 1004)
    }

    It 'refuses a page size above 500' {
        { Get-NmInstance -ProcessId 1 -PageSize 501 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Set-NmInstance' {
    It 'changes the name and adds a tag' {
        $instance = New-NmInstance -ProcessId 1 -Name 'Before' -Tag one
        $changed = $instance | Set-NmInstance -Name 'After' -AddTag two -PassThru
        $changed.Name | Should -Be 'After'
        # A list: its text (ToString, a CSV cell, a table) is one;two; PowerShell's "$(...)" joins lists with $OFS.
        $changed.Tags.ToString() | Should -Be 'one;two'
        "$($changed.Tags)" | Should -Be 'one two'
        (Invoke-SandboxApi NextMatter "instances/$($instance.Id)/").tags | Should -Be @('one', 'two')
    }
}

Describe 'Stop-NmInstance and Remove-NmInstance' {
    It 'aborts piped instances in bulk and sends nothing with -WhatIf' {
        $tag = "pester$(Get-Random)"
        1..3 | ForEach-Object { New-NmInstance -ProcessId 1 -Tag $tag } | Out-Null
        Get-NmInstance -ProcessId 1 -Tag $tag | Stop-NmInstance -WhatIf
        (Get-NmInstance -ProcessId 1 -Tag $tag -Status Running).Count | Should -Be 3
        $result = Get-NmInstance -ProcessId 1 -Tag $tag | Stop-NmInstance -PassThru
        $result.Count | Should -Be 3
        Get-NmInstance -ProcessId 1 -Tag $tag -Status Running | Should -BeNullOrEmpty
    }

    It 'deletes with -Force' {
        $instance = New-NmInstance -ProcessId 1
        $instance | Remove-NmInstance -Force
        { Get-NmInstance -Id $instance.Id -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.NotFound*'
    }
}

Describe 'Get-NmProcess and Get-NmFieldValue' {
    It 'lists the form fields of a workflow' {
        $fields = Get-NmProcess 1 -Action
        $fields.Id | Should -Contain 123456
        ($fields | Where-Object Id -eq 789012).Options.ToString() | Should -Be 'Value 2;Sales;IT'
    }

    It 'reads one field across completed instances' {
        $values = Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 123456 -Status Completed
        $values.Value | Should -Contain 'Alan Turing'
    }
}

Describe 'Invoke-NmApi' {
    It 'follows the pages of a listing' {
        (Invoke-NmApi processes/1/instances/ -Query @{ page_size = 5 } -All | Measure-Object).Count | Should -BeGreaterOrEqual 25
    }

    It 'refuses a URL outside the connection' {
        { Invoke-NmApi 'https://example.com/api/instances/' -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.InvalidArgument*'
    }
}

Describe 'CSV export' {
    It 'writes tags as a;b' {
        $instance = New-NmInstance -ProcessId 1 -Tag a, b
        ($instance | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv).Tags | Should -Be 'a;b'
    }
}
