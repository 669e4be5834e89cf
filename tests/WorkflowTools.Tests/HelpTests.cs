namespace WorkflowTools.Tests
{
    /// <summary>
    /// Get-Help in the engine, for every command the module exports (whatever cmdlets the assembly
    /// holds): the generated MAML must carry everything a reader needs.
    /// </summary>
    public class HelpTests : IClassFixture<HelpTests.Session>
    {
        private readonly PsSession _s;

        public HelpTests(Session session)
        {
            _s = session.Ps;
        }

        public sealed class Session : IDisposable
        {
            public PsSession Ps { get; } = new PsSession();

            public void Dispose() => Ps.Dispose();
        }

        /// <summary>The parameters a user can see: declared ones and -WhatIf/-Confirm, minus common parameters and DontShow ones.</summary>
        private const string VisibleParameters = @"
function Get-VisibleParameter($command) {
    # -WhatIf and -Confirm stay: they are documented like the cmdlet's own.
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction'
    $command.Parameters.Values | Where-Object {
        $_.Name -notin $common -and -not ($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow })
    }
}
";

        private List<string> Problems(string script)
        {
            var result = _s.Run(VisibleParameters + script);
            result.ThrowIfFailed();
            return result.Output.Select(o => o.ToString()).ToList();
        }

        [Fact]
        public void Every_cmdlet_has_a_synopsis_and_a_description()
        {
            var problems = Problems(@"
foreach ($c in Get-Command -Module WorkflowTools) {
    $h = Get-Help $c.Name -Full
    # Without MAML, Get-Help makes the synopsis up from the syntax, which starts with the name.
    if (-not $h.Synopsis -or $h.Synopsis.Trim().StartsWith($c.Name)) { ""$($c.Name): no synopsis"" }
    if (-not ($h.description | ForEach-Object Text | Where-Object { $_.Trim() })) { ""$($c.Name): no description"" }
}");
            Assert.True(problems.Count == 0, "Help is incomplete:\n" + string.Join("\n", problems));
        }

        /// <summary>
        /// Every cmdlet's examples come from src/WorkflowTools/Help/Examples/&lt;Verb-Noun&gt;.md (a missing file is
        /// build warning WTHELP1): at least two per cmdlet, each with code and remarks.
        /// </summary>
        [Fact]
        public void Every_cmdlet_has_at_least_two_examples_with_code_and_remarks()
        {
            var problems = Problems(@"
foreach ($c in Get-Command -Module WorkflowTools) {
    $h = Get-Help $c.Name -Full
    $examples = @($h.examples.example | Where-Object { $_ })
    if ($examples.Count -lt 2) { ""$($c.Name): $($examples.Count) example(s)"" }
    foreach ($e in $examples) {
        if (-not $e.code -or -not ($e.remarks | ForEach-Object Text | Where-Object { $_.Trim() })) { ""$($c.Name): example '$($e.title)' lacks code or remarks"" }
    }
}");
            Assert.True(problems.Count == 0, "Examples are missing:\n" + string.Join("\n", problems));
        }

        [Fact]
        public void Examples_from_the_markdown_file_reach_Get_Help_verbatim()
        {
            // The generator's example path end to end, on a throwaway file: code exactly as typed, the paragraph as remarks.
            var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wt-help-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(folder);
            try
            {
                var examples = System.IO.Path.Combine(folder, "Examples");
                System.IO.Directory.CreateDirectory(examples);
                System.IO.File.WriteAllText(System.IO.Path.Combine(examples, "Get-NmConnection.md"),
                    "# Get-NmConnection\n\n## Example 1: Show the connection\n```powershell\nGet-NmConnection |\n    Format-List *\n```\nShows every property\nof the connection.\n\nA second paragraph.\n\n## Example 2: Check before a job\n```powershell\nif (-not (Get-NmConnection)) { Connect-NmService }\n```\nConnects only when needed.\n");
                var output = System.IO.Path.Combine(folder, "en-US", "WorkflowTools.dll-Help.xml");
                var log = PackageTests.Package.RunTool("help", "--assembly", System.IO.Path.Combine(RepoPaths.ModuleFolder, "WorkflowTools.dll"), "--examples", examples, "--out", output);
                // A cmdlet without an example file is a build warning (MSBuild's format), not an error.
                Assert.Contains("Get-PmConnection.md : warning WTHELP1 : Get-PmConnection has no example file", log);
                Assert.DoesNotContain("Get-NmConnection.md : warning", log);
                var xml = System.Xml.Linq.XDocument.Load(output);
                System.Xml.Linq.XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
                System.Xml.Linq.XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";
                System.Xml.Linq.XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
                var cmd = xml.Descendants(command + "command").Single(c => c.Element(command + "details")!.Element(command + "name")!.Value == "Get-NmConnection");
                var found = cmd.Descendants(command + "example").ToList();
                Assert.Equal(2, found.Count);
                Assert.Equal("Get-NmConnection |\n    Format-List *", found[0].Element(dev + "code")!.Value);
                Assert.Equal(new[] { "Shows every property of the connection.", "A second paragraph." }, found[0].Element(dev + "remarks")!.Elements(maml + "para").Select(p => p.Value));
                Assert.Contains("Example 2: Check before a job", found[1].Element(maml + "title")!.Value);
            }
            finally
            {
                System.IO.Directory.Delete(folder, true);
            }
        }

        [Fact]
        public void Every_parameter_of_every_cmdlet_is_described()
        {
            var problems = Problems(@"
foreach ($c in Get-Command -Module WorkflowTools) {
    $h = Get-Help $c.Name -Full
    $documented = @{}
    foreach ($p in @($h.parameters.parameter)) { if ($p) { $documented[$p.name] = $p } }
    foreach ($p in Get-VisibleParameter $c) {
        $d = $documented[$p.Name]
        if (-not $d) { ""$($c.Name) -$($p.Name): not in the help""; continue }
        if (-not ($d.description | ForEach-Object Text | Where-Object { $_.Trim() })) { ""$($c.Name) -$($p.Name): no description"" }
    }
}");
            Assert.True(problems.Count == 0, "Parameters without help:\n" + string.Join("\n", problems));
        }

        [Fact]
        public void The_help_matches_the_engines_own_view_of_each_parameter()
        {
            // Required, position, pipeline input and aliases in the help agree with what the binder does.
            var problems = Problems(@"
foreach ($c in Get-Command -Module WorkflowTools) {
    $h = Get-Help $c.Name -Full
    foreach ($p in Get-VisibleParameter $c) {
        $d = @($h.parameters.parameter) | Where-Object name -eq $p.Name
        if (-not $d) { continue }
        $attrs = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        if (-not $attrs) { continue } # -WhatIf/-Confirm/-First... come from the engine
        $required = [bool]($attrs | Where-Object Mandatory).Count -and (@($attrs | Where-Object { -not $_.Mandatory }).Count -eq 0)
        if ($d.required -ne $required.ToString().ToLower()) { ""$($c.Name) -$($p.Name): required $($d.required), binder says $required"" }
        $byValue = [bool]($attrs | Where-Object ValueFromPipeline)
        $byName = [bool]($attrs | Where-Object ValueFromPipelineByPropertyName)
        if (($d.pipelineInput -match 'ByValue') -ne $byValue -or ($d.pipelineInput -match 'ByPropertyName') -ne $byName) { ""$($c.Name) -$($p.Name): pipeline input '$($d.pipelineInput)'"" }
        $aliases = if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }
        if ($d.aliases -ne $aliases) { ""$($c.Name) -$($p.Name): aliases '$($d.aliases)', binder says '$aliases'"" }
    }
    $sets = @($c.ParameterSets)
    $syntax = @($h.syntax.syntaxItem)
    if ($syntax.Count -ne $sets.Count) { ""$($c.Name): $($syntax.Count) syntax line(s) for $($sets.Count) parameter set(s)"" }
    foreach ($set in $sets) {
        $names = @($set.Parameters | Where-Object { $_.Name -notin ([System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction') -and -not $_.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) } | ForEach-Object Name | Sort-Object)
        $match = $syntax | Where-Object { (@($_.parameter | ForEach-Object name | Sort-Object) -join ',') -eq ($names -join ',') }
        if (-not $match) { ""$($c.Name): no syntax line with exactly $($names -join ', ')"" }
    }
}");
            Assert.True(problems.Count == 0, "Help and binder disagree:\n" + string.Join("\n", problems));
        }

        [Fact]
        public void Inputs_and_outputs_name_the_pipeline_types_and_every_output_type()
        {
            var problems = Problems(@"
foreach ($c in Get-Command -Module WorkflowTools) {
    $h = Get-Help $c.Name -Full
    $inputs = @($h.inputTypes.inputType | ForEach-Object { $_.type.name })
    $outputs = @($h.returnValues.returnValue | ForEach-Object { $_.type.name })
    foreach ($p in Get-VisibleParameter $c) {
        if ($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline }) {
            $t = $p.ParameterType; if ([Nullable]::GetUnderlyingType($t)) { $t = [Nullable]::GetUnderlyingType($t) }
            if ($t.FullName -notin $inputs) { ""$($c.Name): input $($t.FullName) (-$($p.Name)) not listed"" }
        }
    }
    foreach ($o in $c.OutputType) {
        $name = if ($o.Type -eq [void]) { 'None' } else { $o.Type.FullName }
        if ($name -notin $outputs) { ""$($c.Name): output $name not listed (has: $($outputs -join ', '))"" }
    }
    if (-not $inputs) { ""$($c.Name): no inputs section"" }
}");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void Get_NmInstance_help_reads_as_a_person_needs_it()
        {
            // One cmdlet in detail: the generator's output as Get-Help renders it.
            var text = string.Join("\n", _s.Run("Get-Help Get-NmInstance -Full | Out-String -Width 200").ThrowIfFailed().Output.Select(o => o.ToString()));
            Assert.Contains("Get-NmInstance [-Id] <Int64[]>", text);
            Assert.Contains("Get-NmInstance -ProcessId <Int64>", text);
            Assert.Contains("A number without a parameter name is an instance id", text);
            Assert.Contains("WorkflowTools.NextMatter.NmInstance", text);
            Assert.Contains("about_WorkflowTools", text);
            Assert.Contains("Connect-NmService", text);
            var id = _s.Run("(Get-Help Get-NmInstance -Parameter Id)").Single();
            Assert.Equal("true", id.P<string>("required"));
            Assert.Equal("True (ByValue, ByPropertyName)", id.P<string>("pipelineInput"));
            Assert.Equal("InstanceId", id.P<string>("aliases"));
            // Each Connect- cmdlet's help shows its own service's defaults (ConnectionDefaults).
            var timeout = _s.Run("(Get-Help Connect-NmService -Parameter Timeout)").Single();
            Assert.Equal("00:05:00 (300 s)", timeout.P<string>("defaultValue"));
            Assert.Equal("00:01:15 (75 s)", _s.Run("(Get-Help Connect-NmService -Parameter AttemptTimeout)").Single().P<string>("defaultValue"));
            Assert.Equal("100", _s.Run("(Get-Help Connect-NmService -Parameter RequestsPerMinute)").Single().P<string>("defaultValue"));
            Assert.Equal("00:01:40 (100 s)", _s.Run("(Get-Help Connect-PmServer -Parameter Timeout)").Single().P<string>("defaultValue"));
            Assert.Equal("00:00:30 (30 s)", _s.Run("(Get-Help Connect-PmServer -Parameter AttemptTimeout)").Single().P<string>("defaultValue"));
            Assert.Equal("None", _s.Run("(Get-Help Connect-PmServer -Parameter RequestsPerMinute)").Single().P<string>("defaultValue"));
            var status = _s.Run("(Get-Help Get-NmInstance).syntax.syntaxItem | ForEach-Object parameter | Where-Object name -eq Status | ForEach-Object { $_.parameterValueGroup.parameterValue }").Output.Select(o => o.ToString());
            Assert.Equal(new[] { "Running", "Completed", "Aborted" }, status);
        }

        [Fact]
        public void About_WorkflowTools_covers_connections_durations_paging_retries_and_scheduled_credentials()
        {
            var topic = _s.Run("Get-Help about_WorkflowTools | Out-String").ThrowIfFailed();
            var text = string.Join("\n", topic.Output.Select(o => o.ToString()));
            foreach (var expected in new[] { "CONNECTIONS", "DURATIONS", "00:50           50 seconds", "PAGING", "RETRIES", "NEXTMATTER_API_KEY", "PROCESSMAKER_TOKEN", "Retry-After" })
            {
                Assert.Contains(expected, text);
            }

            var listed = _s.Run("Get-Help -Name about_Workflow* -Category HelpFile | ForEach-Object Name").Output.Select(o => o.ToString());
            Assert.Contains("about_WorkflowTools", listed);
        }
    }
}
