#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Parameters that work alike across the cmdlets, and nits a user meets.
    The sandbox runs the demo data plus one request in ERROR (the demo has none), so every request status a user
    can see on an object exists here.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $seed = Join-Path (Get-TestOutputFolder) "consistency-seed-$PID.json"
    @{
        version      = 1
        demoData     = $true
        processMaker = @{ requests = @(@{ id = 13; process = 1; status = 'ERROR'; age = '01:00:00' }) }
    } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $seed -Encoding utf8
    $script:sandbox = Start-TestSandbox -SeedPath $seed
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Parameter consistency' {
    It 'Complete-PmTask takes -Id like the other cmdlets' {
        $request = Start-PmRequest -ProcessId 1 -Data @{ employee = 'Consistent' }
        $task = Get-PmTask -RequestId $request.Id -Status Active | Select-Object -First 1
        (Complete-PmTask -Id $task.Id -Data @{ approved = $true } -ErrorAction Stop).Status | Should -Be 'Closed'
        (Invoke-SandboxApi ProcessMaker "tasks/$($task.Id)").status | Should -Be 'CLOSED'
    }

    It 'Start-PmRequest takes ProcessId and StartEvent from CSV rows' {
        $event = ((Get-PmProcess -Id 2).StartEvents | Select-Object -First 1).Id
        $rows = "ProcessId,StartEvent`n2,$event" | ConvertFrom-Csv
        $request = $rows | Start-PmRequest -Data @{ employee = 'From CSV' } -ErrorAction Stop
        $request.ProcessId | Should -Be 2
        (Invoke-SandboxApi ProcessMaker "requests/$($request.Id)").process_id | Should -Be 2
    }
}

Describe 'A bare number is the item''s own id' {
    It 'is the parameter at position 0 of every Get- cmdlet that reads items by id' {
        $positional = foreach ($name in 'Get-NmInstance', 'Get-NmProcess', 'Get-PmRequest', 'Get-PmTask', 'Get-PmProcess') {
            $command = Get-Command $name
            foreach ($set in $command.ParameterSets) {
                foreach ($p in $set.Parameters | Where-Object Position -EQ 0) {
                    $id = $p.Name -eq 'Id' -or $p.Aliases -contains 'Id'
                    "$name/$($set.Name)/$($p.Name)/$id"
                }
            }
        }
        $positional | Where-Object { $_ -notmatch '/True$' } | Should -BeNullOrEmpty
        @($positional).Count | Should -BeGreaterOrEqual 5
    }

    It 'reads instance, request, task and process N, as the server log shows' {
        $task = Get-PmTask -PageSize 100 | Where-Object { $_.Id -ne $_.RequestId } | Select-Object -First 1
        $task | Should -Not -BeNullOrEmpty
        $after = Get-LastSequence

        (Get-NmInstance 1001 -ErrorAction Stop).Id | Should -Be 1001
        (Get-PmRequest 5 -ErrorAction Stop).Id | Should -Be 5
        @(Get-PmTask $task.Id -ErrorAction Stop).Id | Should -Be @($task.Id)
        @(Get-PmProcess 2 -ErrorAction Stop).Id | Should -Be @(2)
        (Get-NmProcess 1 -ErrorAction Stop).Id | Should -Be 1

        $paths = (Get-LoggedRequest -After $after).path
        $paths | Should -Contain '/nextmatter/api/instances/1001/'
        $paths | Should -Contain '/processmaker/api/1.0/requests/5'
        $paths | Should -Contain "/processmaker/api/1.0/tasks/$($task.Id)"
        $paths | Should -Contain '/processmaker/api/1.0/processes/2'
        $paths | Should -Not -Contain '/nextmatter/api/processes/1001/instances/'
    }

    It 'leaves listing by workflow or request to the named parameter, which still binds from piped rows' {
        $byName = @(Get-NmInstance -ProcessId 2 -PageSize 100)
        $byName.Count | Should -BeGreaterThan 0
        $byName.ProcessId | Sort-Object -Unique | Should -Be 2
        $piped = @([pscustomobject]@{ ProcessId = 2 } | Get-NmInstance)
        $piped.Id | Should -Be $byName.Id

        $tasks = @(Get-PmRequest 5 | Get-PmTask)
        $tasks.Count | Should -BeGreaterThan 0
        $tasks.RequestId | Sort-Object -Unique | Should -Be 5
        @(Get-PmProcess -Name 'Purchase request').Id | Should -Be @(2)
    }
}

