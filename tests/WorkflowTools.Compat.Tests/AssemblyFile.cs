using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace WorkflowTools.Compat.Tests
{
    /// <summary>One assembly file read with System.Reflection.Metadata: its name, target framework and references.</summary>
    public sealed class AssemblyFile
    {
        private AssemblyFile(string path, AssemblyName name, string? targetFramework, IReadOnlyList<AssemblyName> references)
        {
            Path = path;
            Name = name;
            TargetFramework = targetFramework;
            References = references;
        }

        public string Path { get; }

        public AssemblyName Name { get; }

        /// <summary>The TargetFrameworkAttribute's value (".NETStandard,Version=v2.0"), or null.</summary>
        public string? TargetFramework { get; }

        public IReadOnlyList<AssemblyName> References { get; }

        public static AssemblyFile Read(string path) =>
            TryRead(path) ?? throw new InvalidOperationException(path + " is not a .NET assembly.");

        /// <summary>Null for a file that is not an assembly (a native DLL, a bare module).</summary>
        public static AssemblyFile? TryRead(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return null;
            }

            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly)
            {
                return null;
            }

            var name = reader.GetAssemblyDefinition().GetAssemblyName();
            var references = reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName()).ToList();
            return new AssemblyFile(path, name, ReadTargetFramework(reader), references);
        }

        /// <summary>The simple name and version an AssemblyName prints as in the report.</summary>
        public static string Show(AssemblyName name) => $"{name.Name} {name.Version}";

        private static string? ReadTargetFramework(MetadataReader reader)
        {
            foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(handle);
                if (attribute.Constructor.Kind != HandleKind.MemberReference)
                {
                    continue;
                }

                var ctor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                if (ctor.Parent.Kind != HandleKind.TypeReference || reader.GetString(reader.GetTypeReference((TypeReferenceHandle)ctor.Parent).Name) != "TargetFrameworkAttribute")
                {
                    continue;
                }

                var blob = reader.GetBlobReader(attribute.Value);
                if (blob.ReadUInt16() == 1)
                {
                    return blob.ReadSerializedString();
                }
            }

            return null;
        }
    }
}
