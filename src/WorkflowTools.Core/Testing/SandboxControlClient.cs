using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace WorkflowTools.Testing
{
    /// <summary>One request a sandbox received, as its request log holds it.</summary>
    public sealed class SandboxRequest
    {
        /// <summary>Order of arrival (1, 2, …; keeps counting after the log is cleared).</summary>
        public long Sequence { get; set; }

        /// <summary>Sandbox clock time when it arrived.</summary>
        public DateTime Time { get; set; }

        /// <summary>"NextMatter", "ProcessMaker" or "Other".</summary>
        public string Service { get; set; } = string.Empty;

        public string Method { get; set; } = string.Empty;

        /// <summary>URL path as received, e.g. /nextmatter/api/instances/.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>Query string with its '?', or empty.</summary>
        public string Query { get; set; } = string.Empty;

        /// <summary>Request body as text (empty when none).</summary>
        public string Body { get; set; } = string.Empty;

        /// <summary>Status answered; 0 when the connection was dropped without an answer.</summary>
        public int StatusCode { get; set; }

        public override string ToString() => $"{Method} {Path}{Query} -> {StatusCode}";
    }

    /// <summary>A fault rule of a running sandbox.</summary>
    public sealed class SandboxFault
    {
        /// <summary>Position in the list (rules are tried in order; the first match wins).</summary>
        public int Index { get; set; }

        /// <summary>The rule in the sandbox's text form, e.g. kind=status,status=429,times=3.</summary>
        public string Spec { get; set; } = string.Empty;

        /// <summary>How many requests it has faulted.</summary>
        public int Hits { get; set; }

        /// <summary>True when its times are used up.</summary>
        public bool Spent { get; set; }

        public override string ToString() => Spec;
    }

    /// <summary>The answer of a control endpoint that refused a call (bad fault text, bad clock value).</summary>
    internal sealed class SandboxControlException : Exception
    {
        public SandboxControlException(string message) : base(message)
        {
        }
    }

    /// <summary>
    /// Calls a running sandbox's <c>/_sandbox/</c> control endpoints (loopback only). Blocking calls bounded by a
    /// 30-second timeout and the caller's cancellation; each answer is read in full (they are small).
    /// </summary>
    internal sealed class SandboxControlClient : IDisposable
    {
        private readonly HttpClient _http;

        /// <summary>The header the sandbox reads its control token from (<c>SandboxAccess.TokenHeader</c>).</summary>
        public const string TokenHeader = "X-Sandbox-Token";

        /// <param name="controlBase">The sandbox's <c>/_sandbox/</c> address (loopback only).</param>
        /// <param name="controlToken">The sandbox's control token, from its ready file; sent with every call (an older sandbox tool writes none and needs none).</param>
        public SandboxControlClient(Uri controlBase, string? controlToken)
        {
            if (!controlBase.IsLoopback)
            {
                throw new ArgumentException("The sandbox's control endpoints are on this machine only.", nameof(controlBase));
            }

            _http = new HttpClient(new HttpClientHandler { UseProxy = false }) { BaseAddress = controlBase, Timeout = TimeSpan.FromSeconds(30) };
            if (!string.IsNullOrEmpty(controlToken))
            {
                _http.DefaultRequestHeaders.Add(TokenHeader, controlToken);
            }
        }

        /// <summary>The log, optionally only what came after <paramref name="afterSequence"/>.</summary>
        public IReadOnlyList<SandboxRequest> GetRequests(long afterSequence, CancellationToken cancellationToken)
        {
            var list = new List<SandboxRequest>();
            using var doc = Send(HttpMethod.Get, "requests" + (afterSequence > 0 ? "?after=" + afterSequence.ToString(CultureInfo.InvariantCulture) : ""), null, cancellationToken);
            foreach (var r in doc!.RootElement.EnumerateArray())
            {
                var path = r.GetProperty("path").GetString() ?? string.Empty;
                list.Add(new SandboxRequest
                {
                    Sequence = r.GetProperty("sequence").GetInt64(),
                    Time = DateTime.Parse(r.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    Method = r.GetProperty("method").GetString() ?? string.Empty,
                    Path = path,
                    Service = path.StartsWith("/nextmatter/", StringComparison.Ordinal) ? "NextMatter" : path.StartsWith("/processmaker/", StringComparison.Ordinal) ? "ProcessMaker" : "Other",
                    Query = r.GetProperty("query").GetString() ?? string.Empty,
                    Body = r.GetProperty("body").GetString() ?? string.Empty,
                    StatusCode = r.GetProperty("status").GetInt32(),
                });
            }

            return list;
        }

        public void ClearRequests(CancellationToken cancellationToken) => Send(HttpMethod.Delete, "requests", null, cancellationToken)?.Dispose();

        /// <summary>Adds a rule in the sandbox's text form; returns it as the sandbox read it.</summary>
        public SandboxFault AddFault(string spec, CancellationToken cancellationToken)
        {
            using var doc = Send(HttpMethod.Post, "faults", "{\"spec\":" + JsonSerializer.Serialize(spec) + "}", cancellationToken);
            return new SandboxFault { Index = doc!.RootElement.GetProperty("index").GetInt32(), Spec = doc.RootElement.GetProperty("spec").GetString() ?? spec };
        }

        public IReadOnlyList<SandboxFault> GetFaults(CancellationToken cancellationToken)
        {
            var list = new List<SandboxFault>();
            using var doc = Send(HttpMethod.Get, "faults", null, cancellationToken);
            foreach (var f in doc!.RootElement.EnumerateArray())
            {
                list.Add(new SandboxFault
                {
                    Index = f.GetProperty("index").GetInt32(),
                    Spec = f.GetProperty("spec").GetString() ?? string.Empty,
                    Hits = f.GetProperty("hits").GetInt32(),
                    Spent = f.GetProperty("spent").GetBoolean(),
                });
            }

            return list;
        }

        public void ClearFaults(CancellationToken cancellationToken) => Send(HttpMethod.Delete, "faults", null, cancellationToken)?.Dispose();

        /// <summary>Moves the clock by <paramref name="by"/> (may be negative); returns the new time (UTC).</summary>
        public DateTime AdvanceClock(TimeSpan by, CancellationToken cancellationToken)
        {
            var text = (by < TimeSpan.Zero ? "-" : "") + System.Xml.XmlConvert.ToString(by.Duration());
            return Clock("{\"advance\":\"" + text + "\"}", cancellationToken);
        }

        /// <summary>Sets the clock; returns the new time (UTC).</summary>
        public DateTime SetClock(DateTime time, CancellationToken cancellationToken) =>
            Clock("{\"set\":\"" + time.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture) + "\"}", cancellationToken);

        /// <summary>
        /// Puts the sandbox back as it started (data of both services, request log, fault rules, clock, rate limits);
        /// returns the clock's time after the reset (UTC).
        /// </summary>
        public DateTime Reset(CancellationToken cancellationToken)
        {
            using var doc = Send(HttpMethod.Post, "reset", "{}", cancellationToken);
            return ReadTime(doc!);
        }

        public DateTime GetClock(CancellationToken cancellationToken)
        {
            using var doc = Send(HttpMethod.Get, "clock", null, cancellationToken);
            return ReadTime(doc!);
        }

        /// <summary>Polls the health endpoint until it answers 200, or throws <see cref="SandboxStartException"/>.</summary>
        public void WaitUntilAnswering(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    Send(HttpMethod.Get, "health", null, cancellationToken)?.Dispose();
                    return;
                }
                catch (Exception e) when ((e is HttpRequestException || e is SandboxControlException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)) && watch.Elapsed < timeout)
                {
                    cancellationToken.WaitHandle.WaitOne(100);
                }
                catch (Exception e) when (e is HttpRequestException || e is SandboxControlException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    throw new SandboxStartException("The sandbox wrote its address but does not answer there: " + e.Message, null, string.Empty);
                }
            }
        }

        public void Dispose() => _http.Dispose();

        private DateTime Clock(string body, CancellationToken cancellationToken)
        {
            using var doc = Send(HttpMethod.Post, "clock", body, cancellationToken);
            return ReadTime(doc!);
        }

        private static DateTime ReadTime(JsonDocument doc) =>
            DateTime.Parse(doc.RootElement.GetProperty("now").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        private JsonDocument? Send(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(method, path);
            if (json != null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = _http.SendAsync(request, cancellationToken).GetAwaiter().GetResult();
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                string message;
                try
                {
                    using var error = JsonDocument.Parse(text);
                    message = error.RootElement.GetProperty("error").GetString() ?? text;
                }
                catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException)
                {
                    message = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                }

                throw new SandboxControlException(message);
            }

            return text.Length == 0 ? null : JsonDocument.Parse(text);
        }
    }
}
