# Quick start against the local sandbox. Its addresses are in $env:WORKFLOWTOOLS_SANDBOX_NM and
# $env:WORKFLOWTOOLS_SANDBOX_PM; the API key and the token come from $env:NEXTMATTER_API_KEY and $env:PROCESSMAKER_TOKEN.
Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM
Connect-PmServer -BaseUri $env:WORKFLOWTOOLS_SANDBOX_PM

# Start an onboarding (workflow 1) and fill in its first step, "Personal details" (step 42)
$instance = New-NmInstance -ProcessId 1 -Name 'Onboarding Ada Lovelace' -Tag hr, remote
$instance
$instance | Complete-NmStep -StepId 42 -Value @{ 123456 = 'Ada Lovelace'; 789012 = @{ itemSelected = 'Sales' } }

# Onboardings still running after two days, and those completed within a minute
Get-NmInstance -ProcessId 1 -Status Running -MinTotalRuntime '2 00:00:00'
Get-NmInstance -ProcessId 1 -Status Completed -MaxTotalRuntime '00:01:00'

# Start a ProcessMaker request of process 1, "Onboarding", with its data
$request = Start-PmRequest -ProcessId 1 -Data @{ employee = 'Ada Lovelace'; startDate = '2026-02-01' }
$request

# Fill in its task, "Fill in details", then wait (at most five minutes) until the request has finished
$null = $request | Get-PmTask -Status Active | Complete-PmTask -Data @{ approved = $true }
$request | Wait-PmRequest -Timeout 00:05:00
