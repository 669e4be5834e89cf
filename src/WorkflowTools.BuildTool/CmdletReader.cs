using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;

namespace WorkflowTools.BuildTool;

internal sealed class CmdletHelp
{
    public string Name = string.Empty;
    public string Verb = string.Empty;
    public string Noun = string.Empty;
    public string Synopsis = string.Empty;
    public List<string> Description = new();
    public List<string> Notes = new();
    public List<ParameterHelp> Parameters = new();
    public List<SyntaxItem> Syntax = new();
    public List<(string Type, string Description)> Inputs = new();
    public List<(string Type, string Description)> Outputs = new();
    public List<Example> Examples = new();
    public List<string> RelatedLinks = new();
}

internal sealed class ParameterHelp
{
    public string Name = string.Empty;
    public Type Type = typeof(object);
    public List<string> Description = new();
    public bool Required;
    public string Position = "named";
    public bool ByValue;
    public bool ByPropertyName;
    public List<string> Aliases = new();
    public string DefaultValue = "None";
    public List<string> ValidValues = new();

    public bool IsSwitch => Type == typeof(SwitchParameter);

    public string PipelineInput => ByValue && ByPropertyName ? "True (ByValue, ByPropertyName)" : ByValue ? "True (ByValue)" : ByPropertyName ? "True (ByPropertyName)" : "False";
}

internal sealed class SyntaxItem
{
    public string ParameterSet = string.Empty;
    public List<ParameterHelp> Parameters = new();
}

internal sealed record Example(string Title, string Code, List<string> Remarks);

/// <summary>Reflects the cmdlets of the module assembly into help models.</summary>
internal static class CmdletReader
{
    private const string AllSets = ParameterAttribute.AllParameterSets;

    public static List<CmdletHelp> Read(Assembly assembly, DocComments docs, Report report)
    {
        var types = assembly.GetExportedTypes()
            .Where(t => !t.IsAbstract && typeof(Cmdlet).IsAssignableFrom(t) && t.GetCustomAttribute<CmdletAttribute>() != null)
            .ToList();
        foreach (var t in types)
        {
            var a = t.GetCustomAttribute<CmdletAttribute>()!;
            docs.CmdletNames[t.Name] = a.VerbName + "-" + a.NounName;
        }

        var nouns = types.Select(t => t.GetCustomAttribute<CmdletAttribute>()!).ToList();
        var result = new List<CmdletHelp>();
        foreach (var type in types.OrderBy(t => docs.CmdletNames[t.Name], StringComparer.Ordinal))
        {
            result.Add(ReadCmdlet(type, docs, report, nouns));
        }

        return result;
    }

    private static CmdletHelp ReadCmdlet(Type type, DocComments docs, Report report, List<CmdletAttribute> all)
    {
        var attribute = type.GetCustomAttribute<CmdletAttribute>()!;
        var help = new CmdletHelp { Verb = attribute.VerbName, Noun = attribute.NounName, Name = attribute.VerbName + "-" + attribute.NounName };
        var origin = type.FullName ?? type.Name;
        var typeId = DocComments.Id(type);

        var summary = docs.Paragraphs(typeId, "summary");
        // "Get-NmInstance: instances by id…" → "Instances by id…": the name is already the help's title.
        help.Synopsis = Sentence(Regex.Replace(string.Join(" ", summary), "^" + Regex.Escape(help.Name) + @"\s*:\s*", string.Empty));
        help.Description = docs.Paragraphs(typeId, "remarks");
        if (help.Synopsis.Length == 0)
        {
            report.Warn(origin, $"{help.Name} has no /// <summary> (the help synopsis).");
        }

        if (help.Description.Count == 0)
        {
            report.Warn(origin, $"{help.Name} has no /// <remarks> (the help description).");
        }

        object? instance = null;
        try
        {
            instance = Activator.CreateInstance(type);
        }
        catch (Exception)
        {
            // Defaults are then shown as None.
        }

        var byName = new Dictionary<string, ParameterHelp>(StringComparer.OrdinalIgnoreCase);
        var sets = new Dictionary<string, List<(ParameterHelp Help, ParameterAttribute Attribute, int Order)>>(StringComparer.Ordinal);
        var order = 0;
        foreach (var property in Properties(type))
        {
            var attributes = property.GetCustomAttributes<ParameterAttribute>().ToList();
            if (attributes.Count == 0 || attributes.All(a => a.DontShow))
            {
                continue;
            }

            var p = new ParameterHelp
            {
                Name = property.Name,
                Type = property.PropertyType,
                Description = docs.Paragraphs(DocComments.Id(property), "summary"),
                Aliases = property.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames).ToList(),
                ByValue = attributes.Any(a => a.ValueFromPipeline),
                ByPropertyName = attributes.Any(a => a.ValueFromPipelineByPropertyName),
                Required = attributes.All(a => a.Mandatory),
                ValidValues = property.GetCustomAttributes<ValidateSetAttribute>().SelectMany(v => v.ValidValues).ToList(),
            };
            var enumType = Nullable.GetUnderlyingType(p.Type) ?? p.Type;
            if (p.ValidValues.Count == 0 && enumType.IsEnum)
            {
                p.ValidValues = Enum.GetNames(enumType).Where(n => n != "Unknown").ToList();
            }

            var value = docs.Paragraphs(DocComments.Id(property), "value");
            p.DefaultValue = value.Count > 0 ? string.Join(" ", value) : Default(property, instance);
            if (p.Description.Count == 0)
            {
                report.Warn(origin, $"{help.Name} -{p.Name} has no /// <summary> (the parameter description).");
            }

            var first = attributes.FirstOrDefault(a => a.ParameterSetName == attribute.DefaultParameterSetName) ?? attributes[0];
            p.Position = first.Position >= 0 ? first.Position.ToString(CultureInfo.InvariantCulture) : "named";
            byName[p.Name] = p;
            help.Parameters.Add(p);
            foreach (var a in attributes)
            {
                if (!sets.TryGetValue(a.ParameterSetName, out var list))
                {
                    sets[a.ParameterSetName] = list = new();
                }

                list.Add((p, a, order));
            }

            order++;
        }

