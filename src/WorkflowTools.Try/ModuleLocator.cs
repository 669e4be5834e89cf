using System;
using System.IO;
using System.Text.RegularExpressions;

namespace WorkflowTools.Try;

/// <summary>Finds the repository and the module folder the build laid out (artifacts/module/WorkflowTools/&lt;version&gt;/).</summary>
public static class ModuleLocator
{
    /// <summary>The repository root: the first folder above the runner that holds WorkflowTools.sln and WorkflowTools.psd1.</summary>
    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WorkflowTools.sln")) && File.Exists(Path.Combine(dir.FullName, "WorkflowTools.psd1")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The built manifest for the version the repository's WorkflowTools.psd1 names.</summary>
    public static string BuiltManifest(string repoRoot)
    {
        var version = Regex.Match(File.ReadAllText(Path.Combine(repoRoot, "WorkflowTools.psd1")), @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;
        return Path.Combine(repoRoot, "artifacts", "module", "WorkflowTools", version, "WorkflowTools.psd1");
    }

    /// <summary>The manifest to import, or an explanation of why there is none.</summary>
    public static string Resolve(string? explicitManifest)
    {
        if (explicitManifest != null)
        {
            var full = Path.GetFullPath(explicitManifest);
            return File.Exists(full) ? full : throw new FileNotFoundException($"-Module: no file at {full}.");
        }

        var root = FindRepoRoot(AppContext.BaseDirectory)
            ?? throw new FileNotFoundException($"Cannot find the repository (WorkflowTools.sln) above {AppContext.BaseDirectory}; pass -Module <path to WorkflowTools.psd1>.");
        var manifest = BuiltManifest(root);
        return File.Exists(manifest)
            ? manifest
            : throw new FileNotFoundException($"The module is not built: {manifest} is missing. Build it with: dotnet build src/WorkflowTools/WorkflowTools.csproj");
    }
}
