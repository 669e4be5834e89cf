using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using Xunit.Abstractions;

namespace WorkflowTools.Compat.Tests
{
    /// <summary>
    /// The members the module's netstandard2.0 assemblies call on the platform, checked against .NET
    /// Framework 4.8's own surface: each exists there, none of those known to throw
    /// PlatformNotSupportedException (or to be missing) on .NET Framework is called directly, and the
    /// .NET 5+ members the core reaches by reflection are absent on 4.8, so its runtime probe keeps 5.1 on
    /// the async, HTTP/1.1 path.
    /// </summary>
    public class FrameworkApiTests
    {
        /// <summary>
        /// netstandard2.0 members that .NET Framework does not implement in every version 5.1 can run on:
        /// missing, or PlatformNotSupportedException through the System.Net.Http package shim, on 4.6.1–4.7
        /// (after dotnet/platform-compat's net461 list); and the .NET 5+ members the core looks up by reflection.
        /// </summary>
        internal static readonly (string Type, string Member, string Why)[] KnownFrameworkGaps =
        {
            ("System.Net.Http.HttpClientHandler", "CheckCertificateRevocationList", "PNSE on .NET Framework 4.6.1–4.7 (System.Net.Http shim)"),
            ("System.Net.Http.HttpClientHandler", "ClientCertificates", "PNSE on .NET Framework 4.6.1–4.7 (System.Net.Http shim)"),
            ("System.Net.Http.HttpClientHandler", "DefaultProxyCredentials", "PNSE on .NET Framework 4.6.1–4.7 (System.Net.Http shim)"),
            ("System.Net.Http.HttpClientHandler", "MaxConnectionsPerServer", "PNSE on .NET Framework 4.6.1–4.7 (System.Net.Http shim)"),
            ("System.Net.Http.HttpClientHandler", "MaxResponseHeadersLength", "PNSE on .NET Framework 4.6.1–4.7 (System.Net.Http shim)"),
            ("System.Net.Http.HttpClientHandler", "Properties", "PNSE on .NET Framework 4.6.1–4.7 (System.Net.Http shim)"),
            ("System.Net.Http.HttpClientHandler", "ServerCertificateCustomValidationCallback", "PNSE on .NET Framework 4.6.1–4.7 (System.Net.Http shim)"),
            ("System.Net.Http.HttpClientHandler", "SslProtocols", "PNSE on .NET Framework 4.6.1–4.7 (System.Net.Http shim)"),
            ("System.AppContext", "GetData", "missing on .NET Framework 4.6.1"),
            ("System.Linq.Enumerable", "Append", "missing on .NET Framework 4.6.1"),
            ("System.Linq.Enumerable", "Prepend", "missing on .NET Framework 4.6.1"),
            ("System.Security.Cryptography.ECDsa", "Create", "ECCurve/ECParameters overloads missing on .NET Framework 4.6.1"),
            ("System.Security.Cryptography.IncrementalHash", "*", "missing on .NET Framework 4.6.1"),
            ("System.Text.RegularExpressions.Regex", "CapNames", "missing on .NET Framework 4.6.1"),
            ("System.Text.RegularExpressions.Regex", "Caps", "missing on .NET Framework 4.6.1"),
            ("System.Threading.ThreadPoolBoundHandle", "*", "missing on .NET Framework 4.6.1"),
            ("System.Net.Http.HttpClient", "Send", ".NET 5+ only"),
            ("System.Net.Http.HttpRequestMessage", "VersionPolicy", ".NET 5+ only; reached by reflection (HttpVersionChoice)"),
            ("System.Net.Http.HttpContent", "ReadAsStream", ".NET 5+ only"),
        };

        /// <summary>Our own assemblies: a direct call of a known gap in them fails the test.</summary>
        private static readonly string[] Ours = { "WorkflowTools.Loader", "WorkflowTools", "WorkflowTools.Core" };

        private readonly ITestOutputHelper _output;

        public FrameworkApiTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Every_platform_member_the_netstandard_assemblies_call_exists_on_framework_4_8()
        {
            var framework = FrameworkProfile.Get("4.8");
            var closure = LoadClosure.Walk(RepoPaths.ModuleFolder, framework);
            using var surface = Surface(framework, closure);
            var missing = new List<string>();
            var counted = 0;
            foreach (var assembly in closure.Loaded.Where(IsNetStandard))
            {
                foreach (var call in PlatformCalls(assembly, framework))
                {
                    counted++;
                    if (!Exists(surface, call))
                    {
                        missing.Add($"{assembly.Name.Name}: {call}");
                    }
                }
            }

            _output.WriteLine($"{counted} platform member references checked against {framework.Label}; missing: {missing.Count}");
            Assert.True(counted > 500, $"only {counted} platform member references found: the scan is not reading the assemblies");
            Assert.True(missing.Count == 0, "Not on " + framework.Label + ":\n" + string.Join("\n", missing));
        }

