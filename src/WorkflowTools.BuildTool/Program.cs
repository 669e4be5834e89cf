using System.Runtime.Loader;

namespace WorkflowTools.BuildTool;

/// <summary>
/// The module's build-time tool. Two commands:
/// <code>help --assembly &lt;WorkflowTools.dll&gt; --examples &lt;dir&gt; --out &lt;file&gt; [--docs &lt;xml&gt;]...</code>
/// writes the MAML help from the compiled cmdlets, their XML doc comments and the example files; problems
/// in the help sources are MSBuild warnings (code WTHELP1), never errors, so a cmdlet still missing its
/// examples does not break the build.
/// <code>pack --module &lt;module folder&gt; --out &lt;dir&gt;</code>
/// writes WorkflowTools.&lt;version&gt;.nupkg for the PowerShell Gallery, its nuspec made from the manifest.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "pack")
        {
            return Packager.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && args[0] == "help")
        {
            args = args.Skip(1).ToArray();
        }

        return Help(args);
    }

    private static int Help(string[] args)
    {
        string? assemblyPath = null, examplesDir = null, outFile = null;
        var docFiles = new List<string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--assembly": assemblyPath = args[i + 1]; break;
                case "--examples": examplesDir = args[i + 1]; break;
                case "--out": outFile = args[i + 1]; break;
                case "--docs": docFiles.Add(args[i + 1]); break;
                default:
                    Console.Error.WriteLine($"WorkflowTools.BuildTool : error WTHELP0 : unknown argument {args[i]}");
                    return 2;
            }
        }

        if (assemblyPath == null || examplesDir == null || outFile == null)
        {
            Console.Error.WriteLine("WorkflowTools.BuildTool : error WTHELP0 : usage: --assembly <dll> --examples <dir> --out <file> [--docs <xml>]...");
            return 2;
        }

        assemblyPath = Path.GetFullPath(assemblyPath);
        var folder = Path.GetDirectoryName(assemblyPath)!;
        // The module's own dependencies (WorkflowTools.Core, Polly) sit in its Dependencies folder (or beside
        // it); the engine comes from this tool.
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            foreach (var candidate in new[] { Path.Combine(folder, "Dependencies", name.Name + ".dll"), Path.Combine(folder, name.Name + ".dll") })
            {
                if (File.Exists(candidate))
                {
                    return context.LoadFromAssemblyPath(candidate);
                }
            }

            return null;
        };

        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);
        var docs = new DocComments();
        foreach (var file in docFiles.Where(File.Exists))
        {
            docs.Load(file);
        }

        var report = new Report();
        var cmdlets = CmdletReader.Read(assembly, docs, report);
        foreach (var cmdlet in cmdlets)
        {
            var file = Path.Combine(examplesDir, cmdlet.Name + ".md");
            if (File.Exists(file))
            {
                cmdlet.Examples.AddRange(ExampleFile.Parse(file, report));
                if (cmdlet.Examples.Count < 2)
                {
                    report.Warn(file, $"{cmdlet.Name} has {cmdlet.Examples.Count} example(s); the help convention asks for at least two.");
                }
            }
            else
            {
                report.Warn(file, $"{cmdlet.Name} has no example file; write {Path.GetFileName(file)} (at least two '## Example N: title' sections).");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        MamlWriter.Write(cmdlets, outFile);
        Console.WriteLine($"WorkflowTools help: {cmdlets.Count} cmdlets, {cmdlets.Sum(c => c.Examples.Count)} examples, {report.Warnings} warning(s) -> {outFile}");
        return 0;
    }
}

/// <summary>Warnings in MSBuild's canonical format, so they show up as build warnings.</summary>
internal sealed class Report
{
    public int Warnings { get; private set; }

    public void Warn(string origin, string message)
    {
        Warnings++;
        Console.WriteLine($"{origin} : warning WTHELP1 : {message}");
    }
}
