#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Wait-PmRequest and Wait-NmInstance against a sandbox whose Next Matter side enforces the documented 100 requests
    a minute (-RateLimit 100, counted per API key on the sandbox's clock) and holds workflow 900 with 50 running
    instances (a seed beside the demo data). Work finishes in the background (a thread job with its own connection, the same key
    and token) while the wait runs in the foreground; the sandbox's request log shows what the wait sent and when.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $seed = Join-Path (Get-TestOutputFolder) "wait-seed-$PID.json"
    @{
        version    = 1
        demoData   = $true
        nextMatter = @{
            processes = @(@{ id = 900; name = 'Listing'; steps = @(@{ id = 9001; name = 'Only step' }) })
            instances = @(1..50 | ForEach-Object { @{ process = 900; name = "Listed #$_"; status = 'running'; age = '00:01:00' } })
        }
    } | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $seed -Encoding utf8
    $script:sandbox = Start-TestSandbox -SeedPath $seed -RateLimit 100

    function Start-Finisher {
        <# A thread job that imports the module, connects as the test does and runs $Work with $Ids. #>
        param([scriptblock] $Work, [long[]] $Ids)
        Start-ThreadJob -ArgumentList $script:ModuleManifestPath, $env:WORKFLOWTOOLS_SANDBOX_PM, $env:WORKFLOWTOOLS_SANDBOX_NM, $Ids, "$Work" -ScriptBlock {
            param($manifest, $pm, $nm, $ids, $work)
            $ErrorActionPreference = 'Stop'
            Import-Module $manifest
            Connect-PmServer -BaseUri $pm
            & ([scriptblock]::Create($work)) $ids $nm
        }
    }
}

AfterAll {
    Get-Job | Remove-Job -Force -ErrorAction SilentlyContinue
    Stop-TestSandbox $script:sandbox
}

Describe 'Wait-PmRequest' {
    It 'returns 100 requests completed in the background within one poll interval of the last, two listing calls a round' {
        $requests = @(1..100 | ForEach-Object { [pscustomobject]@{ ProcessId = 1 } } | Start-PmRequest -ThrottleLimit 8)
        $requests.Count | Should -Be 100
        $ids = [long[]]$requests.Id
        $mark = Get-LastSequence
        # The background: the requests' tasks are completed in four batches of 25, a second and a half apart.
        $job = Start-Finisher -Ids $ids -Work {
            param($ids, $nm)
            $tasks = @(Get-PmTask -ProcessId 1 -Status Active -PageSize 500 | Where-Object RequestId -In $ids)
            if ($tasks.Count -ne $ids.Count) { throw "found $($tasks.Count) open tasks for $($ids.Count) requests" }
            for ($i = 0; $i -lt 4; $i++) {
                Start-Sleep -Milliseconds 1500
                $null = $tasks[($i * 25)..($i * 25 + 24)] | Complete-PmTask -Data @{ approved = $true } -ThrottleLimit 4
            }
        }
        $interval = 2
        $done = @($requests | Wait-PmRequest -PollInterval $interval -Timeout 00:02:00 -ErrorAction Stop)
        $job | Wait-Job -Timeout 60 | Receive-Job -ErrorAction Stop

        $done.Count | Should -Be 100
        @($done.Id | Sort-Object -Unique).Count | Should -Be 100
        @($done | Where-Object { "$($_.Status)" -ne 'Completed' }).Count | Should -Be 0
        # The sandbox's state agrees.
        @((Invoke-SandboxApi ProcessMaker "requests?pmql=status%20%3D%20%22COMPLETED%22%20AND%20process_id%20%3D%201&per_page=500").data |
            Where-Object id -In $ids).Count | Should -Be 100

        $log = @(Get-LoggedRequest -After $mark)
        $lastCompletion = $log | Where-Object { $_.method -eq 'PUT' -and $_.path -like '*/tasks/*' } | Select-Object -Last 1
        $lists = @($log | Where-Object { $_.method -eq 'GET' -and $_.path -like '*/api/1.0/requests' -and $_.query -like '*pmql=id*' })
        $after = @($lists | Where-Object { $_.sequence -gt $lastCompletion.sequence })
        # One round after the last completion (at most two listing calls), starting within one interval of it.
        $after.Count | Should -BeGreaterThan 0
        $after.Count | Should -BeLessOrEqual 2
        ([datetimeoffset]$after[0].time - [datetimeoffset]$lastCompletion.time).TotalSeconds | Should -BeLessOrEqual ($interval + 1)
        # Every request was read through the listing: none alone.
        @($log | Where-Object { $_.method -eq 'GET' -and $_.path -match '/requests/\d+$' }).Count | Should -Be 0
        # At most 50 ids per listing call.
        $lists | ForEach-Object { ([regex]::Matches([uri]::UnescapeDataString($_.query), 'id = \d+')).Count | Should -BeLessOrEqual 50 }
    }

    It 'writes one WaitTimeout error naming the requests still running, after those that finished' {
        $open = Start-PmRequest -ProcessId 1
        $errors = $null
        $out = @(Wait-PmRequest -Id 2, $open.Id -Timeout 1.5 -PollInterval 0.5 -ErrorVariable errors -ErrorAction SilentlyContinue)
        $out.Id | Should -Be @(2)
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.WaitTimeout,*'
        $errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $errors[0].TargetObject | Should -Be @($open.Id)
        $errors[0].Exception.Message | Should -Match "still not Completed, Canceled or Error: $($open.Id)\."
        (Invoke-SandboxApi ProcessMaker "requests/$($open.Id)").status | Should -Be 'ACTIVE'
    }

    It 'reports a request that ended otherwise and one that does not exist, and goes on with the rest' {
        $errors = $null
        $out = @(Wait-PmRequest -Id 4, 424242, 7 -Status Completed -PollInterval 0.5 -Timeout 10 -ErrorVariable errors -ErrorAction SilentlyContinue)
        $out.Id | Should -Be @(7)
        ($errors | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] } | Sort-Object) | Should -Be @('WorkflowTools.NotFound', 'WorkflowTools.WaitEndedOtherwise')
        ($errors | Where-Object FullyQualifiedErrorId -like 'WorkflowTools.WaitEndedOtherwise*').TargetObject | Should -Be 4
    }

    It 'stops at once when a downstream command wants no more, and sends nothing after' {
        $open = Start-PmRequest -ProcessId 1
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $first = @(Wait-PmRequest -Id 2, $open.Id -PollInterval 30 | Select-Object -First 1)
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
        $first.Id | Should -Be @(2)
        $mark = Get-LastSequence
        Start-Sleep -Milliseconds 500
        @(Get-LoggedRequest -After $mark | Where-Object path -like '*/requests*').Count | Should -Be 0
    }

    It 'takes Start-PmRequest output from the pipeline and refuses a bad -PollInterval before any request' {
        $mark = Get-LastSequence
        { Wait-PmRequest -Id 2 -PollInterval 0.01 -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.InvalidArgument*'
        @(Get-LoggedRequest -After $mark).Count | Should -Be 0
        (Get-PmRequest -Id 2 | Wait-PmRequest -PollInterval 0.5).Id | Should -Be 2
    }
}

