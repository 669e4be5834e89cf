using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace WorkflowTools.Tests
{
    /// <summary>Contracts nothing else would notice breaking until a user did.</summary>
    public class GuardTests
    {
        /// <summary>
        /// The cmdlets are loaded by PowerShell itself; Polly and System.Text.Json are the core's, loaded in
        /// isolation (their own load context on PowerShell 7). A cmdlet that used one of their types directly
        /// would bind to whatever copy the session has, or to none.
        /// </summary>
        [Fact]
        public void The_cmdlet_assembly_references_no_isolated_dependency()
        {
            var path = Path.Combine(RepoPaths.ModuleFolder, "WorkflowTools.dll");
            using var pe = new PEReader(File.OpenRead(path));
            var metadata = pe.GetMetadataReader();
            var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).OrderBy(n => n).ToList();

            Assert.Contains("WorkflowTools.Core", references);
            Assert.Contains("System.Management.Automation", references);
            var isolated = new[] { "Polly", "System.Text.Json", "System.Text.Encodings.Web", "Microsoft.Bcl.TimeProvider" };
            Assert.DoesNotContain(references, r => isolated.Any(i => r.StartsWith(i, StringComparison.OrdinalIgnoreCase)));

            // Anything beyond PowerShell, the core and the framework's shims needs a decision about isolation first.
            var allowed = new[] { "netstandard", "System.Management.Automation", "WorkflowTools.Core", "Microsoft.Bcl.AsyncInterfaces", "System.Memory", "System.Buffers", "System.Threading.Tasks.Extensions", "System.Runtime.CompilerServices.Unsafe" };
            Assert.Empty(references.Except(allowed));
        }

        /// <summary>
        /// An enum-typed parameter left to PowerShell's own conversion lists every member in its error, Unknown
        /// included, and tab completion offers them all. Each one must take [EnumArgument] (the message names only
        /// what is accepted), and where the enum has members the parameter refuses, a ValidateSet for completion.
        /// </summary>
        [Fact]
        public void Every_enum_parameter_names_only_the_values_it_accepts()
        {
            using var session = new PsSession();
            var problems = session.Run(@"
foreach ($c in Get-Command -Module WorkflowTools) {
    foreach ($p in $c.Parameters.Values) {
        $type = $p.ParameterType
        $type = if ([Nullable]::GetUnderlyingType($type)) { [Nullable]::GetUnderlyingType($type) } elseif ($type.IsArray) { $type.GetElementType() } else { $type }
        if (-not $type.IsEnum -or $p.Name -in 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction') { continue }
        if (-not ($p.Attributes | Where-Object { $_.GetType().Name -eq 'EnumArgumentAttribute' })) { ""$($c.Name) -$($p.Name): no [EnumArgument]"" }
        $set = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        if ([enum]::GetNames($type) -contains 'Unknown' -and (-not $set -or $set.ValidValues -contains 'Unknown')) { ""$($c.Name) -$($p.Name): tab completion would offer Unknown"" }
    }
}").ThrowIfFailed().Output.Select(o => o.ToString()).ToList();
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        /// <summary>
        /// What kind of object was piped (a workflow or an instance, a request or a process, a step completion) is
        /// told from the object itself: the cmdlet's -InputObject, bound by [PipedRow] (Cmdlets/Common/PipedRow.cs).
        /// A hidden parameter bound by property name only to sniff the kind is invisible in help and syntax, and
        /// every new cmdlet would have to know the trick: no cmdlet has a DontShow parameter, and every -InputObject
        /// that takes piped objects goes through [PipedRow].
        /// </summary>
        [Fact]
        public void No_cmdlet_has_a_hidden_parameter_and_piped_objects_bind_through_PipedRow()
        {
            using var session = new PsSession();
            var assembly = (Assembly)session.Run("(Get-Module WorkflowTools).ImplementingAssembly").ThrowIfFailed().Single().BaseObject;
            var cmdlets = assembly.GetTypes().Where(t => typeof(Cmdlet).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() != null).ToList();
            Assert.True(cmdlets.Count >= 50, $"only {cmdlets.Count} cmdlets found");

            var parameters = cmdlets.SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public)
                .Select(p => (Cmdlet: t.GetCustomAttribute<CmdletAttribute>()!, Property: p, Attributes: p.GetCustomAttributes<ParameterAttribute>(true).ToList()))
                .Where(x => x.Attributes.Count > 0)).ToList();
            var hidden = parameters.Where(x => x.Attributes.Any(a => a.DontShow)).Select(x => $"{x.Cmdlet.VerbName}-{x.Cmdlet.NounName} -{x.Property.Name}").ToList();
            Assert.True(hidden.Count == 0, "hidden parameters: " + string.Join(", ", hidden));

            var inputObjects = parameters.Where(x => x.Property.Name == "InputObject" && x.Attributes.Any(a => a.ValueFromPipeline)).ToList();
            Assert.True(inputObjects.Count >= 10, $"only {inputObjects.Count} -InputObject parameters found");
            var unguarded = inputObjects.Where(x => !x.Property.GetCustomAttributes(true).Any(a => a.GetType().Name == "PipedRowAttribute"))
                .Select(x => $"{x.Cmdlet.VerbName}-{x.Cmdlet.NounName}").ToList();
            Assert.True(unguarded.Count == 0, "-InputObject without [PipedRow]: " + string.Join(", ", unguarded));
        }

        /// <summary>
        /// A ProcessMaker failure becomes an ErrorRecord one way: through the cmdlet base's ErrorRecordFor, which the
        /// ProcessMaker bases (and Wait-PmRequest) route to PmErrors.From. A cmdlet that called PmErrors.From itself
        /// would be a second way, which the next change to the shaping would miss.
        /// </summary>
        [Fact]
        public void ProcessMaker_cmdlets_shape_their_errors_only_through_ErrorRecordFor()
        {
            var folder = Path.Combine(RepoPaths.Root, "src", "WorkflowTools", "Cmdlets");
            var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).ToList();
            Assert.True(files.Count >= 50, $"only {files.Count} cmdlet sources found");
            var direct = files
                .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
                .Where(l => l.Text.Contains("PmErrors.From(", StringComparison.Ordinal) && !l.Text.Contains("override ErrorRecord ErrorRecordFor(", StringComparison.Ordinal))
                .Select(l => $"{l.File}:{l.Line}")
                .ToList();
            Assert.True(direct.Count == 0, "PmErrors.From called outside an ErrorRecordFor override: " + string.Join(", ", direct));
        }

        /// <summary>
        /// Get-NmInstance and Get-NmFieldValue take Next Matter's instance filters as parameters
        /// (NmInstanceFilterCmdlet) and BuildQuery copies them into NmInstanceQuery, which writes the wire query.
        /// Each filter parameter, set alone, must change the query sent; each query property must be set by a
        /// parameter. A parameter that BuildQuery forgets, or a query property no parameter reaches, fails here.
        /// </summary>
        [Fact]
        public void Every_instance_filter_parameter_reaches_the_wire_query_and_every_query_property_has_a_parameter()
        {
            using var session = new PsSession();
            var cmdlets = (Assembly)session.Run("(Get-Module WorkflowTools).ImplementingAssembly").ThrowIfFailed().Single().BaseObject;
            var command = cmdlets.GetType("WorkflowTools.Cmdlets.NextMatter.GetNmInstanceCommand", throwOnError: true)!;
            var filterBase = cmdlets.GetType("WorkflowTools.Cmdlets.NextMatter.NmInstanceFilterCmdlet", throwOnError: true)!;
            var buildQuery = filterBase.GetMethod("BuildQuery", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
            var filters = filterBase.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => a.ParameterSetName == "ByProcess"))
                .ToList();
            Assert.True(filters.Count >= 20, $"only {filters.Count} filter parameters found");

            var queryType = buildQuery.ReturnType;
            var queryProperties = queryType.GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.CanWrite).ToList();
            var toQueryString = queryType.GetMethod("ToQuery")!;

            (string Wire, Dictionary<string, object?> Values) Build(params (PropertyInfo Parameter, object Value)[] set)
            {
                var cmdlet = Activator.CreateInstance(command)!;
                foreach (var (parameter, value) in set)
                {
                    parameter.SetValue(cmdlet, value);
                }

                var query = buildQuery.Invoke(cmdlet, new object[] { "target" });
                Assert.NotNull(query);
                return (toQueryString.Invoke(query, null)!.ToString()!, queryProperties.ToDictionary(p => p.Name, p => p.GetValue(query)));
            }

            var sortBy = filters.Single(p => p.Name == "SortBy");
            var reached = new HashSet<string>();
            var unsent = new List<string>();
            foreach (var filter in filters)
            {
                // -Descending needs -SortBy: compare against -SortBy alone.
                var context = filter.Name == "Descending" ? new[] { (sortBy, SampleValue(sortBy.PropertyType)) } : Array.Empty<(PropertyInfo, object)>();
                var before = Build(context);
                var after = Build(context.Append((filter, SampleValue(filter.PropertyType))).ToArray());
                if (after.Wire == before.Wire)
                {
                    unsent.Add(filter.Name);
                }

                reached.UnionWith(after.Values.Where(v => !Equals(Text(v.Value), Text(before.Values[v.Key]))).Select(v => v.Key));
            }

            Assert.Empty(unsent);

            // Set by the two cmdlets themselves, outside the shared filters.
            var ownParameters = new Dictionary<string, string> { ["IncludeValues"] = "GetNmInstanceCommand", ["InstanceIds"] = "GetNmFieldValueCommand" };
            Assert.DoesNotContain(queryProperties.Select(p => p.Name), n => !reached.Contains(n) && !ownParameters.ContainsKey(n));
            foreach (var own in ownParameters)
            {
                var owner = cmdlets.GetType("WorkflowTools.Cmdlets.NextMatter." + own.Value, throwOnError: true)!;
                Assert.Contains(owner.GetProperties(), p => own.Key.StartsWith(p.Name, StringComparison.Ordinal) && p.GetCustomAttributes<ParameterAttribute>().Any());

                // Each query is built in one place: BuildQuery writes the cmdlet's own filter too, nothing sets it afterwards.
                var parameter = owner.GetProperties().Single(p => own.Key.StartsWith(p.Name, StringComparison.Ordinal) && p.GetCustomAttributes<ParameterAttribute>().Any());
                var ownCmdlet = Activator.CreateInstance(owner)!;
                parameter.SetValue(ownCmdlet, SampleValue(parameter.PropertyType));
                var built = buildQuery.Invoke(ownCmdlet, new object[] { "target" });
                Assert.NotNull(built);
                var property = queryType.GetProperty(own.Key)!;
                Assert.NotEqual(Text(property.GetValue(Activator.CreateInstance(queryType))), Text(property.GetValue(built)));
            }
        }

        private static string? Text(object? value) => value is Array array ? string.Join(",", array.Cast<object>()) : value?.ToString();

        private static object SampleValue(Type type)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            if (t.IsEnum)
            {
                var values = Enum.GetValues(t);
                return values.GetValue(values.Length - 1)!;
            }

            if (t == typeof(string))
            {
                return "x";
            }

            if (t == typeof(string[]))
            {
                return new[] { "x" };
            }

            if (t == typeof(long[]))
            {
                return new[] { 7L };
            }

            if (t == typeof(TimeSpan))
            {
                return TimeSpan.FromHours(1);
            }

            if (t == typeof(DateTime))
            {
                return new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            }

            if (t == typeof(long))
            {
                return 7L;
            }

            if (t == typeof(int))
            {
                return 10;
            }

            if (t == typeof(double))
            {
                return 50.0;
            }

            if (t == typeof(SwitchParameter))
            {
                return new SwitchParameter(true);
            }

            throw new InvalidOperationException($"No sample value for a filter of type {type}: add one here.");
        }
    }
}
