#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Export-Csv -> Import-Csv of every type the module's cmdlets write ([OutputType] of every cmdlet), made from real
    cmdlet output against a sandbox started as a user starts one (Start-WorkflowToolsSandbox -Connect). Each test
    checks the cells' text: ids, status, times as ISO 8601 UTC with Z, durations that [timespan] reads back, lists as
    a;b, no .NET type name and no secret in any cell.
#>

BeforeDiscovery {
    $script:sampleTypes = @((& (Join-Path $PSScriptRoot 'OutputSamples.ps1')).Keys)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $null = Import-TestModule
    $script:sb = Start-WorkflowToolsSandbox -Connect
    # One sample of every output type, shared with Views.Tests.ps1.
    $script:samples = & (Join-Path $PSScriptRoot 'OutputSamples.ps1')
    $script:folder = Join-Path (Get-TestOutputFolder) "csv-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Path $script:folder -Force
    $script:deadline = [datetime]::new(2026, 6, 30, 17, 0, 0, [DateTimeKind]::Utc)
    $script:isoZ = '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$'

    function script:RoundTrip {
        <# Writes the objects with Export-Csv, reads them back with Import-Csv, and checks what holds for every type. #>
        param(
            [Parameter(Mandatory)] [object[]] $InputObject,
            [string] $DatePattern = $script:isoZ,
            # PowerShell's own types (DateTime, FileInfo) keep PowerShell's text for their dates.
            [switch] $Foreign,
            # The sandbox object carries the sandbox's fixed, public key and token by design.
            [switch] $SandboxKeys
        )
        $path = Join-Path $script:folder "$([guid]::NewGuid().ToString('n')).csv"
        $InputObject | Export-Csv -LiteralPath $path -NoTypeInformation -Encoding utf8
        $text = Get-Content -Raw -LiteralPath $path
        $rows = @(Import-Csv -LiteralPath $path)
        $rows.Count | Should -Be $InputObject.Count
        $text | Should -Not -Match 'System\.Object\[\]|System\.Collections|System\.Management|@\{'
        if (-not $SandboxKeys) {
            $text | Should -Not -Match ([regex]::Escape($script:sb.ApiKey))
            $text | Should -Not -Match ([regex]::Escape($script:sb.AccessToken))
        }
        if ($Foreign) { return , $rows }
        for ($i = 0; $i -lt $rows.Count; $i++) {
            foreach ($property in $InputObject[$i].PSObject.Properties) {
                $value = $property.Value
                $cell = $rows[$i].($property.Name)
                if ($value -is [datetime]) {
                    # The cell says UTC and means the same instant, to the second (milliseconds for the request log).
                    $cell | Should -Match $DatePattern -Because "$($property.Name) is a time"
                    $back = [datetime]::Parse($cell, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal)
                    [math]::Abs(($back - $value.ToUniversalTime()).TotalSeconds) | Should -BeLessThan 1
                }
                elseif ($value -is [timespan]) {
                    $cell | Should -Not -Match '\.\d{7}$' -Because "$($property.Name) is a duration in whole seconds"
                    [timespan]$cell | Should -Be $value
                }
            }
        }
        , $rows
    }
}

AfterAll {
    Stop-WorkflowToolsSandbox
}

