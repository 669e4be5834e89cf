using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace WorkflowTools.Compat.Tests
{
    /// <summary>A throw-away copy of the built module folder, for tests that break one file of it.</summary>
    public sealed class ModuleCopy : IDisposable
    {
        public ModuleCopy()
        {
            Folder = Path.Combine(Path.GetTempPath(), "wt-compat-" + Guid.NewGuid().ToString("N"), "WorkflowTools");
            Copy(RepoPaths.ModuleFolder, Folder);
        }

        public string Folder { get; }

        public string Dependency(string fileName) => Path.Combine(Folder, "Dependencies", fileName);

        /// <summary>
        /// Rewrites the version in the assembly's own Assembly table row, leaving every other byte as built:
        /// the file then claims to be <paramref name="version"/> (its strong-name signature no longer matches,
        /// which neither the check nor .NET Framework's full-trust loading looks at).
        /// </summary>
        public static void SetAssemblyVersion(string path, Version version)
        {
            var bytes = File.ReadAllBytes(path);
            int offset;
            using (var pe = new PEReader(new MemoryStream(bytes)))
            {
                var reader = pe.GetMetadataReader();
                // The row starts with HashAlgId (4 bytes), then Major, Minor, Build, Revision (2 bytes each).
                offset = pe.PEHeaders.MetadataStartOffset + reader.GetTableMetadataOffset(TableIndex.Assembly) + 4;
            }

            foreach (var part in new[] { version.Major, version.Minor, Math.Max(version.Build, 0), Math.Max(version.Revision, 0) })
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(offset, 2), checked((ushort)part));
                offset += 2;
            }

            File.WriteAllBytes(path, bytes);
        }

        public void Dispose()
        {
            var root = Path.GetDirectoryName(Folder)!;
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        private static void Copy(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }

            foreach (var dir in Directory.EnumerateDirectories(from))
            {
                Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
            }
        }
    }
}
