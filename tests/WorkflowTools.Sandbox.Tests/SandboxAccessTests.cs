using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// Issue 26 item 5: the control API needs the sandbox's random control token; every route answers only a
/// loopback Host (a DNS-rebinding page sends its own name).
/// </summary>
public sealed class SandboxAccessTests
{
    /// <summary>A client for the control API, with the sandbox's token.</summary>
    internal static HttpClient Control(SandboxServer s)
    {
        var c = new HttpClient { BaseAddress = new Uri(s.NextMatterBaseUri, "/_sandbox/"), Timeout = TimeSpan.FromSeconds(20) };
        c.DefaultRequestHeaders.Add(SandboxAccess.TokenHeader, s.ControlToken);
        return c;
    }

    [Theory]
    [InlineData("GET", "health")]
    [InlineData("GET", "requests")]
    [InlineData("DELETE", "requests")]
    [InlineData("GET", "faults")]
    [InlineData("POST", "faults")]
    [InlineData("DELETE", "faults")]
    [InlineData("GET", "clock")]
    [InlineData("POST", "clock")]
    [InlineData("POST", "shutdown")]
    [InlineData("POST", "reset")]
    [InlineData("GET", "anything/added/later")]
    public async Task Every_control_route_needs_the_token(string method, string path)
    {
        await using var s = await SandboxServer.StartAsync();
        foreach (var token in new[] { null, "", "wrong", s.ControlToken + "x", s.ControlToken.ToUpperInvariant() })
        {
            using var c = new HttpClient { BaseAddress = new Uri(s.NextMatterBaseUri, "/_sandbox/") };
            if (token != null) c.DefaultRequestHeaders.TryAddWithoutValidation(SandboxAccess.TokenHeader, token);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST") request.Content = new StringContent("{\"spec\":\"kind=html\",\"advance\":\"PT1H\"}", Encoding.UTF8, "application/json");
            using var response = await c.SendAsync(request);
            Assert.Equal(401, (int)response.StatusCode);
            Assert.Contains(SandboxAccess.TokenHeader, await response.Content.ReadAsStringAsync());
        }

        Assert.Empty(s.Faults.Rules);
        Assert.Equal(SandboxOptions.DefaultClockStart, s.Clock.Now);
        using var good = Control(s);
        Assert.Equal(200, (await good.GetAsync2("health")).Status);
    }

    [Fact]
    public async Task Two_sandboxes_have_different_tokens_and_one_token_does_not_open_the_other()
    {
        await using var a = await SandboxServer.StartAsync();
        await using var b = await SandboxServer.StartAsync();
        Assert.NotEqual(a.ControlToken, b.ControlToken);
        Assert.True(a.ControlToken.Length >= 40);
        using var c = new HttpClient { BaseAddress = new Uri(b.NextMatterBaseUri, "/_sandbox/") };
        c.DefaultRequestHeaders.Add(SandboxAccess.TokenHeader, a.ControlToken);
        Assert.Equal(401, (await c.GetAsync2("health")).Status);
    }

    [Theory]
    [InlineData("/_sandbox/health", true)]
    [InlineData("/nextmatter/api/processes/1/", false)]
    [InlineData("/processmaker/api/1.0/processes", false)]
    [InlineData("/processmaker/oauth/token", false)]
    public async Task Every_route_refuses_a_host_that_is_not_loopback(string path, bool control)
    {
        await using var s = await SandboxServer.StartAsync();
        foreach (var host in new[] { "evil.example", "evil.example:" + s.NextMatterBaseUri.Port, "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.1", "0.0.0.0" })
        {
            var (status, text) = await Raw(s, path, host, control ? s.ControlToken : null);
            Assert.Equal(400, status);
            Assert.Contains("Host 127.0.0.1, localhost or [::1]", text);
        }

        foreach (var host in new[] { "127.0.0.1", "127.0.0.1:" + s.NextMatterBaseUri.Port, "localhost:" + s.NextMatterBaseUri.Port, "LOCALHOST", "[::1]:" + s.NextMatterBaseUri.Port })
        {
            var (status, _) = await Raw(s, path, host, control ? s.ControlToken : null);
            Assert.NotEqual(400, status);
        }
    }

    /// <summary>One HTTP/1.1 request written by hand, so the Host header is exactly what the test says.</summary>
    private static async Task<(int Status, string Text)> Raw(SandboxServer s, string path, string host, string? token)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", s.NextMatterBaseUri.Port);
        await using var stream = tcp.GetStream();
        var head = $"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Api-Key {s.NextMatterApiKey}\r\n"
            + (token != null ? $"{SandboxAccess.TokenHeader}: {token}\r\n" : "") + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var status = int.Parse(text.Split(' ')[1]);
        return (status, text);
    }

    [Fact]
    public async Task The_ready_file_holds_the_token_and_only_its_owner_may_read_it()
    {
        var ready = Path.Combine(Path.GetTempPath(), "wt-ready-" + Guid.NewGuid().ToString("N") + ".json");
        await using var s = await SandboxServer.StartAsync(new SandboxOptions { ReadyFile = ready });
        try
        {
            SandboxCommandLineExtras.Started(s);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(ready));
            Assert.Equal(s.ControlToken, doc.RootElement.GetProperty("controlToken").GetString());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ready));
            }
        }
        finally
        {
            File.Delete(ready);
        }
    }
}
