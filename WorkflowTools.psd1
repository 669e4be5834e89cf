# The module's manifest. The copy in the repository root is the build's source and cannot be imported from there:
# RootModule and the format and type files it names are built into artifacts/module/WorkflowTools/<version>/ by
# `dotnet build src/WorkflowTools/WorkflowTools.csproj`, with a copy of this file; import that one.
@{
    RootModule           = 'WorkflowTools.dll'
    # Loaded before the root module: makes Dependencies\ resolvable in isolation.
    NestedModules        = @('WorkflowTools.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f8a4e-2f0c-4c1e-9a55-7f3a1d9c6e21'
    Author               = 'WorkflowTools contributors'
    CompanyName          = 'WorkflowTools'
    Copyright            = '(c) WorkflowTools contributors. MIT licence.'
    Description          = 'Drive Next Matter and ProcessMaker 4 workflows from PowerShell: start instances and requests, complete steps and tasks, and report on long-running work with typed, pipeline-friendly objects.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('Connections.format.ps1xml', 'NextMatter.format.ps1xml', 'ProcessMaker.format.ps1xml', 'ProcessMakerData.format.ps1xml', 'Sandbox.format.ps1xml')
    TypesToProcess       = @('WorkflowTools.types.ps1xml')
    CmdletsToExport      = @(
        'Connect-NmService'
        'Disconnect-NmService'
        'Get-NmConnection'
        'New-NmInstance'
        'Get-NmInstance'
        'Set-NmInstance'
        'Stop-NmInstance'
        'Remove-NmInstance'
        'Complete-NmStep'
        'Get-NmProcess'
        'Get-NmFieldValue'
        'Invoke-NmApi'
        'Wait-NmInstance'
        'Connect-PmServer'
        'Disconnect-PmServer'
        'Get-PmConnection'
        'Get-PmProcess'
        'Start-PmRequest'
        'Get-PmRequest'
        'Stop-PmRequest'
        'Set-PmRequest'
        'Get-PmEnvironmentVariable'
        'New-PmEnvironmentVariable'
        'Set-PmEnvironmentVariable'
        'Remove-PmEnvironmentVariable'
        'Get-PmRequestFile'
        'Save-PmRequestFile'
        'Add-PmRequestFile'
        'Remove-PmRequestFile'
        'Get-PmSecurityLog'
        'Export-PmProcess'
        'Import-PmProcess'
        'Remove-PmProcess'
        'Restore-PmProcess'
        'Get-PmTask'
        'Complete-PmTask'
        'Invoke-PmApi'
        'Get-PmUser'
        'New-PmUser'
        'Set-PmUser'
        'Remove-PmUser'
        'Restore-PmUser'
        'Get-PmGroup'
        'New-PmGroup'
        'Set-PmGroup'
        'Remove-PmGroup'
        'Get-PmGroupMember'
        'Add-PmGroupMember'
        'Remove-PmGroupMember'
        'Set-PmTask'
        'Wait-PmRequest'
        'Start-WorkflowToolsSandbox'
        'Stop-WorkflowToolsSandbox'
        'Get-WorkflowToolsSandbox'
        'Get-WorkflowToolsSandboxRequest'
        'Clear-WorkflowToolsSandboxRequest'
        'Add-WorkflowToolsSandboxFault'
        'Clear-WorkflowToolsSandboxFault'
        'Set-WorkflowToolsSandboxClock'
        'Reset-WorkflowToolsSandbox'
        'Export-WorkflowToolsSandboxSeed'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('NextMatter', 'ProcessMaker', 'Workflow', 'BPM', 'Automation', 'REST', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/workflowtools/WorkflowTools'
            LicenseUri   = 'https://github.com/workflowtools/WorkflowTools/blob/main/LICENSE'
            ReleaseNotes = 'First release: connections, Next Matter instances and steps, ProcessMaker requests.'
        }
    }
}