        [Fact]
        public void No_member_known_to_be_missing_or_to_throw_on_framework_is_called_directly()
        {
            var framework = FrameworkProfile.Get("4.8");
            var closure = LoadClosure.Walk(RepoPaths.ModuleFolder, framework);
            var report = new StringBuilder();
            var ours = new List<string>();
            foreach (var assembly in closure.Loaded.Where(IsNetStandard))
            {
                var hits = PlatformCalls(assembly, framework)
                    .Select(call => (call, gap: KnownFrameworkGaps.FirstOrDefault(g => g.Type == call.Type && (g.Member == "*" || g.Member == call.Member || "get_" + g.Member == call.Member || "set_" + g.Member == call.Member))))
                    .Where(h => h.gap.Type != null)
                    .Select(h => $"{assembly.Name.Name}: {h.call} — {h.gap.Why}")
                    .Distinct()
                    .ToList();
                report.AppendLine($"{assembly.Name.Name}: {(hits.Count == 0 ? "none" : string.Join("; ", hits))}");
                if (Ours.Contains(assembly.Name.Name))
                {
                    ours.AddRange(hits);
                }
            }

            _output.WriteLine("Direct calls of members known to be missing or to throw on .NET Framework:\n" + report);
            Assert.True(ours.Count == 0, "Our assemblies call, outside the runtime probe:\n" + string.Join("\n", ours));
        }

        [Fact]
        public void The_runtime_probe_finds_the_dotnet_5_members_here_and_not_on_framework_4_8()
        {
            // The lookup of HttpVersionChoice (WorkflowTools.Core/Http/Send/HttpVersionChoice.cs), made against this
            // test's runtime (.NET 10) and against .NET Framework 4.8's own System.Net.Http.
            var framework = FrameworkProfile.Get("4.8");
            using var surface = new MetadataLoadContext(new PathAssemblyResolver(FrameworkFiles(framework)), "mscorlib");
            Assert.NotNull(typeof(System.Net.Http.HttpRequestMessage).GetProperty("VersionPolicy"));

            var http = surface.LoadFromAssemblyName("System.Net.Http");
            var message = http.GetType("System.Net.Http.HttpRequestMessage", throwOnError: true)!;
            Assert.Null(message.GetProperty("VersionPolicy"));

            // The names the probe looks up are the ones in the shipped core (its user-string heap).
            var core = Path.Combine(RepoPaths.ModuleFolder, "Dependencies", "WorkflowTools.Core.dll");
            var strings = UserStrings(core);
            Assert.Contains("VersionPolicy", strings);
            Assert.Contains("RequestVersionOrLower", strings);
        }

        [Fact]
        public void The_member_check_flags_members_that_framework_4_8_lacks()
        {
            // This test assembly is built for .NET 10: its call of Convert.ToHexString (.NET 5+) must be flagged,
            // its calls of string.Join(string, …) must not.
            var framework = FrameworkProfile.Get("4.8");
            var self = AssemblyFile.Read(typeof(FrameworkApiTests).Assembly.Location);
            using var surface = new MetadataLoadContext(new PathAssemblyResolver(FrameworkFiles(framework)), "mscorlib");
            var calls = PlatformCalls(self, framework).ToList();

            var toHex = Assert.Single(calls, c => c.Type == "System.Convert" && c.Member == "ToHexString");
            Assert.False(Exists(surface, toHex));
            var joins = calls.Where(c => c.Type == "System.String" && c.Member == "Join" && c.Parameters == 2).ToList();
            Assert.NotEmpty(joins);
            Assert.All(joins, join => Assert.True(Exists(surface, join)));
        }

        /// <summary>netstandard2.0 builds; the older System.* packages' builds carry no TargetFrameworkAttribute.</summary>
        private static bool IsNetStandard(AssemblyFile a) =>
            a.TargetFramework == null || a.TargetFramework.StartsWith(".NETStandard", StringComparison.Ordinal);

        /// <summary>A platform member one assembly references: the type's full name, the member, its parameter count.</summary>
        internal sealed record PlatformCall(string Assembly, string Type, string Member, int? Parameters, bool IsField)
        {
            public override string ToString() => $"{Type}.{Member}" + (IsField ? string.Empty : $"({Parameters} parameters)") + $" [{Assembly}]";
        }

