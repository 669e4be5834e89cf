using System.IO;
using System.Reflection;
using System.Text.RegularExpressions;

namespace WorkflowTools.Tests
{
    /// <summary>The module folder, its manifest and what a fresh import shows.</summary>
    public class ModuleTests
    {
        private static string[] ManifestCmdlets()
        {
            var text = File.ReadAllText(RepoPaths.Manifest);
            var block = Regex.Match(text, @"CmdletsToExport\s*=\s*@\(([^)]*)\)", RegexOptions.Singleline).Groups[1].Value;
            return Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(n => n).ToArray();
        }

        [Fact]
        public void The_manifest_exports_exactly_the_compiled_cmdlets()
        {
            // Read through the engine, after Import-Module installed the module's loader: loading the dll into
            // this process by hand first would fail its types for good (their Core base types would not resolve).
            using var session = new PsSession();
            var compiled = session.Run(
                "(Get-Module WorkflowTools).ImplementingAssembly.GetExportedTypes() | ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } | ForEach-Object { \"$($_.VerbName)-$($_.NounName)\" }")
                .ThrowIfFailed().Output.Select(o => o.ToString()).OrderBy(n => n).ToArray();
            Assert.NotEmpty(compiled);
            Assert.Equal(compiled, ManifestCmdlets());
            Assert.DoesNotContain("*", File.ReadAllText(RepoPaths.Manifest).Split("CmdletsToExport")[1].Split(')')[0]);
        }

        [Fact]
        public void The_core_makes_public_only_the_types_users_meet_and_those_are_the_type_names_that_resolve()
        {
            using var session = new PsSession();
            var cmdlets = (Assembly)session.Run("(Get-Module WorkflowTools).ImplementingAssembly").ThrowIfFailed().Single().BaseObject;
            var core = (Assembly)session.Run("[WorkflowTools.Http.ApiException].Assembly").ThrowIfFailed().Single().BaseObject;

            // What users meet: the cmdlets' outputs and parameters, errors' exceptions, and everything those show.
            var met = new HashSet<Type>();
            var todo = new Stack<Type>();
            foreach (var cmdlet in cmdlets.GetExportedTypes().Where(t => t.GetCustomAttributes<System.Management.Automation.CmdletAttribute>().Any()))
            {
                foreach (var output in cmdlet.GetCustomAttributes<System.Management.Automation.OutputTypeAttribute>().SelectMany(a => a.Type))
                {
                    todo.Push(output.Type ?? typeof(object));
                }

                foreach (var parameter in cmdlet.GetProperties().Where(p => p.GetCustomAttributes<System.Management.Automation.ParameterAttribute>().Any()))
                {
                    todo.Push(parameter.PropertyType);
                }
            }

            todo.Push(core.GetType("WorkflowTools.Http.ApiException", throwOnError: true)!);

            // New-NmInstance's error records carry the instance it was asked to create as their target, and
            // Start-WorkflowToolsSandbox's carry these exceptions.
            todo.Push(core.GetType("WorkflowTools.NextMatter.NmNewInstance", throwOnError: true)!);
            todo.Push(core.GetType("WorkflowTools.Testing.SandboxUnavailableException", throwOnError: true)!);
            todo.Push(core.GetType("WorkflowTools.Testing.SandboxStartException", throwOnError: true)!);
            while (todo.Count > 0)
            {
                var type = todo.Pop();
                if (type.IsArray || (type.IsGenericType && !type.IsGenericTypeDefinition))
                {
                    foreach (var inner in type.IsArray ? new[] { type.GetElementType()! } : type.GetGenericArguments().Append(type.GetGenericTypeDefinition()))
                    {
                        todo.Push(inner);
                    }

                    continue;
                }

                if (type.IsGenericParameter || type.Assembly != core || !met.Add(type))
                {
                    continue;
                }

                for (var b = type.BaseType; b != null; b = b.BaseType)
                {
                    todo.Push(b);
                }

                foreach (var property in type.GetProperties())
                {
                    todo.Push(property.PropertyType);
                }
            }

            var exported = core.GetExportedTypes().Where(t => !t.IsNested).Select(t => t.FullName!).OrderBy(n => n).ToList();
            Assert.Equal(met.Select(t => t.FullName!).OrderBy(n => n), exported);

            // Those resolve by name in PowerShell (type accelerators of the isolated core); infrastructure does not.
            var check = session.Run("param($names) $names | Where-Object { -not ($_ -as [type]) }", new System.Collections.Hashtable { ["names"] = exported.ToArray() }).ThrowIfFailed();
            Assert.Empty(check.Output);
            var infrastructure = session.Run("'WorkflowTools.Http.Pager', 'WorkflowTools.Http.ApiClient', 'WorkflowTools.NextMatter.NmClient', 'WorkflowTools.Json.JsonBody' | Where-Object { $_ -as [type] }").ThrowIfFailed();
            Assert.Empty(infrastructure.Output);
        }

