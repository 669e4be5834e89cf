using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace WorkflowTools.Sandbox;

/// <summary>What a matching <see cref="FaultRule"/> does to a request.</summary>
public enum FaultKind
{
    /// <summary>Answer <see cref="FaultRule.StatusCode"/> without applying the request (429/503 get Retry-After).</summary>
    Status,
    /// <summary>Apply the request (e.g. really create the instance), then answer <see cref="FaultRule.StatusCode"/>.</summary>
    AppliedThenStatus,
    /// <summary>Wait <see cref="FaultRule.Delay"/>, then handle normally (or, with <see cref="FaultRule.ApplyBeforeFault"/>, apply first and answer after the delay). Honours client aborts.</summary>
    Delay,
    /// <summary>Abort the connection without an answer (after applying when <see cref="FaultRule.ApplyBeforeFault"/>).</summary>
    ConnectionReset,
    /// <summary>502 with a text/html proxy error page.</summary>
    HtmlErrorPage,
    /// <summary>Apply the request, then answer 200 application/json with the first half of the real body.</summary>
    TruncatedJson,
    /// <summary>Apply the request, send the status, headers and first half of the body, then nothing more for <see cref="FaultRule.Delay"/> (infinite by default) or until the client gives up.</summary>
    StalledBody,
}

/// <summary>A per-test rule: which requests get which fault, how often.</summary>
public sealed class FaultRule
{
    /// <summary>HTTP method to match (case-insensitive); null = any.</summary>
    public string? Method { get; set; }
    /// <summary>Substring of the URL path to match (ordinal); null = any.</summary>
    public string? PathContains { get; set; }
    /// <summary>The fault to inject.</summary>
    public FaultKind Kind { get; set; }
    /// <summary>How many matching requests get the fault; then the rule is spent.</summary>
    public int Times { get; set; } = int.MaxValue;
    /// <summary>Chance per matching request (drawn from the injector's seeded random).</summary>
    public double Probability { get; set; } = 1.0;
    /// <summary>Status for <see cref="FaultKind.Status"/> and <see cref="FaultKind.AppliedThenStatus"/>.</summary>
    public int StatusCode { get; set; } = 500;
    /// <summary>Raw Retry-After value. For 429 null means "1"; use "" to send no Retry-After header.</summary>
    public string? RetryAfter { get; set; }
    /// <summary>Send <see cref="RetryAfter"/> (seconds) as the HTTP date that many seconds after the answer, not as seconds.</summary>
    public bool RetryAfterAsHttpDate { get; set; }
    /// <summary>Wait for <see cref="FaultKind.Delay"/>.</summary>
    public TimeSpan Delay { get; set; }
    /// <summary>For <see cref="FaultKind.ConnectionReset"/> and <see cref="FaultKind.Delay"/>: apply the request before the fault.</summary>
    public bool ApplyBeforeFault { get; set; }

    /// <summary>How many requests this rule has faulted so far.</summary>
    public int Hits => Volatile.Read(ref Used);

    internal int Used;
}

/// <summary>Thread-safe list of fault rules consulted for every API request (first match wins).</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = new();
    private Random _random;
    private int _seed;

    /// <summary>Create an injector whose probabilities use <paramref name="seed"/>.</summary>
    public FaultInjector(int seed = DefaultSeed)
    {
        _seed = seed;
        _random = new Random(seed);
    }

    /// <summary>Seed of the random source; setting it restarts the sequence.</summary>
    public int Seed
    {
        get { lock (_gate) return _seed; }
        set { lock (_gate) { _seed = value; _random = new Random(value); } }
    }

    /// <summary>Add a rule (evaluated after the ones already present).</summary>
    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate) _rules.Add(rule);
    }

    /// <summary>Snapshot of the rules, in the order they are tried.</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get { lock (_gate) return _rules.ToArray(); }
    }

    /// <summary>Remove all rules.</summary>
    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>
    /// Back to the rules a sandbox started with (<paramref name="rules"/>, their counts at zero) and the random
    /// source restarted from <paramref name="seed"/> (null: the default seed), in one step.
    /// </summary>
    public void Reset(IEnumerable<FaultRule> rules, int? seed)
    {
        ArgumentNullException.ThrowIfNull(rules);
        lock (_gate)
        {
            _rules.Clear();
            foreach (var rule in rules)
            {
                rule.Used = 0;
                _rules.Add(rule);
            }
            _seed = seed ?? DefaultSeed;
            _random = new Random(_seed);
        }
    }

    /// <summary>Seed of the random source unless the options name one.</summary>
    public const int DefaultSeed = 12345;

    /// <summary>Returns the rule that fires for this request, if any, and counts its use.</summary>
    internal FaultRule? Match(string method, string path)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Used >= rule.Times) continue;
                if (rule.Method != null && !string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase)) continue;
                if (rule.PathContains != null && !path.Contains(rule.PathContains, StringComparison.Ordinal)) continue;
                if (rule.Probability < 1.0 && _random.NextDouble() >= rule.Probability) continue;
                rule.Used++;
                return rule;
            }
            return null;
        }
    }
}

