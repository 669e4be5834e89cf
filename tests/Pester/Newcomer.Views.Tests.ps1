#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What a newcomer reads (issue 24, section 2): the 80-column views keep the key text (item 4), Tab offers no file
    names where none can fit (item 3), and the small things a first run shows (item 11). Each test failed before
    its fix.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox

    function script:Get-ColumnText {
        <# The text of one column of a rendered table, its wrapped lines joined with a space. #>
        param([string] $Text, [string] $Label, [string] $NextLabel)
        $lines = @($Text -split '\r?\n' | Where-Object { $_.Trim() })
        $start = $lines[0].IndexOf($Label)
        $end = if ($NextLabel) { $lines[0].IndexOf($NextLabel) } else { [int]::MaxValue }
        $cells = foreach ($line in $lines[2..($lines.Count - 1)]) {
            if ($line.Length -gt $start) { $line.Substring($start, [math]::Min($end, $line.Length) - $start).Trim() }
        }
        ($cells | Where-Object { $_ }) -join ' '
    }

    function script:Show {
        <# The objects as an 80-column console shows them. #>
        param([Parameter(ValueFromPipeline)] $InputObject)
        end { @($input) | Out-String -Width 80 }
    }
}

AfterAll {
    if ($script:ownSandbox) { Stop-WorkflowToolsSandbox -Sandbox $script:ownSandbox }
    Stop-TestSandbox $script:sandbox
}

