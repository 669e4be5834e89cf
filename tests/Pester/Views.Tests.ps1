#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Every default table view, rendered as an 80-column console shows it (Out-String -Width 80): every column of the
    view is there, no line is wider than 80, and the dates and runtimes are shown in full.
#>

BeforeDiscovery {
    $script:sampleTypes = @((& (Join-Path $PSScriptRoot 'OutputSamples.ps1')).Keys)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox

    $folder = Split-Path $script:ModuleManifestPath
    $script:views = foreach ($file in Get-ChildItem (Join-Path $folder '*.format.ps1xml')) {
        foreach ($view in ([xml](Get-Content -Raw $file)).Configuration.ViewDefinitions.View) {
            if ($view.TableControl) {
                [pscustomobject]@{ Type = $view.ViewSelectedBy.TypeName; Labels = @($view.TableControl.TableHeaders.TableColumnHeader.Label) }
            }
        }
    }

    # A sandbox of the module's own (Start-WorkflowToolsSandbox) for the sandbox cmdlets' views.
    $script:ownSandbox = Start-WorkflowToolsSandbox
    $instance = New-NmInstance -ProcessId 1 -Name 'Ada Lovelace, onboarding for the research team' -Tag hr, remote
    # The samples CsvRoundTrip.Tests.ps1 writes to CSV too: one per output type.
    $script:samples = & (Join-Path $PSScriptRoot 'OutputSamples.ps1')
}

AfterAll {
    if ($script:ownSandbox) { Stop-WorkflowToolsSandbox -Sandbox $script:ownSandbox }
    Stop-TestSandbox $script:sandbox
}

Describe 'Default views at 80 columns' {
    It 'has a sample for every table view the module ships' {
        $script:views.Count | Should -BeGreaterThan 10
        foreach ($view in $script:views) { $script:samples.Keys | Should -Contain $view.Type }
    }

    It 'shows every column of <_> within 80 columns' -ForEach $script:sampleTypes {
        $type = $_
        $objects = @(& $script:samples[$type] $script:ownSandbox)
        $objects | Should -Not -BeNullOrEmpty
        # The type name the view selects: the .NET type's, or the one the cmdlet puts first (SeedFile on a FileInfo).
        $objects[0].PSObject.TypeNames[0] | Should -Be $type
        if ($type -as [type]) { $objects[0].GetType().FullName | Should -Be $type }
        $text = $objects | Out-String -Width 80
        $lines = $text -split '\r?\n' | Where-Object { $_.Trim() }
        $header = $lines[0]
        $labels = ($script:views | Where-Object Type -eq $type).Labels
        $labels | Should -Not -BeNullOrEmpty -Because "every output type has a table view ($type has none)"
        ($header -split '\s+' | Where-Object { $_ }) | Should -Be $labels
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 -Because "'$line' is wider than 80" }
        foreach ($property in 'StartedTime', 'CompletedAt', 'InitiatedAt', 'DueAt', 'ConfirmedAt') {
            if ($labels -contains $property -and $objects[0].$property) {
                $text | Should -Match ([regex]::Escape($objects[0].$property.ToString('yyyy-MM-dd HH:mm')))
            }
        }
    }

    It 'shows the runtime filter''s column, TotalRuntime, in full' {
        $rows = @(Get-NmInstance -ProcessId 1 -Status Completed -First 3)
        $text = $rows | Out-String -Width 80
        $r = $rows[0].TotalRuntime
        $shown = if ($r.Days -gt 0) { '{0}d {1:hh\:mm\:ss}' -f $r.Days, $r } else { '{0:hh\:mm\:ss}' -f $r }
        $text | Should -Match ([regex]::Escape($shown))
        $text | Should -Match 'Tags'
    }
}
