<#
    One sample of every type the module's cmdlets write (their [OutputType], and the type names their table views
    select), made by the cmdlets themselves: the one table that Views.Tests.ps1 (80 columns) and
    CsvRoundTrip.Tests.ps1 (Export-Csv and Import-Csv) both run. The samples are the Samples of the cmdlets in
    CmdletCases.psd1: a new output type gets one there; both files fail until it has one.

    Returns an ordered dictionary: type name -> script block. Each block takes the module's own sandbox (a
    SandboxProcess, for the sandbox cmdlets) and runs with the session connected to a sandbox with demo data. The
    values are chosen to be wider than their columns (names, descriptions) where a view might cut them.
#>

$samples = [ordered]@{}
foreach ($case in (Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'CmdletCases.psd1')).Cmdlets) {
    if ($case.Samples) {
        foreach ($type in $case.Samples.Keys | Sort-Object) {
            if ($samples.Contains($type)) { throw "CmdletCases.psd1 has two samples of $type (at $($case.Name))" }
            $samples[$type] = [scriptblock]::Create($case.Samples[$type])
        }
    }
}
$samples
