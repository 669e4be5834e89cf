#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    One sandbox for a test file, Reset-WorkflowToolsSandbox in BeforeEach: ten tests that each change data on both
    services and move the clock, each finding the seed as it was. Then the figure the issue asks for: the ten tests
    (resets, requests and Pester's own bookkeeping) take less time than three fresh sandbox starts, the way a test
    file without a reset would get a clean sandbox. Both figures go to reset-timing.json in the output folder.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $null = Import-TestModule
    $script:sb = Start-WorkflowToolsSandbox -FrozenClock -Connect
    $script:seedRunning = @(Get-NmInstance -ProcessId 1 -Status Running).Count
    $script:seedClock = Set-WorkflowToolsSandboxClock -Sandbox $script:sb -Advance 0 -PassThru
}

AfterAll {
    if ($script:sb) { Stop-WorkflowToolsSandbox -Sandbox $script:sb }
}

Describe 'Reset-WorkflowToolsSandbox in BeforeEach' {
    Context 'ten tests that each change data' {
        BeforeAll { $script:tenWatch = [Diagnostics.Stopwatch]::StartNew() }
        BeforeEach { Reset-WorkflowToolsSandbox -Sandbox $script:sb }
        AfterAll { $script:tenTests = $script:tenWatch.Elapsed }

        It 'test <N> finds the seed, then changes it' -ForEach @(1..10 | ForEach-Object { @{ N = $_ } }) {
            # What the tests before changed is gone.
            (Get-PmRequest -Id 1).Status | Should -Be 'Active'
            @(Get-NmInstance -ProcessId 1 -Status Running).Count | Should -Be $script:seedRunning
            Set-WorkflowToolsSandboxClock -Sandbox $script:sb -Advance 0 -PassThru | Should -Be $script:seedClock
            @(Get-WorkflowToolsSandboxRequest -Sandbox $script:sb -Method POST) | Should -HaveCount 0

            Stop-PmRequest -Id 1 -Confirm:$false
            $created = New-NmInstance -ProcessId 1 -Name "Made by test $N"
            Set-WorkflowToolsSandboxClock -Sandbox $script:sb -Advance "$N.00:00:00"

            (Get-PmRequest -Id 1).Status | Should -Be 'Canceled'
            @(Get-NmInstance -ProcessId 1 -Status Running).Count | Should -Be ($script:seedRunning + 1)
            $created.Id | Should -BeGreaterThan 0
        }
    }

    It 'ran the ten tests in less time than three fresh sandbox starts' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        foreach ($i in 1..3) {
            $fresh = Start-WorkflowToolsSandbox -FrozenClock
            Stop-WorkflowToolsSandbox -Sandbox $fresh
        }
        $threeStarts = $watch.Elapsed

        $figures = [ordered]@{
            TenTestsWithResetSeconds = [math]::Round($script:tenTests.TotalSeconds, 3)
            ThreeFreshStartsSeconds  = [math]::Round($threeStarts.TotalSeconds, 3)
        }
        $figures | ConvertTo-Json | Set-Content -LiteralPath (Join-Path (Get-TestOutputFolder) 'reset-timing.json')
        Write-Host "ten tests with a reset each: $($figures.TenTestsWithResetSeconds) s; three fresh sandbox starts: $($figures.ThreeFreshStartsSeconds) s"
        $script:tenTests | Should -BeLessThan $threeStarts
    }
}
