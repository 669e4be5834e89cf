using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>HTTP helpers: clients pre-authenticated for each platform and JSON shortcuts.</summary>
internal static class TestSupport
{
    public static HttpClient NmClient(SandboxServer s, string? key = null)
    {
        var c = new HttpClient { BaseAddress = s.NextMatterBaseUri, Timeout = TimeSpan.FromSeconds(20) };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Api-Key", key ?? s.NextMatterApiKey);
        return c;
    }

    public static HttpClient PmClient(SandboxServer s, string? token = null)
    {
        var c = new HttpClient { BaseAddress = s.ProcessMakerBaseUri, Timeout = TimeSpan.FromSeconds(20) };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? s.ProcessMakerToken);
        return c;
    }

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<(int Status, JsonNode? Body, string Text)> SendAsync(this HttpClient c, HttpMethod method, string url, string? json = null)
    {
        using var req = new HttpRequestMessage(method, url);
        if (json != null) req.Content = JsonBody(json);
        using var resp = await c.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        JsonNode? node = null;
        if (text.Length > 0 && resp.Content.Headers.ContentType?.MediaType == "application/json") node = JsonNode.Parse(text);
        return ((int)resp.StatusCode, node, text);
    }

    public static Task<(int Status, JsonNode? Body, string Text)> GetAsync2(this HttpClient c, string url) => c.SendAsync(HttpMethod.Get, url);
    public static Task<(int Status, JsonNode? Body, string Text)> PostAsync2(this HttpClient c, string url, string json) => c.SendAsync(HttpMethod.Post, url, json);
    public static Task<(int Status, JsonNode? Body, string Text)> PutAsync2(this HttpClient c, string url, string json) => c.SendAsync(HttpMethod.Put, url, json);

    public const string CreateOnboarding = "{\"process\":\"https://core.nextmatter.com/api/processes/1/\",\"name\":\"Test\"}";
}
