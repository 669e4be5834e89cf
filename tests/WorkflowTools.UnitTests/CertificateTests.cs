using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.UnitTests.Support;

namespace WorkflowTools.UnitTests
{
    /// <summary>A certificate the machine does not trust is an error, reported at once and never retried.</summary>
    public class CertificateTests
    {
        [Fact]
        public async Task An_untrusted_certificate_fails_without_retries()
        {
            using var certificate = LookAlikeServer.CreateCertificate(); // self-signed: this machine does not trust it
            var hits = 0;
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
            await using var app = builder.Build();
            app.Run(context =>
            {
                Interlocked.Increment(ref hits);
                return context.Response.WriteAsync("{}");
            });
            await app.StartAsync();
            var address = new Uri(app.Urls.First());

            using var connection = NmConnection.Create(new Uri(address, "/api/"), SecretAuthorization.FromPlainText("a.b"), new ConnectionSettings { MaxRetries = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
            var ex = await Assert.ThrowsAsync<ApiException>(() => connection.Client.GetInstanceAsync(1, false, CancellationToken.None));
            Assert.Equal(ApiErrorKind.Certificate, ex.Kind);
            Assert.Equal(1, ex.Attempts);
            Assert.Equal(0, hits);
            Assert.Contains("SSL", ex.Message);
            Assert.Contains("TLS handshake failed", ex.Message);

            // Issue 17 item 8: a create refused at the handshake never reached the server: a plain error, not OutcomeUnknown.
            var create = await Assert.ThrowsAsync<ApiException>(() => connection.Client.CreateInstanceAsync(new WorkflowTools.NextMatter.NmNewInstance { ProcessId = 1, Name = "tls" }, CancellationToken.None));
            Assert.Equal(ApiErrorKind.Certificate, create.Kind);
            Assert.Equal(0, hits);
            await app.StopAsync();
        }
    }
}
