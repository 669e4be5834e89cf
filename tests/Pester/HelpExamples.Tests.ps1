#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Every example of every cmdlet's help (Get-Help <cmdlet> -Examples, the MAML the build writes from
    src/WorkflowTools/Help/Examples/*.md), run as written in real pwsh against a sandbox, after the standard setup a
    user has: a sandbox started with Start-WorkflowToolsSandbox -Connect -SetEnvironment, ProcessMaker signed in
    with the sandbox's user (OAuth password grant, so -AssignedToMe knows who "me" is), and the module's Examples
    folder as the current folder (new-hires.csv is there). An example fails when it throws or writes an error.

    $NotRunHere lists, with the reason, the examples that need a real server, a prompt, a file of the user's own or
    a Pester test around them. $ExpectedErrors lists the examples whose point is an error, with the error they must
    give. Examples in $ChangesSandbox leave the sandbox in a state the next ones do not expect (every running
    instance aborted, the clock moved, the sandbox stopped): a fresh sandbox is started after them.
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $null = Import-TestModule
    $NotRunHere = @{
        'Connect-NmService#1'                 = 'prompts for the API key (Read-Host)'
        'Connect-NmService#2'                 = 'reads the key from C:\Secure\nextmatter.key and connects to core.nextmatter.com'
        'Connect-NmService#3'                 = 'connects to core.nextmatter.com with the user''s own $key'
        'Connect-PmServer#1'                  = 'prompts for the token (Read-Host) and connects to pm.example.com'
        'Connect-PmServer#2'                  = 'prompts for a password and a secret (Get-Credential, Read-Host) for pm.example.com'
        'Connect-PmServer#3'                  = 'reads a SecretManagement vault (Get-Secret) and connects to pm.example.com'
        'Disconnect-PmServer#2'               = 'connects to pm.example.com with the user''s own $token'
        'Get-PmConnection#2'                  = 'connects to two real servers with the user''s own tokens'
        'Export-WorkflowToolsSandboxSeed#1'   = 'reads a SecretManagement vault and the user''s own tenant'
        'Start-WorkflowToolsSandbox#1'        = 'needs the seed file of the user''s own workflows (Export-WorkflowToolsSandboxSeed, Example 1)'
        'Start-WorkflowToolsSandbox#2'        = 'starts a child `pwsh` from PATH; this suite''s pwsh is a dotnet tool, not on PATH'
        'Stop-NmInstance#3'                   = 'reads the user''s own to-abort.csv'
        'New-PmUser#1'                        = 'prompts for the password (Read-Host -AsSecureString)'
        'Clear-WorkflowToolsSandboxFault#2'   = 'a Pester fragment (It, AfterEach): runs only inside a test file'
        'Clear-WorkflowToolsSandboxRequest#1' = 'a Pester fragment (BeforeEach): runs only inside a test file'
        'Reset-WorkflowToolsSandbox#2'        = 'a Pester fragment (BeforeAll, BeforeEach, AfterAll) with the user''s own seed file'
        'Get-WorkflowToolsSandboxRequest#2'   = 'a Pester fragment (Should) around the user''s own script and $report'
        'Stop-WorkflowToolsSandbox#2'         = 'a Pester fragment (BeforeAll, AfterAll) with the user''s own seed file'
        'New-PmEnvironmentVariable#1'         = 'prompts for the value (Read-Host -AsSecureString)'
        'Export-PmProcess#3'                  = 'prompts for the package password (Read-Host -AsSecureString)'
    }
    $ExpectedErrors = @{
        # The create happened, the client saw a 500: the point of the example is the error it gets.
        'Add-WorkflowToolsSandboxFault#2' = 'WorkflowTools.OutcomeUnknown*'
    }
    $ChangesSandbox = @('Stop-NmInstance#1', 'Set-WorkflowToolsSandboxClock#1', 'Set-WorkflowToolsSandboxClock#2', 'Stop-WorkflowToolsSandbox#1', 'Remove-PmProcess#1')

    $all = foreach ($command in Get-Command -Module WorkflowTools -CommandType Cmdlet | Sort-Object Name) {
        $number = 0
        foreach ($example in @((Get-Help $command.Name -Examples).examples.example)) {
            $number++
            $key = "$($command.Name)#$number"
            [pscustomobject]@{
                Key = $key; Name = $command.Name; Number = $number; Code = "$($example.code)".Trim()
                Reason = $NotRunHere[$key]; ExpectedError = $ExpectedErrors[$key]; ChangesSandbox = $ChangesSandbox -contains $key
            }
        }
    }
    $script:Runnable = @($all | Where-Object { -not $_.Reason } | ForEach-Object { @{ Key = $_.Key; Code = $_.Code; ExpectedError = $_.ExpectedError; ChangesSandbox = $_.ChangesSandbox } })
    $script:Listing = @{ All = @($all.Key); NotRunHere = $NotRunHere; ExpectedErrors = $ExpectedErrors; ChangesSandbox = $ChangesSandbox; Commands = @(Get-Command -Module WorkflowTools -CommandType Cmdlet).Count }
    Remove-Module WorkflowTools -ErrorAction SilentlyContinue
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $null = Import-TestModule
    $script:work = Join-Path (Get-TestOutputFolder) "help-examples-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    Copy-Item -Path (Join-Path (Split-Path (Get-Module WorkflowTools).Path) 'Examples') -Destination $script:work -Recurse
    $script:startFolder = Get-Location

    function script:Start-StandardSandbox {
        Stop-WorkflowToolsSandbox
        $script:sb = Start-WorkflowToolsSandbox -Connect -SetEnvironment
        Connect-StandardSession
        $script:dirty = $false
    }

    function script:Connect-StandardSession {
        $sandbox = @(Get-WorkflowToolsSandbox | Where-Object IsRunning)
        if (-not $sandbox) { Start-StandardSandbox; return }
        if (-not (Get-NmConnection)) { Connect-NmService -BaseUri $sandbox[0].NextMatterUri }
        if (-not (Get-PmConnection) -or (Get-PmConnection).AuthenticationMethod -eq 'Access token') {
            $user = [pscredential]::new('admin', (ConvertTo-SecureString 'admin' -AsPlainText -Force))
            Connect-PmServer -BaseUri $sandbox[0].ProcessMakerUri -Credential $user -ClientId 'sandbox-client' -ClientSecret (ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force)
        }
    }

    Start-StandardSandbox
}

AfterAll {
    Set-Location $script:startFolder
    Stop-WorkflowToolsSandbox
    Remove-Module WorkflowTools -ErrorAction SilentlyContinue
}

Describe 'Help examples' {
    It 'lists each example it does not run with a reason, and only examples that exist' -ForEach @(@{ Listing = $script:Listing }) {
        $Listing.Commands | Should -BeGreaterThan 30
        $Listing.All.Count | Should -BeGreaterThan 80
        foreach ($key in @($Listing.NotRunHere.Keys) + @($Listing.ExpectedErrors.Keys) + $Listing.ChangesSandbox) {
            $Listing.All | Should -Contain $key
        }
        $Listing.NotRunHere.Count | Should -BeLessOrEqual ([math]::Ceiling($Listing.All.Count / 4)) -Because 'most examples must run against the sandbox'
    }

    It '<Key> runs as written against the sandbox' -ForEach $script:Runnable {
        if ($script:dirty) { Start-StandardSandbox }
        Connect-StandardSession
        Clear-WorkflowToolsSandboxFault
        Set-Location $script:work
        try {
            # A console's defaults; an example that asks "Are you sure?" gets the answer a user gives at the prompt.
            $ErrorActionPreference = 'Continue'
            $ConfirmPreference = 'None'
            $output = @(& ([scriptblock]::Create($Code)) 2>&1)
        }
        finally {
            Set-Location $script:startFolder
            if (Get-WorkflowToolsSandbox | Where-Object IsRunning) { Clear-WorkflowToolsSandboxFault }
            if ($ChangesSandbox) { $script:dirty = $true }
        }
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        if ($ExpectedError) {
            $errors | Should -Not -BeNullOrEmpty -Because 'the example shows this error'
            foreach ($e in $errors) { $e.FullyQualifiedErrorId | Should -BeLike $ExpectedError }
        }
        else {
            $errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" } | Should -BeNullOrEmpty
        }
    }
}
