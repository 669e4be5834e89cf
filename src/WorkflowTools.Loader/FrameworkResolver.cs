using System;
using System.IO;
using System.Reflection;

namespace WorkflowTools.Loader
{
    /// <summary>
    /// The Windows PowerShell 5.1 (.NET Framework) side of the loader: an AssemblyResolve handler that serves
    /// the module's <c>Dependencies</c> folder. .NET Framework calls it only after its own binding failed,
    /// which for a module happens for everything not in the Framework (System.Memory, Polly.Core, …) and for
    /// every reference to a higher version than the Framework or a probe found (a module has no binding
    /// redirects). The decision is <see cref="Accepts"/>: the tests replay it for every reference of the
    /// shipped assemblies, and the Mono harness runs this very handler.
    /// Uses nothing of PowerShell, so a plain .NET Framework process can install it.
    /// </summary>
    public static class FrameworkResolver
    {
        private static readonly object Gate = new object();
        private static string? _folder;

        /// <summary>Serves <paramref name="dependenciesFolder"/> to AssemblyResolve; a second call changes nothing.</summary>
        public static void Install(string dependenciesFolder)
        {
            if (dependenciesFolder == null)
            {
                throw new ArgumentNullException(nameof(dependenciesFolder));
            }

            lock (Gate)
            {
                if (_folder != null)
                {
                    return;
                }

                _folder = dependenciesFolder;
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
            }
        }

        /// <summary>The file that would answer a request for <paramref name="requested"/>: Dependencies/&lt;name&gt;.dll.</summary>
        public static string CandidatePath(string dependenciesFolder, AssemblyName requested) =>
            Path.Combine(dependenciesFolder, requested.Name + ".dll");

        /// <summary>
        /// Whether the assembly <paramref name="offered"/> (the one in Dependencies, or null when there is no
        /// such file) may answer a request for <paramref name="requested"/>: same simple name, same public key
        /// token when the request has one, and a version at least the one requested. A lower version is
        /// refused, so the failure is .NET Framework's own "Could not load file or assembly X, Version=…"
        /// naming what is missing, not a MissingMethodException later in some unrelated call.
        /// </summary>
        public static bool Accepts(AssemblyName requested, AssemblyName? offered)
        {
            if (requested == null)
            {
                throw new ArgumentNullException(nameof(requested));
            }

            if (offered == null || !string.Equals(requested.Name, offered.Name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var wantedToken = requested.GetPublicKeyToken();
            if (wantedToken != null && wantedToken.Length > 0 && !SameBytes(wantedToken, offered.GetPublicKeyToken()))
            {
                return false;
            }

            return requested.Version == null || (offered.Version != null && offered.Version >= requested.Version);
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var folder = _folder;
            if (folder == null)
            {
                return null;
            }

            AssemblyName requested;
            try
            {
                requested = new AssemblyName(args.Name);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FileLoadException)
            {
                return null;
            }

            var path = CandidatePath(folder, requested);
            if (!File.Exists(path))
            {
                return null;
            }

            return Accepts(requested, AssemblyName.GetAssemblyName(path)) ? Assembly.LoadFrom(path) : null;
        }

        private static bool SameBytes(byte[] a, byte[]? b)
        {
            if (b == null || a.Length != b.Length)
            {
                return false;
            }

            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
