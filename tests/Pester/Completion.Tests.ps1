#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    TabExpansion2 on every id parameter, as a console's Tab press asks it.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    function Get-Completion([string] $line) {
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
    }
    # The id parameters: every [long]/[long[]]/[long?] parameter of every cmdlet, except counts and sizes.
    $script:idParameters = foreach ($command in Get-Command -Module WorkflowTools | Where-Object { $_.Noun -match '^(Nm|Pm)' }) {
        foreach ($parameter in $command.Parameters.Values) {
            if ($parameter.ParameterType -in [long], [long[]], [Nullable[long]] -and $parameter.Name -notin 'First', 'Skip' -and $parameter.Name -notlike '*Size') {
                [pscustomobject]@{ Command = $command.Name; Parameter = $parameter.Name }
            }
        }
    }
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Tab completion of id parameters' {
    It 'never offers file names (checked from the repository root, which has files)' {
        Push-Location $script:RepoRoot
        try {
            $script:idParameters.Count | Should -BeGreaterThan 20
            foreach ($id in $script:idParameters) {
                $matches = Get-Completion "$($id.Command) -$($id.Parameter) "
                $files = $matches | Where-Object { $_.ResultType -in 'ProviderItem', 'ProviderContainer' }
                $files | Should -BeNullOrEmpty -Because "$($id.Command) -$($id.Parameter) takes an id, not a file"
            }
        }
        finally { Pop-Location }
    }

    It 'offers ProcessMaker''s startable processes for Start-PmRequest, Get-PmRequest and Get-PmTask -ProcessId' {
        foreach ($command in 'Start-PmRequest', 'Get-PmRequest', 'Get-PmTask') {
            (Get-Completion "$command -ProcessId ").CompletionText | Should -Contain '1' -Because $command
        }
    }

    It 'offers the start events of the process on the command line' {
        (Get-Completion 'Start-PmRequest -ProcessId 2 -StartEvent ').CompletionText | Should -Not -BeNullOrEmpty
    }

    It 'offers Next Matter workflows once the session has met them, in every cmdlet that takes one' {
        $null = Get-NmProcess -ProcessId 1
        foreach ($command in 'Get-NmInstance', 'New-NmInstance', 'Get-NmProcess', 'Get-NmFieldValue') {
            $match = Get-Completion "$command -ProcessId " | Where-Object CompletionText -eq '1'
            $match | Should -Not -BeNullOrEmpty -Because $command
            $match.ToolTip | Should -Match 'onboarding'
        }
    }

    It 'says in the help of -ProcessId what a new session offers' {
        (Get-Help Get-NmInstance -Parameter ProcessId | Out-String) | Should -Match 'in a new session it offers nothing'
    }
}
