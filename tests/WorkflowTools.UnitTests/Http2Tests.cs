using WorkflowTools.UnitTests.Support;
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
using WorkflowTools.Connections;
using WorkflowTools.Http;

namespace WorkflowTools.UnitTests
{
    /// <summary>HTTP/2 where the server offers it (https), HTTP/1.1 where it does not; plain http stays on 1.1.</summary>
    public class Http2Tests
    {
        private static ApiClient Client(Uri baseUri, HttpMessageHandler handler) =>
            new ApiClient(new ConnectionSettings { BaseUri = baseUri, MaxRetries = 0 }, new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText("a.b")), handler);

        [Theory]
        [InlineData("https://example.invalid/api/", "2.0", "RequestVersionOrLower")]
        [InlineData("http://example.invalid/api/", "1.1", "RequestVersionOrLower")]
        public async Task An_https_request_asks_for_http2_and_accepts_less(string baseUri, string version, string policy)
        {
            var recorder = new Recorder();
            using var api = Client(new Uri(baseUri), recorder);
            await api.SendAsync(new ApiRequest("GET", api.Resolve("instances/1/")), CancellationToken.None);
            Assert.Equal(Version.Parse(version), recorder.Version);
            Assert.Equal(policy, recorder.Policy);
        }

        [Theory]
        [InlineData(HttpProtocols.Http1AndHttp2, "HTTP/2")]
        [InlineData(HttpProtocols.Http1, "HTTP/1.1")]
        public async Task The_protocol_is_what_the_server_offers(HttpProtocols offered, string expected)
        {
            using var serverCertificate = LookAlikeServer.CreateCertificate();
            var certificate = serverCertificate;
            var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
            {
                o.Protocols = offered;
                o.UseHttps(serverCertificate);
            }));
            await using var app = builder.Build();
            app.Run(context =>
            {
                seen.Enqueue(context.Request.Protocol);
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync("{\"id\":1}");
            });
            await app.StartAsync();
            var address = new Uri(app.Urls.First());

            // The handler is the runtime's own, told to trust this one test certificate.
            var handler = new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert != null && cert.GetCertHashString() == certificate.GetCertHashString() },
            };
            using var api = Client(new Uri(address, "/api/"), handler);
            await api.SendAsync(new ApiRequest("GET", api.Resolve("instances/1/")), CancellationToken.None);

            await api.SendAsync(new ApiRequest("GET", api.Resolve("instances/2/")), CancellationToken.None);
            Assert.Equal(new[] { expected, expected }, seen.ToArray());
        }

        private sealed class Recorder : HttpMessageHandler
        {
            public Version? Version { get; private set; }

            public string? Policy { get; private set; }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Version = request.Version;
                Policy = request.VersionPolicy.ToString();
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}"), RequestMessage = request });
            }
        }
    }
}
