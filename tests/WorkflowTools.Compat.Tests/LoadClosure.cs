using System.Reflection;
using WorkflowTools.Loader;

namespace WorkflowTools.Compat.Tests
{
    /// <summary>Where one reference is found when the module runs in Windows PowerShell 5.1.</summary>
    public enum ResolvedBy
    {
        /// <summary>Windows PowerShell's own System.Management.Automation.</summary>
        Host,
        /// <summary>The .NET Framework's binding (its assemblies and facades, version unification).</summary>
        Framework,
        /// <summary>The module's AssemblyResolve handler, from Dependencies/.</summary>
        Dependencies,
        /// <summary>Nothing: the load fails on 5.1.</summary>
        Nothing,
    }

    /// <summary>One reference of one shipped assembly and how 5.1 resolves it.</summary>
    public sealed record ReferenceCheck(string From, AssemblyName Requested, ResolvedBy How, string Detail)
    {
        public bool Resolves => How != ResolvedBy.Nothing;
    }

    /// <summary>
    /// The reference closure of the module as Windows PowerShell 5.1 loads it. PowerShell loads the nested
    /// module WorkflowTools.Loader.dll and the root module WorkflowTools.dll from the module folder; every
    /// reference is then bound in .NET Framework's order: the Framework's own assemblies first (a reference
    /// to a lower or equal version of a Framework assembly unifies to the Framework's; a higher one fails
    /// there), then the loader's AssemblyResolve handler, whose decision is replayed here by calling the
    /// handler's own <see cref="FrameworkResolver.Accepts"/>. What the handler serves is walked in turn.
    /// </summary>
    public sealed class LoadClosure
    {
        public static readonly string[] Roots = { "WorkflowTools.Loader.dll", "WorkflowTools.dll" };

        /// <summary>Assemblies that exist only on .NET (Core) 5 and later, whatever the version asked for.</summary>
        private static readonly HashSet<string> CoreOnlyNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "System.Private.CoreLib", "System.Runtime.Loader", "System.Runtime.Intrinsics", "System.Private.Uri", "System.Net.Quic",
        };

        private LoadClosure(FrameworkProfile framework, string moduleFolder, List<ReferenceCheck> checks, List<AssemblyFile> loaded, List<AssemblyFile> notReached)
        {
            Framework = framework;
            ModuleFolder = moduleFolder;
            Checks = checks;
            Loaded = loaded;
            NotReached = notReached;
        }

        public FrameworkProfile Framework { get; }

        public string ModuleFolder { get; }

        /// <summary>Every (referencing assembly, reference) pair of the closure.</summary>
        public IReadOnlyList<ReferenceCheck> Checks { get; }

        /// <summary>The module's own files that 5.1 loads: the roots and all the handler serves.</summary>
        public IReadOnlyList<AssemblyFile> Loaded { get; }

        /// <summary>Files in the module folder that nothing on the 5.1 path references.</summary>
        public IReadOnlyList<AssemblyFile> NotReached { get; }

        public IEnumerable<ReferenceCheck> Failures => Checks.Where(c => !c.Resolves);

        public static LoadClosure Walk(string moduleFolder, FrameworkProfile framework)
        {
            var dependencies = Path.Combine(moduleFolder, "Dependencies");
            var all = Directory.EnumerateFiles(moduleFolder, "*.dll").Concat(Directory.EnumerateFiles(dependencies, "*.dll"))
                .Select(AssemblyFile.Read)
                .ToDictionary(a => a.Path, StringComparer.Ordinal);

            var checks = new List<ReferenceCheck>();
            var loaded = new List<AssemblyFile>();
            var queue = new Queue<AssemblyFile>(Roots.Select(r => all[Path.Combine(moduleFolder, r)]));
            var seen = new HashSet<string>(queue.Select(a => a.Path), StringComparer.Ordinal);
            while (queue.Count > 0)
            {
                var assembly = queue.Dequeue();
                loaded.Add(assembly);
                foreach (var reference in assembly.References)
                {
                    var check = Decide(assembly.Name.Name!, reference, framework, dependencies, out var served);
                    checks.Add(check);
                    if (served != null && seen.Add(served))
                    {
                        queue.Enqueue(all[served]);
                    }
                }
            }

            var notReached = all.Values.Where(a => !seen.Contains(a.Path)).OrderBy(a => a.Name.Name, StringComparer.Ordinal).ToList();
            return new LoadClosure(framework, moduleFolder, checks, loaded, notReached);
        }

