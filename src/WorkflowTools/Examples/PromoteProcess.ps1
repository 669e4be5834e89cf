<#
.SYNOPSIS
    Promotes a ProcessMaker process from a test server to a production server: exports it, checks the environment
    variables it needs on the target, creates the missing ones from values you supply, imports it, and reports.
.DESCRIPTION
    ProcessMaker never returns a variable's value, so none can be copied from the test server: give the values of the
    variables the target lacks as a hashtable of SecureStrings (-Values), or the name of a SecretManagement vault that
    holds secrets of the same names (-Vault). When a needed variable is missing and no value is given for it, nothing
    is created or imported. -PackagePassword exports the package encrypted and imports it with the same password.
    -WhatIf shows what would be created and imported. Returns one report object.
.EXAMPLE
    $test = Connect-PmServer -BaseUri https://pm-test.example.com -AccessToken $testToken -PassThru
    $prod = Connect-PmServer -BaseUri https://pm.example.com -AccessToken $prodToken -PassThru
    ./PromoteProcess.ps1 -From $test -To $prod -ProcessId 12 -Variable SMTP_HOST, SMTP_PASSWORD -Values @{ SMTP_PASSWORD = (Read-Host -AsSecureString) } -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # The server to promote from.
    [Parameter(Mandatory)]
    [WorkflowTools.Connections.PmConnection] $From,

    # The server to promote to.
    [Parameter(Mandatory)]
    [WorkflowTools.Connections.PmConnection] $To,

    # The process on the -From server.
    [Parameter(Mandatory)]
    [ValidateRange(1, [long]::MaxValue)]
    [long] $ProcessId,

    # The environment variables the process reads.
    [string[]] $Variable = @(),

    # Values for variables the target lacks: name = SecureString (or string).
    [hashtable] $Values = @{},

    # A SecretManagement vault with secrets named like the variables (used for those -Values does not give).
    [string] $Vault,

    # Update (default: the process from the same package is updated, or created) or Copy.
    [ValidateSet('Update', 'Copy')]
    [string] $Mode = 'Update',

    # Protect the package with this password: exported encrypted, so the file the script passes from one server
    # to the other never holds the process in plain, and imported with the same password.
    [System.Security.SecureString] $PackagePassword
)

$ErrorActionPreference = 'Stop'
$process = Get-PmProcess -Id $ProcessId -Connection $From
$package = Join-Path ([IO.Path]::GetTempPath()) "promote-$ProcessId-$([guid]::NewGuid().ToString('n')).json"
try {
    # Exporting changes nothing, so it runs under -WhatIf too: the import preview needs the file.
    $protect = if ($PackagePassword) { @{ Password = $PackagePassword } } else { @{} }
    $null = Export-PmProcess -Id $ProcessId -Path $package -Connection $From -WhatIf:$false @protect

    $present = @(Get-PmEnvironmentVariable -Connection $To).Name
    $missing = @($Variable | Where-Object { $_ -notin $present })
    # (PowerShell names are case-insensitive: this table must not be called $values.)
    $supplied = @{}
    foreach ($name in $missing) {
        if ($Values.ContainsKey($name)) { $supplied[$name] = $Values[$name] }
        elseif ($Vault) { $supplied[$name] = Get-Secret -Vault $Vault -Name $name }
    }
    $noValue = @($missing | Where-Object { -not $supplied.ContainsKey($_) })
    if ($noValue) {
        throw "Process $ProcessId ('$($process.Name)') needs environment variable(s) $($noValue -join ', ') on $($To.BaseUri), which has none and no value was given (-Values or -Vault); nothing was created or imported."
    }

    $created = foreach ($name in $missing) {
        $made = New-PmEnvironmentVariable -Name $name -Value $supplied[$name] -Description "Created when promoting process '$($process.Name)'" -Connection $To
        if ($made) { $name }
    }
    $imported = Import-PmProcess -Path $package -Mode $Mode -Connection $To @protect

    [pscustomobject]@{
        Process          = $process.Name
        FromProcessId    = $ProcessId
        ToProcessId      = $imported.Id
        From             = "$($From.BaseUri)"
        To               = "$($To.BaseUri)"
        VariablesPresent = @($Variable | Where-Object { $_ -in $present }) -join ';'
        VariablesCreated = @($created) -join ';'
        Imported         = [bool]$imported
        PackageProtected = [bool]$PackagePassword
    }
}
finally {
    Remove-Item -LiteralPath $package -ErrorAction SilentlyContinue -WhatIf:$false
}
