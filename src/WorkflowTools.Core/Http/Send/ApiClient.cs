using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Timeout;
using WorkflowTools.Connections;

namespace WorkflowTools.Http
{
    /// <summary>
    /// The HTTP core of one connection: one HttpClient (connection reuse, decompression, proxy), one
    /// Polly pipeline (retries with backoff and jitter, Retry-After, total timeout), one rate limiter.
    /// Everything per connection, nothing per call.
    /// </summary>
    internal sealed partial class ApiClient : IDisposable
    {
        private static readonly ResiliencePropertyKey<ApiRequest> RequestKey = new ResiliencePropertyKey<ApiRequest>("WorkflowTools.Request");
        private static readonly ResiliencePropertyKey<AttemptState> StateKey = new ResiliencePropertyKey<AttemptState>("WorkflowTools.State");

        private readonly HttpClient _http;
        private readonly IAuthorizationSource _auth;
        private readonly ResiliencePipeline<AttemptResult> _pipeline;
        private readonly SecretRedactor _redactor;
        private bool _disposed;

        public ApiClient(ConnectionSettings options, IAuthorizationSource auth, HttpMessageHandler? handler = null)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            _auth = auth ?? throw new ArgumentNullException(nameof(auth));
            Pacer = new RequestPacer(options.RequestsPerMinute, options.RequestsPerHour, clock: options.PacerClock);
            _redactor = new SecretRedactor(auth as ISecretHolder, new ProxySecrets(options.Proxy));

            handler ??= CreateHandler(options);
            _http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
            _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            _pipeline = BuildPipeline(options);
        }

        public ConnectionSettings Options { get; }

        public RequestPacer Pacer { get; }

        public Uri BaseUri => Options.BaseUri;

        /// <summary>Takes this connection's secrets out of any text built from what a server said.</summary>
        public SecretRedactor Redactor => _redactor;

        /// <summary>Resolves a path relative to the base URL ("instances/5/"), or passes an absolute URL through.</summary>
        public Uri Resolve(string pathOrUrl)
        {
            if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
            {
                return absolute;
            }

            return new Uri(Options.BaseUri, pathOrUrl.TrimStart('/'));
        }

        public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (_disposed)
            {
                throw new ApiException(ApiErrorKind.InvalidInput, $"This {Options.ServiceName} connection was closed (disconnected, or replaced by a newer connection and disposed); nothing was sent. Connect again, or use the current connection.")
                {
                    Method = request.Method,
                    RequestPath = request.PathAndQuery,
                    Attempts = 0,
                };
            }

            if (OriginRule.Refusal(Options, request) is ApiException refused)
            {
                throw refused;
            }

            // The first slot is waited for outside the timeouts: a long queue of bulk work is not a failure.
            if (!request.TokenRequest)
            {
                await WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
            }

            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            var state = new AttemptState();
            context.Properties.Set(RequestKey, request);
            context.Properties.Set(StateKey, state);
            context.Properties.Set(RetryPolicy.Idempotent, request.Idempotent);
            RetryPolicy.MarkStart(context);
            try
            {
                var outcome = await _pipeline.ExecuteOutcomeAsync(
                    static async (ctx, self) =>
                    {
                        try
                        {
                            return Outcome.FromResult(await self.AttemptAsync(ctx).ConfigureAwait(false));
                        }
                        catch (Exception ex)
                        {
                            return Outcome.FromException<AttemptResult>(ex);
                        }
                    },
                    context,
                    this).ConfigureAwait(false);

                if (outcome.Exception != null)
                {
                    throw Translate(outcome.Exception, request, state, cancellationToken);
                }

                var result = outcome.Result!;
                if (request.TokenRequest)
                {
                    // The token source reads the token, or the refusal, itself.
                    return new ApiResponse(result.StatusCode, result.Body, result.Length, result.Pooled, result.ContentType, request.Method, request.PathAndQuery)
                    {
                        Redactor = _redactor,
                        ReasonPhrase = result.ReasonPhrase,
                        Attempts = state.Attempts,
                    };
                }

                if (result.StatusCode != 429)
                {
                    Pacer.OnSuccess();
                }

                if (result.StatusCode >= 200 && result.StatusCode < 300)
                {
                    return new ApiResponse(result.StatusCode, result.Body, result.Length, result.Pooled, result.ContentType, request.Method, request.PathAndQuery) { Redactor = _redactor };
                }

                var error = ApiErrorParser.FromResponse(Options.ServiceName, request.Method, request.PathAndQuery, result.StatusCode, result.ReasonPhrase, result.Body, result.ContentType, _redactor, result.Location);
                error.Attempts = state.Attempts;
                if (result.StatusCode == 404 && Options.NotFoundHint != null)
                {
                    error = error.WithHint(Options.NotFoundHint);
                }

                // A 5xx to a write may come after the server applied it (a proxy timing out, a crash
                // after the commit): the outcome is unknown, and it is never resent.
                if (!request.Idempotent && result.StatusCode >= 500)
                {
                    throw OutcomeUnknown(request, state, $"{Options.ServiceName} answered {result.StatusCode}", error);
                }

                throw error;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            _http.Dispose();
        }