Describe '80-column views keep the key text (item 4)' {
    It 'names the environment variable a Next Matter connection took its key from' {
        $connection = Connect-NmService -BaseUri $script:sandbox.NextMatter -PassThru
        $connection.CredentialSource | Should -Be 'environment variable NEXTMATTER_API_KEY'
        $text = $connection | Show
        $text | Should -Match '\$env:NEXTMATTER_API_KEY'
        $text | Should -Not -Match '…'
    }

    It 'names the environment variable a ProcessMaker connection took its token from' {
        $connection = Connect-PmServer -BaseUri $script:sandbox.Instance -PassThru
        $text = $connection | Show
        $text | Should -Match '\$env:PROCESSMAKER_TOKEN'
        Get-ColumnText $text 'CredentialSource' | Should -Be '$env:PROCESSMAKER_TOKEN'
        # The instance's API URL, wider than its column, wraps between its parts instead of being cut.
        $text | Should -Not -Match '…'
        (Get-ColumnText $text 'BaseUri' 'Authentication') -replace ' ', '' | Should -Be $connection.BaseUri.ToString()
    }

    It 'shows every start event of a ProcessMaker process' {
        $text = Get-PmProcess -Id 2 | Show
        $text | Should -Match ([regex]::Escape('node_1 (Web order);node_5 (Phone order)'))
    }

    It 'shows the sandbox request log''s query in full, decoded' {
        $script:ownSandbox = Start-WorkflowToolsSandbox
        $null = Get-NmInstance -ProcessId 1 -Status Running -MinTotalRuntime '2 00:00:00' -Connection $script:ownSandbox.NmConnection
        $text = Get-WorkflowToolsSandboxRequest -Sandbox $script:ownSandbox | Show
        $text | Should -Not -Match '…'
        # The query wraps within its column: read without the line breaks and padding.
        ($text -replace '\s', '') | Should -Match ([regex]::Escape('total_runtime_min=200:00:00&status=running'))
        ($text -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
    }

    It 'shows an instance''s whole name when it has no tags' {
        $instance = New-NmInstance -ProcessId 1 -Name 'Onboarding Katherine Johnson-Goble'
        $text = $instance | Show
        $text | Should -Not -Match '…'
        Get-ColumnText $text 'Name' 'Status' | Should -Be 'Onboarding Katherine Johnson-Goble'
        ($text -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
    }
}

Describe 'Tab offers no file names for durations and API paths (item 3)' {
    BeforeAll {
        function script:Get-Completion([string] $line) {
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
        }
    }

    It 'offers duration examples, not files, for <_>' -ForEach @('Get-NmInstance -ProcessId 1 -MinTotalRuntime ', 'Get-NmInstance -ProcessId 1 -MaxTotalRuntime ', 'Get-NmFieldValue -ProcessId 1 -ActionId 1 -MinTotalRuntime ') {
        # From the repository root, which has files PowerShell would offer.
        Push-Location $script:RepoRoot
        try { $matches = Get-Completion $_ } finally { Pop-Location }
        $matches | Where-Object { $_.ResultType -in 'ProviderItem', 'ProviderContainer' } | Should -BeNullOrEmpty
        $matches.CompletionText | Should -Contain "'2 00:00:00'"
        ($matches | Where-Object CompletionText -eq "'00:50'").ToolTip | Should -Match '50 seconds'
    }

    It 'completes the duration typed so far' {
        (Get-Completion 'Get-NmInstance -ProcessId 1 -MinTotalRuntime PT').CompletionText | Should -Be @('PT30M')
    }

    It 'offers API paths, not files, for <_>' -ForEach @('Invoke-NmApi -Path ', 'Invoke-NmApi ', 'Invoke-PmApi -Path ', 'Invoke-PmApi ') {
        Push-Location $script:RepoRoot
        try { $matches = Get-Completion $_ } finally { Pop-Location }
        $matches | Where-Object { $_.ResultType -in 'ProviderItem', 'ProviderContainer' } | Should -BeNullOrEmpty
        $matches.Count | Should -BeGreaterThan 3
        if ($_ -like 'Invoke-NmApi*') { $matches.CompletionText | Should -Contain "'processes/{id}/instances/'" }
        else { $matches.CompletionText | Should -Contain 'requests' }
    }

    It 'offers only the API paths that start with what was typed' {
        (Get-Completion 'Invoke-PmApi -Path tas').CompletionText | Should -Be @('tasks', "'tasks/{id}'")
    }
}

Describe 'Small things a first run shows (item 11)' {
    It 'says which value an unquoted -MinTotalRuntime 2d was and to quote it' {
        $failure = $null
        try { Get-NmInstance -ProcessId 1 -MinTotalRuntime 2d } catch { $failure = $_ }
        "$failure" | Should -Match '\b2 \(a Decimal\) is not a duration: PowerShell reads an unquoted 2d or 1\.5 as a number\. Put the duration in quotes'
    }

    It 'does not repeat the command name in Start-PmRequest''s error' {
        Start-PmRequest -ProcessId 77 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        "$($failures[0])" | Should -Not -Match 'Start-PmRequest'
        "$($failures[0])" | Should -Be 'No request started for process 77: ProcessMaker has no process 77 (or none you may start).'
    }

    It 'shows no progress for one slow create, and progress for several' {
        # The Try runner (and any host without a progress bar) prints each progress record as a line of text.
        Invoke-RestMethod -Method Post -Uri "$($script:sandbox.Base)/_sandbox/faults" -ContentType 'application/json' -Headers @{ 'X-Sandbox-Token' = $script:sandbox.ControlToken } `
            -Body (@{ spec = 'kind=delay,delay=1500ms,method=POST,path=/instances/,times=3' } | ConvertTo-Json)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest, $uri, $key)
                    Import-Module $manifest
                    Connect-NmService -BaseUri $uri -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force)
                }).AddArgument($script:ModuleManifestPath).AddArgument($script:sandbox.NextMatter).AddArgument($script:SandboxNmKey)
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty

            # One create, 1.5 s: no progress record.
            $ps.Commands.Clear()
            $ps.Streams.ClearStreams()
            $null = $ps.AddScript({ New-NmInstance -ProcessId 1 -Name 'One slow create' })
            @($ps.Invoke()).Count | Should -Be 1
            $ps.Streams.Error | Should -BeNullOrEmpty
            @($ps.Streams.Progress) | Should -BeNullOrEmpty

            # Two creates, 1.5 s each: progress while they run.
            $ps.Commands.Clear()
            $ps.Streams.ClearStreams()
            $null = $ps.AddScript({ 'Two slow creates', 'and another' | ForEach-Object { [pscustomobject]@{ ProcessId = 1; Name = $_ } } | New-NmInstance })
            @($ps.Invoke()).Count | Should -Be 2
            $ps.Streams.Error | Should -BeNullOrEmpty
            @($ps.Streams.Progress | Where-Object { $_.StatusDescription -match 'done' }) | Should -Not -BeNullOrEmpty
        }
        finally { $ps.Dispose() }
    }
}
