using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.IO;

namespace WorkflowTools.UnitTests.Support
{
    /// <summary>What a look-alike server saw of one request.</summary>
    public sealed record SeenRequest(string Method, string PathAndQuery, string? Authorization, IReadOnlyDictionary<string, string> Headers, string Body, int LocalPort);

    /// <summary>
    /// A server on 127.0.0.1, port 0, that answers as a test tells it to: the attacker's side of a
    /// hardening test. Plain http or https (a throw-away certificate, HTTP/1.1 and HTTP/2 offered).
    /// Every request it sees is recorded, with its Authorization header. Disposing it aborts whatever
    /// its handlers still wait for.
    /// </summary>
    public sealed class LookAlikeServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly X509Certificate2? _certificate;

        private LookAlikeServer(WebApplication app, X509Certificate2? certificate)
        {
            _app = app;
            _certificate = certificate;
        }

        public ConcurrentQueue<SeenRequest> Seen { get; } = new ConcurrentQueue<SeenRequest>();

        /// <summary>The server's root, e.g. <c>https://127.0.0.1:40123/</c>.</summary>
        public Uri Root { get; private set; } = null!;

        public int Port => Root.Port;

        /// <summary>Cancelled when the test is over: handlers that stall wait on it.</summary>
        public CancellationToken Stopping => _stopping.Token;

        public bool Https => _certificate != null;

        public static async Task<LookAlikeServer> StartAsync(Func<HttpContext, LookAlikeServer, Task> handler, bool https = false, HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
        {
            var certificate = https ? CreateCertificate() : null;
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.AllowSynchronousIO = false;
                k.Listen(IPAddress.Loopback, 0, o =>
                {
                    if (certificate != null)
                    {
                        o.Protocols = protocols;
                        o.UseHttps(certificate);
                    }
                    else
                    {
                        o.Protocols = HttpProtocols.Http1;
                    }
                });
            });
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
            var app = builder.Build();
            var server = new LookAlikeServer(app, certificate);
            app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                server.Seen.Enqueue(new SeenRequest(
                    context.Request.Method,
                    context.Request.Path + context.Request.QueryString,
                    context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null,
                    headers,
                    body,
                    context.Connection.LocalPort));
                await handler(context, server);
            });
            await app.StartAsync();
            server.Root = new Uri(app.Urls.First().Replace("[::1]", "127.0.0.1") + "/");
            return server;
        }

        /// <summary>A handler the runtime provides, trusting this server's certificate only.</summary>
        public HttpMessageHandler TrustingHandler()
        {
            var hash = _certificate?.GetCertHashString();
            return new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => hash != null && cert != null && cert.GetCertHashString() == hash },
            };
        }

        /// <summary>Writes a JSON answer.</summary>
        public static Task Json(HttpContext context, string json, int status = 200)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(json);
        }

        /// <summary>Sends the headers and the first part of a body of <paramref name="announced"/> bytes, then waits until the test is over.</summary>
        public async Task StallBody(HttpContext context, int status = 200, int announced = 1000, string first = "{\"results\":[")
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = announced;
            await context.Response.WriteAsync(first);
            await context.Response.Body.FlushAsync();
            using var both = CancellationTokenSource.CreateLinkedTokenSource(Stopping, context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.Infinite, both.Token);
            }
            catch (OperationCanceledException)
            {
            }

            context.Abort();
        }

        public async ValueTask DisposeAsync()
        {
            _stopping.Cancel();
            await _app.StopAsync();
            await _app.DisposeAsync();
            _certificate?.Dispose();
            _stopping.Dispose();
        }

        /// <summary>A self-signed server certificate for 127.0.0.1 (with its private key), valid for a day either side of now.</summary>
        internal static X509Certificate2 CreateCertificate()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        }
    }
}
