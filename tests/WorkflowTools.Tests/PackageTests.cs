using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Xml.Linq;

namespace WorkflowTools.Tests
{
    /// <summary>
    /// The PowerShell Gallery package, made by the same tool and command as the PackModule target
    /// (dotnet build src/WorkflowTools/WorkflowTools.csproj -t:PackModule; ./build.ps1 -Task Package).
    /// </summary>
    public class PackageTests : IClassFixture<PackageTests.Package>, IDisposable
    {
        private static readonly string[] OpcParts = { "[Content_Types].xml", "_rels/.rels" };
        private readonly Package _p;
        private readonly string _scratch = Path.Combine(Path.GetTempPath(), "wt-pkg-test-" + Guid.NewGuid().ToString("N"));

        public PackageTests(Package package)
        {
            _p = package;
        }

        public void Dispose()
        {
            if (Directory.Exists(_scratch))
            {
                Directory.Delete(_scratch, true);
            }
        }

        public sealed class Package : IDisposable
        {
            public Package()
            {
                Folder = Path.Combine(Path.GetTempPath(), "wt-pkg-" + Guid.NewGuid().ToString("N"));
                Path_ = PackInto(Folder);
                using var zip = ZipFile.OpenRead(Path_);
                Entries = zip.Entries.Select(e => e.FullName).ToList();
                using var nuspec = zip.GetEntry("WorkflowTools.nuspec")!.Open();
                Nuspec = XDocument.Load(nuspec);
            }

            public string Folder { get; }

            public string Path_ { get; }

            public List<string> Entries { get; }

            public XDocument Nuspec { get; }

            public string Meta(string name) => Nuspec.Root!.Elements().First(e => e.Name.LocalName == "metadata").Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? string.Empty;

            public static string PackInto(string folder)
            {
                RunTool("pack", "--module", RepoPaths.ModuleFolder, "--out", folder);
                return System.IO.Path.Combine(folder, $"WorkflowTools.{RepoPaths.ModuleVersion}.nupkg");
            }

            /// <summary>Runs the build tool as the build does (the PackModule and HelpFiles targets).</summary>
            public static string RunTool(params string[] args)
            {
                var configuration = AppContext.BaseDirectory.Replace('\\', '/').Contains("/bin/Release/") ? "Release" : "Debug";
                var tool = System.IO.Path.Combine(RepoPaths.Root, "src", "WorkflowTools.BuildTool", "bin", configuration, "net10.0", "WorkflowTools.BuildTool.dll");
                var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                foreach (var a in args.Prepend(tool))
                {
                    start.ArgumentList.Add(a);
                }

                using var process = Process.Start(start)!;
                var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, output);
                return output;
            }

            public void Dispose() => Directory.Delete(Folder, true);
        }

        [Fact]
        public void The_package_holds_the_module_folder_at_its_root_plus_the_nuspec_and_nothing_else()
        {
            var moduleFiles = Directory.GetFiles(RepoPaths.ModuleFolder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepoPaths.ModuleFolder, f).Replace('\\', '/'))
                .ToList();
            var core = Assert.Single(_p.Entries, e => e.StartsWith("package/services/metadata/core-properties/") && e.EndsWith(".psmdcp"));
            var expected = moduleFiles.Concat(OpcParts).Append("WorkflowTools.nuspec").Append(core).OrderBy(e => e, StringComparer.Ordinal);
            Assert.Equal(expected, _p.Entries.OrderBy(e => e, StringComparer.Ordinal));

            foreach (var essential in new[] { "WorkflowTools.psd1", "WorkflowTools.dll", "WorkflowTools.Loader.dll", "Dependencies/WorkflowTools.Core.dll", "Dependencies/Polly.Core.dll", "Dependencies/WorkflowTools.LoadContext.dll", "NextMatter.format.ps1xml", "ProcessMaker.format.ps1xml", "Connections.format.ps1xml", "WorkflowTools.types.ps1xml", "en-US/WorkflowTools.dll-Help.xml", "en-US/about_WorkflowTools.help.txt" })
            {
                Assert.Contains(essential, _p.Entries);
            }