Describe '-Status takes the values the objects show' {
    BeforeAll {
        $script:rawRequests = @((Invoke-SandboxApi ProcessMaker 'requests?per_page=1000').data)
    }

    It 'Get-PmRequest -Status <Status> lists exactly the <Wire> requests and asks with <Sent>' -ForEach @(
        @{ Status = 'Active'; Wire = 'ACTIVE'; Shown = 'Active'; Sent = 'type=in_progress' }
        @{ Status = 'InProgress'; Wire = 'ACTIVE'; Shown = 'Active'; Sent = 'type=in_progress' }
        @{ Status = 'Completed'; Wire = 'COMPLETED'; Shown = 'Completed'; Sent = 'type=completed' }
        @{ Status = 'Canceled'; Wire = 'CANCELED'; Shown = 'Canceled'; Sent = 'pmql=status%20%3D%20%22CANCELED%22' }
        @{ Status = 'Error'; Wire = 'ERROR'; Shown = 'Error'; Sent = 'pmql=status%20%3D%20%22ERROR%22' }
    ) {
        $expected = @($script:rawRequests | Where-Object status -EQ $Wire | ForEach-Object { [long]$_.id } | Sort-Object)
        $expected.Count | Should -BeGreaterThan 0
        $after = Get-LastSequence

        $listed = @(Get-PmRequest -Status $Status -PageSize 100 -ErrorAction Stop)

        @($listed.Id | Sort-Object) | Should -Be $expected
        $listed.Status | Sort-Object -Unique | Should -Be $Shown
        "$($listed[0].Status)" | Should -Be $Status.Replace('InProgress', 'Active')
        $logged = @(Get-LoggedRequest -After $after | Where-Object path -EQ '/processmaker/api/1.0/requests')
        $logged.Count | Should -Be 1
        $logged[0].query | Should -Match ([regex]::Escape($Sent))
    }

    It 'Get-PmRequest -Status Canceled -ProcessId combines both conditions' {
        $expected = @($script:rawRequests | Where-Object { $_.status -eq 'CANCELED' -and $_.process_id -eq 1 } | ForEach-Object { [long]$_.id } | Sort-Object)
        @(Get-PmRequest -Status Canceled -ProcessId 1 -PageSize 100 | ForEach-Object Id | Sort-Object) | Should -Be $expected
    }

    It 'Get-NmInstance -Status <_> lists exactly the instances that show it' -ForEach 'Running', 'Completed', 'Aborted' {
        $status = $_
        $all = @(Get-NmInstance -ProcessId 1 -PageSize 500)
        $expected = @($all | Where-Object { "$($_.Status)" -eq $status } | ForEach-Object Id | Sort-Object)
        $expected.Count | Should -BeGreaterThan 0
        @(Get-NmInstance -ProcessId 1 -Status $status -PageSize 500 | ForEach-Object Id | Sort-Object) | Should -Be $expected
    }

    It 'Get-PmTask -Status <_> lists exactly the tasks that show it' -ForEach 'Active', 'Closed' {
        $status = $_
        $raw = @((Invoke-SandboxApi ProcessMaker 'tasks?per_page=1000').data)
        $expected = @($raw | Where-Object status -EQ $status.ToUpperInvariant() | ForEach-Object { [long]$_.id } | Sort-Object)
        $expected.Count | Should -BeGreaterThan 0
        $listed = @(Get-PmTask -Status $status -PageSize 100)
        @($listed.Id | Sort-Object) | Should -Be $expected
        $listed.Status | Sort-Object -Unique | Should -Be $status
    }
}

