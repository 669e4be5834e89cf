#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The sandbox cmdlets' table views (Sandbox.format.ps1xml) as an 80-column console shows them: every column there,
    no line wider than 80. The sandbox is started the way a module user starts it, with Start-WorkflowToolsSandbox.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $null = Import-TestModule
    $script:sb = Start-WorkflowToolsSandbox -FrozenClock
    $null = Get-NmInstance -Id 1001 -Connection $script:sb.NmConnection
    $file = Join-Path (Split-Path (Get-Module WorkflowTools).Path) 'Sandbox.format.ps1xml'
    $script:views = foreach ($view in ([xml](Get-Content -Raw $file)).Configuration.ViewDefinitions.View) {
        [pscustomobject]@{ Type = $view.ViewSelectedBy.TypeName; Labels = @($view.TableControl.TableHeaders.TableColumnHeader.Label) }
    }
    $script:samples = @{
        'WorkflowTools.Testing.SandboxProcess' = { Get-WorkflowToolsSandbox }
        'WorkflowTools.Testing.SandboxRequest' = { Get-WorkflowToolsSandboxRequest -Sandbox $script:sb }
        'WorkflowTools.Testing.SandboxFault'   = { Add-WorkflowToolsSandboxFault -Sandbox $script:sb -Kind Applied -StatusCode 500 -Method POST -Path '/instances/' -Times 1 }
        # A FileInfo with this type name first (Export-WorkflowToolsSandboxSeed's output).
        'WorkflowTools.Testing.SeedFile'       = { Export-WorkflowToolsSandboxSeed -Path (Join-Path (Get-TestOutputFolder) "views-seed-$PID.json") -NmProcessId 1 -NmConnection $script:sb.NmConnection -Force }
    }
}

AfterAll {
    Stop-WorkflowToolsSandbox
}

Describe 'Sandbox views at 80 columns' {
    It 'has a sample for every view' {
        $script:views.Count | Should -Be 4
        foreach ($view in $script:views) { $script:samples.Keys | Should -Contain $view.Type }
    }

    It 'shows every column of <_> within 80 columns' -ForEach @('WorkflowTools.Testing.SandboxProcess', 'WorkflowTools.Testing.SandboxRequest', 'WorkflowTools.Testing.SandboxFault', 'WorkflowTools.Testing.SeedFile') {
        $type = $_
        $objects = @(& $script:samples[$type])
        $objects | Should -Not -BeNullOrEmpty
        if ($type -eq 'WorkflowTools.Testing.SeedFile') { $objects[0].PSObject.TypeNames[0] | Should -Be $type } else { $objects[0].GetType().FullName | Should -Be $type }
        $lines = ($objects | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        ($lines[0] -split '\s+' | Where-Object { $_ }) | Should -Be ($script:views | Where-Object Type -eq $type).Labels
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 -Because "'$line' is wider than 80" }
    }
}
