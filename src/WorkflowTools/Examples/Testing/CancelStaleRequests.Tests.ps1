<#
.SYNOPSIS
    A Pester 5 test of the shipped CancelStaleRequests.ps1: one sandbox for the file, reset before each test, and
    the script's "now" taken from the sandbox's clock. Copy it to test your own scripts.
.DESCRIPTION
    The sandbox starts once with cancel-stale-seed.json (requests 40, 31, 29 and 5 days old, one completed) and a
    clock that stands still. BeforeEach puts it back as it started (Reset-WorkflowToolsSandbox: data, request log,
    faults and clock, in milliseconds), so each test finds the seed whatever the tests before it cancelled.

    The script measures ages from its -Now parameter. The tests pass the sandbox's clock, never the machine's
    date: the seed's ages are relative to the sandbox's clock, so the tests give the same result on any day. A
    script without such a parameter can be tested the same way with Pester's Mock Get-Date, when the script runs
    in the test's own session (the tests here call it with &, not in a child pwsh).

        Invoke-Pester ./CancelStaleRequests.Tests.ps1 -Output Detailed
#>
param(
    # The script under test; by default the one shipped one folder up.
    [string] $ScriptUnderTest = (Join-Path $PSScriptRoot '../CancelStaleRequests.ps1')
)

Describe 'CancelStaleRequests.ps1' {
    BeforeAll {
        $manifest = Join-Path $PSScriptRoot '../../WorkflowTools.psd1'
        if (Test-Path -LiteralPath $manifest) { Import-Module $manifest -Force } else { Import-Module WorkflowTools -Force }
        $sandbox = Start-WorkflowToolsSandbox -SeedPath (Join-Path $PSScriptRoot 'cancel-stale-seed.json') -FrozenClock -SetEnvironment

        # The sandbox's "now": reading the clock is moving it by nothing.
        function Get-SandboxNow { Set-WorkflowToolsSandboxClock -Sandbox $sandbox -Advance 0 -PassThru }
        function Get-RequestStatus { param([long[]] $Id) foreach ($i in $Id) { (Get-PmRequest -Id $i -Connection $sandbox.PmConnection).Status } }
    }

    AfterAll {
        $sandbox | Stop-WorkflowToolsSandbox
    }

    BeforeEach {
        Reset-WorkflowToolsSandbox -Sandbox $sandbox
    }

    It 'cancels the requests in progress for more than 30 days, and only those' {
        $cancelled = & $ScriptUnderTest -OlderThanDays 30 -Now (Get-SandboxNow) -Confirm:$false

        $cancelled.Id | Sort-Object | Should -Be @(7001, 7002)
        Get-RequestStatus 7001, 7002, 7003, 7004, 7005 | Should -Be @('Canceled', 'Canceled', 'Active', 'Completed', 'Active')
    }

    It 'finds two more once the sandbox clock moved 30 days' {
        # The reset brought 7001 and 7002 back: the test above cancelled them.
        $now = Set-WorkflowToolsSandboxClock -Sandbox $sandbox -Advance '30.00:00:00' -PassThru
        $cancelled = & $ScriptUnderTest -OlderThanDays 30 -Now $now -Confirm:$false

        $cancelled.Id | Sort-Object | Should -Be @(7001, 7002, 7003, 7005)
    }

    It 'changes nothing with -WhatIf' {
        $null = & $ScriptUnderTest -OlderThanDays 30 -Now (Get-SandboxNow) -WhatIf

        Get-WorkflowToolsSandboxRequest -Sandbox $sandbox -Method PUT | Should -BeNullOrEmpty
        Get-RequestStatus 7001, 7002 | Should -Be @('Active', 'Active')
    }
}