/// <summary>
/// Applies options-level latency and the Next Matter rate limit, then the fault rules, to API paths only
/// (<c>/nextmatter/api/</c>, <c>/processmaker/api/</c>, <c>/processmaker/oauth/</c>).
/// </summary>
internal sealed class FaultMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SandboxServer _server;

    public FaultMiddleware(RequestDelegate next, SandboxServer server)
    {
        _next = next;
        _server = server;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var area = SandboxJson.AreaOf(path);
        if (area == ApiArea.None)
        {
            await _next(context);
            return;
        }
        try
        {
            await HandleApiAsync(context, path, area);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (timeout); nothing to answer.
            context.Items[ContextKeys.ConnectionReset] = true;
        }
        catch (Exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // A sandbox bug: answer like the platform's own crash page rather than an empty 500.
            context.Response.Clear();
            if (area == ApiArea.ProcessMaker)
                await ErrorBodies.WriteAsync(context, area, 500);
            else
            {
                context.Response.StatusCode = 500;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n");
            }
        }
    }

    private async Task HandleApiAsync(HttpContext context, string path, ApiArea area)
    {
        var options = _server.Options;
        if (options.Latency > TimeSpan.Zero)
            await Task.Delay(options.Latency, context.RequestAborted);

        var nextMatterLimiter = _server.NextMatterLimiter;
        if (area == ApiArea.NextMatter && nextMatterLimiter.Active)
        {
            var wait = nextMatterLimiter.Take(context.Request.Headers.Authorization.ToString(), _server.Clock.Now);
            if (wait > 0)
            {
                if (options.RateLimitRetryAfter)
                    context.Response.Headers["Retry-After"] = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ErrorBodies.WriteAsync(context, area, 429, $"Request was throttled. Expected available in {wait} seconds.");
                return;
            }
        }

        if (path.StartsWith(SandboxJson.ProcessMakerOAuthPrefix, StringComparison.Ordinal))
        {
            // Laravel's throttle:60,1 on /oauth/token (the only throttled ProcessMaker route), per client address.
            var wait = _server.OAuthLimiter.Take("oauth " + context.Connection.RemoteIpAddress, _server.Clock.Now);
            if (wait > 0)
            {
                context.Response.Headers["Retry-After"] = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ErrorBodies.WriteAsync(context, area, 429);
                return;
            }
        }

        var rule = _server.Faults.Match(context.Request.Method, path);
        if (rule == null)
        {
            await _next(context);
            return;
        }

        switch (rule.Kind)
        {
            case FaultKind.Status:
                await WriteStatusAsync(context, area, rule);
                break;
            case FaultKind.AppliedThenStatus:
                await RunBufferedAsync(context);
                context.Response.Clear();
                await WriteStatusAsync(context, area, rule);
                break;
            case FaultKind.Delay:
                if (rule.ApplyBeforeFault)
                {
                    var buffered = await RunBufferedAsync(context);
                    await Task.Delay(rule.Delay, context.RequestAborted);
                    await context.Response.Body.WriteAsync(buffered, context.RequestAborted);
                }
                else
                {
                    await Task.Delay(rule.Delay, context.RequestAborted);
                    await _next(context);
                }
                break;
            case FaultKind.ConnectionReset:
                if (rule.ApplyBeforeFault) await RunBufferedAsync(context);
                context.Items[ContextKeys.ConnectionReset] = true;
                context.Abort();
                break;
            case FaultKind.HtmlErrorPage:
                context.Response.StatusCode = 502;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>");
                break;
            case FaultKind.TruncatedJson:
                var full = await RunBufferedAsync(context);
                context.Response.Clear();
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                var half = full.Length / 2;
                if (half == 0) half = 1; // an empty answer still yields one invalid byte
                var cut = full.Length == 0 ? Encoding.UTF8.GetBytes("{") : full.AsSpan(0, half).ToArray();
                await context.Response.Body.WriteAsync(cut);
                break;
            case FaultKind.StalledBody:
                var whole = await RunBufferedAsync(context);
                context.Response.ContentLength = whole.Length;
                await context.Response.Body.WriteAsync(whole.AsMemory(0, whole.Length / 2), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _server.Stopping))
                {
                    try { await Task.Delay(rule.Delay, stop.Token); }
                    catch (OperationCanceledException) { }
                }
                context.Items[ContextKeys.ConnectionReset] = true;
                context.Abort();
                break;
        }
    }

    private static async Task WriteStatusAsync(HttpContext context, ApiArea area, FaultRule rule)
    {
        var retryAfter = rule.RetryAfter ?? (rule.StatusCode == 429 ? "1" : null);
        if (!string.IsNullOrEmpty(retryAfter))
            context.Response.Headers["Retry-After"] = rule.RetryAfterAsHttpDate && int.TryParse(retryAfter, out var ahead)
                ? DateTimeOffset.UtcNow.AddSeconds(ahead).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
                : retryAfter;
        string? message = null;
        if (rule.StatusCode == 429 && area == ApiArea.NextMatter)
        {
            var seconds = int.TryParse(retryAfter, out var s) ? s : 1;
            message = $"Request was throttled. Expected available in {seconds} seconds.";
        }
        await ErrorBodies.WriteAsync(context, area, rule.StatusCode, message);
    }

    /// <summary>Runs the rest of the pipeline with the response body captured; returns the bytes (status/headers stay set).</summary>
    private async Task<byte[]> RunBufferedAsync(HttpContext context)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await _next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        return buffer.ToArray();
    }
}

/// <summary>Which platform a path belongs to.</summary>
internal enum ApiArea { None, NextMatter, ProcessMaker }

