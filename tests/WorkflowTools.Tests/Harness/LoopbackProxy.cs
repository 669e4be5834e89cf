using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace WorkflowTools.Tests.Harness
{
    /// <summary>
    /// A forward HTTP proxy on 127.0.0.1 for plain-http targets on this machine: it records each
    /// connection's first request line and Proxy-Authorization header, optionally demands Basic
    /// credentials (407), and then pipes bytes both ways. Only loopback targets are accepted.
    /// </summary>
    public sealed class LoopbackProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly string? _requiredAuthorization;

        public LoopbackProxy(string? user = null, string? password = null)
        {
            if (user != null)
            {
                _requiredAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
            }

            _listener.Start();
            _ = AcceptLoop();
        }

        public Uri Uri => new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        /// <summary>The first request line of every connection, e.g. "POST http://127.0.0.1:5/x HTTP/1.1".</summary>
        public ConcurrentQueue<string> RequestLines { get; } = new ConcurrentQueue<string>();

        /// <summary>How many requests were refused with 407 for lack of credentials.</summary>
        public int Challenges => _challenges;

        private int _challenges;

        private async Task AcceptLoop()
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

                _ = Serve(client);
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    while (true)
                    {
                        var head = await ReadHead(stream);
                        if (head == null)
                        {
                            return;
                        }

                        var lines = head.Split("\r\n");
                        var auth = lines.FirstOrDefault(l => l.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase))?.Substring(20).Trim();
                        if (_requiredAuthorization != null && auth != _requiredAuthorization)
                        {
                            Interlocked.Increment(ref _challenges);
                            await DrainBody(stream, lines);
                            var refusal = Encoding.ASCII.GetBytes("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n");
                            await stream.WriteAsync(refusal);
                            continue;
                        }

                        RequestLines.Enqueue(lines[0]);
                        var target = new Uri(lines[0].Split(' ')[1]);
                        if (!IPAddress.IsLoopback(IPAddress.Parse(target.Host)))
                        {
                            return;
                        }

                        using var upstream = new TcpClient();
                        await upstream.ConnectAsync(IPAddress.Loopback, target.Port);
                        var up = upstream.GetStream();
                        // Servers must accept the absolute-form target, so the head goes on as it came, minus the proxy's header.
                        var forwarded = string.Join("\r\n", lines.Where(l => !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))) + "\r\n\r\n";
                        await up.WriteAsync(Encoding.ASCII.GetBytes(forwarded));
                        var toServer = stream.CopyToAsync(up);
                        var toClient = up.CopyToAsync(stream);
                        await Task.WhenAny(toServer, toClient);
                        return;
                    }
                }
                catch (Exception)
                {
                    // A client that goes away is not the test's business.
                }
            }
        }

        private static async Task<string?> ReadHead(NetworkStream stream)
        {
            var buffer = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await stream.ReadAsync(one) == 0)
                {
                    return null;
                }

                buffer.Add(one[0]);
                var n = buffer.Count;
                if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n')
                {
                    return Encoding.ASCII.GetString(buffer.ToArray(), 0, n - 4);
                }
            }
        }

        private static async Task DrainBody(NetworkStream stream, string[] lines)
        {
            var length = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            if (length != null && int.TryParse(length.Substring(15).Trim(), out var count) && count > 0)
            {
                var body = new byte[count];
                var read = 0;
                while (read < count)
                {
                    var r = await stream.ReadAsync(body.AsMemory(read));
                    if (r == 0)
                    {
                        break;
                    }

                    read += r;
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