        AddEngineParameters(type, attribute, help, sets, ref order);

        // One syntax line per named parameter set (parameters in every set join each); the default set first.
        // The default set exists even when no parameter names it (its syntax is then the all-sets parameters alone).
        var setNames = sets.Keys.Where(k => k != AllSets).ToList();
        if (!string.IsNullOrEmpty(attribute.DefaultParameterSetName) && attribute.DefaultParameterSetName != AllSets && !setNames.Contains(attribute.DefaultParameterSetName))
        {
            setNames.Add(attribute.DefaultParameterSetName);
        }

        var named = setNames.OrderBy(k => k == attribute.DefaultParameterSetName ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal).ToList();
        if (named.Count == 0)
        {
            named.Add(AllSets);
        }

        var common = sets.TryGetValue(AllSets, out var everywhere) ? everywhere : new();
        foreach (var set in named)
        {
            var members = set == AllSets || !sets.ContainsKey(set) ? common : sets[set].Concat(common).ToList();
            var item = new SyntaxItem { ParameterSet = set };
            foreach (var (p, a, _) in members
                .OrderBy(m => m.Attribute.Position >= 0 ? 0 : m.Attribute.Mandatory ? 1 : m.Help.Name is "WhatIf" or "Confirm" ? 4 : m.Help.IsSwitch ? 3 : 2)
                .ThenBy(m => m.Attribute.Position >= 0 ? m.Attribute.Position : m.Order))
            {
                var copy = Copy(p);
                copy.Required = a.Mandatory;
                copy.Position = a.Position >= 0 ? a.Position.ToString(CultureInfo.InvariantCulture) : "named";
                item.Parameters.Add(copy);
            }

            help.Syntax.Add(item);
        }

        // Inputs: what can be piped. Outputs: the declared [OutputType]s.
        foreach (var p in help.Parameters.Where(p => p.ByValue))
        {
            help.Inputs.Add((FullName(p.Type), $"You can pipe {Article(ShortName(p.Type))} to -{p.Name}."));
        }

        var byProperty = help.Parameters.Where(p => p.ByPropertyName).ToList();
        if (byProperty.Count > 0)
        {
            help.Inputs.Add(("System.Management.Automation.PSObject", "Objects with properties named like these parameters (or their aliases) bind by property name: "
                + string.Join(", ", byProperty.Select(p => p.Aliases.Count > 0 ? $"{p.Name} ({string.Join(", ", p.Aliases)})" : p.Name)) + "."));
        }

        if (help.Inputs.Count == 0)
        {
            help.Inputs.Add(("None", "This cmdlet takes no pipeline input."));
        }

