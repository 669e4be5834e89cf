using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>Issue 26 item 4: the request log never keeps the OAuth credentials a script sent.</summary>
public sealed class RequestLogRedactionTests
{
    [Fact]
    public async Task The_password_grant_and_the_refresh_grant_are_logged_without_their_secrets()
    {
        await using var s = await SandboxServer.StartAsync();
        using var http = new HttpClient();
        var tokenUrl = new Uri(s.ProcessMakerInstanceUri, "oauth/token");
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = ProcessMakerStore.OAuthClientId,
            ["client_secret"] = "Real-Client-S3cret",
            ["username"] = "admin",
            ["password"] = "Real P4ss+word!",
        };
        using (await http.PostAsync(tokenUrl, new FormUrlEncodedContent(form))) { }
        using (await http.PostAsync(tokenUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "Refresh-T0ken-xyz", ["client_id"] = "1", ["client_secret"] = "Real-Client-S3cret" }))) { }
        using (await http.PostAsync(tokenUrl, new StringContent("{\"grant_type\":\"password\",\"username\":\"admin\",\"password\":\"Json-P4ss\",\"client_secret\":\"Json-S3cret\"}", Encoding.UTF8, "application/json"))) { }

        var logged = s.Requests.All.Where(r => r.Path.EndsWith("/oauth/token", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, logged.Count);
        var all = string.Join("\n", logged.Select(r => r.Body));
        foreach (var secret in new[] { "Real-Client-S3cret", "P4ss", "Refresh-T0ken-xyz", "Json-P4ss", "Json-S3cret" })
        {
            Assert.DoesNotContain(secret, all);
        }

        Assert.Contains("password=[redacted]", logged[0].Body);
        Assert.Contains("client_secret=[redacted]", logged[0].Body);
        Assert.Contains("username=admin", logged[0].Body);
        Assert.Contains("grant_type=password", logged[0].Body);
        Assert.Contains("refresh_token=[redacted]", logged[1].Body);
        Assert.Contains("\"password\":\"[redacted]\"", logged[2].Body);
        Assert.Contains("\"username\":\"admin\"", logged[2].Body);
    }

    [Fact]
    public async Task Other_bodies_are_logged_as_received()
    {
        await using var s = await SandboxServer.StartAsync();
        using var nm = TestSupport.NmClient(s);
        await nm.PostAsync2("instances/", TestSupport.CreateOnboarding);
        Assert.Equal(TestSupport.CreateOnboarding, s.Requests.All.Single().Body);
    }
}
