using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace WorkflowTools.Net48Harness
{
    /// <summary>
    /// Installs the shipped loader's 5.1 handler (WorkflowTools.Loader.FrameworkResolver, loaded from the module
    /// folder by path) before anything touches WorkflowTools.Core, then runs the seed jobs (<see cref="Jobs"/>).
    /// Prints one line per job ("ok …" or "FAIL …"), where every module assembly was loaded from, and a closing
    /// "harness: N passed, N failed" line; exits 0 only when every job passed.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length != 5)
            {
                Console.Error.WriteLine("usage: Net48Harness.exe <module folder> <Next Matter API URL> <Next Matter key> <ProcessMaker API URL> <ProcessMaker token>");
                return 2;
            }

            var module = Path.GetFullPath(args[0]);
            var dependencies = Path.Combine(module, "Dependencies");
            var here = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
            var strays = Directory.EnumerateFiles(dependencies, "*.dll").Select(Path.GetFileName).Where(f => File.Exists(Path.Combine(here, f))).ToList();
            if (strays.Count > 0)
            {
                Console.WriteLine("FAIL setup: beside the harness, so not loaded through the handler: " + string.Join(", ", strays));
                return 2;
            }

            Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription}; CLR {Environment.Version}; {RuntimeInformation.OSDescription.Trim()}");
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
            {
                var name = e.LoadedAssembly.GetName();
                var location = e.LoadedAssembly.IsDynamic ? "(dynamic)" : e.LoadedAssembly.Location;
                if (location.StartsWith(module, StringComparison.Ordinal))
                {
                    location = "<module>" + location.Substring(module.Length);
                }

                Console.WriteLine($"loaded: {name.Name} {name.Version} from {location}");
            };
            // Registered first, so it sees every request the runtime could not bind itself and passes it on.
            AppDomain.CurrentDomain.AssemblyResolve += (_, e) =>
            {
                Console.WriteLine("asked the handler: " + e.Name);
                return null;
            };

            var loader = Assembly.LoadFrom(Path.Combine(module, "WorkflowTools.Loader.dll"));
            loader.GetType("WorkflowTools.Loader.FrameworkResolver", throwOnError: true)!
                .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!
                .Invoke(null, new object[] { dependencies });

            var (passed, failed) = Jobs.RunAll(new Uri(args[1]), args[2], new Uri(args[3]), args[4]);
            Console.WriteLine($"harness: {passed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        }
    }
}