            Assert.DoesNotContain(_p.Entries, e => e.EndsWith("System.Management.Automation.dll") || e.EndsWith(".pdb") || e.StartsWith("WorkflowTools/"));
        }

        [Fact]
        public void The_nuspec_says_what_the_manifest_says()
        {
            using var session = new PsSession(importModule: false);
            var m = (System.Collections.Hashtable)session.Run($"Import-PowerShellDataFile -LiteralPath '{RepoPaths.Manifest}'").Single().BaseObject;
            var psData = (System.Collections.Hashtable)((System.Collections.Hashtable)m["PrivateData"]!)["PSData"]!;

            Assert.Equal("WorkflowTools", _p.Meta("id"));
            Assert.Equal(RepoPaths.ModuleVersion, _p.Meta("version"));
            Assert.Equal((string)m["Author"]!, _p.Meta("authors"));
            Assert.Equal((string)m["Description"]!, _p.Meta("description"));
            Assert.Equal((string)m["Copyright"]!, _p.Meta("copyright"));
            Assert.Equal((string)psData["ProjectUri"]!, _p.Meta("projectUrl"));
            Assert.Equal((string)psData["LicenseUri"]!, _p.Meta("licenseUrl"));
            Assert.Equal((string)psData["ReleaseNotes"]!, _p.Meta("releaseNotes"));

            var tags = _p.Meta("tags").Split(' ');
            foreach (var tag in ((object[])psData["Tags"]!).Cast<string>())
            {
                Assert.Contains(tag, tags);
            }

            Assert.Contains("PSModule", tags);
            Assert.Contains("PSIncludes_Cmdlet", tags);
            foreach (var cmdlet in ((object[])m["CmdletsToExport"]!).Cast<string>())
            {
                Assert.Contains("PSCmdlet_" + cmdlet, tags);
                Assert.Contains("PSCommand_" + cmdlet, tags);
            }

            Assert.Equal(File.ReadAllText(RepoPaths.Manifest), ReadEntry("WorkflowTools.psd1"));
        }

        [Fact]
        public void The_opc_parts_point_at_the_nuspec_and_describe_every_extension()
        {
            var rels = XDocument.Parse(ReadEntry("_rels/.rels"));
            Assert.Contains(rels.Descendants().Where(e => e.Name.LocalName == "Relationship"), r => (string?)r.Attribute("Target") == "/WorkflowTools.nuspec");
            var types = XDocument.Parse(ReadEntry("[Content_Types].xml"));
            var extensions = types.Descendants().Where(e => e.Name.LocalName == "Default").Select(e => (string)e.Attribute("Extension")!).ToList();
            foreach (var entry in _p.Entries.Where(e => !e.StartsWith("[")))
            {
                var ext = Path.GetExtension(entry).TrimStart('.');
                Assert.True(ext.Length == 0 || extensions.Contains(ext), $"{entry}: extension '{ext}' has no content type");
            }
        }

        [Fact]
        public void Installed_from_the_package_the_module_imports_and_has_its_help()
        {
            // What Install-Module / Install-PSResource do: unpack the module's files into <modules>/WorkflowTools/<version>/.
            var target = Path.Combine(_scratch, "Modules", "WorkflowTools", RepoPaths.ModuleVersion);
            using (var zip = ZipFile.OpenRead(_p.Path_))
            {
                foreach (var entry in zip.Entries.Where(e => !OpcParts.Contains(e.FullName) && !e.FullName.StartsWith("package/") && !e.FullName.EndsWith(".nuspec")))
                {
                    var file = Path.Combine(target, entry.FullName);
                    Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                    entry.ExtractToFile(file);
                }
            }

            using var session = new PsSession(importModule: false);
            var modules = Path.Combine(_scratch, "Modules");
            var result = session.Run($"$env:PSModulePath = '{modules}' + [IO.Path]::PathSeparator + $env:PSModulePath; Import-Module WorkflowTools -ErrorAction Stop; (Get-Module WorkflowTools).ModuleBase; (Get-Command -Module WorkflowTools).Count; (Get-Help about_WorkflowTools | Out-String) -match 'NEXTMATTER_API_KEY'; (Get-Help Connect-NmService).Synopsis").ThrowIfFailed();
            var lines = result.Output.Select(o => o.ToString()).ToList();
            Assert.Equal(Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(lines[0]).TrimEnd(Path.DirectorySeparatorChar));
            Assert.Equal(ManifestCmdletCount(), int.Parse(lines[1]));
            Assert.Equal("True", lines[2]);
            Assert.False(string.IsNullOrWhiteSpace(lines[3]));
            Assert.DoesNotContain("Connect-NmService [", lines[3]); // a real synopsis, not the one Get-Help makes up
        }

        [Fact]
        public void Packing_is_deterministic()
        {
            var again = Package.PackInto(_scratch);
            Assert.Equal(File.ReadAllBytes(_p.Path_), File.ReadAllBytes(again));
        }

        private string ReadEntry(string name)
        {
            using var zip = ZipFile.OpenRead(_p.Path_);
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }

        private static int ManifestCmdletCount()
        {
            using var session = new PsSession(importModule: false);
            return int.Parse(session.Run($"(Import-PowerShellDataFile -LiteralPath '{RepoPaths.Manifest}').CmdletsToExport.Count").Single().ToString());
        }
    }
}
