#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The four seed jobs, for people who have pwsh and Pester 5:
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

Describe 'New-NmInstance' {
    It 'creates an instance and returns a typed object' {
        $instance = New-NmInstance -ProcessId 1 -Name 'Pester' -Tag hr, urgent
        $instance | Should -BeOfType 'WorkflowTools.NextMatter.NmInstance'
        $instance.Id | Should -BeGreaterThan 0
        $instance.Status | Should -Be 'Running'
        $instance.Tags.ToString() | Should -Be 'hr;urgent'
        @($instance.Tags) | Should -Be @('hr', 'urgent')
    }

    It 'sends nothing with -WhatIf' {
        New-NmInstance -ProcessId 1 -WhatIf | Should -BeNullOrEmpty
    }

    It 'binds ProcessId from the pipeline by property name' {
        $rows = [pscustomobject]@{ ProcessId = 1; Name = 'Row 1' }, [pscustomobject]@{ ProcessId = 1; Name = 'Row 2' }
        ($rows | New-NmInstance).Name | Should -Be @('Row 1', 'Row 2')
    }
}

Describe 'Complete-NmStep' {
    It 'completes the step of a piped instance with short-form values' {
        $result = New-NmInstance -ProcessId 1 | Complete-NmStep -StepId 42 -Value @{ 123456 = 'Value 1'; 789012 = @{ itemSelected = 'Value 2' } }
        $result.StepId | Should -Be 42
        $result.ActionCount | Should -Be 2
    }

    It 'reports a step that is not active as a non-terminating error' {
        $instance = New-NmInstance -ProcessId 1
        $result = Complete-NmStep -InstanceId $instance.Id -StepId 44 -Value @{ 555003 = [datetime]'2026-02-01' } -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.StepNotActive,*'
    }
}

Describe 'Get-NmInstance -MaxTotalRuntime' {
    It 'keeps Next Matter''s meaning of 00:50 (50 seconds)' {
        $short = Get-NmInstance -ProcessId 1 -MaxTotalRuntime '00:50'
        $short | ForEach-Object { $_.TotalRuntime | Should -BeLessOrEqual ([timespan]::FromSeconds(50)) }
    }

    It 'rejects a malformed duration before sending anything' {
        { Get-NmInstance -ProcessId 1 -MaxTotalRuntime 'one hour' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
    }

    It 'stops paging when the pipeline has enough' {
        @(Get-NmInstance -ProcessId 1 -PageSize 2 | Select-Object -First 3).Count | Should -Be 3
    }
}

Describe 'Start-PmRequest' {
    It 'starts a request at the process''s only start event' {
        $request = Start-PmRequest -ProcessId 1 -Data @{ employee = 'Ada' }
        $request | Should -BeOfType 'WorkflowTools.ProcessMaker.PmRequest'
        $request.Status | Should -Be 'Active'
    }

    It 'asks for -StartEvent when there are several' {
        { Start-PmRequest -ProcessId 2 -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.StartEventNotDetermined*'
    }
}