        foreach (var output in type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type))
        {
            var t = output.Type;
            if (t == null || t == typeof(void))
            {
                help.Outputs.Add(("None", "This cmdlet writes no objects to the pipeline."));
                continue;
            }

            var text = string.Join(" ", docs.Paragraphs(DocComments.Id(t), "summary"));
            help.Outputs.Add((FullName(t), text.Length > 0 ? text : $"{Article(t.Name)} object."));
        }

        // Notes: the remarks of behaviour every reader needs before running the cmdlet.
        if (attribute.SupportsShouldProcess)
        {
            help.Notes.Add($"This cmdlet changes data, so it supports -WhatIf and -Confirm (ConfirmImpact {attribute.ConfirmImpact}).");
        }

        if (attribute.SupportsPaging)
        {
            help.Notes.Add("Listings stream page by page: -First stops reading pages as soon as enough objects arrived, -Skip skips objects, -IncludeTotalCount writes the server's total first; a listing of several pages shows a progress bar.");
        }

        // Related links: cref'd cmdlets, the same noun's cmdlets, the connecting cmdlet, the about topic.
        var links = new List<string>(docs.SeeAlso(typeId));
        links.AddRange(all.Where(a => a.NounName == attribute.NounName && a.VerbName != attribute.VerbName).Select(a => a.VerbName + "-" + a.NounName).OrderBy(n => n, StringComparer.Ordinal));
        if (help.Noun.StartsWith("Nm", StringComparison.Ordinal))
        {
            links.Add("Connect-NmService");
        }
        else if (help.Noun.StartsWith("Pm", StringComparison.Ordinal))
        {
            links.Add("Connect-PmServer");
        }

        links.Add("about_WorkflowTools");
        help.RelatedLinks = links.Where(l => l != help.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return help;
    }

    /// <summary>Parameters the engine adds: -WhatIf/-Confirm for ShouldProcess, -First/-Skip/-IncludeTotalCount for paging.</summary>
    private static void AddEngineParameters(Type type, CmdletAttribute attribute, CmdletHelp help, Dictionary<string, List<(ParameterHelp, ParameterAttribute, int)>> sets, ref int order)
    {
        var extra = new List<ParameterHelp>();
        if (attribute.SupportsPaging)
        {
            extra.Add(new ParameterHelp { Name = "First", Type = typeof(ulong), Description = { "Gets only this many objects; pages after the one that completes them are not requested." } });
            extra.Add(new ParameterHelp { Name = "Skip", Type = typeof(ulong), Description = { "Skips this many objects before writing the rest." } });
            extra.Add(new ParameterHelp { Name = "IncludeTotalCount", Type = typeof(SwitchParameter), Description = { "Writes the total number of matching objects (as the server reports it) before the objects; its accuracy is 1.0 when the server reported a total and 0.0 otherwise." }, DefaultValue = "False" });
        }

        if (attribute.SupportsShouldProcess)
        {
            extra.Add(new ParameterHelp { Name = "WhatIf", Type = typeof(SwitchParameter), Description = { "Shows what would happen if the cmdlet runs. Nothing is sent to the service." }, Aliases = { "wi" }, DefaultValue = "False" });
            extra.Add(new ParameterHelp { Name = "Confirm", Type = typeof(SwitchParameter), Description = { "Prompts you for confirmation before each change." }, Aliases = { "cf" }, DefaultValue = "False" });
        }

        foreach (var p in extra)
        {
            help.Parameters.Add(p);
            if (!sets.TryGetValue(AllSets, out var list))
            {
                sets[AllSets] = list = new();
            }

            list.Add((p, new ParameterAttribute(), order++));
        }
    }

    private static IEnumerable<PropertyInfo> Properties(Type type)
    {
        // Declared properties of the cmdlet first, then those of its base classes (-Connection, tuning).
        var chain = new List<Type>();
        for (var t = type; t != null && t != typeof(PSCmdlet) && t != typeof(Cmdlet); t = t.BaseType)
        {
            chain.Add(t);
        }

        return chain.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
    }

    private static string Default(PropertyInfo property, object? instance)
    {
        if (instance == null || property.GetMethod == null)
        {
            return "None";
        }

        object? value;
        try
        {
            value = property.GetValue(instance);
        }
        catch (Exception)
        {
            return "None";
        }

        switch (value)
        {
            case null:
                return "None";
            case SwitchParameter s:
                return s.IsPresent ? "True" : "False";
            case string s:
                return s.Length == 0 ? "None" : s;
            case TimeSpan t:
                return t == TimeSpan.Zero ? "None" : $"{t} ({t.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)";
            case ICollection c when c.Count == 0:
                return "None";
        }

        var type = value.GetType();
        if (type.IsValueType && value.Equals(Activator.CreateInstance(type)))
        {
            return "None";
        }

        return Convert.ToString(value, CultureInfo.InvariantCulture) ?? "None";
    }

    private static ParameterHelp Copy(ParameterHelp p) => new()
    {
        Name = p.Name,
        Type = p.Type,
        Description = p.Description,
        Required = p.Required,
        Position = p.Position,
        ByValue = p.ByValue,
        ByPropertyName = p.ByPropertyName,
        Aliases = p.Aliases,
        DefaultValue = p.DefaultValue,
        ValidValues = p.ValidValues,
    };

    public static string ShortName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsArray ? ShortName(type.GetElementType()!) + "[]" : type.Name;
    }

    public static string FullName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsArray ? FullName(type.GetElementType()!) + "[]" : type.FullName ?? type.Name;
    }

    private static string Article(string noun) => ("AEIOU".IndexOf(char.ToUpperInvariant(noun[0])) >= 0 ? "an " : "a ") + noun;

    private static string Sentence(string text)
    {
        text = text.Trim();
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
