<#
    The session WorkflowTools.Try opens in the pinned real pwsh (its launcher, Program.cs, passes every parameter
    below, so whatever else is on the command line is the user's script's arguments, in $args): the built module
    imported, a sandbox started with the module's own Start-WorkflowToolsSandbox (or one already running, -TryBaseUri),
    its addresses, key and token in $env:WORKFLOWTOOLS_SANDBOX_NM / _PM, $env:NEXTMATTER_API_KEY and
    $env:PROCESSMAKER_TOKEN. Then, by -TryMode:
      QuickStart   Examples/QuickStart.ps1, statement by statement as if typed at the prompt (it connects itself)
      Typed        the script -TryTarget the same way
      File         the script -TryTarget with the remaining arguments
      Command      the text -TryTarget
      Interactive  the prompt of this pwsh (the launcher adds -NoExit)
    File, Command and Interactive start connected to the sandbox. Exit code: N after `exit N`, else 1 when an error was
    written, 2 when the script or text does not parse, else 0. The sandbox stops when this pwsh ends, however it ends.
#>
param(
    [string] $TryManifest,
    [string] $TryMode,
    [string] $TryTarget,
    [string] $TryBaseUri,
    [string] $TryCwd,
    [string] $TryNoColor
)

$userArguments = $args
if ($TryNoColor -eq '1') { $PSStyle.OutputRendering = 'PlainText' }
if ($TryCwd) { Set-Location -LiteralPath $TryCwd }

function Show-Relative([string] $Path) {
    $relative = [IO.Path]::GetRelativePath((Get-Location).ProviderPath, $Path)
    if ($relative.StartsWith('..')) { $Path } else { $relative }
}

function Test-Parse([string] $Path, [string] $Text) {
    <# Writes every parse error as pwsh shows it (ParserError: file:line, the line, a marker) and says whether there was one. #>
    $tokens = $null; $errors = $null
    if ($Path) { $null = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors) }
    else { $null = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $tokens, [ref] $errors) }
    foreach ($e in $errors) {
        $record = [System.Management.Automation.ParseException]::new([System.Management.Automation.Language.ParseError[]] @($e)).ErrorRecord
        $Host.UI.WriteErrorLine(($record | Out-String -Width 120).Trim())
    }
    $errors.Count -gt 0
}

Import-Module -Name $TryManifest -ErrorAction Stop
if ($TryBaseUri) {
    # A sandbox already running: its root, whichever of its URLs was given, with the sandbox's fixed key and token.
    $given = [uri] $TryBaseUri
    $path = $given.AbsolutePath
    foreach ($marker in '/nextmatter/', '/processmaker/') {
        $at = $path.IndexOf($marker, [StringComparison]::OrdinalIgnoreCase)
        if ($at -ge 0) { $path = $path.Substring(0, $at + 1) }
    }
    if (-not $path.EndsWith('/')) { $path += '/' }
    $root = [uri]::new($given, $path)
    $probe = [System.Net.Sockets.TcpClient]::new()
    try {
        if (-not $probe.ConnectAsync($root.Host, $root.Port).Wait(5000)) { throw 'no answer within 5 s' }
    }
    catch {
        $Host.UI.WriteErrorLine("No sandbox answers at $root ($($_.Exception.GetBaseException().Message)). Start one with: dotnet run --project src/WorkflowTools.Sandbox")
        exit 1
    }
    finally { $probe.Dispose() }
    $env:WORKFLOWTOOLS_SANDBOX_NM = "$([uri]::new($root, 'nextmatter/api/'))"
    $env:WORKFLOWTOOLS_SANDBOX_PM = "$([uri]::new($root, 'processmaker/'))"
    $env:NEXTMATTER_API_KEY = 'sandbox.nextmatter-api-key'
    $env:PROCESSMAKER_TOKEN = 'sandbox-processmaker-token'
}
else {
    try { $sandbox = Start-WorkflowToolsSandbox -SetEnvironment -StartTimeout 120 -ErrorAction Stop }
    catch { $Host.UI.WriteErrorLine("$_"); exit 1 }
    $root = [uri]::new($sandbox.NextMatterUri, '/')
}

$connect = 'Connect-NmService -BaseUri $env:WORKFLOWTOOLS_SANDBOX_NM', 'Connect-PmServer -BaseUri $env:WORKFLOWTOOLS_SANDBOX_PM'
if ($TryMode -in 'QuickStart', 'Interactive') {
    Write-Host "WorkflowTools.Try: PowerShell $($PSVersionTable.PSVersion) with $(Show-Relative $TryManifest), against the sandbox at $root."
}

if ($TryMode -in 'File', 'Command', 'Interactive') {
    # The session starts connected, as a profile would connect it; the quick start shows how, so it connects itself.
    if ($TryMode -eq 'Interactive') {
        Write-Host '$env:WORKFLOWTOOLS_SANDBOX_NM and $env:WORKFLOWTOOLS_SANDBOX_PM hold its URLs; the key and token are in $env:NEXTMATTER_API_KEY and $env:PROCESSMAKER_TOKEN.'
        Write-Host 'This is pwsh: `exit` leaves (and stops the sandbox).'
        Write-Host ''
    }
    $Error.Clear()
    foreach ($line in $connect) {
        if ($TryMode -eq 'Interactive') { Write-Host "PS> $line" }
        . ([scriptblock]::Create($line))
    }
    if ($Error.Count -gt 0) { exit 1 }
}

$Error.Clear()
$global:LASTEXITCODE = 0
switch ($TryMode) {
    'Interactive' { return }
    'Command' {
        if (Test-Parse -Text $TryTarget) { exit 2 }
        . ([scriptblock]::Create($TryTarget))
    }
    'File' {
        if (Test-Parse -Path $TryTarget) { exit 2 }
        & $TryTarget @userArguments
    }
    default {
        # QuickStart and Typed: each statement shown after PS> and run on its own in this scope, as if typed.
        $script = if ($TryMode -eq 'Typed') { $TryTarget } else { Join-Path (Split-Path $TryManifest) 'Examples/QuickStart.ps1' }
        if ($TryMode -ne 'Typed') {
            Write-Host "$(Show-Relative $script), statement by statement as if typed at the prompt:"
            Write-Host ''
        }
        if (Test-Parse -Path $script) { exit 2 }
        $statements = [System.Management.Automation.Language.Parser]::ParseFile($script, [ref] $null, [ref] $null).EndBlock.Statements
        foreach ($statement in $statements) {
            Write-Host "PS> $($statement.Extent.Text -replace '\r?\n', "`n>> ")"
            try { . ([scriptblock]::Create($statement.Extent.Text)) | Out-Default }
            catch { Write-Error -ErrorRecord $_ }
        }
        if ($TryMode -ne 'Typed') {
            Write-Host ''
            Write-Host $(if ($Error.Count -eq 0) { 'Done. Explore yourself: dotnet run --project src/WorkflowTools.Try -- -Interactive' } else { 'The quick start failed (exit code 1).' })
        }
    }
}
if ($LASTEXITCODE) { exit $LASTEXITCODE }
exit ([int]($Error.Count -gt 0))
