using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using Xunit.Abstractions;

namespace WorkflowTools.UnitTests.Hardening2
{
    /// <summary>
    /// Issue 26 item 8: what a write sees when the server closes a kept-alive connection. A raw TCP server on
    /// loopback answers the first request (a read) with keep-alive, then does what the case says with the
    /// connection; the write follows on the pooled connection.
    /// </summary>
    public class ClosedConnectionTests
    {
        private readonly ITestOutputHelper _log;

        public ClosedConnectionTests(ITestOutputHelper log)
        {
            _log = log;
        }

        public enum Close
        {
            /// <summary>FIN right after the first answer, while the connection is idle.</summary>
            IdleFin,
            /// <summary>RST right after the first answer, while the connection is idle.</summary>
            IdleReset,
            /// <summary>When the second request's first bytes arrive: RST, nothing answered, nothing applied.</summary>
            ResetOnArrival,
            /// <summary>When the second request's first bytes arrive: FIN, nothing answered, nothing applied.</summary>
            FinOnArrival,
        }

        private sealed class RawServer : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private readonly Close _close;
            public int Connections;
            public int Applied;
            public int DroppedUnanswered;

            public RawServer(Close close)
            {
                _close = close;
                _listener.Start();
                _ = AcceptAsync();
            }

            public Uri Root => new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/api/");