        private static ReferenceCheck Decide(string from, AssemblyName requested, FrameworkProfile framework, string dependencies, out string? served)
        {
            served = null;
            var name = requested.Name!;
            if (string.Equals(name, FrameworkProfile.WindowsPowerShellHost.Name, StringComparison.OrdinalIgnoreCase))
            {
                return BindsLikeFramework(requested, FrameworkProfile.WindowsPowerShellHost)
                    ? new ReferenceCheck(from, requested, ResolvedBy.Host, $"Windows PowerShell 5.1 (GAC) {FrameworkProfile.WindowsPowerShellHost.Version}")
                    : new ReferenceCheck(from, requested, ResolvedBy.Nothing, $"asks for more than Windows PowerShell 5.1's {FrameworkProfile.WindowsPowerShellHost.Version}");
            }

            string? frameworkNote = null;
            if (framework.Assemblies.TryGetValue(name, out var inFramework))
            {
                if (BindsLikeFramework(requested, inFramework.Name))
                {
                    return new ReferenceCheck(from, requested, ResolvedBy.Framework, $"{framework.Label} {inFramework.Name.Version}");
                }

                frameworkNote = $"{framework.Label} has only {inFramework.Name.Version}";
            }

            var candidate = FrameworkResolver.CandidatePath(dependencies, requested);
            if (File.Exists(candidate))
            {
                var offered = AssemblyFile.Read(candidate).Name;
                if (FrameworkResolver.Accepts(requested, offered))
                {
                    served = candidate;
                    return new ReferenceCheck(from, requested, ResolvedBy.Dependencies, Join(frameworkNote, $"handler serves Dependencies/{Path.GetFileName(candidate)} {offered.Version}"));
                }

                return new ReferenceCheck(from, requested, ResolvedBy.Nothing, Join(frameworkNote, $"handler refuses Dependencies/{Path.GetFileName(candidate)} {offered.Version} (token {Token(offered)}): below {requested.Version} or another key"));
            }

            if (IsCoreOnly(requested, inFramework))
            {
                return new ReferenceCheck(from, requested, ResolvedBy.Nothing, Join(frameworkNote, "an assembly of .NET (Core) only"));
            }

            return new ReferenceCheck(from, requested, ResolvedBy.Nothing, Join(frameworkNote, $"not in {framework.Label} and not in Dependencies/"));
        }

        /// <summary>
        /// .NET Framework's bind of a strong-named Framework assembly without binding redirects: the same key,
        /// and the installed version at least the one asked for (lower references unify up to it).
        /// </summary>
        private static bool BindsLikeFramework(AssemblyName requested, AssemblyName installed)
        {
            var token = requested.GetPublicKeyToken();
            if (token != null && token.Length > 0 && !token.SequenceEqual(installed.GetPublicKeyToken() ?? Array.Empty<byte>()))
            {
                return false;
            }

            return requested.Version == null || installed.Version >= requested.Version;
        }

        /// <summary>
        /// A reference that only .NET 5+ can satisfy: a Core-only assembly, or a Framework contract name
        /// (System.Runtime and its kind) at a .NET 5+ version. System.Runtime 4.x is the netstandard-era
        /// contract that the Framework's facade forwards, and resolves above.
        /// </summary>
        public static bool IsCoreOnly(AssemblyName requested, AssemblyFile? inFramework) =>
            CoreOnlyNames.Contains(requested.Name!)
            || (requested.Version != null && requested.Version.Major >= 5 && (inFramework != null || requested.Name!.StartsWith("System.", StringComparison.Ordinal)) && !IsOutOfBandPackage(requested));

        /// <summary>System.* names shipped as NuGet packages, whose assembly versions follow the package (System.Text.Json 8.0.0.0).</summary>
        private static bool IsOutOfBandPackage(AssemblyName name) =>
            name.Name is "System.Text.Json" or "System.Text.Encodings.Web" or "System.Threading.Channels" or "System.Collections.Immutable"
                or "System.Reflection.Metadata" or "System.Diagnostics.DiagnosticSource" or "System.IO.Pipelines" or "System.Formats.Asn1"
                or "System.Threading.RateLimiting";

        private static string Join(string? first, string second) => first == null ? second : first + "; " + second;

        private static string Token(AssemblyName name) =>
            name.GetPublicKeyToken() is { Length: > 0 } t ? Convert.ToHexString(t).ToLowerInvariant() : "none";
    }
}
