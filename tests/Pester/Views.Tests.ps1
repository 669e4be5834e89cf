#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Every default table view, rendered as an 80-column console shows it (Out-String -Width 80): every column of the
    view is there, no line is wider than 80, and the dates and runtimes are shown in full.
#>

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
    $script:samples = @{
        'WorkflowTools.Connections.NmConnection' = { Get-NmConnection }
        'WorkflowTools.Connections.PmConnection' = { Get-PmConnection }
        'WorkflowTools.NextMatter.NmInstance'    = { Get-NmInstance -ProcessId 1 -Status Completed -First 3 }
        'WorkflowTools.NextMatter.NmStepCompletion' = { New-NmInstance -ProcessId 1 | Complete-NmStep -Value @{ 123456 = 'View'; 789012 = 'Sales' } }
        'WorkflowTools.NextMatter.NmProcess'     = { Get-NmProcess -ProcessId 1 }
        'WorkflowTools.NextMatter.NmStep'        = { Get-NmProcess -ProcessId 1 -Step }
        'WorkflowTools.NextMatter.NmStepAction'  = { Get-NmProcess -ProcessId 1 -Action }
        'WorkflowTools.NextMatter.NmFieldValue'  = { Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 123456 -Status Completed -First 3 }
        'WorkflowTools.NextMatter.NmBulkResult'  = { New-NmInstance -ProcessId 1 | Stop-NmInstance -PassThru -Confirm:$false }
        'WorkflowTools.ProcessMaker.PmRequest'   = { Get-PmRequest -Status Completed -First 3 }
        'WorkflowTools.ProcessMaker.PmProcess'   = { Get-PmProcess }
        'WorkflowTools.ProcessMaker.PmTask'      = { Get-PmTask -First 3 }
        'WorkflowTools.ProcessMaker.PmUser'      = { Get-PmUser }
        'WorkflowTools.ProcessMaker.PmGroup'     = { New-PmGroup -Name "Views $(Get-Random)" -Description 'Who may approve purchases above the limit' }
        'WorkflowTools.ProcessMaker.PmGroupMember' = { $g = New-PmGroup -Name "Members $(Get-Random)"; Add-PmGroupMember -GroupId $g.Id -UserId 1, 2 -PassThru }
        'WorkflowTools.Testing.SandboxProcess'   = { Get-WorkflowToolsSandbox }
        'WorkflowTools.Testing.SandboxRequest'   = { $null = Get-NmInstance -ProcessId 1 -Status Running -First 3 -Connection $script:ownSandbox.NmConnection
                                                     Get-WorkflowToolsSandboxRequest -Sandbox $script:ownSandbox }
        'WorkflowTools.Testing.SeedFile'         = { Export-WorkflowToolsSandboxSeed -Path (Join-Path (Get-TestOutputFolder) "view-seed-$PID.json") -NmProcessId 1 -Force }
        'WorkflowTools.ProcessMaker.PmEnvironmentVariable' = { $null = New-PmEnvironmentVariable -Name VIEW_SAMPLE_WITH_A_LONG_NAME -Value x -Description 'A description longer than its column, to see it cut'; Get-PmEnvironmentVariable }
        'WorkflowTools.ProcessMaker.PmRequestFile' = { $f = Join-Path ([IO.Path]::GetTempPath()) 'view-sample-attachment-with-a-long-name.txt'; Set-Content $f 'view'; $null = Add-PmRequestFile -RequestId 5 -Path $f -DataName invoice_attachment; Get-PmRequestFile -RequestId 5 }
        'WorkflowTools.ProcessMaker.PmSecurityLogEntry' = { Get-PmSecurityLog -First 3 }
        'WorkflowTools.Testing.SandboxFault'     = { Add-WorkflowToolsSandboxFault -Sandbox $script:ownSandbox -Kind Status -StatusCode 503 -RetryAfter 0 -Times 2 -Path '/processes/1/instances/' }
    }
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

    It 'shows every column of <_> within 80 columns' -ForEach @(
        'WorkflowTools.Connections.NmConnection', 'WorkflowTools.Connections.PmConnection', 'WorkflowTools.NextMatter.NmInstance',
        'WorkflowTools.NextMatter.NmStepCompletion', 'WorkflowTools.NextMatter.NmProcess', 'WorkflowTools.NextMatter.NmStep',
        'WorkflowTools.NextMatter.NmStepAction', 'WorkflowTools.NextMatter.NmFieldValue', 'WorkflowTools.NextMatter.NmBulkResult',
        'WorkflowTools.ProcessMaker.PmRequest', 'WorkflowTools.ProcessMaker.PmProcess', 'WorkflowTools.ProcessMaker.PmTask',
        'WorkflowTools.ProcessMaker.PmUser', 'WorkflowTools.ProcessMaker.PmGroup', 'WorkflowTools.ProcessMaker.PmGroupMember',
        'WorkflowTools.Testing.SandboxProcess', 'WorkflowTools.Testing.SandboxRequest', 'WorkflowTools.Testing.SandboxFault',
        'WorkflowTools.ProcessMaker.PmEnvironmentVariable', 'WorkflowTools.ProcessMaker.PmRequestFile',
        'WorkflowTools.ProcessMaker.PmSecurityLogEntry'
    ) {
        $type = $_
        $objects = @(& $script:samples[$type])
        $objects | Should -Not -BeNullOrEmpty
        $objects[0].GetType().FullName | Should -Be $type
        $text = $objects | Out-String -Width 80
        $lines = $text -split '\r?\n' | Where-Object { $_.Trim() }
        $header = $lines[0]
        $labels = ($script:views | Where-Object Type -eq $type).Labels
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
