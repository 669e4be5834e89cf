using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace WorkflowTools.LoadContext
{
    /// <summary>
    /// The module's dependencies (WorkflowTools.Core, Polly, …) live in their own load context, so a
    /// session where another module already loaded a different Polly (or any other shared library)
    /// still gets the versions WorkflowTools was built and tested with.
    /// </summary>
    public static class IsolatedDependencies
    {
        private static DependencyLoadContext? _context;

        public static void Install(string dependenciesFolder)
        {
            if (_context != null)
            {
                return;
            }

            _context = new DependencyLoadContext(dependenciesFolder);
            // WorkflowTools.dll (loaded by PowerShell into the default context) asks for
            // WorkflowTools.Core; the default context cannot find it, so this handler hands over the
            // isolated copy, and everything Core needs is then resolved inside the isolated context.
            AssemblyLoadContext.Default.Resolving += (_, name) => _context.TryLoad(name);
        }
    }

    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly string _folder;
        private readonly Lazy<Dictionary<string, string>> _platform = new Lazy<Dictionary<string, string>>(ReadPlatformAssemblies);

        public DependencyLoadContext(string folder)
            : base("WorkflowTools dependencies")
        {
            _folder = folder;
        }

        public Assembly? TryLoad(AssemblyName name)
        {
            var path = Path.Combine(_folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyName(name) : null;
        }

        protected override Assembly? Load(AssemblyName name)
        {
            // .NET's own assemblies and the Bcl shims are shared with the host whenever the platform has
            // them: their types (IAsyncEnumerable<T>, JsonElement, Memory<T>) must be one and the same for
            // the cmdlets and the core. Everything else we ship (WorkflowTools.Core, Polly.Core, …) is
            // loaded here from our own folder, whatever version some other module put in the default context.
            if (name.Name != null && IsSharedContract(name.Name) && _platform.Value.ContainsKey(name.Name))
            {
                return null;
            }

            var path = Path.Combine(_folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        internal static bool IsSharedContract(string name) =>
            name.StartsWith("System.", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Microsoft.Bcl.AsyncInterfaces", StringComparison.OrdinalIgnoreCase);

        /// <summary>Names of the platform's assemblies (runtime and host).</summary>
        private static Dictionary<string, string> ReadPlatformAssemblies()
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                result.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }

            return result;
        }
    }
}