        private static HttpMessageHandler CreateHandler(ConnectionSettings options)
        {
            var handler = new HttpClientHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                AllowAutoRedirect = false,
            };
            if (options.Proxy != null)
            {
                handler.Proxy = options.Proxy;
                handler.UseProxy = true;
            }

            return handler;
        }

        private ResiliencePipeline<AttemptResult> BuildPipeline(ConnectionSettings options) =>
            RetryPolicy.Build<AttemptResult>(
                options,
                context =>
                {
                    var request = context.Properties.GetValue(RequestKey, null!);
                    return $"{request.Method} {request.PathAndQuery}";
                },
                args =>
                {
                    if (args.Outcome.Result?.StatusCode == 429 && !args.Context.Properties.GetValue(RequestKey, null!).TokenRequest)
                    {
                        // The pacer pauses the whole connection (Retry-After, or the documented 1 min / 5 min)
                        // and slows down; the retry waits for its slot like every other request. A Retry-After is
                        // honoured in full (the retry policy retries only when it ends within this call's time), up
                        // to one call's whole time limit for the others. Without one, the pause leaves this call
                        // room for one more attempt, so a second 429 does not use up the time it has left.
                        var asked = args.Outcome.Result.RetryAfter;
                        var left = RetryPolicy.Remaining(args.Context, options.Timeout);
                        var pause = Pacer.OnThrottled(
                            asked is TimeSpan ra && left != null && ra > options.Timeout ? options.Timeout : asked,
                            left is TimeSpan l ? l - args.RetryDelay - RoomForAttempt(l, options.AttemptTimeout) : (TimeSpan?)null);
                        ApiTrace.Verbose($"{Options.ServiceName} answered 429: the connection pauses {pause.TotalSeconds:0} s and paces at {Pacer.CurrentRatePerMinute:0.#} requests/min.");
                    }
                });

        /// <summary>The connection's pacer, and with -ShareBudget the budget shared with other processes using this key.</summary>
        private async Task WaitForSlotAsync(CancellationToken cancellationToken)
        {
            if (Options.SharedBudget == null)
            {
                await Pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            var wait = Options.SharedBudget.Reserve(Pacer.Reserve());
            if (wait > TimeSpan.Zero)
            {
                ApiTrace.Debug($"Rate limiter (shared budget): waiting {wait.TotalSeconds:0.00} s for a request slot.");
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>The time a retry keeps for its own attempt: the attempt timeout, at most half of what is left.</summary>
        internal static TimeSpan RoomForAttempt(TimeSpan left, TimeSpan attemptTimeout) =>
            attemptTimeout < TimeSpan.FromTicks(left.Ticks / 2) ? attemptTimeout : TimeSpan.FromTicks(left.Ticks / 2);

        private async Task<AttemptResult> AttemptAsync(ResilienceContext context)
        {
            var request = context.Properties.GetValue(RequestKey, null!);
            var state = context.Properties.GetValue(StateKey, null!);
            var cancellationToken = context.CancellationToken;
            if (state.Attempts > 0 && !request.TokenRequest)
            {
                await WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
            }

            state.Attempts++;
            var refreshed = false;
            while (true)
            {
                using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptCts.CancelAfter(Options.AttemptTimeout);
                var watch = Stopwatch.StartNew();
                // A token request is how the token source gets its token: it never asks the source for one.
                var authorization = request.TokenRequest ? null : await _auth.GetHeaderValueAsync(cancellationToken).ConfigureAwait(false);
                if (authorization != null && HeaderRules.Problem(authorization) is string problem)
                {
                    // Refused here, not by the runtime mid-send: nothing reached the server, so this is a plain error.
                    throw new ApiException(ApiErrorKind.InvalidInput, $"The {Options.ServiceName} credential contains {problem}, which cannot go into a header; nothing was sent. Connect again with a corrected key or token.")
                    {
                        Method = request.Method,
                        RequestPath = request.PathAndQuery,
                        Attempts = state.Attempts,
                    };
                }

                if (ApiTrace.DebugEnabled)
                {
                    TraceRequest(request);
                }

                var content = request.JsonBody != null ? new TrackedContent(request.JsonBody) : null;
                try
                {
                    state.InFlight = true;
                    using var response = await SendOnceAsync(request, authorization, content, attemptCts.Token).ConfigureAwait(false);
                    var status = (int)response.StatusCode;
                    // A page asked for with PooledBody stays in a rented buffer; anything else (and any error
                    // body) is copied into an array of its own. Every byte is read under the attempt's token,
                    // so a body that stalls after the headers ends with the attempt timeout, the total timeout
                    // or Ctrl+C like any other wait.
                    var pooled = request.PooledBody && status >= 200 && status < 300;
                    // A download the request reads itself (a file streamed to disk) leaves an empty body here.
                    var own = request.ReadSuccess != null && status >= 200 && status < 300;
                    var (body, length, inPool) = own
                        ? await RequestBodies.ReadOwnAsync(request, response, attemptCts.Token).ConfigureAwait(false)
                        : await BodyReader.ReadAsync(response, pooled, Options.MaxResponseSize, request, Options.ServiceName, attemptCts.Token).ConfigureAwait(false);
                    pooled = inPool;
                    // The whole answer is here: whatever it says, this attempt is no longer in doubt.
                    state.InFlight = false;
                    state.LastStatus = status;

                    if (ApiTrace.VerboseEnabled)
                    {
                        ApiTrace.Verbose($"{request.Method} {request.PathAndQuery} → {status} ({watch.ElapsedMilliseconds} ms)");
                    }

                    if (ApiTrace.DebugEnabled)
                    {
                        // Only the excerpt's worth of bytes is decoded: a 500-row page is hundreds of KB.
                        // A token answer is never shown, not even redacted: it carries the new tokens.
                        ApiTrace.Debug(_redactor.Redact($"Response {status} {response.ReasonPhrase}, {length} bytes: {(request.TokenRequest ? "<not shown: it may carry a token>" : ApiErrorParser.Excerpt(_redactor.Redact(ApiErrorParser.SafeDecode(body, Math.Min(length, 4096))), response.Content.Headers.ContentType?.MediaType))}"));
                    }

                    if (status == 401 && !refreshed && !request.TokenRequest && await _auth.TryRefreshAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ApiTrace.Verbose("The access token was refreshed; sending the request again.");
                        refreshed = true;
                        if (pooled)
                        {
                            System.Buffers.ArrayPool<byte>.Shared.Return(body);
                        }

                        continue;
                    }

                    return new AttemptResult(
                        status,
                        response.ReasonPhrase,
                        body,
                        length,
                        pooled,
                        response.Content.Headers.ContentType?.MediaType,
                        RetryRules.RetryAfterOf(response),
                        status >= 300 && status < 400 ? response.Headers.Location : null);
                }
                catch (Exception ex) when (attemptCts.IsCancellationRequested && cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException) && !(ex is ApiException))
                {
                    // The read was cut off by Ctrl+C or the total timeout (a disposed stream says so as an
                    // I/O error): it is a cancellation, whatever the stream threw.
                    throw new OperationCanceledException(cancellationToken);
                }
                catch (Exception ex) when (attemptCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested && !(ex is ApiException) && content != null && !content.Started)
                {
                    // No connection was ready within the attempt timeout: the body was never written, so nothing was applied.
                    state.InFlight = false;
                    ApiTrace.Verbose($"{request.Method} {request.PathAndQuery} → no connection within {Options.AttemptTimeout.TotalSeconds:0.#} s; nothing was sent");
                    throw new RequestNotSentException($"no connection within the attempt timeout of {Options.AttemptTimeout.TotalSeconds:0.#} s; the request was not sent", ex, timedOut: true);
                }
                catch (Exception ex) when (attemptCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested && !(ex is ApiException))
                {
                    ApiTrace.Verbose($"{request.Method} {request.PathAndQuery} → no answer within {Options.AttemptTimeout.TotalSeconds:0.#} s");
                    throw new TimeoutException($"No answer within {Options.AttemptTimeout.TotalSeconds:0.#} s.");
                }
                catch (Exception ex) when ((ex is HttpRequestException || ex is System.IO.IOException) && content != null && !content.Started && !RetryRules.CertainlyNotSent(ex))
                {
                    // The connection failed before the body was written (a handshake cut off, a connection lost while
                    // waiting for it): the server never had the whole request, so nothing was applied.
                    state.InFlight = false;
                    ApiTrace.Verbose($"{request.Method} {request.PathAndQuery} → {RetryPolicy.Describe(ex)} before the request was sent ({watch.ElapsedMilliseconds} ms)");
                    throw new RequestNotSentException($"{RetryPolicy.Describe(ex)} before the request was sent", ex, timedOut: false);
                }
                catch (Exception ex) when (RetryRules.CertainlyNotSent(ex))
                {
                    // Connecting or the TLS handshake failed: the request never reached the server.
                    state.InFlight = false;
                    ApiTrace.Verbose($"{request.Method} {request.PathAndQuery} → {RetryPolicy.Describe(ex)} ({watch.ElapsedMilliseconds} ms)");
                    throw;
                }
                catch (HttpRequestException ex)
                {
                    ApiTrace.Verbose($"{request.Method} {request.PathAndQuery} → {RetryPolicy.Describe(ex)} ({watch.ElapsedMilliseconds} ms)");
                    throw;
                }
                catch (System.IO.IOException ex)
                {
                    ApiTrace.Verbose($"{request.Method} {request.PathAndQuery} → {RetryPolicy.Describe(ex)} ({watch.ElapsedMilliseconds} ms)");
                    throw;
                }
            }
        }

        /// <summary>
        /// Sends one attempt, async, and returns once the headers are in (the body is read by
        /// <see cref="BodyReader"/> under the attempt's token). An https request asks for HTTP/2
        /// (<see cref="HttpVersionChoice"/>).
        /// </summary>
        private async Task<HttpResponseMessage> SendOnceAsync(ApiRequest request, string? authorization, TrackedContent? content, CancellationToken cancellationToken)
        {
            using var message = NewMessage(request, authorization, HttpVersionChoice.WantsHttp2(request.Uri), content);
            return await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }

        private static HttpRequestMessage NewMessage(ApiRequest request, string? authorization, bool http2, TrackedContent? content = null)
        {
            var message = new HttpRequestMessage(MethodOf(request.Method), request.Uri);
            if (http2)
            {
                HttpVersionChoice.AskForHttp2(message);
            }

            if (authorization != null)
            {
                message.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            message.Content = RequestBodies.ContentOf(request, content);

            return message;
        }


        /// <summary>
        /// The runtime's own instances for the usual methods: no allocation per request, and the handler finds
        /// their pre-encoded form (HTTP/2's static header table) without looking the name up.
        /// </summary>
        private static HttpMethod MethodOf(string method) => method switch
        {
            "GET" => HttpMethod.Get,
            "POST" => HttpMethod.Post,
            "PUT" => HttpMethod.Put,
            "DELETE" => HttpMethod.Delete,
            "PATCH" => Patch,
            _ => new HttpMethod(method),
        };

        private static readonly HttpMethod Patch = new HttpMethod("PATCH");

        private void TraceRequest(ApiRequest request)
        {
            var text = new StringBuilder();
            text.Append("Request ").Append(request.Method).Append(' ').Append(request.Uri.GetLeftPart(UriPartial.Path)).Append(request.Uri.Query);
            if (!request.TokenRequest)
            {
                text.Append(" Authorization: ").Append(_auth.RedactedHeaderValue);
            }

            text.Append(RequestBodies.Describe(request));

            ApiTrace.Debug(_redactor.Redact(text.ToString()));
        }

        private sealed class AttemptState
        {
            public int Attempts;

            /// <summary>An attempt was sent and its answer is not complete: it may have reached the server.</summary>
            public bool InFlight;

            /// <summary>The status of the last complete answer, if any.</summary>
            public int? LastStatus;
        }

        private sealed class AttemptResult : IAttemptAnswer
        {
            public AttemptResult(int statusCode, string? reasonPhrase, byte[] body, int length, bool pooled, string? contentType, TimeSpan? retryAfter, Uri? location)
            {
                Location = location;
                StatusCode = statusCode;
                ReasonPhrase = reasonPhrase;
                Body = body;
                Length = length;
                ContentType = contentType;
                RetryAfter = retryAfter;
                Pooled = pooled;
            }

            public int StatusCode { get; }
            public string? ReasonPhrase { get; }
            /// <summary>The body: exactly <see cref="Length"/> bytes, or a pooled buffer holding them.</summary>
            public byte[] Body { get; }
            public int Length { get; }
            public bool Pooled { get; }
            public string? ContentType { get; }
            public TimeSpan? RetryAfter { get; }
            public Uri? Location { get; }
        }
    }
}
