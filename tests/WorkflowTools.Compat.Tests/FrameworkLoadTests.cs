using System.Reflection;
using System.Text;
using WorkflowTools.Loader;
using Xunit.Abstractions;

namespace WorkflowTools.Compat.Tests
{
    /// <summary>
    /// Static load check of the built module folder against .NET Framework 4.7.2 and 4.8 (Windows
    /// PowerShell 5.1): every reference of every assembly 5.1 loads resolves, by the Framework or by the
    /// loader's AssemblyResolve handler, at a version that satisfies it.
    /// </summary>
    public class FrameworkLoadTests
    {
        private readonly ITestOutputHelper _output;

        public FrameworkLoadTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Theory]
        [InlineData("4.7.2")]
        [InlineData("4.8")]
        public void Every_reference_of_the_module_resolves_on_the_framework(string version)
        {
            var closure = LoadClosure.Walk(RepoPaths.ModuleFolder, FrameworkProfile.Get(version));
            _output.WriteLine(Report(closure));

            Assert.True(!closure.Failures.Any(), "References that do not resolve on " + closure.Framework.Label + ":\n" + string.Join("\n", closure.Failures.Select(Line)));
            // The closure reaches everything the module ships for 5.1: Core, Polly, System.Text.Json and its shims.
            var loaded = closure.Loaded.Select(a => a.Name.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var expected in new[] { "WorkflowTools.Loader", "WorkflowTools", "WorkflowTools.Core", "Polly.Core", "System.Text.Json", "System.Memory", "Microsoft.Bcl.AsyncInterfaces", "System.Runtime.CompilerServices.Unsafe" })
            {
                Assert.Contains(expected, loaded);
            }

            // Nothing on the 5.1 path is built for .NET (Core).
            foreach (var assembly in closure.Loaded)
            {
                Assert.True(assembly.TargetFramework == null || !assembly.TargetFramework.StartsWith(".NETCoreApp", StringComparison.Ordinal), $"{assembly.Name.Name} targets {assembly.TargetFramework}");
            }

            // The only file 5.1 never loads is the PowerShell 7 load context, which is .NET-only by design and
            // which the loader opens by path only when the runtime is not .NET Framework.
            var notReached = Assert.Single(closure.NotReached);
            Assert.Equal("WorkflowTools.LoadContext", notReached.Name.Name);
            Assert.StartsWith(".NETCoreApp", notReached.TargetFramework);
        }

        [Fact]
        public void A_needed_dll_deleted_from_Dependencies_fails_the_check()
        {
            using var copy = new ModuleCopy();
            File.Delete(copy.Dependency("System.Memory.dll"));

            var closure = LoadClosure.Walk(copy.Folder, FrameworkProfile.Get("4.8"));
            _output.WriteLine(string.Join("\n", closure.Failures.Select(Line)));

            var failures = closure.Failures.ToList();
            Assert.NotEmpty(failures);
            Assert.All(failures, f => Assert.Equal("System.Memory", f.Requested.Name));
            Assert.Contains(failures, f => f.From == "System.Text.Json");
            Assert.All(failures, f => Assert.Contains("not in .NET Framework 4.8 and not in Dependencies/", f.Detail));
        }

        [Fact]
        public void A_dll_in_Dependencies_below_the_referenced_version_fails_the_check()
        {
            using var copy = new ModuleCopy();
            var path = copy.Dependency("Microsoft.Bcl.AsyncInterfaces.dll");
            var shipped = AssemblyFile.Read(path).Name.Version!;
            ModuleCopy.SetAssemblyVersion(path, new Version(1, 0, 0, 0));
            Assert.Equal(new Version(1, 0, 0, 0), AssemblyFile.Read(path).Name.Version);

            var closure = LoadClosure.Walk(copy.Folder, FrameworkProfile.Get("4.8"));
            _output.WriteLine(string.Join("\n", closure.Failures.Select(Line)));

            var failures = closure.Failures.ToList();
            Assert.NotEmpty(failures);
            Assert.All(failures, f => Assert.Equal("Microsoft.Bcl.AsyncInterfaces", f.Requested.Name));
            Assert.All(failures, f => Assert.Contains("handler refuses Dependencies/Microsoft.Bcl.AsyncInterfaces.dll 1.0.0.0", f.Detail));
            Assert.Contains(failures, f => f.From == "WorkflowTools.Core" && f.Requested.Version == shipped);
        }

        [Fact]
        public void The_handler_accepts_an_equal_or_higher_version_with_the_same_key_and_nothing_else()
        {
            var requested = new AssemblyName("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51");
            Assert.True(FrameworkResolver.Accepts(requested, new AssemblyName("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")));
            Assert.True(FrameworkResolver.Accepts(requested, new AssemblyName("System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")));
            Assert.False(FrameworkResolver.Accepts(requested, new AssemblyName("System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")));
            Assert.False(FrameworkResolver.Accepts(requested, new AssemblyName("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=0123456789abcdef")));
            Assert.False(FrameworkResolver.Accepts(requested, new AssemblyName("System.Memory, Version=4.0.1.2, Culture=neutral")));
            Assert.False(FrameworkResolver.Accepts(requested, new AssemblyName("System.Buffers, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")));
            Assert.False(FrameworkResolver.Accepts(requested, null));
            // Our own assemblies are not strong-named: the name and the version decide.
            Assert.True(FrameworkResolver.Accepts(new AssemblyName("WorkflowTools.Core, Version=1.0.0.0"), new AssemblyName("WorkflowTools.Core, Version=1.0.0.0")));
        }

        internal static string Line(ReferenceCheck c) => $"{c.From} -> {AssemblyFile.Show(c.Requested)}: {c.How} ({c.Detail})";

        /// <summary>The closure as a table: each distinct reference, who asks for it, and how 5.1 resolves it.</summary>
        private static string Report(LoadClosure closure)
        {
            var text = new StringBuilder();
            text.AppendLine($"Reference closure of {closure.ModuleFolder} on {closure.Framework.Label}:");
            text.AppendLine("| reference | version | referenced by | resolves on 5.1 |");
            text.AppendLine("|---|---|---|---|");
            foreach (var group in closure.Checks
                .GroupBy(c => (c.Requested.Name, c.Requested.Version))
                .OrderBy(g => g.First().How)
                .ThenBy(g => g.Key.Name, StringComparer.Ordinal)
                .ThenBy(g => g.Key.Version))
            {
                var first = group.First();
                text.AppendLine($"| {group.Key.Name} | {group.Key.Version} | {string.Join(", ", group.Select(c => c.From).Distinct())} | {first.How}: {first.Detail} |");
            }

            text.AppendLine("Not loaded on 5.1: " + string.Join(", ", closure.NotReached.Select(a => $"{a.Name.Name} ({a.TargetFramework})")));
            return text.ToString();
        }
    }
}
