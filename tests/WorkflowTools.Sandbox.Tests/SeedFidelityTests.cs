using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>Finds python3 with the requests package once per test run.</summary>
internal static class Python
{
    private static readonly Lazy<string?> Problem = new(() => Probe(ProbeTimeout));

    /// <summary>Null when python3 + requests are usable, else why not.</summary>
    public static string? Unavailable => Problem.Value;

    // `import requests` takes well under a second on an idle machine; this is long enough for a loaded one, and a
    // probe that still does not finish makes the checks skip (saying so), never fail.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Null when python3 + requests are usable, else why not; a probe that takes longer than <paramref name="timeout"/> is a why-not.</summary>
    internal static string? Probe(TimeSpan timeout)
    {
        try
        {
            var (code, _, err) = Run(new[] { "-c", "import requests" }, null, timeout);
            return code == 0 ? null : "python3 is present but 'import requests' failed: " + err.Trim().Split('\n').LastOrDefault();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "python3 not found: " + e.Message;
        }
        catch (TimeoutException)
        {
            return $"python3 -c 'import requests' did not finish within {timeout.TotalSeconds:0.###} s (a heavily loaded machine?)";
        }
    }

    public static (int Code, string Out, string Err) Run(string[] args, Action<ProcessStartInfo>? configure, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        psi.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        psi.Environment["no_proxy"] = "127.0.0.1,localhost";
        configure?.Invoke(psi);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit((int)timeout.TotalMilliseconds))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static string SeedScript(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "tests", "seeds", name))) dir = dir.Parent;
        return dir == null ? throw new FileNotFoundException(name) : Path.Combine(dir.FullName, "tests", "seeds", name);
    }
}

/// <summary>A fact that is reported as skipped, with the reason, when python3 + requests are missing (CI).</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (Python.Unavailable is { } why) Skip = "Seed fidelity check skipped: " + why;
    }
}

/// <summary>Runs the two seed snippets users paste today against the sandbox.</summary>
public sealed class SeedFidelityTests
{
    [Fact]
    public void A_probe_that_runs_out_of_time_is_a_reason_to_skip_not_a_failure()
    {
        // 1 ms: no python3 starts that fast. Without python3 at all the reason says that instead.
        var why = Python.Probe(TimeSpan.FromMilliseconds(1));
        Assert.NotNull(why);
        Assert.True(why!.StartsWith("python3 -c 'import requests' did not finish within 0.001 s", StringComparison.Ordinal) || why.StartsWith("python3 not found", StringComparison.Ordinal), why);
    }

    private readonly ITestOutputHelper _output;

    public SeedFidelityTests(ITestOutputHelper output) => _output = output;

    [PythonFact]
    public async Task Next_matter_seed_creates_an_instance_and_completes_step_42()
    {
        await using var s = await SandboxServer.StartAsync();
        var before = s.NextMatter.Instances.Select(i => i.Id).ToHashSet();
        var (code, stdout, stderr) = await Task.Run(() => Python.Run(
            new[] { Python.SeedScript("nextmatter_seed.py"), s.NextMatterBaseUri.ToString() },
            psi => { psi.Environment["NM_API_KEY"] = s.NextMatterApiKey; psi.Environment["NM_PROCESS_ID"] = "1"; psi.Environment["NM_STEP_ID"] = "42"; },
            TimeSpan.FromSeconds(180)));
        _output.WriteLine(stdout);
        _output.WriteLine(stderr);
        Assert.True(code == 0, stderr);

        var created = s.NextMatter.Instances.Where(i => !before.Contains(i.Id)).ToList();
        var instance = Assert.Single(created);
        Assert.Contains($"✅ Instance created successfully: {instance.Id}", stdout);
        Assert.Contains("✅ Step completed successfully.", stdout);
        Assert.DoesNotContain("❌", stdout);
        Assert.Equal("Employee onboarding #" + instance.Id, instance.Name);
        Assert.Equal(new long[] { 43 }, instance.ActiveStepIds);
        Assert.Equal("Value 1", (string)instance.Values[123456]!["inputValue"]!);
        Assert.Equal("Value 2", (string)instance.Values[789012]!["itemSelected"]!);

        var log = s.Requests.All;
        Assert.Equal(new[] { "/nextmatter/api/instances/", $"/nextmatter/api/instances/{instance.Id}/complete_step/" }, log.Select(r => r.Path));
        Assert.All(log, r => Assert.Equal("Api-Key " + s.NextMatterApiKey, r.Headers["Authorization"]));
        Assert.Equal("https://core.nextmatter.com/api/processes/1/", (string)JsonNode.Parse(log[0].Body)!["process"]!);
    }

    [PythonFact]
    public async Task Next_matter_seed_reports_errors_as_the_snippet_prints_them()
    {
        await using var s = await SandboxServer.StartAsync();
        var (code, stdout, _) = await Task.Run(() => Python.Run(
            new[] { Python.SeedScript("nextmatter_seed.py"), s.NextMatterBaseUri.ToString() },
            psi => { psi.Environment["NM_API_KEY"] = "revoked.key"; },
            TimeSpan.FromSeconds(180)));
        Assert.Equal(0, code);
        Assert.Contains("❌ Error creating instance: {\"detail\":\"Invalid API key.\"}", stdout);
    }

    [PythonFact]
    public async Task Processmaker_seed_as_published_gets_404_because_it_sends_no_start_event()
    {
        await using var s = await SandboxServer.StartAsync();
        var before = s.ProcessMaker.Requests.Count;
        var (code, stdout, stderr) = await Task.Run(() => Python.Run(
            new[] { Python.SeedScript("processmaker_seed.py"), s.ProcessMakerInstanceUri.ToString() },
            psi => { psi.Environment["PM_ACCESS_TOKEN"] = s.ProcessMakerToken; psi.Environment["PM_PROCESS_ID"] = "1"; },
            TimeSpan.FromSeconds(180)));
        _output.WriteLine(stdout);
        Assert.True(code == 0, stderr);
        Assert.Equal("{'error': 'Not Found'}", stdout.Trim());
        Assert.Equal(before, s.ProcessMaker.Requests.Count);
        var call = Assert.Single(s.Requests.All);
        Assert.Equal(("POST", "/processmaker/api/1.0/process_events/1", "", "{}", 404), (call.Method, call.Path, call.Query, call.Body, call.StatusCode));
        Assert.Equal("Bearer " + s.ProcessMakerToken, call.Headers["Authorization"]);
    }
}
