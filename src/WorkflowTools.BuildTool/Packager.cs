using System.Collections;
using System.IO.Compression;
using System.Management.Automation.Language;
using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace WorkflowTools.BuildTool;

/// <summary>
/// Packs the built module folder the way Publish-Module does: the module's files at the package root,
/// a nuspec made from the manifest (id, version, authors, description, tags with the PSModule/PSCmdlet_
/// tags the Gallery indexes, project and licence URLs, release notes) and the OPC parts every NuGet
/// client expects. Deterministic: the same folder gives the same bytes.
/// </summary>
internal static class Packager
{
    private static readonly DateTimeOffset EntryTime = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static int Run(string[] args)
    {
        string? module = null, outDir = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--module": module = args[i + 1]; break;
                case "--out": outDir = args[i + 1]; break;
                default:
                    Console.Error.WriteLine($"WorkflowTools.BuildTool : error WTPACK0 : unknown argument {args[i]}");
                    return 2;
            }
        }

        if (module == null || outDir == null)
        {
            Console.Error.WriteLine("WorkflowTools.BuildTool : error WTPACK0 : usage: pack --module <module folder> --out <dir>");
            return 2;
        }

        try
        {
            var path = Pack(Path.GetFullPath(module), Path.GetFullPath(outDir));
            Console.WriteLine($"WorkflowTools package -> {path}");
            return 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{module} : error WTPACK1 : {ex.Message}");
            return 1;
        }
    }

    public static string Pack(string moduleFolder, string outDir)
    {
        var manifests = Directory.GetFiles(moduleFolder, "*.psd1");
        if (manifests.Length != 1)
        {
            throw new InvalidDataException($"expected one module manifest (*.psd1) in {moduleFolder}, found {manifests.Length}.");
        }

        var id = Path.GetFileNameWithoutExtension(manifests[0]);
        var manifest = ReadManifest(manifests[0]);
        var psData = (manifest["PrivateData"] as Hashtable)?["PSData"] as Hashtable ?? new Hashtable();
        var version = Required(manifest, "ModuleVersion");
        var prerelease = psData["Prerelease"] as string;
        var packageVersion = string.IsNullOrWhiteSpace(prerelease) ? version : version + "-" + prerelease.Trim().TrimStart('-');
        var authors = Required(manifest, "Author");
        var description = Required(manifest, "Description");

        var files = Directory.GetFiles(moduleFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(moduleFolder, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

        var tags = Strings(psData["Tags"]).ToList();
        tags.Add("PSModule");
        var cmdlets = Strings(manifest["CmdletsToExport"]).Where(c => c != "*").ToList();
        var functions = Strings(manifest["FunctionsToExport"]).Where(c => c != "*").ToList();
        if (cmdlets.Count > 0)
        {
            tags.Add("PSIncludes_Cmdlet");
        }

        if (functions.Count > 0)
        {
            tags.Add("PSIncludes_Function");
        }

        tags.AddRange(cmdlets.Select(c => "PSCmdlet_" + c));
        tags.AddRange(functions.Select(f => "PSFunction_" + f));
        tags.AddRange(cmdlets.Concat(functions).Select(c => "PSCommand_" + c));
        tags = tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Replace(' ', '_')).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var nuspec = Xml(w =>
        {
            const string ns = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
            w.WriteStartElement("package", ns);
            w.WriteStartElement("metadata", ns);
            w.WriteElementString("id", ns, id);
            w.WriteElementString("version", ns, packageVersion);
            w.WriteElementString("authors", ns, authors);
            w.WriteElementString("owners", ns, manifest["CompanyName"] as string ?? authors);
            w.WriteElementString("requireLicenseAcceptance", ns, psData["RequireLicenseAcceptance"] is true ? "true" : "false");
            Optional(w, ns, "licenseUrl", psData["LicenseUri"]);
            Optional(w, ns, "projectUrl", psData["ProjectUri"]);
            Optional(w, ns, "iconUrl", psData["IconUri"]);
            w.WriteElementString("description", ns, description);
            Optional(w, ns, "releaseNotes", psData["ReleaseNotes"]);
            Optional(w, ns, "copyright", manifest["Copyright"]);
            w.WriteElementString("tags", ns, string.Join(" ", tags));
            w.WriteEndElement();
            w.WriteEndElement();
        });

        var coreName = "package/services/metadata/core-properties/" + Hex(nuspec).Substring(0, 32) + ".psmdcp";
        var core = Xml(w =>
        {
            const string cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
            const string dc = "http://purl.org/dc/elements/1.1/";
            w.WriteStartElement("coreProperties", cp);
            w.WriteAttributeString("xmlns", "dc", null, dc);
            w.WriteElementString("creator", dc, authors);
            w.WriteElementString("description", dc, description);
            w.WriteElementString("identifier", dc, id);
            w.WriteElementString("version", cp, packageVersion);
            w.WriteElementString("keywords", cp, string.Join(" ", tags));
            w.WriteElementString("lastModifiedBy", cp, "WorkflowTools.BuildTool");
            w.WriteEndElement();
        });

        var rels = Xml(w =>
        {
            const string r = "http://schemas.openxmlformats.org/package/2006/relationships";
            w.WriteStartElement("Relationships", r);
            Relationship(w, r, "http://schemas.microsoft.com/packaging/2010/07/manifest", "/" + id + ".nuspec");
            Relationship(w, r, "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "/" + coreName);
            w.WriteEndElement();
        });

        var extensions = files.Select(f => Path.GetExtension(f).TrimStart('.')).Where(e => e.Length > 0)
            .Concat(new[] { "nuspec" }).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(e => e, StringComparer.Ordinal).ToList();
        var contentTypes = Xml(w =>
        {
            const string t = "http://schemas.openxmlformats.org/package/2006/content-types";
            w.WriteStartElement("Types", t);
            Default(w, t, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            Default(w, t, "psmdcp", "application/vnd.openxmlformats-package.core-properties+xml");
            foreach (var e in extensions)
            {
                Default(w, t, e, "application/octet");
            }

            foreach (var f in files.Where(f => Path.GetExtension(f).Length == 0))
            {
                w.WriteStartElement("Override", t);
                w.WriteAttributeString("PartName", "/" + f);
                w.WriteAttributeString("ContentType", "application/octet");
                w.WriteEndElement();
            }

            w.WriteEndElement();
        });

        Directory.CreateDirectory(outDir);
        var target = Path.Combine(outDir, $"{id}.{packageVersion}.nupkg");
        var temp = target + ".tmp";
        using (var zip = new ZipArchive(File.Create(temp), ZipArchiveMode.Create))
        {
            Add(zip, "_rels/.rels", rels);
            Add(zip, id + ".nuspec", nuspec);
            foreach (var f in files)
            {
                Add(zip, f, File.ReadAllBytes(Path.Combine(moduleFolder, f)));
            }

            Add(zip, coreName, core);
            Add(zip, "[Content_Types].xml", contentTypes);
        }

        File.Move(temp, target, overwrite: true);
        return target;
    }

    /// <summary>The manifest as PowerShell reads it (Import-PowerShellDataFile's rules: constants only, no code run).</summary>
    private static Hashtable ReadManifest(string path)
    {
        var ast = Parser.ParseFile(path, out _, out var errors);
        if (errors.Length > 0)
        {
            throw new InvalidDataException($"{path}: {errors[0].Message}");
        }

        var table = ast.Find(a => a is HashtableAst, false) as HashtableAst
            ?? throw new InvalidDataException($"{path} holds no hashtable.");
        return table.SafeGetValue() as Hashtable ?? throw new InvalidDataException($"{path} is not a constant hashtable.");
    }

    private static string Required(Hashtable manifest, string key) =>
        manifest[key] is string s && s.Trim().Length > 0
            ? s.Trim()
            : throw new InvalidDataException($"the manifest has no {key}; the PowerShell Gallery requires it.");

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        null => Enumerable.Empty<string>(),
        string s => new[] { s },
        IEnumerable e => e.Cast<object?>().Select(o => o?.ToString() ?? string.Empty).Where(s => s.Length > 0),
        _ => new[] { value.ToString() ?? string.Empty },
    };

    private static void Optional(XmlWriter w, string ns, string name, object? value)
    {
        if (value is string s && s.Trim().Length > 0)
        {
            w.WriteElementString(name, ns, s.Trim());
        }
    }

    private static void Relationship(XmlWriter w, string ns, string type, string target)
    {
        w.WriteStartElement("Relationship", ns);
        w.WriteAttributeString("Type", type);
        w.WriteAttributeString("Target", target);
        w.WriteAttributeString("Id", "R" + Hex(Encoding.UTF8.GetBytes(type + target)).Substring(0, 16));
        w.WriteEndElement();
    }

    private static void Default(XmlWriter w, string ns, string extension, string type)
    {
        w.WriteStartElement("Default", ns);
        w.WriteAttributeString("Extension", extension);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static byte[] Xml(Action<XmlWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\n" }))
        {
            w.WriteStartDocument();
            write(w);
            w.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using var s = entry.Open();
        s.Write(content, 0, content.Length);
    }

    private static string Hex(byte[] data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();
}