Describe 'Export-Csv and Import-Csv of every output type' {
    Context 'Next Matter' {
        BeforeAll {
            $script:new = New-NmInstance -ProcessId 1 -Name 'Csv round trip' -Tag a, b -Priority High -Deadline $script:deadline
            $script:done = $script:new | Complete-NmStep -StepId 42 -Value @{ 123456 = 'Ada Lovelace'; 789012 = @{ itemSelected = 'IT' } }
            Complete-NmStep -InstanceId $script:new.Id -StepId 43 -Value @{ 555001 = @{ inputValue = @{ radioItemSelected = 'Approve' } } } | Out-Null
            Complete-NmStep -InstanceId $script:new.Id -StepId 44 -Value @{ 555002 = @{ inputValue = @{ itemsChecked = @('Laptop', 'Phone') } }; 555003 = $script:deadline } | Out-Null
        }

        It 'NmInstance: ids, status, tags, priority, UTC times and runtimes' {
            $seed = @(Get-NmInstance -ProcessId 1 -First 6)
            $objects = @(Get-NmInstance -Id $script:new.Id) + $seed
            $rows = RoundTrip $objects
            $rows[0].Id | Should -Be "$($script:new.Id)"
            $rows[0].Name | Should -Be 'Csv round trip'
            $rows[0].Status | Should -Be 'Completed'
            $rows[0].Tags | Should -Be 'a;b'
            $rows[0].Priority | Should -Be 'High'
            $rows[0].Deadline | Should -Be '2026-06-30T17:00:00Z'
            $rows[0].StartedTime | Should -Match $script:isoZ
            $rows[0].CompletedTime | Should -Match $script:isoZ
            $rows[0].ProcessId | Should -Be '1'
            $rows.Id | Should -Be @($objects.Id | ForEach-Object { "$_" })
            $rows.Status | Should -Be @($objects.Status | ForEach-Object { "$_" })
            $running = @($rows | Where-Object Status -eq 'Running')
            $running | Should -Not -BeNullOrEmpty
            foreach ($row in $running) {
                $row.TotalRuntime | Should -Match '^(\d+\.)?\d{2}:\d{2}:\d{2}$'
                $row.ActiveStepIds | Should -Match '^\d+(;\d+)*$'
            }
        }

        It 'NmInstance with -IncludeValues: the form values as JSON' {
            $rows = RoundTrip @(Get-NmInstance -Id $script:new.Id -IncludeValues)
            $rows[0].Values | Should -Match '"123456":"Ada Lovelace"'
            $rows[0].Values | Should -Match '"555002":\["Laptop","Phone"\]'
        }

        It 'NmStepCompletion: instance, step, status, next active step, completion time' {
            $rows = RoundTrip @($script:done)
            $rows[0].InstanceId | Should -Be "$($script:new.Id)"
            $rows[0].StepId | Should -Be '42'
            $rows[0].ActionCount | Should -Be '2'
            $rows[0].InstanceStatus | Should -Be 'Running'
            $rows[0].ActiveStepIds | Should -Be '43'
            $rows[0].CompletedAt | Should -Match $script:isoZ
        }

        It 'NmBulkResult: what Stop-NmInstance and Remove-NmInstance did' {
            $stop = New-NmInstance -ProcessId 1 -Name 'Csv stop' | Stop-NmInstance -PassThru
            $remove = New-NmInstance -ProcessId 1 -Name 'Csv remove' | Remove-NmInstance -Force -PassThru
            $rows = RoundTrip @($stop, $remove)
            $rows[0].InstanceId | Should -Be "$($stop.InstanceId)"
            $rows[0].Operation | Should -Be 'Abort'
            $rows[1].InstanceId | Should -Be "$($remove.InstanceId)"
            $rows[1].Operation | Should -Be 'Delete'
            $rows.BatchSize | Should -Be @('1', '1')
            $rows.ConfirmedAt | ForEach-Object { $_ | Should -Match $script:isoZ }
        }

        It 'NmProcess, NmStep and NmStepAction: steps and fields as id name;id name' {
            $process = RoundTrip @(Get-NmProcess 1)
            $process[0].Id | Should -Be '1'
            $process[0].Steps | Should -Be '42 Personal details;43 Manager approval;44 Equipment'
            $steps = RoundTrip @(Get-NmProcess 1 -Step)
            $steps.Id | Should -Be @('42', '43', '44')
            $steps[0].Actions | Should -Be '123456 Full name;789012 Department'
            $actions = RoundTrip @(Get-NmProcess 1 -Action)
            $department = $actions | Where-Object Id -eq '789012'
            $department.Options | Should -Be 'Value 2;Sales;IT'
            $department.Required | Should -Be 'False'
            $department.StepId | Should -Be '42'
        }

        It 'NmFieldValue: a date field in UTC, a checklist as a;b' {
            $date = RoundTrip @(Get-NmFieldValue -ProcessId 1 -StepId 44 -ActionId 555003 -InstanceId $script:new.Id)
            $date[0].Value | Should -Be '2026-06-30T17:00:00Z'
            $date[0].HasValue | Should -Be 'True'
            $checklist = RoundTrip @(Get-NmFieldValue -ProcessId 1 -StepId 44 -ActionId 555002 -InstanceId $script:new.Id)
            $checklist[0].Value | Should -Be 'Laptop;Phone'
            $checklist[0].InstanceId | Should -Be "$($script:new.Id)"
        }

        It 'NmConnection: where and how, never the key' {
            $rows = RoundTrip @(Get-NmConnection)
            $rows[0].Service | Should -Be 'Next Matter'
            $rows[0].BaseUri | Should -Be "$($script:sb.NextMatterUri)"
            $rows[0].CredentialSource | Should -Not -BeNullOrEmpty
            $rows[0].Timeout | Should -Match '^\d{2}:\d{2}:\d{2}$'
            $rows[0].ConnectedAt | Should -Match $script:isoZ
        }

        It 'PSObject from Invoke-NmApi: the answer''s fields, lists as a;b' {
            $rows = RoundTrip @(Invoke-NmApi "instances/$($script:new.Id)/")
            $rows[0].id | Should -Be "$($script:new.Id)"
            $rows[0].tags | Should -Be 'a;b'
            $rows[0].name | Should -Be 'Csv round trip'
        }
    }

    Context 'ProcessMaker' {
        BeforeAll {
            $script:request = Start-PmRequest -ProcessId 1 -Data @{ employee = 'Ada Lovelace'; startDate = '2026-02-01' }
        }

        It 'PmProcess: id, name, status, start events' {
            $rows = RoundTrip @(Get-PmProcess)
            $onboarding = $rows | Where-Object Id -eq '1'
            $onboarding.Name | Should -Be 'Onboarding'
            $onboarding.Status | Should -Be 'Active'
            $onboarding.StartEvents | Should -Be 'node_1 (Start)'
            $onboarding.CreatedAt | Should -Match $script:isoZ
        }

        It 'PmRequest: a started one, a completed one, and data as JSON' {
            $completed = Get-PmRequest -Status Completed -First 1
            $withData = Get-PmRequest -Id $script:request.Id -IncludeData
            $rows = RoundTrip @($script:request, $completed, $withData)
            $rows[0].Id | Should -Be "$($script:request.Id)"
            $rows[0].Status | Should -Be 'Active'
            $rows[0].ProcessId | Should -Be '1'
            $rows[0].InitiatedAt | Should -Match $script:isoZ
            $rows[1].Status | Should -Be 'Completed'
            $rows[1].CompletedAt | Should -Match $script:isoZ
            $rows[2].Data | Should -Match '"employee":"Ada Lovelace"'
        }

        It 'PmUser, PmGroup, PmGroupMember: people, with non-ASCII names and e-mail' {
            $password = ConvertTo-SecureString 'Csv-Pa55word!' -AsPlainText -Force
            $user = New-PmUser -UserName 'csv.zoe' -FirstName 'Zoë' -LastName 'Ångström-Núñez' -Email 'zoë@exämple.de' -Password $password
            $group = New-PmGroup -Name 'Équipe CSV' -Description 'Größe, ça va'
            $member = Add-PmGroupMember -GroupId $group.Id -UserId $user.Id -PassThru
            $rows = RoundTrip (@($user) + @(Get-PmUser -Id $user.Id))
            $rows[0].FirstName | Should -BeExactly 'Zoë'
            $rows[0].LastName | Should -BeExactly 'Ångström-Núñez'
            $rows[0].Email | Should -BeExactly 'zoë@exämple.de'
            $rows[0].Status | Should -Be 'Active'
            $rows[0].CreatedAt | Should -Match $script:isoZ
            $rows[0].PSObject.Properties.Name | Should -Not -Contain 'Password'
            $rows[0].PSObject.Properties.Name | Should -Not -Contain 'RememberToken'
            (RoundTrip @($group))[0].Name | Should -BeExactly 'Équipe CSV'
            $memberRows = RoundTrip (@($member) + @(Get-PmGroupMember -GroupId $group.Id))
            $memberRows[1].MemberName | Should -BeExactly 'csv.zoe'
            $memberRows[1].Email | Should -BeExactly 'zoë@exämple.de'
            $memberRows[1].MemberType | Should -Be 'User'
        }

        It 'PmTask: open and completed tasks' {
            $open = @(Get-PmTask -RequestId $script:request.Id)
            $open | Should -Not -BeNullOrEmpty
            $completed = $open[0] | Complete-PmTask -Data @{ approved = $true }
            $rows = RoundTrip (@($open) + $completed)
            $rows[0].Id | Should -Be "$($open[0].Id)"
            $rows[0].RequestId | Should -Be "$($script:request.Id)"
            $rows[0].Status | Should -Be 'Active'
            $rows[-1].Status | Should -Be 'Closed' -Because 'ProcessMaker closes a task that was completed'
            $rows[-1].CompletedAt | Should -Match $script:isoZ
        }

        It 'PmConnection: where and how, never the token' {
            $rows = RoundTrip @(Get-PmConnection)
            $rows[0].Service | Should -Be 'ProcessMaker'
            $rows[0].AuthenticationMethod | Should -Be 'Access token'
            $rows[0].ConnectedAt | Should -Match $script:isoZ
        }

        It 'PSObject from Invoke-PmApi: one row per item of a collection' {
            $rows = RoundTrip @(Invoke-PmApi requests -All)
            $rows.id | Should -Contain "$($script:request.Id)"
            ($rows | Where-Object id -eq "$($script:request.Id)").status | Should -Be (Get-PmRequest -Id $script:request.Id).StatusText
        }
    }

    Context 'Sandbox' {
        It 'SandboxProcess: its addresses and start time' {
            $rows = RoundTrip @(Get-WorkflowToolsSandbox) -SandboxKeys
            $rows[0].Id | Should -Be "$($script:sb.Id)"
            $rows[0].Port | Should -Be "$($script:sb.Port)"
            $rows[0].NextMatterUri | Should -Be "$($script:sb.NextMatterUri)"
            $rows[0].NmConnection | Should -BeLike 'Next Matter at http://127.0.0.1:*'
            $rows[0].IsRunning | Should -Be 'True'
        }

        It 'SandboxRequest: the request log, times to the millisecond' {
            $null = Get-NmInstance -Id 1001
            $log = @(Get-WorkflowToolsSandboxRequest -Sandbox $script:sb | Select-Object -Last 3)
            $rows = RoundTrip $log -DatePattern '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$'
            $rows.Sequence | Should -Be @($log.Sequence | ForEach-Object { "$_" })
            $rows[-1].Method | Should -Be 'GET'
            $rows[-1].Path | Should -BeLike '*/instances/1001/'
            $rows[-1].StatusCode | Should -Be '200'
        }

        It 'SandboxFault: index, spec, hits' {
            $fault = Add-WorkflowToolsSandboxFault -Kind Status -StatusCode 503 -Path '/csv-never-requested/' -Times 1
            try {
                $rows = RoundTrip @($fault)
                $rows[0].Spec | Should -Be $fault.Spec
                $rows[0].Spec | Should -Match 'status=503'
                $rows[0].Hits | Should -Be '0'
                $rows[0].Spent | Should -Be 'False'
            }
            finally { Clear-WorkflowToolsSandboxFault }
        }

        It 'DateTime from Set-WorkflowToolsSandboxClock -PassThru: ticks and kind survive' {
            $time = Set-WorkflowToolsSandboxClock -Advance '00:00:01' -PassThru
            $rows = RoundTrip @($time) -Foreign
            $rows[0].Ticks | Should -Be "$($time.Ticks)"
            $rows[0].Kind | Should -Be 'Utc'
        }

        It 'FileInfo from Export-WorkflowToolsSandboxSeed: the file written' {
            $file = Export-WorkflowToolsSandboxSeed -Path (Join-Path $script:folder 'seed.json') -NmProcessId 1 -PmProcessId 1
            $rows = RoundTrip @($file) -Foreign
            $rows[0].FullName | Should -Be $file.FullName
            $rows[0].Length | Should -Be "$($file.Length)"
            $rows[0].Name | Should -Be 'seed.json'
        }
    }

    It 'covers every [OutputType] of every cmdlet' {
        $declared = Get-Command -Module WorkflowTools | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_ -ne [void] } |
            ForEach-Object FullName | Sort-Object -Unique
        # The module's own types: a sample each in OutputSamples.ps1 (the round trip below); PowerShell's own: above.
        $covered = @($script:samples.Keys) + @('System.DateTime', 'System.IO.FileInfo', 'System.Management.Automation.PSObject')
        $declared | Should -Not -BeNullOrEmpty
        foreach ($type in $declared) { $covered | Should -Contain $type }
    }

    It 'writes the sample of <_> (OutputSamples.ps1) with ISO 8601 UTC times and no type names' -ForEach $script:sampleTypes {
        $type = $_
        try {
            $objects = @(& $script:samples[$type] $script:sb)
        }
        finally { Clear-WorkflowToolsSandboxFault -Sandbox $script:sb }
        $objects | Should -Not -BeNullOrEmpty
        $objects[0].PSObject.TypeNames[0] | Should -Be $type
        $options = @{}
        if (-not ($type -as [type])) { $options.Foreign = $true }                       # SeedFile: a FileInfo
        if ($type -eq 'WorkflowTools.Testing.SandboxProcess') { $options.SandboxKeys = $true }
        if ($type -eq 'WorkflowTools.Testing.SandboxRequest') { $options.DatePattern = '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$' }
        $rows = RoundTrip $objects @options
        $rows.Count | Should -Be $objects.Count
        # A type with a date shows one in its sample, so the check of the date cells above is not empty.
        if (($type -as [type]) -and (($type -as [type]).GetProperties() | Where-Object { $_.PropertyType -in [datetime], [Nullable[datetime]] })) {
            @($objects | ForEach-Object { $_.PSObject.Properties } | Where-Object { $_.Value -is [datetime] }) | Should -Not -BeNullOrEmpty -Because "$type has a date property"
        }
    }

    It 'reads every output type with a date through the module''s property adapter' {
        $types = Get-Command -Module WorkflowTools | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_.FullName -like 'WorkflowTools.*' } | Sort-Object FullName -Unique
        $dated = @($types | Where-Object { $_.GetProperties() | Where-Object { $_.PropertyType -in [datetime], [Nullable[datetime]] -or $_.Name -eq 'Value' } })
        $dated.Count | Should -BeGreaterThan 8
        foreach ($type in $dated) {
            (Get-TypeData -TypeName $type.FullName).TypeAdapter.FullName | Should -Be 'WorkflowTools.Cmdlets.Common.UtcDatePropertyAdapter' -Because "$($type.FullName) has a date"
        }
    }
}

