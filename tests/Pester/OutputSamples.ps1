<#
    One sample of every type the module's cmdlets write (their [OutputType], and the type names their table views
    select), made by the cmdlets themselves: the one table that Views.Tests.ps1 (80 columns) and
    CsvRoundTrip.Tests.ps1 (Export-Csv and Import-Csv) both run. A new output type gets one line here; both files
    fail until it has one.

    Returns an ordered dictionary: type name -> script block. Each block takes the module's own sandbox (a
    SandboxProcess, for the sandbox cmdlets) and runs with the session connected to a sandbox with demo data. The
    values are chosen to be wider than their columns (names, descriptions) where a view might cut them.
#>

[ordered]@{
    'WorkflowTools.Connections.NmConnection'         = { param($Sandbox) Get-NmConnection }
    'WorkflowTools.Connections.PmConnection'         = { param($Sandbox) Get-PmConnection }
    'WorkflowTools.NextMatter.NmInstance'            = { param($Sandbox) Get-NmInstance -ProcessId 1 -Status Completed -First 3 }
    'WorkflowTools.NextMatter.NmStepCompletion'      = { param($Sandbox) New-NmInstance -ProcessId 1 | Complete-NmStep -Value @{ 123456 = 'View'; 789012 = 'Sales' } }
    'WorkflowTools.NextMatter.NmProcess'             = { param($Sandbox) Get-NmProcess -ProcessId 1 }
    'WorkflowTools.NextMatter.NmStep'                = { param($Sandbox) Get-NmProcess -ProcessId 1 -Step }
    'WorkflowTools.NextMatter.NmStepAction'          = { param($Sandbox) Get-NmProcess -ProcessId 1 -Action }
    'WorkflowTools.NextMatter.NmFieldValue'          = { param($Sandbox) Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 123456 -Status Completed -First 3 }
    'WorkflowTools.NextMatter.NmBulkResult'          = { param($Sandbox) New-NmInstance -ProcessId 1 | Stop-NmInstance -PassThru -Confirm:$false }
    'WorkflowTools.ProcessMaker.PmRequest'           = { param($Sandbox) Get-PmRequest -Status Completed -First 3 }
    'WorkflowTools.ProcessMaker.PmProcess'           = { param($Sandbox) Get-PmProcess }
    'WorkflowTools.ProcessMaker.PmTask'              = { param($Sandbox) Get-PmTask -First 3 }
    'WorkflowTools.ProcessMaker.PmUser'              = { param($Sandbox) Get-PmUser }
    'WorkflowTools.ProcessMaker.PmGroup'             = { param($Sandbox) New-PmGroup -Name "Views $(Get-Random)" -Description 'Who may approve purchases above the limit' }
    'WorkflowTools.ProcessMaker.PmGroupMember'       = { param($Sandbox) $g = New-PmGroup -Name "Members $(Get-Random)"; Add-PmGroupMember -GroupId $g.Id -UserId 1, 2 -PassThru }
    'WorkflowTools.ProcessMaker.PmEnvironmentVariable' = { param($Sandbox)
        $null = New-PmEnvironmentVariable -Name VIEW_SAMPLE_WITH_A_LONG_NAME -Value x -Description 'A description longer than its column, to see it cut'
        Get-PmEnvironmentVariable }
    'WorkflowTools.ProcessMaker.PmRequestFile'       = { param($Sandbox)
        $f = Join-Path ([IO.Path]::GetTempPath()) 'view-sample-attachment-with-a-long-name.txt'; Set-Content $f 'view'
        $null = Add-PmRequestFile -RequestId 5 -Path $f -DataName invoice_attachment; Get-PmRequestFile -RequestId 5 }
    'WorkflowTools.ProcessMaker.PmSecurityLogEntry'  = { param($Sandbox) Get-PmSecurityLog -First 3 }
    'WorkflowTools.Testing.SandboxProcess'           = { param($Sandbox) Get-WorkflowToolsSandbox }
    'WorkflowTools.Testing.SandboxRequest'           = { param($Sandbox)
        $null = Get-NmInstance -ProcessId 1 -Status Running -First 3 -Connection $Sandbox.NmConnection
        Get-WorkflowToolsSandboxRequest -Sandbox $Sandbox }
    'WorkflowTools.Testing.SandboxFault'             = { param($Sandbox) Add-WorkflowToolsSandboxFault -Sandbox $Sandbox -Kind Status -StatusCode 503 -RetryAfter 0 -Times 2 -Path '/processes/1/instances/' }
    'WorkflowTools.Testing.SeedFile'                 = { param($Sandbox) Export-WorkflowToolsSandboxSeed -Path (Join-Path (Get-TestOutputFolder) "sample-seed-$PID.json") -NmProcessId 1 -Force }
}
