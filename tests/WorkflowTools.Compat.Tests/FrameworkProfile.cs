using System.Reflection;

namespace WorkflowTools.Compat.Tests
{
    /// <summary>
    /// What a Windows PowerShell 5.1 process offers without the module: the assemblies of one .NET Framework
    /// version (read from Microsoft.NETFramework.ReferenceAssemblies.netNNN, the Framework's own assemblies
    /// and its netstandard facades) and the one assembly of PowerShell itself the module references.
    /// </summary>
    public sealed class FrameworkProfile
    {
        /// <summary>System.Management.Automation of Windows PowerShell 5.1 (GAC), the version PowerShellStandard.Library 5.1 compiles against.</summary>
        public static readonly AssemblyName WindowsPowerShellHost = new AssemblyName("System.Management.Automation, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35");

        private FrameworkProfile(string label, string folder, Dictionary<string, AssemblyFile> assemblies)
        {
            Label = label;
            Folder = folder;
            Assemblies = assemblies;
        }

        /// <summary>".NET Framework 4.8".</summary>
        public string Label { get; }

        /// <summary>The reference assembly folder (…/build/.NETFramework/v4.8).</summary>
        public string Folder { get; }

        /// <summary>By simple name, case-insensitive.</summary>
        public IReadOnlyDictionary<string, AssemblyFile> Assemblies { get; }

        public IEnumerable<string> Files => Assemblies.Values.Select(a => a.Path);

        private static readonly Dictionary<string, FrameworkProfile> Loaded = new Dictionary<string, FrameworkProfile>();

        /// <summary>"4.8" or "4.7.2".</summary>
        public static FrameworkProfile Get(string version)
        {
            lock (Loaded)
            {
                if (!Loaded.TryGetValue(version, out var profile))
                {
                    profile = Load(version);
                    Loaded[version] = profile;
                }

                return profile;
            }
        }

        private static FrameworkProfile Load(string version)
        {
            var moniker = "net" + version.Replace(".", string.Empty);
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var folder = Path.Combine(packages, "microsoft.netframework.referenceassemblies." + moniker, "1.0.3", "build", ".NETFramework", "v" + version);
            if (!Directory.Exists(folder))
            {
                throw new InvalidOperationException($"{folder} is missing: the test project's PackageDownload of Microsoft.NETFramework.ReferenceAssemblies.{moniker} did not restore.");
            }

            var assemblies = new Dictionary<string, AssemblyFile>(StringComparer.OrdinalIgnoreCase);
            foreach (var path in Directory.EnumerateFiles(folder, "*.dll").Concat(Directory.EnumerateFiles(Path.Combine(folder, "Facades"), "*.dll")))
            {
                if (AssemblyFile.TryRead(path) is { } file)
                {
                    assemblies.TryAdd(file.Name.Name!, file);
                }
            }

            return new FrameworkProfile(".NET Framework " + version, folder, assemblies);
        }
    }
}
