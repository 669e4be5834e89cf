using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace WorkflowTools.Sandbox;

/// <summary>One HTTP request as the sandbox received and answered it.</summary>
/// <param name="Sequence">1-based order of arrival.</param>
/// <param name="Method">HTTP method, upper case.</param>
/// <param name="Path">URL path as received, e.g. <c>/nextmatter/api/instances/</c>.</param>
/// <param name="Query">Raw query string including '?', or "".</param>
/// <param name="Headers">Request headers (case-insensitive keys; repeated headers joined with ", ").</param>
/// <param name="Body">Request body as UTF-8 text ("" when none).</param>
/// <param name="StatusCode">Status answered; 0 when the connection was reset without an answer.</param>
/// <param name="Time">Sandbox clock time when the request arrived.</param>
public sealed record RecordedRequest(long Sequence, string Method, string Path, string Query,
    IReadOnlyDictionary<string, string> Headers, string Body, int StatusCode, DateTimeOffset Time);

/// <summary>Thread-safe log of every request the sandbox received (API or not).</summary>
public sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _items = new();
    private long _sequence;

    /// <summary>Snapshot of all recorded requests, in order of completion.</summary>
    public IReadOnlyList<RecordedRequest> All
    {
        get { lock (_gate) return _items.ToArray(); }
    }

    /// <summary>Number of recorded requests.</summary>
    public int Count
    {
        get { lock (_gate) return _items.Count; }
    }

    /// <summary>Forget all recorded requests (sequence numbers keep growing).</summary>
    public void Clear()
    {
        lock (_gate) _items.Clear();
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Add(RecordedRequest request)
    {
        lock (_gate) _items.Add(request);
    }
}

/// <summary>Key names used in <see cref="HttpContext.Items"/> by the sandbox middlewares.</summary>
internal static class ContextKeys
{
    public const string Sequence = "sandbox.sequence";
    public const string ConnectionReset = "sandbox.reset";
    public const string User = "sandbox.user";
}

/// <summary>Outermost middleware: buffers the request body, numbers the request and records the answer.</summary>
internal sealed class RequestLogMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RequestLog _log;
    private readonly SandboxClock _clock;

    public RequestLogMiddleware(RequestDelegate next, RequestLog log, SandboxClock clock)
    {
        _next = next;
        _log = log;
        _clock = clock;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var sequence = _log.NextSequence();
        var time = _clock.Now;
        context.Items[ContextKeys.Sequence] = sequence;

        var body = await RequestLogBodies.ReadAsync(context);

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in context.Request.Headers) headers[h.Key] = h.Value.ToString();

        try
        {
            await _next(context);
        }
        finally
        {
            var reset = context.Items.ContainsKey(ContextKeys.ConnectionReset) || context.RequestAborted.IsCancellationRequested;
            var status = reset && !context.Response.HasStarted ? 0 : context.Response.StatusCode;
            _log.Add(new RecordedRequest(sequence, context.Request.Method.ToUpperInvariant(), context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "", headers, RequestLogRedaction.Redact(body, context.Request.ContentType), status, time));
        }
    }
}