        /// <summary>Member references whose declaring type comes from an assembly the Framework provides.</summary>
        internal static IEnumerable<PlatformCall> PlatformCalls(AssemblyFile assembly, FrameworkProfile framework)
        {
            using var stream = File.OpenRead(assembly.Path);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            var result = new List<PlatformCall>();
            foreach (var handle in reader.MemberReferences)
            {
                var member = reader.GetMemberReference(handle);
                var type = DeclaringTypeRef(reader, member.Parent);
                if (type == null || ResolutionScope(reader, type.Value) is not { Kind: HandleKind.AssemblyReference } scopeHandle)
                {
                    continue;
                }

                var scope = (AssemblyReferenceHandle)scopeHandle;
                var scopeName = reader.GetString(reader.GetAssemblyReference(scope).Name);
                if (!framework.Assemblies.ContainsKey(scopeName))
                {
                    continue;
                }

                var blob = reader.GetBlobReader(member.Signature);
                var header = blob.ReadSignatureHeader();
                int? parameters = null;
                var isField = header.Kind == SignatureKind.Field;
                if (!isField)
                {
                    if (header.IsGeneric)
                    {
                        blob.ReadCompressedInteger();
                    }

                    parameters = blob.ReadCompressedInteger();
                }

                result.Add(new PlatformCall(scopeName, FullName(reader, type.Value), reader.GetString(member.Name), parameters, isField));
            }

            return result;
        }

        private static bool Exists(MetadataLoadContext surface, PlatformCall call)
        {
            Type? type;
            try
            {
                type = surface.LoadFromAssemblyName(call.Assembly).GetType(call.Type, throwOnError: false);
            }
            catch (FileNotFoundException)
            {
                return false;
            }

            if (type == null)
            {
                return false;
            }

            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            for (var t = type; t != null; t = t.BaseType)
            {
                if (call.IsField)
                {
                    if (t.GetField(call.Member, all) != null)
                    {
                        return true;
                    }

                    continue;
                }

                IEnumerable<MethodBase> candidates = call.Member == ".ctor" || call.Member == ".cctor"
                    ? t.GetConstructors(all)
                    : t.GetMethods(all).Where(m => m.Name == call.Member);
                if (candidates.Any(m => m.GetParameters().Length == call.Parameters))
                {
                    return true;
                }

                if (call.Member == ".ctor")
                {
                    break;
                }
            }

            // Interface members (an interface's base types are its interfaces, not BaseType).
            return !call.IsField && type.IsInterface && type.GetInterfaces().Any(i => i.GetMethods().Any(m => m.Name == call.Member && m.GetParameters().Length == call.Parameters));
        }

        private static MetadataLoadContext Surface(FrameworkProfile framework, LoadClosure closure) =>
            new MetadataLoadContext(new PathAssemblyResolver(FrameworkFiles(framework).Concat(closure.Loaded.Select(a => a.Path))), "mscorlib");

        private static IEnumerable<string> FrameworkFiles(FrameworkProfile framework) => framework.Files;

        private static TypeReferenceHandle? DeclaringTypeRef(MetadataReader reader, EntityHandle parent)
        {
            switch (parent.Kind)
            {
                case HandleKind.TypeReference:
                    return (TypeReferenceHandle)parent;
                case HandleKind.TypeSpecification:
                    // A generic instantiation: GENERICINST (CLASS|VALUETYPE) TypeDefOrRef …
                    var blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                    if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
                    {
                        return null;
                    }

                    blob.ReadSignatureTypeCode();
                    var definition = blob.ReadTypeHandle();
                    return definition.Kind == HandleKind.TypeReference ? (TypeReferenceHandle)definition : null;
                default:
                    return null;
            }
        }

        private static EntityHandle ResolutionScope(MetadataReader reader, TypeReferenceHandle type)
        {
            var scope = reader.GetTypeReference(type).ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference)
            {
                scope = reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            }

            return scope;
        }

        private static string FullName(MetadataReader reader, TypeReferenceHandle handle)
        {
            var type = reader.GetTypeReference(handle);
            var name = reader.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return FullName(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
            }

            var ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        private static HashSet<string> UserStrings(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            var result = new HashSet<string>(StringComparer.Ordinal);
            var handle = MetadataTokens.UserStringHandle(1);
            while (!handle.IsNil)
            {
                result.Add(reader.GetUserString(handle));
                handle = reader.GetNextHandle(handle);
            }

            return result;
        }
    }
}
