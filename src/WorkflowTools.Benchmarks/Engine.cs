using System;
using System.Collections;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text.RegularExpressions;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Benchmarks;

/// <summary>Where the repository and the built module are.</summary>
public static class BenchPaths
{
    public static string Root { get; } = FindRoot();

    public static string ModuleVersion { get; } = Regex.Match(File.ReadAllText(Path.Combine(Root, "WorkflowTools.psd1")), @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;

    /// <summary>The built manifest, laid out as Install-Module would: artifacts/module/WorkflowTools/&lt;version&gt;/.</summary>
    public static string BuiltManifest => Path.Combine(Root, "artifacts", "module", "WorkflowTools", ModuleVersion, "WorkflowTools.psd1");

    /// <summary>The built module's Sandbox folder, where Start-WorkflowToolsSandbox finds its copy of the sandbox.</summary>
    public static string ModuleSandboxFolder => Path.Combine(Path.GetDirectoryName(BuiltManifest)!, "Sandbox");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(Environment.GetEnvironmentVariable("WORKFLOWTOOLS_ROOT") ?? AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "WorkflowTools.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("WorkflowTools.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>One PowerShell 7.6 runspace, optionally with WorkflowTools imported and connected to a sandbox.</summary>
public sealed class Engine : IDisposable
{
    private readonly Runspace _runspace;

    public Engine(bool importModule = true)
    {
        var iss = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
        if (importModule)
        {
            Run($"Import-Module '{BenchPaths.BuiltManifest}' -ErrorAction Stop").ThrowIfErrors("Import-Module");
        }
    }

    public Runspace Runspace => _runspace;

    public void Set(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>Connects Next Matter to the sandbox with the given client-side budget (0 = none).</summary>
    public void Connect(SandboxServer sandbox, int requestsPerMinute = 0) => Connect(sandbox.NextMatterBaseUri, sandbox.NextMatterApiKey, requestsPerMinute);

    /// <summary>Connects Next Matter to a sandbox at <paramref name="baseUri"/> (e.g. one in its own process).</summary>
    public void Connect(Uri baseUri, string apiKey, int requestsPerMinute = 0)
    {
        Set("__nmKey", Secure(apiKey));
        Run($"Connect-NmService -BaseUri '{baseUri}' -ApiKey $__nmKey -RequestsPerMinute {requestsPerMinute}").ThrowIfErrors("Connect-NmService");
    }

    public EngineResult Run(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        Collection<PSObject> output;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            return new EngineResult(new Collection<PSObject>(), ps.Streams.Error.Count + 1, ex.Message);
        }

        var first = ps.Streams.Error.FirstOrDefault();
        return new EngineResult(output, ps.Streams.Error.Count, first == null ? null : $"[{first.FullyQualifiedErrorId}] {first.Exception?.Message}");
    }

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    public void Dispose() => _runspace.Dispose();
}

public sealed record EngineResult(Collection<PSObject> Output, int ErrorCount, string? FirstError)
{
    public EngineResult ThrowIfErrors(string what)
    {
        if (ErrorCount > 0)
        {
            throw new InvalidOperationException($"{what} failed: {FirstError}");
        }

        return this;
    }
}
