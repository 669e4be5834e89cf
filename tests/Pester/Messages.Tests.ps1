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
        Invoke-RestMethod -Method Post -Uri "$($script:sandbox.Base)/_sandbox/faults" -ContentType 'application/json' `
            -Body (@{ spec = 'status=429,retry-after=4,times=1,method=GET,path=/processes/' } | ConvertTo-Json)
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $process = Get-NmProcess -ProcessId 1 -WarningVariable warnings -WarningAction SilentlyContinue
        $watch.Stop()

        $process.Id | Should -Be 1
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match '^GET /nextmatter/api/processes/1/ failed \(429\); attempt 2 of \d+ in 4\.0 s\. Still retrying'
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 3.5
    }
}
