#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What the help and the package say, checked against what the module does.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    $script:about = Get-Help about_WorkflowTools | Out-String
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'about_WorkflowTools' {
    It 'names the ErrorId a 429 really gets' {
        $script:about | Should -Match 'WorkflowTools\.RateLimited'
        $script:about | Should -Not -Match 'WorkflowTools\.Throttled'
    }

    It 'shows the Authorization header as -Debug really writes it' {
        $debug = Get-NmProcess -ProcessId 1 -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | Select-Object -First 1
        "$debug" | Should -Match 'Api-Key \[redacted\]'
        $script:about | Should -Match ([regex]::Escape('"Api-Key [redacted]"'))
        $script:about | Should -Not -Match ([regex]::Escape('Api-Key ***'))
    }

    It 'tells scheduled tasks about -Vault' {
        $script:about | Should -Match 'Connect-NmService -Vault'
        (Get-Command Connect-NmService).Parameters.Keys | Should -Contain 'Vault'
    }
}

Describe 'License and manifests' {
    It 'has the MIT LICENSE file that the manifest and the package link' {
        $license = Join-Path $script:RepoRoot 'LICENSE'
        $license | Should -Exist
        Get-Content -Raw $license | Should -Match '^MIT License'
        $data = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'WorkflowTools.psd1')
        $data.PrivateData.PSData.LicenseUri | Should -BeLike '*/LICENSE'
        $data.Copyright | Should -Match 'MIT'
    }

    It 'passes Test-ModuleManifest in the built folder' {
        (Test-ModuleManifest -Path $script:ModuleManifestPath -ErrorAction Stop).Name | Should -Be 'WorkflowTools'
    }

    It 'says in the root manifest that it is the build''s source' {
        Get-Content -Raw (Join-Path $script:RepoRoot 'WorkflowTools.psd1') | Should -Match 'build''s source'
    }
}

Describe 'Help examples of Complete-NmStep run against the sandbox' {
    It 'Example 1 completes step 42 of instance 1001 with fields of that step' {
        $example = (Get-Help Complete-NmStep -Examples).examples.example[0].code
        $example | Should -Match 'Complete-NmStep -InstanceId 1001 -StepId 42'
        $result = Invoke-Expression $example
        $result.StepId | Should -Be 42
        (Invoke-SandboxApi NextMatter 'instances/1001/').active_step_ids | Should -Not -Contain 42
    }

    It 'Example 2 approves the instances of workflow 1 waiting on step 43' {
        $example = (Get-Help Complete-NmStep -Examples).examples.example[1].code
        $waitingBefore = @(Get-NmInstance -ProcessId 1 -ActiveStepId 43).Id
        $waitingBefore | Should -Not -BeNullOrEmpty
        Invoke-Expression $example -ErrorAction Stop | Out-Null
        foreach ($id in $waitingBefore) {
            (Invoke-SandboxApi NextMatter "instances/$id/").active_step_ids | Should -Not -Contain 43
        }
    }
}
