using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// On PowerShell 7 the module's core lives in its own load context, where PowerShell's type-name lookup
    /// does not look. So that <c>[WorkflowTools.NextMatter.NmInstance]</c>, <c>-is</c>, <c>-as</c> and
    /// <c>Should -BeOfType</c> work as users expect, the core's public types are registered under their full
    /// names as type accelerators when the module is imported, and removed again when it is removed. Only the
    /// types users meet are public: models, connections, the parameter enums and ApiException; the HTTP core,
    /// clients, queries and JSON plumbing are internal (a test keeps it so).
    /// </summary>
    public sealed class TypeNames : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static readonly List<string> Registered = new List<string>();
        private static int _imports;

        public void OnImport()
        {
            RegisterAccelerators();
            // After the accelerators: the adapter's type data names the core's types, which must be findable.
            UtcDatePropertyAdapter.Register();
        }

        private static void RegisterAccelerators()
        {
            var accelerators = AcceleratorsType();
            if (accelerators == null)
            {
                return;
            }

            var add = accelerators.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
            var get = accelerators.GetProperty("Get", BindingFlags.Public | BindingFlags.Static);
            if (add == null || get == null)
            {
                return;
            }

            lock (Gate)
            {
                _imports++;
                // Reading the table fills PowerShell's cache of it on first use, which throws when another
                // import adds a name meanwhile: read it under the same gate as the writes, and try again.
                var existing = ReadTable(get);
                if (existing == null)
                {
                    return;
                }

                foreach (var type in typeof(WorkflowTools.Http.ApiException).Assembly.GetExportedTypes().Where(t => !t.IsNested && t.FullName != null))
                {
                    // PowerShell's accelerator table is a plain dictionary that other runspaces read while this
                    // one writes (parallel imports in one process): a failed write is tried again, and a name
                    // that still fails is left out rather than failing the import, as the names are a convenience.
                    for (var attempt = 1; attempt <= 3 && !Registered.Contains(type.FullName!); attempt++)
                    {
                        try
                        {
                            if (!existing.ContainsKey(type.FullName!))
                            {
                                add.Invoke(null, new object[] { type.FullName!, type });
                                Registered.Add(type.FullName!);
                            }

                            break;
                        }
                        catch (Exception ex) when (ex is TargetInvocationException || ex is InvalidOperationException)
                        {
                        }
                    }
                }
            }
        }

        private static IDictionary<string, Type>? ReadTable(PropertyInfo get)
        {
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                try
                {
                    return get.GetValue(null) as IDictionary<string, Type>;
                }
                catch (TargetInvocationException)
                {
                }
            }

            return null;
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            var remove = AcceleratorsType()?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
            if (remove == null)
            {
                return;
            }

            lock (Gate)
            {
                // The accelerators are process-wide: they go with the last runspace that removes the module.
                if (_imports > 0)
                {
                    _imports--;
                }

                if (_imports > 0)
                {
                    return;
                }

                foreach (var name in Registered)
                {
                    try
                    {
                        remove.Invoke(null, new object[] { name });
                    }
                    catch (TargetInvocationException)
                    {
                    }
                }

                Registered.Clear();
            }
        }

        private static Type? AcceleratorsType() => typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
    }
}