            private async Task AcceptAsync()
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    var n = Interlocked.Increment(ref Connections);
                    _ = ServeAsync(client, n);
                }
            }

            private async Task ServeAsync(TcpClient client, int number)
            {
                using var _ = client;
                var stream = client.GetStream();
                var buffer = new byte[65536];
                var served = 0;
                try
                {
                    while (true)
                    {
                        var text = new StringBuilder();
                        while (!text.ToString().Contains("\r\n\r\n"))
                        {
                            var read = await stream.ReadAsync(buffer, _stop.Token);
                            if (read == 0)
                            {
                                return;
                            }

                            if (number == 1 && served == 1 && (_close == Close.ResetOnArrival || _close == Close.FinOnArrival))
                            {
                                // The write arrived on the kept-alive connection: drop it unanswered, apply nothing.
                                Interlocked.Increment(ref DroppedUnanswered);
                                if (_close == Close.ResetOnArrival)
                                {
                                    client.Client.LingerState = new LingerOption(true, 0);
                                }

                                client.Client.Close();
                                return;
                            }

                            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                        }

                        var head = text.ToString();
                        var length = 0;
                        foreach (var line in head.Split("\r\n"))
                        {
                            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                            {
                                length = int.Parse(line.Substring(15).Trim());
                            }
                        }

                        var have = Encoding.ASCII.GetByteCount(head) - (head.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4);
                        while (have < length)
                        {
                            have += await stream.ReadAsync(buffer, _stop.Token);
                        }

                        var post = head.StartsWith("POST", StringComparison.Ordinal);
                        if (post)
                        {
                            Interlocked.Increment(ref Applied);
                        }

                        var body = post ? "{\"id\":7,\"name\":\"x\",\"status\":\"running\"}" : "{\"id\":1}";
                        var answer = $"HTTP/1.1 {(post ? 201 : 200)} OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                        served++;
                        if (number == 1 && served == 1 && (_close == Close.IdleFin || _close == Close.IdleReset))
                        {
                            await Task.Delay(50);
                            if (_close == Close.IdleReset)
                            {
                                client.Client.LingerState = new LingerOption(true, 0);
                            }

                            client.Client.Close();
                            return;
                        }
                    }
                }
                catch (Exception)
                {
                }
            }

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
            }
        }

        private static string Chain(Exception? e)
        {
            var parts = new List<string>();
            for (; e != null; e = e.InnerException)
            {
                var extra = e is SocketException s ? $"[{s.SocketErrorCode}]" : string.Empty;
                var error = e.GetType().GetProperty("HttpRequestError")?.GetValue(e);
                parts.Add($"{e.GetType().Name}{extra}{(error != null ? "[" + error + "]" : string.Empty)}: {e.Message}");
            }

            return string.Join(" <- ", parts);
        }

        [Theory]
        [InlineData(Close.IdleFin)]
        [InlineData(Close.IdleReset)]
        [InlineData(Close.ResetOnArrival)]
        [InlineData(Close.FinOnArrival)]
        public async Task A_write_after_the_server_closed_the_kept_alive_connection(Close close)
        {
            using var server = new RawServer(close);
            using var api = new ApiClient(new ConnectionSettings { BaseUri = server.Root, MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(10) }, new WorkflowTools.Connections.SecretAuthorization("Api-Key", WorkflowTools.Connections.SecretAuthorization.FromPlainText("closed.key")));

            using (await api.SendAsync(new ApiRequest("GET", api.Resolve("processes/1/")), CancellationToken.None))
            {
            }

            await Task.Delay(300);
            string outcome;
            try
            {
                using var created = await api.SendAsync(new ApiRequest("POST", api.Resolve("instances/"), Encoding.UTF8.GetBytes("{\"name\":\"x\"}"), idempotent: false), CancellationToken.None);
                outcome = "created " + created.StatusCode;
            }
            catch (ApiException e)
            {
                outcome = e.Kind + " " + Chain(e);
            }

            _log.WriteLine($"{close}: {outcome}; connections {server.Connections}, applied {server.Applied}, dropped unanswered {server.DroppedUnanswered}");
            if (close == Close.IdleFin || close == Close.IdleReset)
            {
                // The runtime sees that the pooled connection is gone before it uses it, and opens a new one: created once.
                Assert.StartsWith("created 201", outcome);
                Assert.Equal(1, server.Applied);
                Assert.Equal(2, server.Connections);
            }
            else
            {
                // The request was written and the server read it before closing: from the client's side this is
                // the same as a server that applied it and then failed, so it stays OutcomeUnknown, never resent.
                Assert.StartsWith("OutcomeUnknown", outcome);
                Assert.Equal(1, server.DroppedUnanswered);
                Assert.Equal(1, server.Connections);
            }
        }

        /// <summary>Accepts connections and never answers (a stalled TLS handshake), or closes each after a moment.</summary>
        private sealed class SilentServer : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private readonly List<TcpClient> _held = new List<TcpClient>();
            public int Connections;

            public SilentServer(bool closeSoon)
            {
                _listener.Start();
                _ = AcceptAsync(closeSoon);
            }

            public Uri Root => new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/api/");

            private async Task AcceptAsync(bool closeSoon)
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                        Interlocked.Increment(ref Connections);
                        lock (_held)
                        {
                            _held.Add(client);
                        }

                        if (closeSoon)
                        {
                            _ = Task.Delay(100).ContinueWith(_ => client.Close());
                        }
                    }
                    catch (Exception)
                    {
                        return;
                    }
                }
            }

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
                lock (_held)
                {
                    _held.ForEach(c => c.Dispose());
                }
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task A_write_whose_connection_never_got_ready_was_not_sent_and_is_retried(bool closeSoon)
        {
            // A create counts as possibly applied only once the handler began to write its body (TrackedContent): a
            // connection that never got ready (a handshake that stalls or breaks) left nothing of it on the server,
            // so it is retried and ends as a plain Timeout or Network error, never OutcomeUnknown.
            using var server = new SilentServer(closeSoon);
            using var api = new ApiClient(new ConnectionSettings { BaseUri = server.Root, MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(10), AttemptTimeout = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(30) }, new WorkflowTools.Connections.SecretAuthorization("Api-Key", WorkflowTools.Connections.SecretAuthorization.FromPlainText("closed.key")));

            var error = await Assert.ThrowsAsync<ApiException>(() => api.SendAsync(new ApiRequest("POST", api.Resolve("instances/"), Encoding.UTF8.GetBytes("{\"name\":\"x\"}"), idempotent: false), CancellationToken.None));

            _log.WriteLine($"close soon {closeSoon}: {error.Kind} {Chain(error)}; connections {server.Connections}");
            Assert.NotEqual(ApiErrorKind.OutcomeUnknown, error.Kind);
            Assert.Equal(closeSoon ? ApiErrorKind.Network : ApiErrorKind.Timeout, error.Kind);
            Assert.Contains(closeSoon ? "before the request was sent" : "the request was not sent", error.Message);
            Assert.Contains("after 3 attempt(s)", error.Message);
            Assert.InRange(server.Connections, 1, 3);
        }
    }
}