Describe 'Wait-NmInstance' {
    It 'waits for 50 instances given as bare ids while they are aborted in the background, within the 100-a-minute limit' {
        $ids = [long[]](Get-NmInstance -ProcessId 900 -Status Running -PageSize 100).Id
        $ids.Count | Should -Be 50
        $mark = Get-LastSequence
        # The background aborts them ten at a time, every three seconds, with the same key (the limit is shared).
        $job = Start-Finisher -Ids $ids -Work {
            param($ids, $nm)
            for ($i = 0; $i -lt 5; $i++) {
                Start-Sleep -Seconds 3
                $body = @{ ids = $ids[($i * 10)..($i * 10 + 9)] } | ConvertTo-Json
                $null = Invoke-RestMethod -Method Post -Uri "${nm}instances/bulk/abort" -Body $body -ContentType 'application/json' -Headers @{ Authorization = "Api-Key $env:NEXTMATTER_API_KEY" }
            }
        }
        # An eager -PollInterval: the wait still spaces its rounds within half the connection's limit.
        $done = @($ids | Wait-NmInstance -PollInterval 0.2 -Timeout 00:03:00 -ErrorAction Stop)
        $job | Wait-Job -Timeout 60 | Receive-Job -ErrorAction Stop

        $done.Count | Should -Be 50
        @($done | Where-Object { "$($_.Status)" -ne 'Aborted' }).Count | Should -Be 0
        @(Get-NmInstance -ProcessId 900 -Status Aborted -PageSize 100 | Where-Object Id -In $ids).Count | Should -Be 50

        $log = @(Get-LoggedRequest -After $mark | Where-Object path -like '/nextmatter/*')
        # Never over the limit: no 429, and no sliding minute holds more than 100 requests.
        @($log | Where-Object status -eq 429).Count | Should -Be 0
        $times = @($log | ForEach-Object { [datetimeoffset]$_.time })
        foreach ($t in $times) { @($times | Where-Object { $_ -ge $t -and $_ -lt $t.AddMinutes(1) }).Count | Should -BeLessOrEqual 100 }
        # Each bare id was read alone once; after that one listing call per round read all of them.
        @($log | Where-Object { $_.method -eq 'GET' -and $_.path -match '/instances/\d+/$' }).Count | Should -Be 50
        $lists = @($log | Where-Object { $_.path -eq '/nextmatter/api/processes/900/instances/' -and $_.query -like '*instance_ids=*' })
        $lists.Count | Should -BeGreaterThan 0
        # Rounds at least 60 / 49 s apart (one request a round, 50 a minute for polling).
        for ($i = 1; $i -lt $lists.Count; $i++) {
            ([datetimeoffset]$lists[$i].time - [datetimeoffset]$lists[$i - 1].time).TotalSeconds | Should -BeGreaterOrEqual 1.2
        }
    }

    It 'refuses a piped workflow and waits for piped New-NmInstance output' {
        $errors = $null
        Get-NmProcess -ProcessId 1 | Wait-NmInstance -Timeout 1 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.WorkflowNotInstance*'
        $instance = New-NmInstance -ProcessId 1 -Name 'Wait test'
        $instance | Stop-NmInstance -Confirm:$false
        $ended = $instance | Wait-NmInstance -Timeout 30 -PollInterval 0.5
        $ended.Id | Should -Be $instance.Id
        "$($ended.Status)" | Should -Be 'Aborted'
    }
}
