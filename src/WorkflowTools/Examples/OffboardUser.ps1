<#
.SYNOPSIS
    Offboards a ProcessMaker user: hands every open task to a successor, takes the user out of every group,
    deactivates the account, and writes a CSV of what it did.
.DESCRIPTION
    The steps, in order:
      1. every open task assigned to the leaver is reassigned to the successor (Set-PmTask -AssignTo);
      2. the leaver leaves every group (Remove-PmGroupMember);
      3. the account is set Inactive (Set-PmUser -Status Inactive) - only when no open task is left with the
         leaver, so that no task is stranded with someone who can no longer sign in.
    Every action is a row of the CSV (Step, Target, Result, Detail), and the rows are also the script's output.
    Result is Done, Failed, Skipped or WhatIf. The script exits with 1 when anything failed, 0 otherwise.

    It can be run again at any time: what is done stays done (a reassigned task is no longer the leaver's, a group
    left is no longer listed), so a second run does only what the first could not, and then deactivates.
    With -WhatIf nothing is changed: the CSV lists what would be done.

    It uses the session's ProcessMaker connection when there is one (Connect-PmServer before), otherwise it connects
    to -BaseUri with $env:PROCESSMAKER_TOKEN. The connection's user needs view-users and edit-users, view-groups and
    edit-groups, and the right to reassign the tasks (an administrator, the process manager, or as the processes
    allow); a task it may not reassign is a Failed row and the account stays active.
.PARAMETER UserName
    The user name of the person leaving.
.PARAMETER Successor
    The user name of the person who takes over the open tasks.
.PARAMETER CsvPath
    Where to write the record of actions (default: offboarding-<UserName>.csv in the current folder).
.PARAMETER BaseUri
    The ProcessMaker instance when the session has no connection (default: the sandbox's, when one is set up).
.EXAMPLE
    ./OffboardUser.ps1 -UserName jdoe -Successor admin -WhatIf

    Shows what would be done for jdoe, and writes it to offboarding-jdoe.csv, without changing anything.
.EXAMPLE
    ./OffboardUser.ps1 -UserName jdoe -Successor admin -CsvPath ./jdoe-offboarding.csv
    if ($LASTEXITCODE -ne 0) { Import-Csv ./jdoe-offboarding.csv | Where-Object Result -eq 'Failed' }

    Offboards jdoe and, when something failed, lists what: fix it (or get the rights) and run the script again.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $UserName,

    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $Successor,

    [string] $CsvPath = "offboarding-$UserName.csv",

    [uri] $BaseUri = $env:WORKFLOWTOOLS_SANDBOX_PM
)

$ErrorActionPreference = 'Stop'
if (-not (Get-PmConnection)) { Connect-PmServer -BaseUri $BaseUri }

$rows = [System.Collections.Generic.List[object]]::new()
function Add-Row([string] $Step, [string] $Target, [string] $Result, [string] $Detail = '') {
    $row = [pscustomobject]@{ Time = [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ'); Step = $Step; Target = $Target; Result = $Result; Detail = $Detail }
    $rows.Add($row)
    $row
}

function Find-User([string] $Name) {
    # Exact user name (any case); a name with wildcard characters is taken literally.
    $found = @(Get-PmUser -UserName ([WildcardPattern]::Escape($Name)))
    if ($found.Count -ne 1) { throw "ProcessMaker has no user named '$Name'." }
    $found[0]
}

try {
    $leaver = Find-User $UserName
    $heir = Find-User $Successor
    if ($heir.Id -eq $leaver.Id) { throw 'The successor must be someone else.' }
    if ($heir.Status -ne 'Active') { throw "The successor '$Successor' is $($heir.Status); open tasks must go to an active user." }
}
catch {
    Write-Error -ErrorRecord $_ -ErrorAction Continue
    Add-Row 'Start' $UserName 'Failed' $_.Exception.Message | Out-Null
    $rows | Export-Csv -LiteralPath $CsvPath -NoTypeInformation -Encoding utf8 -WhatIf:$false
    exit 1
}

# 1. Open tasks: read them all before the first is moved (moving one takes it out of this listing).
#    Unclaimed self-service tasks of the leaver's groups are listed too, but they are nobody's: they stay.
$tasks = @(Get-PmTask -UserId $leaver.Id -Status Active | Where-Object UserId -eq $leaver.Id)
$stuck = 0
foreach ($task in $tasks) {
    $target = "task $($task.Id) '$($task.Name)' of request $($task.RequestId)"
    if (-not $PSCmdlet.ShouldProcess($target, "Reassign to $($heir.UserName)")) { Add-Row 'ReassignTask' $target 'WhatIf'; continue }
    try {
        $null = Set-PmTask -Id $task.Id -AssignTo $heir.Id -ErrorAction Stop -WhatIf:$false -Confirm:$false
        Add-Row 'ReassignTask' $target 'Done' "now assigned to $($heir.UserName) (user $($heir.Id))"
    }
    catch {
        $stuck++
        Add-Row 'ReassignTask' $target 'Failed' $_.Exception.Message
    }
}

# 2. Groups: each direct membership of the leaver. They are found group by group (view-groups is enough):
#    `Get-PmGroupMember -UserId` answers for other users only to administrators.
$memberships = @(Get-PmGroup | Get-PmGroupMember -MemberType User | Where-Object MemberId -eq $leaver.Id)
foreach ($membership in $memberships) {
    $target = "group $($membership.GroupId) '$($membership.GroupName)'"
    if (-not $PSCmdlet.ShouldProcess($target, "Remove $($leaver.UserName)")) { Add-Row 'LeaveGroup' $target 'WhatIf'; continue }
    try {
        Remove-PmGroupMember -GroupId $membership.GroupId -UserId $leaver.Id -Force -ErrorAction Stop -WhatIf:$false
        Add-Row 'LeaveGroup' $target 'Done'
    }
    catch {
        Add-Row 'LeaveGroup' $target 'Failed' $_.Exception.Message
    }
}

# 3. Deactivate, unless a task is still the leaver's.
$account = "user $($leaver.Id) '$($leaver.UserName)'"
if ($stuck -gt 0) {
    Add-Row 'Deactivate' $account 'Skipped' "$stuck open task(s) could not be reassigned; run the script again once they can be"
}
elseif ($leaver.Status -eq 'Inactive') {
    Add-Row 'Deactivate' $account 'Done' 'already inactive'
}
elseif (-not $PSCmdlet.ShouldProcess($account, 'Deactivate')) {
    Add-Row 'Deactivate' $account 'WhatIf'
}
else {
    try {
        Set-PmUser -Id $leaver.Id -Status Inactive -ErrorAction Stop -WhatIf:$false -Confirm:$false
        Add-Row 'Deactivate' $account 'Done'
    }
    catch {
        Add-Row 'Deactivate' $account 'Failed' $_.Exception.Message
    }
}

$rows | Export-Csv -LiteralPath $CsvPath -NoTypeInformation -Encoding utf8 -WhatIf:$false
$failed = @($rows | Where-Object { $_.Result -in 'Failed', 'Skipped' }).Count
if ($failed -gt 0) {
    Write-Warning "$failed action(s) of the offboarding of '$UserName' did not happen; see $CsvPath. Run the script again when the cause is fixed."
    exit 1
}
exit 0
