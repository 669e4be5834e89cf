using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// Request files and environment variables in a seed file (SeedFile.Data.cs): what loads, what the API then serves
/// (PM4 4.15.6 ProcessRequestFileController and EnvironmentVariablesController, whose value is never answered), that a
/// reset brings them back, and that a file path never leads outside the seed file's folder.
/// </summary>
public sealed class SeedDataFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "wt-seeddata-" + Guid.NewGuid().ToString("N"));

    public SeedDataFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Seed(string files, string variables = "[]") => $$"""
{
  "version": 1,
  "processMaker": {
    "processes": [ { "id": 5, "name": "P", "startEvents": [ { "id": "node_1" } ], "tasks": [ { "id": "node_2", "name": "T" } ] } ],
    "requests": [ { "id": 40, "process": 5, "files": {{files}} } ],
    "environmentVariables": {{variables}}
  }
}
""";

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private SeedError LoadError(string json, string name = "seed.json")
    {
        var e = Assert.Throws<SeedFileException>(() => SeedDocument.LoadFile(Write(name, json), SandboxOptions.DefaultClockStart));
        return Assert.Single(e.Errors);
    }

    [Fact]
    public async Task Files_by_path_and_inline_and_variables_load_are_served_and_come_back_after_a_reset()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "attachments"));
        var pdf = new byte[] { 0x25, 0x50, 0x44, 0x46, 0x00, 0xFF, 0x10 };
        File.WriteAllBytes(Path.Combine(_dir, "attachments", "invoice.pdf"), pdf);
        var inline = Encoding.UTF8.GetBytes("a,b\n1,2\n");
        var variable = "WT_SEED_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "from-the-environment");
        try
        {
            var json = Seed(
                $$"""[ { "name": "invoice.pdf", "dataName": "invoice", "mimeType": "application/pdf", "path": "attachments/invoice.pdf" }, { "name": "rows.csv", "content": "{{Convert.ToBase64String(inline)}}" } ]""",
                $$"""[ { "name": "API_URL", "description": "Where", "value": "https://example.invalid" }, { "name": "API_KEY", "description": "Key", "valueFromEnv": "{{variable}}" }, { "name": "EMPTY", "description": "None" } ]""");
            var seed = SeedDocument.LoadFile(Write("seed.json", json), SandboxOptions.DefaultClockStart);
            await using var s = await SandboxServer.StartAsync(new SandboxOptions { Seed = seed });
            using var c = TestSupport.PmClient(s);

            for (var round = 0; round < 2; round++)
            {
                var (status, body, _) = await c.GetAsync2("requests/40/files");
                Assert.Equal(200, status);
                var rows = body!["data"]!.AsArray();
                Assert.Equal(new[] { "invoice.pdf", "rows.csv" }, rows.Select(r => (string)r!["file_name"]!));
                Assert.Equal(new[] { "invoice", "rows.csv" }, rows.Select(r => (string)r!["custom_properties"]!["data_name"]!)); // default: the name
                Assert.Equal("application/pdf", (string)rows[0]!["mime_type"]!);
                Assert.Equal(1L, (long)rows[0]!["custom_properties"]!["createdBy"]!); // the requester (default admin)
                var download = await c.GetAsync($"requests/40/files/{(long)rows[0]!["id"]!}");
                Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
                download = await c.GetAsync($"requests/40/files/{(long)rows[1]!["id"]!}");
                Assert.Equal(inline, await download.Content.ReadAsByteArrayAsync());

                var (vs, vars, text) = await c.GetAsync2("environment_variables");
                Assert.Equal(200, vs);
                Assert.Equal(new[] { "API_KEY", "API_URL", "EMPTY" }, vars!["data"]!.AsArray().Select(v => (string)v!["name"]!));
                Assert.DoesNotContain("from-the-environment", text); // write-only, as PM4
                Assert.Equal("from-the-environment", s.ProcessMaker.EnvironmentVariables.Single(v => v.Name == "API_KEY").Value);
                Assert.Equal("https://example.invalid", s.ProcessMaker.EnvironmentVariables.Single(v => v.Name == "API_URL").Value);
                Assert.Null(s.ProcessMaker.EnvironmentVariables.Single(v => v.Name == "EMPTY").Value);

                // change both, then a reset brings the seed's state back
                Assert.Equal(204, (await c.SendAsync(HttpMethod.Delete, $"requests/40/files/{(long)rows[1]!["id"]!}")).Status);
                Assert.Equal(200, (await c.SendAsync(HttpMethod.Delete, $"environment_variables/{(long)vars["data"]![0]!["id"]!}")).Status);
                s.Reset();
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("../outside.bin")]
    [InlineData("attachments/../../outside.bin")]
    [InlineData("/etc/hostname")]
    public void A_path_that_leads_outside_the_seed_files_folder_is_refused(string path)
    {
        var inner = Path.Combine(_dir, "seeds");
        Directory.CreateDirectory(inner);
        File.WriteAllBytes(Path.Combine(_dir, "outside.bin"), new byte[] { 1 });
        var file = Path.Combine(inner, "seed.json");
        File.WriteAllText(file, Seed($$"""[ { "name": "x.bin", "path": "{{path}}" } ]"""));
        var e = Assert.Throws<SeedFileException>(() => SeedDocument.LoadFile(file, SandboxOptions.DefaultClockStart));
        var error = Assert.Single(e.Errors);
        Assert.Equal("processMaker.requests[0].files[0].path", error.Path);
        Assert.Contains("leads outside the seed file's folder", error.Message);
    }

    [Fact]
    public void A_link_inside_the_folder_that_points_outside_it_is_refused()
    {
        var inner = Path.Combine(_dir, "seeds");
        Directory.CreateDirectory(inner);
        File.WriteAllBytes(Path.Combine(_dir, "secret.bin"), new byte[] { 42 });
        try
        {
            File.CreateSymbolicLink(Path.Combine(inner, "link.bin"), Path.Combine(_dir, "secret.bin"));
            Directory.CreateSymbolicLink(Path.Combine(inner, "up"), _dir);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return; // a Windows account without the right to make links cannot build the case
        }

        foreach (var path in new[] { "link.bin", "up/secret.bin" })
        {
            File.WriteAllText(Path.Combine(inner, "seed.json"), Seed($$"""[ { "name": "x.bin", "path": "{{path}}" } ]"""));
            var e = Assert.Throws<SeedFileException>(() => SeedDocument.LoadFile(Path.Combine(inner, "seed.json"), SandboxOptions.DefaultClockStart));
            Assert.Contains("leads outside the seed file's folder", Assert.Single(e.Errors).Message);
        }
    }

    [Fact]
    public void Bad_files_and_variables_are_reported_with_their_paths()
    {
        Assert.Equal("processMaker.requests[0].files[0]", LoadError(Seed("""[ { "name": "a.txt" } ]""")).Path); // neither content nor path
        Assert.Equal("processMaker.requests[0].files[0]", LoadError(Seed("""[ { "name": "a.txt", "content": "AA==", "path": "a.txt" } ]""")).Path);
        Assert.Contains("not base64", LoadError(Seed("""[ { "name": "a.txt", "content": "***" } ]""")).Message);
        Assert.Contains("not a plain file name", LoadError(Seed("""[ { "name": "sub/a.txt", "content": "AA==" } ]""")).Message);
        Assert.Contains("does not exist", LoadError(Seed("""[ { "name": "a.txt", "path": "missing.txt" } ]""")).Message);
        Assert.Equal("processMaker.requests[0].files[1].dataName",
            LoadError(Seed("""[ { "name": "a.txt", "dataName": "doc", "content": "AA==" }, { "name": "b.txt", "dataName": "doc", "content": "AA==" } ]""")).Path);
        Assert.Contains("not a variable name", LoadError(Seed("[]", """[ { "name": "1BAD", "description": "d" } ]""")).Message);
        Assert.Contains("given twice", LoadError(Seed("[]", """[ { "name": "A", "description": "d" }, { "name": "a", "description": "d" } ]""")).Message);
        Assert.Equal("processMaker.environmentVariables[0].description", LoadError(Seed("[]", """[ { "name": "A" } ]""")).Path);
        Assert.Contains("not both", LoadError(Seed("[]", """[ { "name": "A", "description": "d", "value": "x", "valueFromEnv": "PATH" } ]""")).Message);
        Assert.Contains("is not set", LoadError(Seed("[]", """[ { "name": "A", "description": "d", "valueFromEnv": "WT_NOT_SET_ANYWHERE_4711" } ]""")).Message);

        // read from bytes there is no folder for a path to start in
        var e = Assert.Throws<SeedFileException>(() => SeedDocument.Load(Encoding.UTF8.GetBytes(Seed("""[ { "name": "a.txt", "path": "a.txt" } ]""")), SandboxOptions.DefaultClockStart));
        Assert.Contains("needs the seed to be read from a file", Assert.Single(e.Errors).Message);
    }
}