Describe 'Dates and durations stay typed in the shell' {
    It 'compares a time with Get-Date and a runtime with text' {
        $instance = Get-NmInstance -Id 1001
        $instance.StartedTime | Should -BeOfType [datetime]
        $instance.StartedTime.Kind | Should -Be 'Utc'
        ($instance.StartedTime -lt (Get-Date).AddDays(-1)) | Should -BeTrue
        ((Get-Date) - $instance.StartedTime) | Should -BeOfType [timespan]
        $instance.TotalRuntime | Should -BeOfType [timespan]
        ($instance.TotalRuntime -gt '1.00:00:00') | Should -BeTrue
        $instance.TotalRuntime.Ticks % [timespan]::TicksPerSecond | Should -Be 0
        @(Get-NmInstance -ProcessId 1 -Status Running | Where-Object { $_.StartedTime -lt (Get-Date).AddDays(-1) }).Id | Should -Contain 1001
    }

    It 'keeps the properties in their declared order, dates as .NET shows them' {
        $names = (Get-NmInstance -Id 1001).PSObject.Properties.Name
        $names[0..2] | Should -Be @('Id', 'Name', 'Status')
        (Get-NmInstance -Id 1001 | Get-Member StartedTime).Definition | Should -BeLike 'System.Nullable*DateTime* StartedTime {get;set;}'
    }

    It 'writes a date as JSON and XML as a date' {
        $instance = Get-NmInstance -Id 1001
        ($instance | ConvertTo-Json -Depth 2 | ConvertFrom-Json).StartedTime | Should -BeOfType [datetime]
        ([System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($instance))).StartedTime |
            Should -BeOfType [datetime]
    }

    It 'sets a date from text and stores it in UTC' {
        $instance = [WorkflowTools.NextMatter.NmInstance]@{ Id = 7; Deadline = '2026-12-24T18:00:00Z' }
        $instance.Deadline.Kind | Should -Be 'Utc'
        $instance.Deadline.Hour | Should -Be 18
        ($instance | ConvertTo-Csv | ConvertFrom-Csv).Deadline | Should -Be '2026-12-24T18:00:00Z'
    }
}
