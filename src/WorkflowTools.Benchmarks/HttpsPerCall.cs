using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace WorkflowTools.Benchmarks;

/// <summary>
/// (1h) The per-call cost over https on loopback, which is what users of the real services pay: a TLS
/// Kestrel server offering HTTP/1.1 and HTTP/2 answers GET /api/instances/{id}/. Sequential
/// Get-NmInstance -Id in a real engine against raw HttpClient loops: async over HTTP/2 (what the module
/// asks for), the same awaited by one blocking thread (what a pipeline thread does), async over HTTP/1.1, and the synchronous Send over HTTP/1.1 (the module sends async only;
/// this row shows what a synchronous send would be worth). The module trusts the server's throw-away certificate
/// through the current user's root store for the run only.
/// </summary>
public static class HttpsPerCall
{
    public static async Task<string> RunAsync(int calls, int repeats, Action<string> log)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        using var publicOnly = X509CertificateLoader.LoadCertificate(created.Export(X509ContentType.Cert));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http1AndHttp2;
            o.UseHttps(certificate);
        }));
        await using var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "application/json";
            var id = context.Request.Path.Value!.Trim('/').Split('/').Last();
            return context.Response.WriteAsync("{\"id\":" + id + ",\"name\":\"Bench https\",\"status\":\"running\",\"process\":\"https://x/api/processes/1/\",\"progress\":0.5,\"started_time\":\"2026-11-30T10:00:00Z\"}");
        });
        await app.StartAsync();
        var root = new Uri(app.Urls.First() + "/");
        var baseUri = new Uri(root, "api/");

        using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(publicOnly);
        try
        {
            using var engine = new Engine();
            engine.Connect(baseUri, "bench.https-key");
            var ids = Enumerable.Range(1, calls).Select(i => (long)i).ToArray();
            engine.Set("ids", ids);
            var hash = certificate.GetCertHashString();
            HttpClient Raw(Version version) => new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c != null && c.GetCertHashString() == hash },
            })
            {
                DefaultRequestVersion = version,
                DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            using var raw2 = Raw(HttpVersion.Version20);
            using var raw11 = Raw(HttpVersion.Version11);
            foreach (var c in new[] { raw2, raw11 })
            {
                c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Api-Key bench.https-key");
                c.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            }

            var module = new List<double>();
            var async2 = new List<double>();
            var waited2 = new List<double>();
            var async11 = new List<double>();
            var sync11 = new List<double>();
            string? protocol = null;
            for (var run = 0; run < repeats + 2; run++)
            {
                var m = Time(() =>
                {
                    var r = engine.Run("@($ids | Get-NmInstance).Count").ThrowIfErrors("Get-NmInstance over https");
                    if (Convert.ToInt32(r.Output[0].BaseObject, CultureInfo.InvariantCulture) != calls)
                    {
                        throw new InvalidOperationException("Get-NmInstance over https read the wrong number of instances.");
                    }
                });
                var a2 = await TimeAsync(async () =>
                {
                    foreach (var id in ids)
                    {
                        using var response = await raw2.GetAsync(new Uri(baseUri, $"instances/{id}/"));
                        protocol ??= "HTTP/" + response.Version;
                        _ = (await response.Content.ReadAsByteArrayAsync()).Length;
                    }
                });
                // The same client awaited by one thread that blocks until each answer is in, as a cmdlet's
                // pipeline thread does: the wake-up of the waiting thread per call is what any synchronous
                // caller pays, whatever library it calls.
                var w2 = TimeOnOneThread(() =>
                {
                    foreach (var id in ids)
                    {
                        using var response = raw2.GetAsync(new Uri(baseUri, $"instances/{id}/")).GetAwaiter().GetResult();
                        _ = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult().Length;
                    }
                });
                var a11 = await TimeAsync(async () =>
                {
                    foreach (var id in ids)
                    {
                        using var response = await raw11.GetAsync(new Uri(baseUri, $"instances/{id}/"));
                        _ = (await response.Content.ReadAsByteArrayAsync()).Length;
                    }
                });
                var s11 = Time(() =>
                {
                    foreach (var id in ids)
                    {
                        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"instances/{id}/")) { Version = HttpVersion.Version11 };
                        using var response = raw11.Send(message, HttpCompletionOption.ResponseContentRead);
                        _ = response.Content.ReadAsStream().Length;
                    }
                });
                if (run >= 2)
                {
                    module.Add(m);
                    async2.Add(a2);
                    waited2.Add(w2);
                    async11.Add(a11);
                    sync11.Add(s11);
                }
            }

            string Us(List<double> v) => (BenchmarkSuite.Median(v) * 1e6 / calls).ToString("0", CultureInfo.InvariantCulture) + " µs";
            var line = $"https per call ({calls:N0} sequential GETs, medians of {repeats} runs after 2 warm-ups; raw HTTP/2 client negotiated {protocol}): " +
                $"Get-NmInstance {Us(module)}; raw async HTTP/2 {Us(async2)}; raw HTTP/2 waited for on one thread {Us(waited2)}; raw async HTTP/1.1 {Us(async11)}; raw sync Send HTTP/1.1 {Us(sync11)}; " +
                $"module / raw HTTP/2 = {BenchmarkSuite.Median(module) / BenchmarkSuite.Median(async2):0.00}×; module / raw HTTP/2 waited for = {BenchmarkSuite.Median(module) / BenchmarkSuite.Median(waited2):0.00}×; sync / async HTTP/1.1 = {BenchmarkSuite.Median(sync11) / BenchmarkSuite.Median(async11):0.00}×";
            log(line);
            return line;
        }
        finally
        {
            store.Remove(publicOnly);
            await app.StopAsync();
        }
    }

    /// <summary>Times <paramref name="work"/> on a thread of its own (not a pool thread), which blocks while it waits.</summary>
    private static double TimeOnOneThread(Action work)
    {
        var seconds = 0.0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                seconds = Time(work);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null)
        {
            throw new InvalidOperationException("The raw loop on one thread failed.", failure);
        }

        return seconds;
    }

    private static double Time(Action work)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        work();
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalSeconds;
    }
}
