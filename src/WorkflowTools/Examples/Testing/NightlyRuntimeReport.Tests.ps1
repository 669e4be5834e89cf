<#
.SYNOPSIS
    A Pester 5 test of the shipped NightlyRuntimeReport.ps1 against a seeded sandbox: copy it to test your own scripts.
.DESCRIPTION
    Each test runs the report the way a scheduled task does, in its own pwsh process with the sandbox's address and
    API key in the environment, and then checks the CSV it wrote, its exit code and what it sent. The sandbox starts
    with nightly-report-seed.json (one workflow, instances of known ages) and a clock that stands still until the
    test moves it; before each test Reset-WorkflowToolsSandbox puts it back as it started. Run it with:

        Invoke-Pester ./NightlyRuntimeReport.Tests.ps1 -Output Detailed

    To test another copy of the script: $c = New-PesterContainer -Path ./NightlyRuntimeReport.Tests.ps1
    -Data @{ ScriptUnderTest = './MyReport.ps1' }; Invoke-Pester -Container $c
#>
param(
    # The script under test; by default the report shipped one folder up.
    [string] $ScriptUnderTest = (Join-Path $PSScriptRoot '../NightlyRuntimeReport.ps1')
)

Describe 'NightlyRuntimeReport.ps1' {
    BeforeAll {
        # The module this example ships with (Examples/Testing inside the module folder), else the installed one.
        $manifest = Join-Path $PSScriptRoot '../../WorkflowTools.psd1'
        if (Test-Path -LiteralPath $manifest) { Import-Module $manifest -Force } else { Import-Module WorkflowTools -Force }
        # The script loads the module by name, as a scheduled task would: make sure its child process finds this one.
        $modules = Split-Path (Split-Path (Get-Module WorkflowTools).ModuleBase)
        $savedModulePath = $env:PSModulePath
        $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $env:PSModulePath

        $sandbox = Start-WorkflowToolsSandbox -SeedPath (Join-Path $PSScriptRoot 'nightly-report-seed.json') -FrozenClock -SetEnvironment
        $work = Join-Path ([IO.Path]::GetTempPath()) "nightly-report-test-$PID"
        $null = New-Item -ItemType Directory -Path $work -Force

        # pwsh itself, also when it runs as a dotnet tool (then the process is the dotnet host running pwsh.dll).
        $pwsh = @([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') { $pwsh += Join-Path $PSHOME 'pwsh.dll' }

        function Invoke-Report {
            param([string] $Path, [string] $LongerThan = '2 00:00:00')
            $exe = $pwsh[0]
            $rest = @($pwsh | Select-Object -Skip 1)
            $output = & $exe @rest -NoProfile -NonInteractive -File $ScriptUnderTest -ProcessId 1 -LongerThan $LongerThan -Path $Path 2>&1 | Out-String
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output; Rows = @(if (Test-Path -LiteralPath $Path) { Import-Csv -LiteralPath $Path }) }
        }
    }

    AfterAll {
        $sandbox | Stop-WorkflowToolsSandbox
        $env:PSModulePath = $savedModulePath
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }

    BeforeEach {
        # Back to the seed: data, request log, fault rules and clock as the sandbox started, whatever the test
        # before changed or failed to undo.
        Reset-WorkflowToolsSandbox -Sandbox $sandbox
    }

    It 'lists the running instances older than two days, longest first, and only those' {
        $run = Invoke-Report -Path (Join-Path $work 'plain.csv')

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Rows.Id | Should -Be @('2001', '2002')
        $run.Rows[0].Name | Should -Be 'Onboarding Ada Lovelace'
        $run.Rows[0].TotalRuntime | Should -Be '5.00:00:00'
    }

    It 'finds one more a day later' {
        Set-WorkflowToolsSandboxClock -Advance '1.00:00:00'
        $run = Invoke-Report -Path (Join-Path $work 'a-day-later.csv')
        $run.Rows.Id | Should -Be @('2001', '2002', '2003')
    }

    It 'still writes the complete report through a storm of 429s' {
        Add-WorkflowToolsSandboxFault -Kind Status -StatusCode 429 -RetryAfter 1 -Times 3 -Path '/instances/'
        $run = Invoke-Report -Path (Join-Path $work 'storm.csv')

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Rows.Id | Should -Be @('2001', '2002')
        $listing = Get-WorkflowToolsSandboxRequest -Method GET -Path '*/processes/1/instances/*'
        @($listing | Where-Object StatusCode -eq 429).Count | Should -Be 3
        @($listing | Where-Object StatusCode -eq 200).Count | Should -Be 1
    }

    It 'fails the task with a non-zero exit code when the service answers 500' {
        Add-WorkflowToolsSandboxFault -Kind Status -StatusCode 500 -Method GET -Path '/instances/'
        $path = Join-Path $work 'failed.csv'
        $run = Invoke-Report -Path $path

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -Match '500'
        Test-Path -LiteralPath $path | Should -BeFalse
    }
}
