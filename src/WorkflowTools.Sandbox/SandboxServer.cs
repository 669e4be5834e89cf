using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WorkflowTools.Sandbox;

/// <summary>
/// A local fake of the Next Matter and ProcessMaker 4 REST APIs, bound to 127.0.0.1 only.
/// Start with <see cref="StartAsync"/>, dispose to stop.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(SandboxOptions options, WebApplication app, SandboxClock clock)
    {
        Options = options;
        _app = app;
        Clock = clock;
        (NextMatter, ProcessMaker) = BuildStores();
        ResetLimiters();
        if (options.FaultSeed is { } faultSeed) Faults.Seed = faultSeed;
        foreach (var rule in options.Faults) Faults.Add(rule);
    }

    /// <summary>
    /// Both services' data as the sandbox starts: the demo data, the listing workflow and the seed file, on the
    /// clock's current time. Built off to the side, so <see cref="Reset"/> swaps complete stores in.
    /// </summary>
    private (NextMatterStore NextMatter, ProcessMakerStore ProcessMaker) BuildStores()
    {
        var options = Options;
        var clock = Clock;
        var nm = new NextMatterStore(clock, options.NextMatterApiKey);
        var pm = new ProcessMakerStore(clock, options.ProcessMakerToken, options.OAuthTokenLifetime);
        if (options.SeedData && (options.Seed == null || options.Seed.DemoData))
        {
            Sandbox.SeedData.LoadNextMatter(nm, clock.Now);
            Sandbox.SeedData.LoadProcessMaker(pm, clock.Now);
        }

        if (options.ListingInstances > 0)
        {
            nm.AddProcess(SandboxOptions.ListingProcessId, "Listing", new SandboxStep(9001, "Only step", System.Array.Empty<SandboxAction>()));
            nm.AddInstances(SandboxOptions.ListingProcessId, options.ListingInstances, namePrefix: "Listed");
        }

        options.Seed?.Apply(nm, pm);
        return (nm, pm);
    }

    /// <summary>The options the server was started with.</summary>
    public SandboxOptions Options { get; }

    /// <summary>The random token every <c>/_sandbox/</c> request must carry in <see cref="SandboxAccess.TokenHeader"/>.</summary>
    public string ControlToken { get; } = SandboxAccess.NewToken();
    /// <summary>Next Matter API base, e.g. http://127.0.0.1:5080/nextmatter/api/ (trailing slash).</summary>
    public Uri NextMatterBaseUri { get; private set; } = null!;
    /// <summary>ProcessMaker API base, e.g. http://127.0.0.1:5080/processmaker/api/1.0/ (trailing slash).</summary>
    public Uri ProcessMakerBaseUri { get; private set; } = null!;
    /// <summary>ProcessMaker instance URL as a user types it, e.g. http://127.0.0.1:5080/processmaker/.</summary>
    public Uri ProcessMakerInstanceUri { get; private set; } = null!;
    /// <summary>The accepted Next Matter API key (bot/admin user).</summary>
    public string NextMatterApiKey => Options.NextMatterApiKey;
    /// <summary>The accepted ProcessMaker token (admin user).</summary>
    public string ProcessMakerToken => Options.ProcessMakerToken;
    /// <summary>The sandbox clock used for every time the APIs show or compare.</summary>
    public SandboxClock Clock { get; }
    /// <summary>Every request received.</summary>
    public RequestLog Requests { get; } = new();
    /// <summary>Per-test fault rules.</summary>
    public FaultInjector Faults { get; } = new();
    /// <summary>Next Matter state (a new store after <see cref="Reset"/>).</summary>
    public NextMatterStore NextMatter { get => Volatile.Read(ref _nextMatter); private set => Volatile.Write(ref _nextMatter, value); }
    /// <summary>ProcessMaker state (a new store after <see cref="Reset"/>).</summary>
    public ProcessMakerStore ProcessMaker { get => Volatile.Read(ref _processMaker); private set => Volatile.Write(ref _processMaker, value); }
    /// <summary>Next Matter's per-key rate limit (<see cref="SandboxOptions.RateLimitPerMinute"/>), on the sandbox clock.</summary>
    internal SandboxRateLimiter NextMatterLimiter { get => Volatile.Read(ref _nextMatterLimiter); private set => Volatile.Write(ref _nextMatterLimiter, value); }
    /// <summary>Laravel's throttle:60,1 on ProcessMaker's /oauth/token, per client address.</summary>
    internal SandboxRateLimiter OAuthLimiter { get => Volatile.Read(ref _oauthLimiter); private set => Volatile.Write(ref _oauthLimiter, value); }

    private NextMatterStore _nextMatter = null!;
    private ProcessMakerStore _processMaker = null!;
    private SandboxRateLimiter _nextMatterLimiter = null!;
    private SandboxRateLimiter _oauthLimiter = null!;
    private readonly object _resetGate = new();

    /// <summary>ProcessMaker's /oauth/token allows this many requests per minute and client address.</summary>
    private const int OAuthRequestsPerMinute = 60;

    /// <summary>
    /// Puts the sandbox back as it started: the clock at its start time, both services' data rebuilt from the demo
    /// data and seed file, the request log empty (sequence numbers keep counting, so a reader's <c>after</c> stays
    /// valid), the fault rules those of the options with their counts at zero and the random source reseeded, and
    /// the rate limits' windows empty. ProcessMaker access tokens issued by its OAuth endpoint stay valid, so a
    /// connected client need not sign in again; tokens from the options and the seed come back as the seed says.
    /// A request that arrives during the reset sees the old data or the new, never a half-built store.
    /// </summary>
    public void Reset()
    {
        lock (_resetGate)
        {
            Clock.Set(Options.ClockStart ?? SandboxOptions.DefaultClockStart);
            var (nm, pm) = BuildStores();
            pm.KeepIssuedTokens(ProcessMaker);
            NextMatter = nm;
            ProcessMaker = pm;
            ResetLimiters();
            Faults.Reset(Options.Faults, Options.FaultSeed);
            Requests.Clear();
        }
    }

    private void ResetLimiters()
    {
        NextMatterLimiter = new SandboxRateLimiter(Options.RateLimitPerMinute, Options.RateLimitPerHour);
        OAuthLimiter = new SandboxRateLimiter(OAuthRequestsPerMinute, null);
    }

    /// <summary>Start a sandbox on 127.0.0.1 (random port unless <see cref="SandboxOptions.Port"/> is set).</summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SandboxOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SandboxServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port, listen =>
        {
            if (options.ConnectionLatency > TimeSpan.Zero)
            {
                listen.Use(next => async connection =>
                {
                    await Task.Delay(options.ConnectionLatency, connection.ConnectionClosed);
                    await next(connection);
                });
            }
        }));
        builder.WebHost.UseSetting(WebHostDefaults.PreventHostingStartupKey, "true");
        var app = builder.Build();

        var clock = new SandboxClock(options.ClockStart ?? SandboxOptions.DefaultClockStart, options.RealTimeClock);
        var server = new SandboxServer(options, app, clock);
        SandboxAccess.Use(app, server);
        app.UseMiddleware<RequestLogMiddleware>(server.Requests, clock);
        app.UseMiddleware<FaultMiddleware>(server);
        app.UseRouting();
        new NextMatterApi(server).Map(app);
        new ProcessMakerApi(server).Map(app);
        new ProcessMakerDataApi(server).Map(app);
        new SandboxControlApi(server).Map(app);

        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        server.NextMatterBaseUri = new Uri($"http://127.0.0.1:{port}/nextmatter/api/");
        server.ProcessMakerInstanceUri = new Uri($"http://127.0.0.1:{port}/processmaker/");
        server.ProcessMakerBaseUri = new Uri($"http://127.0.0.1:{port}/processmaker/api/1.0/");
        return server;
    }

    /// <summary>Cancelled when the server begins to stop (ends stalled answers at once).</summary>
    internal CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Begin stopping the server (the control endpoint's shutdown); <see cref="WaitForShutdownAsync"/> then returns.</summary>
    internal void RequestStop() => _app.Lifetime.StopApplication();

    /// <summary>Block until the server stops (used by the CLI).</summary>
    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    /// <summary>Stop the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private int _disposed;
}
