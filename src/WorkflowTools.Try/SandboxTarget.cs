using System;
using System.Net.Sockets;
using System.Threading.Tasks;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Try;

/// <summary>
/// Where the scripts send their requests: a sandbox started in this process, or one already running
/// (<c>-BaseUri</c>). Publishes its URLs and credentials as environment variables for the script.
/// </summary>
public sealed class SandboxTarget : IAsyncDisposable
{
    public const string NextMatterVariable = "WORKFLOWTOOLS_SANDBOX_NM";
    public const string ProcessMakerVariable = "WORKFLOWTOOLS_SANDBOX_PM";
    public const string ApiKeyVariable = "NEXTMATTER_API_KEY";
    public const string TokenVariable = "PROCESSMAKER_TOKEN";

    private readonly SandboxServer? _server;

    private SandboxTarget(SandboxServer? server, Uri root, Uri nextMatter, Uri processMaker, string apiKey, string token)
    {
        _server = server;
        Root = root;
        NextMatter = nextMatter;
        ProcessMaker = processMaker;
        ApiKey = apiKey;
        Token = token;
    }

    /// <summary>e.g. http://127.0.0.1:5080/</summary>
    public Uri Root { get; }

    public Uri NextMatter { get; }

    public Uri ProcessMaker { get; }

    public string ApiKey { get; }

    public string Token { get; }

    public bool InProcess => _server != null;

    /// <summary>
    /// Starts a seeded sandbox on a free loopback port. Its clock starts now and runs with wall time, so the
    /// seed's "started 3 days ago" means three days before today and Get-Date comparisons in scripts hold.
    /// </summary>
    public static async Task<SandboxTarget> StartAsync()
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions { ClockStart = DateTimeOffset.UtcNow, RealTimeClock = true });
        var root = new Uri(server.NextMatterBaseUri, "/");
        return new SandboxTarget(server, root, server.NextMatterBaseUri, server.ProcessMakerInstanceUri, server.NextMatterApiKey, server.ProcessMakerToken);
    }

    /// <summary>A sandbox that is already running (its default key and token).</summary>
    public static async Task<SandboxTarget> ConnectAsync(Uri baseUri)
    {
        // Accept the root or either API's URL: http://127.0.0.1:5080/nextmatter/api/ means http://127.0.0.1:5080/.
        var path = baseUri.AbsolutePath;
        foreach (var marker in new[] { "/nextmatter/", "/processmaker/" })
        {
            var at = path.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                path = path.Substring(0, at + 1);
            }
        }

        var root = new UriBuilder(baseUri) { Path = path.EndsWith('/') ? path : path + "/", Query = string.Empty, Fragment = string.Empty }.Uri;
        using (var probe = new TcpClient())
        {
            try
            {
                await probe.ConnectAsync(root.Host, root.Port).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
                throw new InvalidOperationException($"No sandbox answers at {root} ({ex.Message}). Start one with: dotnet run --project src/WorkflowTools.Sandbox");
            }
        }

        var defaults = new SandboxOptions();
        return new SandboxTarget(null, root, new Uri(root, "nextmatter/api/"), new Uri(root, "processmaker/"), defaults.NextMatterApiKey, defaults.ProcessMakerToken);
    }

    /// <summary>Sets the variables the scripts read (this process only; child runspaces see them as $env:…).</summary>
    public void PublishEnvironment()
    {
        Environment.SetEnvironmentVariable(NextMatterVariable, NextMatter.AbsoluteUri);
        Environment.SetEnvironmentVariable(ProcessMakerVariable, ProcessMaker.AbsoluteUri);
        Environment.SetEnvironmentVariable(ApiKeyVariable, ApiKey);
        Environment.SetEnvironmentVariable(TokenVariable, Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server != null)
        {
            await _server.DisposeAsync();
        }
    }
}
