<#
    Shared by the Pester files: imports the built module folder and starts the sandbox on a free loopback
    port, connected to both services. Dot-source it in BeforeAll; call Stop-TestSandbox in AfterAll.
#>

function Start-TestSandbox {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $manifest = Import-PowerShellDataFile (Join-Path $root 'WorkflowTools.psd1')
    Import-Module (Join-Path $root "artifacts/module/WorkflowTools/$($manifest.ModuleVersion)/WorkflowTools.psd1") -Force

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $process = Start-Process dotnet -ArgumentList @('run', '--project', (Join-Path $root 'src/WorkflowTools.Sandbox'), '--', '--port', $port) -PassThru
    $base = "http://127.0.0.1:$port"
    $deadline = (Get-Date).AddSeconds(60)
    do {
        Start-Sleep -Milliseconds 500
        try { $null = Invoke-WebRequest "$base/nextmatter/api/instances/1/" -SkipHttpErrorCheck; $up = $true } catch { $up = $false }
    } until ($up -or (Get-Date) -gt $deadline)

    Connect-NmService -BaseUri "$base/nextmatter/api/" -ApiKey (ConvertTo-SecureString 'sandbox.nextmatter-api-key' -AsPlainText -Force)
    Connect-PmServer -BaseUri "$base/processmaker/" -AccessToken (ConvertTo-SecureString 'sandbox-processmaker-token' -AsPlainText -Force)
    [pscustomobject]@{ Process = $process; Base = $base; Instance = "$base/processmaker/" }
}

function Stop-TestSandbox {
    param($Sandbox)
    if ($Sandbox) { Stop-Process -Id $Sandbox.Process.Id -ErrorAction SilentlyContinue }
    Remove-Module WorkflowTools -ErrorAction SilentlyContinue
}
