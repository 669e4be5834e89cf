using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkflowTools.Sandbox;

/// <summary>A file of a seeded request: its name, the request variable it belongs to, its media type and bytes.</summary>
public sealed record SeedPmFile(string Name, string DataName, string MimeType, byte[] Content);

/// <summary>
/// A seeded environment variable. <see cref="Value"/> null: none (PM4 allows it; an exported seed has none, since PM4
/// never answers a value).
/// </summary>
public sealed record SeedPmVariable(string Name, string Description, string? Value);

// The data part of processMaker in a seed: environment variables, and the files of requests ("files" in a request).
// A file's bytes are given inline ("content", base64) or as "path", relative to the seed file's folder and never
// outside it (no absolute path, no "..", no link that leads out). A variable's value is given inline ("value") or
// taken from the sandbox process's environment ("valueFromEnv"), so a real secret need not be written into a file.
public sealed partial class SeedDocument
{
    /// <summary>ProcessMaker environment variables.</summary>
    public List<SeedPmVariable> PmEnvironmentVariables { get; } = new();

    private sealed partial class SeedReader
    {
        /// <summary>Models/EnvironmentVariable::rules: the name's pattern.</summary>
        private static readonly Regex VariableName = new("^[a-zA-Z][a-zA-Z_$0-9]*$", RegexOptions.CultureInvariant);

        /// <summary>The seed file's folder (full path), or null when the seed was not read from a file.</summary>
        public string? Folder { get; init; }

        /// <summary>processMaker.environmentVariables: name (PM4's pattern, unique ignoring case), description, value.</summary>
        private void ReadVariables(JsonObject pm, SeedDocument seed)
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (v, path) in Items(pm, "environmentVariables", "processMaker"))
            {
                Known(v, path, "name", "description", "value", "valueFromEnv");
                var name = Str(v, "name", path, required: true);
                var description = Str(v, "description", path, required: true);
                if (name != null && !VariableName.IsMatch(name))
                    Error(v["name"], LineOf(v), path + ".name", $"'{name}' is not a variable name: a letter first, then letters, digits, _ or $ (PM4's rule).");
                else if (name != null && !names.Add(name)) Error(v["name"], LineOf(v), path + ".name", $"'{name}' is given twice (names are unique, ignoring case).");
                var value = Str(v, "value", path);
                var fromEnv = Str(v, "valueFromEnv", path);
                if (fromEnv != null)
                {
                    if (v.ContainsKey("value")) Error(v["valueFromEnv"], LineOf(v), path + ".valueFromEnv", "give value or valueFromEnv, not both.");
                    else if (Environment.GetEnvironmentVariable(fromEnv) is { } fromProcess) value = fromProcess;
                    else Error(v["valueFromEnv"], LineOf(v), path + ".valueFromEnv", $"the environment variable '{fromEnv}' is not set in the sandbox's process.");
                }
                if (name != null && description != null) seed.PmEnvironmentVariables.Add(new SeedPmVariable(name, description, value));
            }
        }

        /// <summary>A request's "files": name, dataName (default the name), mimeType, and content (base64) or path.</summary>
        private IReadOnlyList<SeedPmFile> ReadFiles(JsonObject r, string path)
        {
            var files = new List<SeedPmFile>();
            var dataNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (f, fpath) in Items(r, "files", path))
            {
                Known(f, fpath, "name", "dataName", "mimeType", "content", "path");
                var name = Str(f, "name", fpath, required: true);
                if (name != null && (Path.GetFileName(name) != name || name is "." or ".." || name.IndexOfAny(new[] { '/', '\\' }) >= 0))
                {
                    Error(f["name"], LineOf(f), fpath + ".name", $"'{name}' is not a plain file name (no folders).");
                    name = null;
                }
                var dataName = Str(f, "dataName", fpath) is { Length: > 0 } given ? given : name; // the upload's default
                if (dataName != null && !dataNames.Add(dataName))
                    Error(f["dataName"] ?? f["name"], LineOf(f), fpath + ".dataName", $"'{dataName}' is given twice in this request (ProcessMaker keeps one file per data name).");
                var mime = Str(f, "mimeType", fpath) ?? "application/octet-stream";
                var content = Content(f, fpath);
                if (name != null && dataName != null && content != null) files.Add(new SeedPmFile(name, dataName, mime, content));
            }
            return files;
        }

        /// <summary>The bytes of a file: "content" (base64) or "path" (inside the seed's folder), exactly one, within the upload limit.</summary>
        private byte[]? Content(JsonObject f, string fpath)
        {
            var inline = Str(f, "content", fpath);
            var relative = Str(f, "path", fpath);
            if ((inline == null) == (relative == null))
            {
                Error(f, LineOf(f), fpath, "give the file's bytes as content (base64) or as path (relative to the seed file), one of them.");
                return null;
            }
            if (inline != null)
            {
                if (inline.Length / 4L * 3 > ProcessMakerFilesApi.MaxFileBytes + 3) { TooBig(f, fpath + ".content"); return null; }
                try { return Convert.FromBase64String(inline); }
                catch (FormatException) { Error(f["content"], LineOf(f), fpath + ".content", "is not base64."); return null; }
            }

            var at = fpath + ".path";
            if (Folder == null) { Error(f["path"], LineOf(f), at, "a path needs the seed to be read from a file (its folder is where paths start); use content here."); return null; }
            if (Inside(Folder, relative!) is not { } full) { Error(f["path"], LineOf(f), at, $"'{relative}' leads outside the seed file's folder; put the file in that folder or below it."); return null; }
            try
            {
                var info = new FileInfo(full);
                if (!info.Exists) { Error(f["path"], LineOf(f), at, $"'{relative}' does not exist in the seed file's folder."); return null; }
                if (info.Length > ProcessMakerFilesApi.MaxFileBytes) { TooBig(f, at); return null; }
                return File.ReadAllBytes(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Error(f["path"], LineOf(f), at, $"cannot read '{relative}': {e.Message}");
                return null;
            }
        }

        private void TooBig(JsonObject f, string at) =>
            Error(f, LineOf(f), at, $"the file is larger than the sandbox's upload limit ({ProcessMakerFilesApi.MaxFileBytes / 1024 / 1024} MB).");

        /// <summary>
        /// The full path of <paramref name="relative"/> when it stays inside <paramref name="folder"/>: not rooted, no part
        /// that climbs out, and no symbolic link on the way (the file or a folder) that resolves outside. Null otherwise.
        /// </summary>
        internal static string? Inside(string folder, string relative)
        {
            if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Contains('\0')) return null;
            var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
            var full = Path.GetFullPath(Path.Combine(root, relative));
            if (!IsUnder(root, full)) return null;
            // Walk from the folder down to the file: a link anywhere on the way must land inside the folder as well.
            var step = root;
            foreach (var part in Path.GetRelativePath(root, full).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
            {
                step = Path.Combine(step, part);
                FileSystemInfo info = Directory.Exists(step) ? new DirectoryInfo(step) : new FileInfo(step);
                if (info.LinkTarget == null) continue;
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target == null || !IsUnder(root, Path.GetFullPath(target.FullName))) return null;
            }
            return full;
        }

        private static bool IsUnder(string root, string full) =>
            full.StartsWith(root + Path.DirectorySeparatorChar, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
