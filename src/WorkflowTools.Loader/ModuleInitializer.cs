using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace WorkflowTools.Loader
{
    /// <summary>
    /// Makes the assemblies in the module's <c>Dependencies</c> folder loadable without clashing with
    /// other modules. On PowerShell 7 they go into an isolated AssemblyLoadContext (built by
    /// WorkflowTools.LoadContext.dll, which needs .NET Core APIs); on Windows PowerShell 5.1, where
    /// there are no load contexts, an AssemblyResolve handler serves them by name from that folder.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static bool _installed;
        private static string? _dependencies;

        public void OnImport()
        {
            lock (Gate)
            {
                if (_installed)
                {
                    return;
                }

                var moduleBase = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
                _dependencies = Path.Combine(moduleBase, "Dependencies");
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase))
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;
                }
                else
                {
                    var loadContext = Assembly.LoadFrom(Path.Combine(_dependencies, "WorkflowTools.LoadContext.dll"));
                    loadContext.GetType("WorkflowTools.LoadContext.IsolatedDependencies", throwOnError: true)!
                        .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!
                        .Invoke(null, new object[] { _dependencies });
                }

                _installed = true;
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            // Assemblies cannot be unloaded from the default context; the handlers stay so that a
            // re-import finds the same assemblies again.
        }

        private static Assembly? ResolveFromDependencies(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            var path = Path.Combine(_dependencies!, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
