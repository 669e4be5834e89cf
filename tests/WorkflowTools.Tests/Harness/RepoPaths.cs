using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace WorkflowTools.Tests.Harness
{
    /// <summary>Where the repository and the built module folder are.</summary>
    public static class RepoPaths
    {
        public static string Root { get; } = FindRoot();

        public static string Manifest => Path.Combine(Root, "WorkflowTools.psd1");

        public static string ModuleVersion { get; } = Regex.Match(File.ReadAllText(Manifest), @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;

        /// <summary>The module as Install-Module would lay it out: …/WorkflowTools/&lt;version&gt;/.</summary>
        public static string ModuleFolder => Path.Combine(Root, "artifacts", "module", "WorkflowTools", ModuleVersion);

        public static string BuiltManifest => Path.Combine(ModuleFolder, "WorkflowTools.psd1");

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "WorkflowTools.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("WorkflowTools.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
