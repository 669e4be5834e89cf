#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What a user reads: error targets that say what failed, and long waits that are not silent.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Error targets' {
    It 'New-NmInstance names the new instance in its error target, not a type name' {
        $err = $null
        New-NmInstance -ProcessId 424242 -Name 'Nowhere' -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        "$($err[0].TargetObject)" | Should -Be "new instance of workflow 424242 ('Nowhere')"
        ($err[0] | Out-String -Width 80) | Should -Not -Match 'WorkflowTools\.NextMatter\.NmNewInstance'
    }
}

Describe 'Long waits' {
    It 'warns, without -Verbose, when a 429 makes a call wait seconds' {
        $null = Invoke-SandboxControl -Method Post -Path faults -Body @{ spec = 'status=429,retry-after=4,times=1,method=GET,path=/processes/' }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $process = Get-NmProcess -ProcessId 1 -WarningVariable warnings -WarningAction SilentlyContinue
        $watch.Stop()

        $process.Id | Should -Be 1
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match '^GET /nextmatter/api/processes/1/ failed \(429\); attempt 2 of \d+ in 4\.0 s\. Still retrying'
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 3.5
    }

    It 'warns, without -Verbose, while refused connections are retried, before the last attempt' {
        # A loopback port nothing listens on: every attempt is refused at once, so only the retry waits take time.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        # Two retries from a 3 s base: the jittered waits add up to at least 4 s (Polly's exponential backoff with
        # jitter is at least 1.37 x the base after two waits), past the 3 s notice, however loaded the machine.
        $refused = Connect-NmService -BaseUri "http://127.0.0.1:$port/api/" -ApiKey (ConvertTo-SecureString 'refused-test-key' -AsPlainText -Force) `
            -MaxRetries 2 -RetryDelay 3 -PassThru

        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $records = @(Get-NmProcess -ProcessId 1 -Connection $refused -Verbose -ErrorAction SilentlyContinue -ErrorVariable failures 4>&1 3>&1 |
            ForEach-Object { [pscustomobject]@{ Record = $_; At = $watch.Elapsed } })
        $watch.Stop()

        $warnings = @($records | Where-Object { $_.Record -is [System.Management.Automation.WarningRecord] })
        $warnings.Count | Should -Be 1
        "$($warnings[0].Record)" | Should -Match '^GET /api/processes/1/ failed \(network error: ConnectionRefused\); attempt [23] of 3 in \d+\.\d s\. Still retrying; -Verbose shows every attempt\.$'
        "$($warnings[0].Record)" | Should -Not -Match 'refused-test-key'
        # Shown while the call waits: before the third (last) attempt's verbose line, not all at the end.
        $attempts = @($records | Where-Object { "$($_.Record)" -match '^GET /api/processes/1/ → network error' })
        $attempts.Count | Should -Be 3
        [array]::IndexOf($records, $warnings[0]) | Should -BeLessThan ([array]::IndexOf($records, $attempts[2]))
        ($attempts[2].At - $warnings[0].At).TotalSeconds | Should -BeGreaterThan 0.5
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Network,*'
        "$($failures[0])" | Should -Match 'failed after 3 attempt\(s\)'
    }

    It 'says nothing when the retries of refused connections stay short' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        # One retry from a 0.1 s base waits at most 0.3 s: far below the notice, so no warning.
        $refused = Connect-NmService -BaseUri "http://127.0.0.1:$port/api/" -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) `
            -MaxRetries 1 -RetryDelay 0.1 -PassThru
        Get-NmProcess -ProcessId 1 -Connection $refused -ErrorAction SilentlyContinue -ErrorVariable failures -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 0
        $failures.Count | Should -Be 1
    }

    It 'warns, without -Verbose, while Connect-PmServer -Credential retries a refused token endpoint' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $credential = [pscredential]::new('admin', (ConvertTo-SecureString 'refused-test-password' -AsPlainText -Force))
        $secret = ConvertTo-SecureString 'refused-test-secret' -AsPlainText -Force

        # Two retries from a 3 s base (the connection's retry settings hold for the token endpoint too): the
        # jittered waits add up to at least 4 s, past the 3 s notice, however loaded the machine.
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $records = [System.Collections.Generic.List[object]]::new()
        $failure = $null
        try {
            Connect-PmServer -BaseUri "http://127.0.0.1:$port/" -Credential $credential -ClientId 7 -ClientSecret $secret -MaxRetries 2 -RetryDelay 3 3>&1 |
                ForEach-Object { $records.Add([pscustomobject]@{ Record = $_; At = $watch.Elapsed }) }
        }
        catch { $failure = $_ }
        $ended = $watch.Elapsed

        $failure.FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.Network,*'
        $warnings = @($records | Where-Object { $_.Record -is [System.Management.Automation.WarningRecord] })
        $warnings.Count | Should -Be 1
        "$($warnings[0].Record)" | Should -Match '^POST /oauth/token failed \(network error: ConnectionRefused\); attempt [23] of 3 in \d+\.\d s\. Still retrying; -Verbose shows every attempt\.$'
        "$($warnings[0].Record)" | Should -Not -Match 'refused-test-(password|secret)'
        # Shown before the last wait, not with the error at the end.
        ($ended - $warnings[0].At).TotalSeconds | Should -BeGreaterThan 0.5
    }
}