        [Fact]
        public void Removing_the_module_in_one_runspace_keeps_its_type_names_for_another_that_still_has_it()
        {
            using var staying = new PsSession();
            using (var leaving = new PsSession())
            {
                leaving.Run("Remove-Module WorkflowTools").ThrowIfFailed();
            }

            // The accelerators are process-wide; the runspace that still has the module must keep them (checked in
            // the table itself: PowerShell caches a name it has resolved once, which would hide a removal).
            var kept = staying.Run("[psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get.ContainsKey('WorkflowTools.NextMatter.NmInstance')").ThrowIfFailed().Output;
            Assert.Equal(true, Assert.Single(kept)?.BaseObject);
        }

        [Fact]
        public void Imports_without_warnings_and_lists_exactly_the_manifest_cmdlets()
        {
            using var session = new PsSession(importModule: false);
            var import = session.Run($"Import-Module '{RepoPaths.BuiltManifest}' -PassThru -Verbose");
            Assert.Empty(import.Warnings);
            Assert.Empty(import.Errors);
            Assert.Null(import.TerminatingError);

            var commands = session.Run("Get-Command -Module WorkflowTools | ForEach-Object Name").Output.Select(o => o.ToString()).OrderBy(n => n).ToArray();
            Assert.Equal(ManifestCmdlets(), commands);
        }

        [Fact]
        public void The_built_folder_is_laid_out_as_install_module_would()
        {
            Assert.True(File.Exists(RepoPaths.BuiltManifest));
            Assert.Equal(RepoPaths.ModuleVersion, new DirectoryInfo(RepoPaths.ModuleFolder).Name);
            Assert.Equal("WorkflowTools", new DirectoryInfo(RepoPaths.ModuleFolder).Parent!.Name);
            foreach (var file in new[] { "WorkflowTools.dll", "WorkflowTools.Loader.dll", "Dependencies/WorkflowTools.Core.dll", "Dependencies/Polly.Core.dll", "Dependencies/System.Text.Json.dll", "Dependencies/WorkflowTools.LoadContext.dll", "NextMatter.format.ps1xml", "ProcessMaker.format.ps1xml", "Connections.format.ps1xml" })
            {
                Assert.True(File.Exists(Path.Combine(RepoPaths.ModuleFolder, file)), file + " is missing");
            }

            Assert.False(File.Exists(Path.Combine(RepoPaths.ModuleFolder, "System.Management.Automation.dll")), "the module must not ship PowerShell itself");
            Assert.Equal(File.ReadAllText(RepoPaths.Manifest), File.ReadAllText(RepoPaths.BuiltManifest));
        }

        [Fact]
        public void The_manifest_passes_test_module_manifest_and_says_what_the_owner_asked()
        {
            using var session = new PsSession(importModule: false);
            var info = session.Run($"Test-ModuleManifest -Path '{RepoPaths.BuiltManifest}'").Single();
            Assert.Equal(RepoPaths.ModuleVersion, info.P<Version>("Version").ToString(3));
            var editions = info.P<string[]>("CompatiblePSEditions");
            Assert.Equal(new[] { "Desktop", "Core" }, editions);
            Assert.Equal(new Version(5, 1), info.P<Version>("PowerShellVersion"));
        }

        [Fact]
        public void Every_cmdlet_declares_its_output_type()
        {
            using var session = new PsSession();
            var missing = session.Run("Get-Command -Module WorkflowTools | Where-Object { $_.OutputType.Count -eq 0 } | ForEach-Object Name").Output;
            Assert.Empty(missing);
        }
    }
}