Describe 'Enum arguments name only what they accept' {
    It '<Command> -<Parameter> <Value> is refused with the accepted values, before any request' -ForEach @(
        @{ Command = 'Get-NmInstance'; Parameter = 'Status'; Value = 'Unknown'; Accepted = 'Running, Completed or Aborted'; Extra = @{ ProcessId = 1 } }
        @{ Command = 'Get-NmInstance'; Parameter = 'Status'; Value = 'Bogus'; Accepted = 'Running, Completed or Aborted'; Extra = @{ ProcessId = 1 } }
        @{ Command = 'Get-PmTask'; Parameter = 'Status'; Value = 'Unknown'; Accepted = 'Active, Closed, Failing, Completed, EventCatch, Triggered or Incoming'; Extra = @{} }
        @{ Command = 'Get-PmRequest'; Parameter = 'Status'; Value = 'Bogus'; Accepted = 'All, Active, Completed, Canceled, Error or StartedByMe'; Extra = @{} }
        @{ Command = 'Get-NmInstance'; Parameter = 'Priority'; Value = 'Regular'; Accepted = 'High or VeryHigh'; Extra = @{ ProcessId = 1 } }
        @{ Command = 'Get-PmTask'; Parameter = 'SortBy'; Value = 'Nope'; Accepted = 'Id, Name, Status, DueAt, CreatedAt, CompletedAt, UpdatedAt or RequestId'; Extra = @{} }
    ) {
        $after = Get-LastSequence
        $arguments = $Extra.Clone()
        $arguments[$Parameter] = $Value
        $err = $null
        try { & $Command @arguments -ErrorAction Stop } catch { $err = $_ }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        "$err" | Should -BeLike "*'$Value' is not a valid value here; use $Accepted."
        "$err" | Should -Not -Match 'Unknown,|Unknown or|, Unknown'
        Get-LoggedRequest -After $after | Should -BeNullOrEmpty
    }

    It 'New-NmInstance takes a blank Priority cell of a CSV as the default priority' {
        $after = Get-LastSequence
        $rows = "ProcessId,Name,Priority`n1,Blank priority cell,`n1,High priority cell,high" | ConvertFrom-Csv
        $created = @($rows | New-NmInstance -ErrorAction Stop)
        $created.Name | Should -Be @('Blank priority cell', 'High priority cell')
        $posts = @(Get-LoggedRequest -After $after | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/nextmatter/api/instances/' })
        $posts.Count | Should -Be 2
        ($posts[0].body | ConvertFrom-Json).PSObject.Properties.Name | Should -Not -Contain 'priority'
        ($posts[1].body | ConvertFrom-Json).priority | Should -Be 'H'
    }

    It 'a value given as the enum itself is checked the same way' {
        { Get-NmInstance -ProcessId 1 -Status ([WorkflowTools.NextMatter.NmInstanceStatus]::Unknown) -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,WorkflowTools.Cmdlets.NextMatter.GetNmInstanceCommand'
        @(Get-NmInstance -ProcessId 1 -Status ([WorkflowTools.NextMatter.NmInstanceStatus]::Aborted)).Status | Sort-Object -Unique | Should -Be 'Aborted'
    }

    It 'tab completion of <Line> offers <Offered>' -ForEach @(
        @{ Line = 'Get-NmInstance -ProcessId 1 -Status '; Offered = 'Aborted,Completed,Running' }
        @{ Line = 'Get-PmTask -Status '; Offered = 'Active,Closed,Completed,EventCatch,Failing,Incoming,Triggered' }
        @{ Line = 'Get-PmRequest -Status '; Offered = 'Active,All,Canceled,Completed,Error,StartedByMe' }
    ) {
        $candidates = (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText | Sort-Object
        ($candidates -join ',') | Should -Be $Offered
    }
}

Describe 'Invoke-NmApi pages like Invoke-PmApi' {
    It 'Invoke-<Service>Api -All takes -First, -Skip and -IncludeTotalCount and stops paging' -ForEach @(
        # Next Matter paces at 100 requests a minute, so its pages are larger: five pages of five.
        @{ Service = 'Nm'; Path = 'processes/1/instances/'; Query = @{ page_size = 5 }; PageSize = 5; Listed = '/nextmatter/api/processes/1/instances/' }
        @{ Service = 'Pm'; Path = 'requests'; Query = @{ per_page = 2; order_by = 'id' }; PageSize = 2; Listed = '/processmaker/api/1.0/requests' }
    ) {
        $all = @(& "Invoke-${Service}Api" $Path -Query $Query -All)
        $all.Count | Should -BeGreaterThan 12
        $after = Get-LastSequence

        $out = @(& "Invoke-${Service}Api" $Path -Query $Query -All -Skip 2 -First 3 -IncludeTotalCount -ErrorAction Stop)

        $out.Count | Should -Be 4
        $out[0].PSTypeNames | Should -Contain 'System.UInt64'
        [ulong]$out[0] | Should -Be $all.Count
        @($out[1..3].id) | Should -Be @($all[2..4].id)
        # Rows 3 to 5 sit on the first pages; the listing stops there, never reading every page.
        $pages = @(Get-LoggedRequest -After $after | Where-Object path -EQ $Listed)
        $pages.Count | Should -BeLessThan ([math]::Ceiling($all.Count / $PageSize))
    }

    It 'without -All, Invoke-<Service>Api applies -First and -Skip to what one answer writes' -ForEach @(
        @{ Service = 'Nm'; Path = 'instances/1001/' }
        @{ Service = 'Pm'; Path = 'requests/5' }
    ) {
        @(& "Invoke-${Service}Api" $Path -First 1).id | Should -Not -BeNullOrEmpty
        @(& "Invoke-${Service}Api" $Path -Skip 1) | Should -BeNullOrEmpty
        $counted = @(& "Invoke-${Service}Api" $Path -IncludeTotalCount)
        $counted.Count | Should -Be 2
        [ulong]$counted[0] | Should -Be 1
    }

    It 'Invoke-NmApi documents its paging' {
        $help = Get-Help Invoke-NmApi -Full | Out-String -Width 200
        $help | Should -Match '-First'
        $help | Should -Match 'IncludeTotalCount \(Next Matter''s count\)'
    }
}
