using System.Management.Automation;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.Reliability
{
    /// <summary>
    /// Every cmdlet, through a success and a failure path, with -Verbose -Debug: neither the API key nor
    /// the access token may appear in any stream, output object, error record, $Error or exception text.
    /// </summary>
    public class SecretLeakTests : IAsyncLifetime
    {
        private const string NmKey = "leakcheck.Nm5ecretKeyValue";
        private const string PmToken = "Pm5ecretTokenValue-leakcheck";
        private SandboxServer _sandbox = null!;

        public async Task InitializeAsync()
        {
            _sandbox = await SandboxServer.StartAsync(new SandboxOptions { NextMatterApiKey = NmKey, ProcessMakerToken = PmToken });
        }

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        /// <summary>Per cmdlet: a call that succeeds and one that fails (a server error, a missing item or bad input).</summary>
        public static readonly Dictionary<string, (string Success, string Failure)> Scenarios = new Dictionary<string, (string, string)>
        {
            ["Connect-NmService"] = ("Connect-NmService -BaseUri $nmUri -ApiKey $nmKey -RequestsPerMinute 0 -RetryDelay 0.01 -PassThru", "Connect-NmService -BaseUri 'http://example.com/api/' -ApiKey $nmKey"),
            ["Get-NmConnection"] = ("Get-NmConnection | Format-List * | Out-String", "Get-NmConnection -Bogus"),
            ["Disconnect-NmService"] = ("Disconnect-NmService; Connect-NmService -BaseUri $nmUri -ApiKey $nmKey -RequestsPerMinute 0 -RetryDelay 0.01", "Disconnect-NmService -Bogus"),
            ["New-NmInstance"] = ("New-NmInstance -ProcessId 1 -Name leak", "New-NmInstance -ProcessId 999"),
            ["Complete-NmStep"] = ("New-NmInstance -ProcessId 1 | Complete-NmStep -StepId 42 -Value @{ 123456 = 'x'; 789012 = @{ itemSelected = 'IT' } }", "Complete-NmStep -InstanceId 1001 -StepId 44 -Value @{ 555003 = [datetime]'2026-01-01' }"),
            ["Get-NmInstance"] = ("Get-NmInstance -ProcessId 1 -PageSize 5 -First 7", "Get-NmInstance -Id 424242"),
            ["Set-NmInstance"] = ("Set-NmInstance -Id 1001 -Name renamed -PassThru", "Set-NmInstance -Id 424242 -Name nope"),
            ["Stop-NmInstance"] = ("New-NmInstance -ProcessId 1 | Stop-NmInstance -PassThru", "Stop-NmInstance -Id 424242"),
            ["Remove-NmInstance"] = ("New-NmInstance -ProcessId 1 | Remove-NmInstance -Force -PassThru", "Remove-NmInstance -Id 424242 -Force"),
            ["Get-NmProcess"] = ("Get-NmProcess -ProcessId 1 -Step", "Get-NmProcess -ProcessId 424242"),
            ["Get-NmFieldValue"] = ("Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 123456", "Get-NmFieldValue -ProcessId 1 -StepId 42 -ActionId 424242"),
            ["Invoke-NmApi"] = ("Invoke-NmApi -Method GET -Path 'instances/1001/'", "Invoke-NmApi -Method GET -Path 'instances/424242/'"),
            ["Connect-PmServer"] = ("Connect-PmServer -BaseUri $pmUri -AccessToken $pmToken -RetryDelay 0.01 -PassThru", "Connect-PmServer -BaseUri 'mailto:x@example.com' -AccessToken $pmToken"),
            ["Get-PmConnection"] = ("Get-PmConnection | Format-List * | Out-String", "Get-PmConnection -Bogus"),
            ["Disconnect-PmServer"] = ("Disconnect-PmServer; Connect-PmServer -BaseUri $pmUri -AccessToken $pmToken -RetryDelay 0.01", "Disconnect-PmServer -Bogus"),
            ["Get-PmProcess"] = ("Get-PmProcess -Name Onboarding", "Get-PmProcess -Id 424242"),
            ["Get-PmRequest"] = ("Get-PmRequest -Status InProgress -IncludeData -First 3", "Get-PmRequest -Id 424242"),
            ["Stop-PmRequest"] = ("Start-PmRequest -ProcessId 1 | Stop-PmRequest -PassThru", "Stop-PmRequest -Id 424242"),
            ["Get-PmTask"] = ("Start-PmRequest -ProcessId 1 | Get-PmTask", "Get-PmTask -Id 424242"),
            ["Complete-PmTask"] = ("Start-PmRequest -ProcessId 1 | Get-PmTask | Complete-PmTask -Data @{ ok = $true }", "Complete-PmTask -TaskId 424242 -Data @{}"),
            ["Invoke-PmApi"] = ("Invoke-PmApi -Method GET -Path 'requests' -All", "Invoke-PmApi -Method GET -Path 'requests/424242'"),
            ["Start-PmRequest"] = ("Start-PmRequest -ProcessId 1 -Data @{ a = 1 }", "Start-PmRequest -ProcessId 2"),
            ["Get-PmUser"] = ("Get-PmUser -First 2; Get-PmUser -Deleted", "Get-PmUser -Id 424242"),
            ["New-PmUser"] = ("New-PmUser -UserName leak.user -FirstName L -LastName U -Email l@example.com -Password (ConvertTo-SecureString 'Leak-Pa55word!' -AsPlainText -Force)", "New-PmUser -UserName leak.bad -FirstName L -LastName U -Email l@example.com -Password (ConvertTo-SecureString 'Leak-short' -AsPlainText -Force)"),
            ["Set-PmUser"] = ("Set-PmUser -Id 2 -Title leak -Password (ConvertTo-SecureString 'Leak-Pa55word!' -AsPlainText -Force) -PassThru", "Set-PmUser -Id 424242 -Title nope"),
            ["Remove-PmUser"] = ("Get-PmUser -UserName leak.user | Remove-PmUser -Force -PassThru", "Remove-PmUser -Id 424242 -Force"),
            ["Restore-PmUser"] = ("Get-PmUser -Deleted -Filter leak.user | Restore-PmUser -PassThru", "Restore-PmUser -Id 424242"),
            ["New-PmGroup"] = ("New-PmGroup -Name 'Leak two'", "New-PmGroup -Name 'bad/name'"),
            ["Get-PmGroup"] = ("Get-PmGroup -Name 'Leak two'", "Get-PmGroup -Id 424242"),
            ["Set-PmGroup"] = ("Get-PmGroup -Name 'Leak two' | Set-PmGroup -Description x -PassThru", "Set-PmGroup -Id 424242 -Description x"),
            ["Remove-PmGroup"] = ("Get-PmGroup -Name 'Leak two' | Remove-PmGroup -Force -PassThru", "Remove-PmGroup -Id 424242 -Force"),
            ["Add-PmGroupMember"] = ("$g = New-PmGroup -Name 'Leak three'; Add-PmGroupMember -GroupId $g.Id -UserId 2 -PassThru", "Add-PmGroupMember -GroupId 424242 -UserId 2"),
            ["Get-PmGroupMember"] = ("Get-PmGroupMember -UserId 2", "Get-PmGroupMember -GroupId 424242"),
            ["Remove-PmGroupMember"] = ("Get-PmGroupMember -UserId 2 | Remove-PmGroupMember -Force -PassThru", "Remove-PmGroupMember -GroupId 424242 -UserId 2 -Force"),
            ["Set-PmTask"] = ("Start-PmRequest -ProcessId 1 | Get-PmTask | Set-PmTask -AssignTo 2 -PassThru", "Set-PmTask -Id 424242 -AssignTo 2"),
            ["Set-PmRequest"] = ("Set-PmRequest -Id 5 -Data @{ leak = 1 } -PassThru", "Set-PmRequest -Id 424242 -Data @{ leak = 1 }"),
            ["New-PmEnvironmentVariable"] = ("$leak = 'LEAK_' + [guid]::NewGuid().ToString('n'); New-PmEnvironmentVariable -Name $leak -Value $pmToken -Description d", "New-PmEnvironmentVariable -Name $leak -Value $pmToken -Description d"),
            ["Get-PmEnvironmentVariable"] = ("Get-PmEnvironmentVariable", "Get-PmEnvironmentVariable -Id 424242"),
            ["Set-PmEnvironmentVariable"] = ("Set-PmEnvironmentVariable -Name $leak -Value $pmToken -PassThru", "Set-PmEnvironmentVariable -Name NO_SUCH -Value $pmToken"),
            ["Remove-PmEnvironmentVariable"] = ("Remove-PmEnvironmentVariable -Name $leak -Force -PassThru", "Remove-PmEnvironmentVariable -Id 424242 -Force"),
            ["Add-PmRequestFile"] = ("$leakFile = Join-Path ([IO.Path]::GetTempPath()) \"wt-leak-$PID.txt\"; Set-Content $leakFile 'leak'; Add-PmRequestFile -RequestId 5 -Path $leakFile", "Add-PmRequestFile -RequestId 424242 -Path $leakFile"),
            ["Get-PmRequestFile"] = ("Get-PmRequestFile -RequestId 5", "Get-PmRequestFile -RequestId 424242"),
            ["Save-PmRequestFile"] = ("Get-PmRequestFile -RequestId 5 | Save-PmRequestFile -Destination ([IO.Path]::GetTempPath() + \"wt-leak-$PID/\") -Force", "Save-PmRequestFile -RequestId 5 -FileId 424242 -Destination ([IO.Path]::GetTempPath() + \"wt-leak-$PID/\")"),
            ["Remove-PmRequestFile"] = ("Get-PmRequestFile -RequestId 5 | Remove-PmRequestFile -Force", "Remove-PmRequestFile -RequestId 5 -FileId 424242 -Force"),
            ["Get-PmSecurityLog"] = ("Get-PmSecurityLog -First 5", "Get-PmSecurityLog -After '2026-02-01' -Before '2026-01-01'"),
            ["Export-PmProcess"] = ("$leakPackage = Join-Path ([IO.Path]::GetTempPath()) \"wt-leak-$PID.json\"; Export-PmProcess -Id 1 -Path $leakPackage -Force", "Export-PmProcess -Id 424242 -Path $leakPackage -Force"),
            ["Import-PmProcess"] = ("Import-PmProcess -Path $leakPackage -Mode Copy", "Import-PmProcess -Path ./no-such-package.json"),
            ["Remove-PmProcess"] = ("Remove-PmProcess -Id 2 -Force -PassThru", "Remove-PmProcess -Id 424242 -Force"),
            ["Restore-PmProcess"] = ("Restore-PmProcess -Id 2", "Restore-PmProcess -Id 424242"),
            ["Wait-PmRequest"] = ("Get-PmRequest -Id 2 | Wait-PmRequest -Timeout 5 -PollInterval 0.2", "Wait-PmRequest -Id 424242 -Timeout 1 -PollInterval 0.2"),
            ["Wait-NmInstance"] = ("New-NmInstance -ProcessId 1 -Name wait | Tee-Object -Variable w | Stop-NmInstance; $w | Wait-NmInstance -Timeout 5 -PollInterval 0.2", "Wait-NmInstance -Id 424242 -Timeout 1 -PollInterval 0.2"),
            // The sandbox cmdlets: a sandbox of their own ($sb, its public test key), stopped last; the export reads the test's
            // sandbox with the session's secret connection and shows the file it wrote.
            ["Start-WorkflowToolsSandbox"] = ("$sb = Start-WorkflowToolsSandbox -NoDemoData -FrozenClock; $sb | Format-List * | Out-String", "Start-WorkflowToolsSandbox -SeedPath ./no-such-seed.json"),
            ["Get-WorkflowToolsSandbox"] = ("Get-WorkflowToolsSandbox | Format-List * | Out-String", "Get-WorkflowToolsSandbox -Bogus"),
            ["Add-WorkflowToolsSandboxFault"] = ("Add-WorkflowToolsSandboxFault -Sandbox $sb -Kind Html -Times 1", "Add-WorkflowToolsSandboxFault -Sandbox $sb -Spec 'kind=nope'"),
            ["Clear-WorkflowToolsSandboxFault"] = ("Clear-WorkflowToolsSandboxFault -Sandbox $sb", "Clear-WorkflowToolsSandboxFault -Bogus"),
            ["Reset-WorkflowToolsSandbox"] = ("Reset-WorkflowToolsSandbox -Sandbox $sb -PassThru | Format-List * | Out-String", "Reset-WorkflowToolsSandbox -Bogus"),
            ["Set-WorkflowToolsSandboxClock"] = ("Set-WorkflowToolsSandboxClock -Sandbox $sb -Advance 01:00:00 -PassThru", "Set-WorkflowToolsSandboxClock -Sandbox $sb -Advance 'soon'"),
            ["Get-WorkflowToolsSandboxRequest"] = ("Get-WorkflowToolsSandboxRequest -Sandbox $sb | Format-List * | Out-String", "Get-WorkflowToolsSandboxRequest -Sandbox $sb -After -1"),
            ["Clear-WorkflowToolsSandboxRequest"] = ("Clear-WorkflowToolsSandboxRequest -Sandbox $sb", "Clear-WorkflowToolsSandboxRequest -Bogus"),
            ["Export-WorkflowToolsSandboxSeed"] = ("$f = Join-Path ([IO.Path]::GetTempPath()) \"wt-leak-seed-$PID.json\"; $null = Export-WorkflowToolsSandboxSeed -Path $f -NmProcessId 1 -PmProcessId 1 -IncludeInstances -IncludePersonalData -Force; Get-Content -Raw $f; Remove-Item $f", "Export-WorkflowToolsSandboxSeed -Path ./leak.json -NmProcessId 424242 -Force"),
            ["Stop-WorkflowToolsSandbox"] = ("Stop-WorkflowToolsSandbox -Sandbox $sb", "Stop-WorkflowToolsSandbox -Bogus"),
        };

        [Fact]
        public void Every_exported_cmdlet_has_a_scenario()
        {
            using var s = new PsSession();
            var exported = s.Run("Get-Command -Module WorkflowTools | ForEach-Object Name").Output.Select(o => o.ToString()).ToList();
            Assert.Empty(exported.Except(Scenarios.Keys));
        }

        [Fact]
        public void No_secret_reaches_any_stream_object_or_error()
        {
            using var s = new PsSession();
            s.Set("nmKey", PsSession.Secure(NmKey));
            s.Set("pmToken", PsSession.Secure(PmToken));
            s.Set("nmUri", _sandbox.NextMatterBaseUri.ToString());
            s.Set("pmUri", _sandbox.ProcessMakerInstanceUri.ToString());
            s.Run("Connect-NmService -BaseUri $nmUri -ApiKey $nmKey -RequestsPerMinute 0 -RetryDelay 0.01; Connect-PmServer -BaseUri $pmUri -AccessToken $pmToken -RetryDelay 0.01").ThrowIfFailed();

            // Server-side failures too: a 500 with a body, and an HTML page, for one call each.
            _sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/424242", Kind = FaultKind.HtmlErrorPage });
            var texts = new List<string>();
            foreach (var (name, (success, failure)) in Scenarios)
            {
                foreach (var script in new[] { success, failure })
                {
                    var result = s.Run($"$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; {script}");
                    texts.Add($"[{name}] " + result.AllText());
                    if (ReferenceEquals(script, success))
                    {
                        Assert.True(result.AllErrors.Count() == 0, $"{name}'s success path failed: {result.Describe()}");
                    }
                    else
                    {
                        Assert.True(result.AllErrors.Any(), $"{name}'s failure path did not fail");
                    }
                }
            }

            // $Error and every exception's full text, as a person would dump them.
            var errors = s.Run("$Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String; \"$($_.Exception)\" }");
            texts.Add(errors.AllText());
            var all = string.Join("\n", texts);
            Assert.Contains("[redacted]", all);
            Assert.DoesNotContain(NmKey, all);
            Assert.DoesNotContain("Nm5ecretKeyValue", all);
            Assert.DoesNotContain(PmToken, all);
            Assert.DoesNotContain("Pm5ecretTokenValue", all);
            Assert.DoesNotContain("Leak-Pa55word!", all); // passwords of New-PmUser and Set-PmUser
            Assert.DoesNotContain("Leak-short", all);
            Assert.DoesNotContain("Leak-Pa55word!", string.Join("\n", _sandbox.Requests.All.Select(r => r.Body))); // nor the sandbox's request log
        }
    }
}
