#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Get-, Save-, Add- and Remove-PmRequestFile against the sandbox, which serves requests/{id}/files as PM4 4.15.6's
    ProcessRequestFileController does (src/WorkflowTools.Sandbox/ProcessMakerFilesApi.cs names the sources). Every
    saved file is compared with what was uploaded by its SHA-256 hash.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'SandboxSetup.ps1')
    $script:sandbox = Start-TestSandbox
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "wt-files-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
    $null = New-Item -ItemType Directory -Path $script:work
    function New-RandomFile([string] $Name, [int] $Bytes) {
        $path = Join-Path $script:work $Name
        $data = [byte[]]::new($Bytes)
        [Random]::new($Bytes).NextBytes($data)
        [IO.File]::WriteAllBytes($path, $data)
        $path
    }
    $script:request = Start-PmRequest -ProcessId 1 -Data @{ employee = 'Files' }
}

AfterAll {
    Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestSandbox $script:sandbox
}

Describe 'Request files' {
    It 'uploads files, lists them with name, data name and size, and downloads them byte for byte' {
        $small = New-RandomFile 'contract.pdf' 1500
        $large = New-RandomFile 'scan.bin' (3MB + 17)
        $a = Add-PmRequestFile -RequestId $script:request.Id -Path $small -DataName contract
        $b = $script:request | Add-PmRequestFile -Path $large
        $a.DataName | Should -Be 'contract'
        $b.DataName | Should -Be 'scan.bin'
        $rows = @(Get-PmRequestFile -RequestId $script:request.Id)
        $rows.Count | Should -Be 2
        ($rows | Where-Object Name -eq 'scan.bin').Size | Should -Be (3MB + 17)
        (Invoke-SandboxApi ProcessMaker "requests/$($script:request.Id)/files").data.file_name | Sort-Object | Should -Be @('contract.pdf', 'scan.bin')

        $out = Join-Path $script:work 'saved/'
        $saved = @($rows | Save-PmRequestFile -Destination $out)
        $saved.Count | Should -Be 2
        $saved | ForEach-Object { $_ | Should -BeOfType [IO.FileInfo] }
        (Get-FileHash (Join-Path $out 'contract.pdf')).Hash | Should -Be (Get-FileHash $small).Hash
        (Get-FileHash (Join-Path $out 'scan.bin')).Hash | Should -Be (Get-FileHash $large).Hash
        @(Get-ChildItem $out -Force | Where-Object Name -like '*.partial').Count | Should -Be 0
    }

    It 'refuses to overwrite without -Force, overwrites with it, and writes nothing with -WhatIf' {
        $out = Join-Path $script:work 'saved'
        Set-Content -LiteralPath (Join-Path $out 'contract.pdf') -Value 'mine'
        $errors = $null
        $saved = @(Get-PmRequestFile -RequestId $script:request.Id | Save-PmRequestFile -Destination $out -ErrorVariable errors -ErrorAction SilentlyContinue)
        $saved.Count | Should -Be 0
        $errors.Count | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'WorkflowTools.FileExists*'
        (Get-Content -LiteralPath (Join-Path $out 'contract.pdf')) | Should -Be 'mine'
        $mark = Get-LastSequence
        Get-PmRequestFile -RequestId $script:request.Id | Save-PmRequestFile -Destination $out -Force -WhatIf
        @(Get-LoggedRequest -After $mark | Where-Object path -match '/files/\d+$').Count | Should -Be 0
        (Get-Content -LiteralPath (Join-Path $out 'contract.pdf')) | Should -Be 'mine'
        $null = Get-PmRequestFile -RequestId $script:request.Id -DataName contract | Save-PmRequestFile -Destination $out -Force
        (Get-FileHash (Join-Path $out 'contract.pdf')).Hash | Should -Be (Get-FileHash (Join-Path $script:work 'contract.pdf')).Hash
    }

    It 'saves one file under a name of its own, and refuses a folder that does not exist' {
        $row = Get-PmRequestFile -RequestId $script:request.Id -DataName contract
        $file = Save-PmRequestFile -RequestId $row.RequestId -FileId $row.FileId -Destination (Join-Path $script:work 'renamed.dat')
        $file.Name | Should -Be 'renamed.dat'
        { Save-PmRequestFile -RequestId $row.RequestId -FileId $row.FileId -Destination (Join-Path $script:work 'no/such/x.dat') -ErrorAction Stop } |
            Should -Throw -ErrorId 'WorkflowTools.FolderNotFound*'
    }

    It 'replaces the file of a data name, as PM4 does' {
        $new = New-RandomFile 'contract-v2.pdf' 900
        $null = Add-PmRequestFile -RequestId $script:request.Id -Path $new -DataName contract
        $rows = @(Get-PmRequestFile -RequestId $script:request.Id -DataName contract)
        $rows.Count | Should -Be 1
        $rows[0].Name | Should -Be 'contract-v2.pdf'
    }

    It 'refuses a PDF with JavaScript and stores nothing; an unknown file id is an error' {
        $pdf = Join-Path $script:work 'evil.pdf'
        Set-Content -LiteralPath $pdf -Value '%PDF-1.4 << /S /JavaScript /JS (app.alert(1)) >>'
        $errors = $null
        Add-PmRequestFile -RequestId $script:request.Id -Path $pdf -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        @(Get-PmRequestFile -RequestId $script:request.Id | Where-Object Name -eq 'evil.pdf').Count | Should -Be 0
        { Save-PmRequestFile -RequestId $script:request.Id -FileId 424242 -Destination $script:work -ErrorAction Stop } | Should -Throw
        { Add-PmRequestFile -RequestId $script:request.Id -Path (Join-Path $script:work 'missing.txt') -ErrorAction Stop } | Should -Throw -ErrorId 'WorkflowTools.FileNotFound*'
    }

    It 'deletes piped files after -WhatIf, never taking a piped request for a file' {
        $mark = Get-LastSequence
        Get-PmRequestFile -RequestId $script:request.Id | Remove-PmRequestFile -WhatIf
        $script:request | Remove-PmRequestFile -Force -ErrorAction SilentlyContinue
        @(Get-LoggedRequest -After $mark | Where-Object method -eq 'DELETE').Count | Should -Be 0
        $removed = @(Get-PmRequestFile -RequestId $script:request.Id | Remove-PmRequestFile -Force -PassThru)
        $removed.Count | Should -Be 2
        (Invoke-SandboxApi ProcessMaker "requests/$($script:request.Id)/files").data.Count | Should -Be 0
    }

    It 'exports its rows to CSV with UTC dates and no type names' {
        $null = Add-PmRequestFile -RequestId $script:request.Id -Path (New-RandomFile 'csv.txt' 10) -DataName csv
        $csv = Get-PmRequestFile -RequestId $script:request.Id | ConvertTo-Csv -NoTypeInformation
        ($csv | Out-String) | Should -Not -Match 'System\.'
        ($csv[1] -split ',')[8] | Should -Match '^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$'
    }
}
