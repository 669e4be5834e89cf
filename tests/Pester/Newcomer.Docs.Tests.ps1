#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What a newcomer reads and installs (issue 24, section 2): the help says what is true (item 6) and the packages
    carry what their users need (item 10). Each test failed before its fix.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    $script:moduleFolder = Split-Path $script:ModuleManifestPath
}

AfterAll {
    Stop-TestSandbox $script:sandbox
}

Describe 'Help without drift (item 6)' {
    BeforeAll {
        $script:about = Get-Help about_WorkflowTools | Out-String -Width 200
        $script:aboutFile = Join-Path $script:moduleFolder 'en-US/about_WorkflowTools.help.txt'
    }

    It 'about_WorkflowTools shows module users Start-WorkflowToolsSandbox, not a repository''s dotnet run' {
        $script:about | Should -Match 'Start-WorkflowToolsSandbox -Connect'
        $script:about | Should -Not -Match 'dotnet run --project'
    }

    It 'about_WorkflowTools fits 80 columns' {
        $wide = @(Get-Content -LiteralPath $script:aboutFile | Where-Object { $_.Length -gt 80 })
        $wide | Should -BeNullOrEmpty
    }

    It 'about_WorkflowTools names the -Timeout defaults the connections have' {
        $nm = Connect-NmService -BaseUri $script:sandbox.NextMatter -PassThru
        $pm = Connect-PmServer -BaseUri $script:sandbox.Instance -PassThru
        $nm.Timeout | Should -Be ([timespan]::FromMinutes(5))
        $pm.Timeout | Should -Be ([timespan]::FromSeconds(100))
        $text = $script:about -replace '\s+', ' '
        $text | Should -Match 'by default 5 minutes for Next Matter'
        $text | Should -Match '100 s for ProcessMaker'
        $text | Should -Not -Match 'default 100 s\)'
    }

    It 'the sandbox README says a hand-started sandbox''s clock starts now' {
        # The test sandbox is started as a user starts one by hand (the dll, no --frozen-clock).
        $now = [datetime]::Parse((Invoke-RestMethod "$($script:sandbox.Base)/_sandbox/clock" -Headers @{ 'X-Sandbox-Token' = $script:sandbox.ControlToken }).now, [cultureinfo]::InvariantCulture, 'AdjustToUniversal')
        [math]::Abs(($now - [datetime]::UtcNow).TotalMinutes) | Should -BeLessThan 10
        $readme = Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'src/WorkflowTools.Sandbox/README.md')
        $readme | Should -Not -Match 'follows wall time from 2026'
        ($readme -replace '\s+', ' ') | Should -Match 'The clock follows wall time from the moment it starts'
    }
}

Describe 'What the packages carry (item 10)' {
    It 'the module folder (the package''s content) has the LICENSE its manifest''s LicenseUri names' {
        (Import-PowerShellDataFile $script:ModuleManifestPath).PrivateData.PSData.LicenseUri | Should -Match 'LICENSE$'
        $license = Join-Path $script:moduleFolder 'LICENSE'
        Test-Path -LiteralPath $license | Should -BeTrue
        Get-Content -Raw -LiteralPath $license | Should -Be (Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'LICENSE'))
    }

    It 'the sandbox tool''s project packs its README, and --help points to it, not to a repository file' {
        [xml]$project = Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'src/WorkflowTools.Sandbox/WorkflowTools.Sandbox.csproj')
        @($project.Project.PropertyGroup.PackageReadmeFile | Where-Object { $_ }) | Should -Be @('README.md')
        @($project.Project.ItemGroup.None | Where-Object { $_.Update -eq 'README.md' -and $_.Pack -eq 'true' }).Count | Should -Be 1
        $help = & dotnet (Get-SandboxDll) --help 2>&1 | Out-String
        $help | Should -Not -Match 'see README\)'
        $help | Should -Match "README\.md in this tool's package"
    }

    It 'Export-WorkflowToolsSandboxSeed returns the written file with its size, pointing at the schema the module ships' {
        $path = Join-Path (Get-TestOutputFolder) "seed-$([guid]::NewGuid().ToString('n').Substring(0, 8)).json"
        try {
            Set-Content -LiteralPath $path -Value 'old' -Encoding utf8
            $file = Export-WorkflowToolsSandboxSeed -Path $path -NmProcessId 1 -Force
            $file | Should -BeOfType [System.IO.FileInfo]
            $file.Length | Should -Be (Get-Item -LiteralPath $path).Length
            # Its view shows its size (PowerShell's own file view shows a bare FileInfo's as blank).
            # (A long path wraps within its column: compared without the white space.)
            ($file | Out-String -Width 80) -replace '\s', '' | Should -Match "$($file.Length)$([regex]::Escape(($file.FullName -replace '\s', '')))"
            $file.Length | Should -BeGreaterThan 100
            $schema = (Get-Content -Raw -LiteralPath $path | ConvertFrom-Json).'$schema'
            $schema | Should -Not -Match '^https?:'
            ([uri]$schema).LocalPath | Should -Be (Join-Path $script:moduleFolder 'Sandbox/Seeds/workflowtools-sandbox-seed.schema.json')
            Test-Path -LiteralPath ([uri]$schema).LocalPath | Should -BeTrue
        }
        finally { Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue }
    }

    It 'the README''s tool install line uses the local folder only' {
        $readme = Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'README.md')
        $readme | Should -Match ([regex]::Escape('dotnet tool install --global WorkflowTools.Sandbox --source ./artifacts'))
        $readme | Should -Not -Match 'install[^`]*--add-source'
    }
}
