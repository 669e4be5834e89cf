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
    /// there are no load contexts, <see cref="FrameworkResolver"/> serves them from that folder.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static bool _installed;

        public void OnImport()
        {
            lock (Gate)
            {
                if (_installed)
                {
                    return;
                }

                var moduleBase = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
                var dependencies = Path.Combine(moduleBase, "Dependencies");
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase))
                {
                    FrameworkResolver.Install(dependencies);
                }
                else
                {
                    var loadContext = Assembly.LoadFrom(Path.Combine(dependencies, "WorkflowTools.LoadContext.dll"));
                    loadContext.GetType("WorkflowTools.LoadContext.IsolatedDependencies", throwOnError: true)!
                        .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!
                        .Invoke(null, new object[] { dependencies });
                }

                _installed = true;
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            // Assemblies cannot be unloaded from the default context; the handlers stay so that a
            // re-import finds the same assemblies again.
        }
    }
}
