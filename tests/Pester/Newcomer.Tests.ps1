#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What a newcomer tripped on (issue 24, section 2): importing under -WhatIf/-Confirm, errors that do not say
    where, Stop-NmInstance on an ended instance, Get-NmFieldValue without -StepId, a radio field's inner object.
    Each test failed before its fix.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox

    function script:Invoke-ChildPwsh {
        <# Runs $Script as a file in a new `pwsh -NoProfile -NonInteractive -File` with stdin closed, with $ArgumentList. #>
        param([Parameter(Mandatory)] [string] $Script, [string[]] $ArgumentList = @(), [int] $TimeoutSeconds = 60)
        $file = Join-Path (Get-TestOutputFolder) "child-$([guid]::NewGuid().ToString('n').Substring(0, 8)).ps1"
        Set-Content -LiteralPath $file -Value $Script -Encoding utf8
        $info = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $file) + $ArgumentList) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        try {
            $process.StandardInput.Close()
            $out = $process.StandardOutput.ReadToEndAsync()
            $err = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit($TimeoutSeconds * 1000)) { throw "The child pwsh did not finish within $TimeoutSeconds s: $file" }
            $process.WaitForExit()
            [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $out.Result; Error = $err.Result }
        }
        finally {
            if (-not $process.HasExited) { $process.Kill($true) }
            $process.Dispose()
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
    }

    function script:Get-FreeLoopbackPort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Import-Module under -WhatIf and -Confirm (item 1)' {
    BeforeAll {
        # A script as the shipped examples are: SupportsShouldProcess, importing the module itself. It prints the
        # CSV text of an instance started at a known time, in a culture whose own date text differs from ISO 8601.
        $script:importScript = @"
[CmdletBinding(SupportsShouldProcess)]
param()
`$PSStyle.OutputRendering = 'PlainText'
[cultureinfo]::CurrentCulture = 'en-GB'
Import-Module '$($script:ModuleManifestPath -replace "'", "''")'
`$instance = [WorkflowTools.NextMatter.NmInstance]@{ Id = 7; StartedTime = [datetime]::new(2026, 4, 12, 5, 52, 46, [DateTimeKind]::Utc) }
'CSV ' + (`$instance | Select-Object Id, StartedTime | ConvertTo-Csv -NoTypeInformation | Select-Object -Last 1)
"@
    }

    It 'is silent and registers the UTC date adapter under -WhatIf' {
        $run = Invoke-ChildPwsh -Script $script:importScript -ArgumentList '-WhatIf'
        $run.Error | Should -BeNullOrEmpty
        $run.Output | Should -Not -Match 'What if'
        $run.Output | Should -Match '(?m)^CSV "7","2026-04-12T05:52:46Z"\s*$'
        $run.ExitCode | Should -Be 0
    }

    It 'does not prompt and registers the UTC date adapter under -Confirm' {
        # -NonInteractive: a prompt would be an error ("NonInteractive mode") and the adapter would be missing.
        $run = Invoke-ChildPwsh -Script $script:importScript -ArgumentList '-Confirm'
        $run.Error | Should -BeNullOrEmpty
        $run.Output | Should -Not -Match 'Confirm|Update TypeData'
        $run.Output | Should -Match '(?m)^CSV "7","2026-04-12T05:52:46Z"\s*$'
    }

    It 'is silent with -Verbose too' {
        $run = Invoke-ChildPwsh -Script $script:importScript -ArgumentList '-Verbose'
        $run.Output | Should -Not -Match 'Update TypeData'
        $run.Output | Should -Match '(?m)^CSV "7","2026-04-12T05:52:46Z"\s*$'
    }
}

Describe 'Errors that say where (item 5)' {
    AfterEach {
        # Connect-NmService -PassThru makes its connection the session's too: back to the sandbox's API root.
        Connect-NmService -BaseUri $script:sandbox.NextMatter -ApiKey (ConvertTo-SecureString $script:SandboxNmKey -AsPlainText -Force)
    }

    It 'names the host and port of a refused connection' {
        $port = Get-FreeLoopbackPort
        $refused = Connect-NmService -BaseUri "http://127.0.0.1:$port/api/" -ApiKey (ConvertTo-SecureString 'k.k' -AsPlainText -Force) -MaxRetries 0 -PassThru
        Get-NmProcess -ProcessId 1 -Connection $refused -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Network,*'
        "$($failures[0])" | Should -Match "ConnectionRefused at 127\.0\.0\.1:$port \(check the host and port of the connection's base URI"
    }

    It 'hints at the base URI when a Next Matter connection without /api/ answers 404' {
        $base = $script:sandbox.Base + '/'
        $wrong = Connect-NmService -BaseUri $base -ApiKey (ConvertTo-SecureString $script:SandboxNmKey -AsPlainText -Force) -PassThru
        Get-NmInstance -Id 1001 -Connection $wrong -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.NotFound,*'
        "$($failures[0])" | Should -Match "base URI $([regex]::Escape($base)) does not end in /api/.*check Connect-NmService -BaseUri"
    }

    It 'gives no such hint for a real 404 under the API root' {
        Get-NmInstance -Id 987654 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.NotFound,*'
        "$($failures[0])" | Should -Not -Match 'base URI'
    }
}

Describe 'Stop-NmInstance -Id on an ended instance (item 7)' {
    It 'warns that a completed instance given by id was already ended, sends no abort and writes nothing' {
        # Next Matter's instance has no status field: completed_time set, aborted_time empty.
        (Invoke-SandboxApi NextMatter 'instances/1003/').completed_time | Should -Not -BeNullOrEmpty
        $before = Get-LastSequence
        $result = Stop-NmInstance -Id 1003 -PassThru -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Be 'The instance 1003 is already Completed; it was not aborted.'
        @(Get-LoggedRequest -After $before | Where-Object { $_.method -eq 'POST' }) | Should -BeNullOrEmpty
        (Invoke-SandboxApi NextMatter 'instances/1003/').aborted_time | Should -BeNullOrEmpty
    }

    It 'still aborts a running instance given by id, in the same call' {
        $running = New-NmInstance -ProcessId 1 -Name 'Stop by id'
        $result = @(Stop-NmInstance -Id 1003, $running.Id -PassThru -Confirm:$false -WarningAction SilentlyContinue)
        $result.InstanceId | Should -Be @($running.Id)
        (Invoke-SandboxApi NextMatter "instances/$($running.Id)/").aborted_time | Should -Not -BeNullOrEmpty
    }
}

Describe 'Get-NmFieldValue without -StepId (item 8)' {
    It 'finds the step of -ActionId in the workflow definition instead of prompting' {
        # -NonInteractive would turn a prompt for a mandatory -StepId into an error; here it must just work.
        $values = @(Get-NmFieldValue -ProcessId 1 -ActionId 555001 -First 3 -ErrorAction Stop)
        $values.Count | Should -BeGreaterThan 0
        $values | ForEach-Object { $_.StepId | Should -Be 43 }
        $values | ForEach-Object { $_.ActionId | Should -Be 555001 }
        (Get-Command Get-NmFieldValue).Parameters['StepId'].Attributes.Where({ $_ -is [Parameter] }).Mandatory | Should -Not -Contain $true
    }

    It 'says so, before reading any value, when no step has the field' {
        Get-NmFieldValue -ProcessId 1 -ActionId 424242 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        "$($failures[0])" | Should -Be 'No step of workflow 1 has the form field 424242; Get-NmProcess -ProcessId 1 -Action lists its fields.'
    }
}

Describe 'Complete-NmStep with a radio field''s inner object (item 9)' {
    It 'accepts @{ radioItemSelected = ... } and sends it inside inputValue' {
        $instance = New-NmInstance -ProcessId 1 -Name 'Radio inner object'
        $null = Complete-NmStep -InstanceId $instance.Id -StepId 42 -Value @{ 123456 = 'Radio'; 789012 = @{ itemSelected = 'Sales' } } -ErrorAction Stop
        $before = Get-LastSequence
        $result = Complete-NmStep -InstanceId $instance.Id -StepId 43 -Value @{ 555001 = @{ radioItemSelected = 'Approve' } } -ErrorAction Stop
        $result.StepId | Should -Be 43
        $post = @(Get-LoggedRequest -After $before | Where-Object { $_.method -eq 'POST' })
        $post.Count | Should -Be 1
        $post[0].body | Should -Match '"inputValue":\s*\{\s*"radioItemSelected":\s*"Approve"\s*\}'
        (Get-NmFieldValue -ProcessId 1 -StepId 43 -ActionId 555001 -InstanceId $instance.Id).Value | Should -Be 'Approve'
    }

    It 'accepts a checklist''s @{ itemsChecked = ... } the same way' {
        $instance = New-NmInstance -ProcessId 1 -Name 'Checklist inner object'
        $null = Complete-NmStep -InstanceId $instance.Id -StepId 42 -Value @{ 123456 = 'Checklist'; 789012 = @{ itemSelected = 'Sales' } } -ErrorAction Stop
        $null = Complete-NmStep -InstanceId $instance.Id -StepId 43 -Value @{ 555001 = 'Approve' } -ErrorAction Stop
        $result = Complete-NmStep -InstanceId $instance.Id -StepId 44 -Value @{ 555002 = @{ itemsChecked = @('Laptop', 'Phone') }; 555003 = [datetime]'2026-02-01' } -ErrorAction Stop
        $result.StepId | Should -Be 44
        (Get-NmFieldValue -ProcessId 1 -StepId 44 -ActionId 555002 -InstanceId $instance.Id).Value.ToString() | Should -Be 'Laptop;Phone'
    }
}
