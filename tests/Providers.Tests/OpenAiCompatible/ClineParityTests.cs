using System.Text.Json.Nodes;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>
/// Small request details Cline's clients add (at cline/cline 9ee618111d): LiteLLM's <c>litellm_session_id</c> from the
/// task ulid, and the Vercel AI Gateway's handling of the <c>:1m</c> Claude ids. Exact bodies over 127.0.0.1.
/// </summary>
public sealed class ClineParityTests
{
    private const string Ulid = "01JDX4ZQ8N3V7K2M5P9R6T1W0Y";

    private static IApiHandler Create(string id, params (string Key, string Value)[] settings)
    {
        var json = new JsonObject();
        foreach (var (key, value) in settings)
        {
            json[key] = value;
        }

        return ProviderRegistry.Create(id, ProviderSettings.Parse(json.ToJsonString()), Mode.Act);
    }

    [Theory]
    [InlineData(Ulid)]
    [InlineData(null)]
    public async Task LiteLlm_sends_the_task_ulid_as_cline_s_session_id_and_nothing_without_one(string? ulid)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(404, """{"detail":"Not Found"}"""), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = Create(
            "litellm",
            [("liteLlmBaseUrl", server.BaseUri.ToString()), ("liteLlmApiKey", FamilyMember.Key), ("actModeLiteLlmModelId", "gpt-4o"), .. ulid is null ? [] : new[] { ("ulid", ulid) }]);

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal(
            """{"model":"gpt-4o","messages":[{"role":"system","content":"sys"},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"temperature":1,"stream":true,"stream_options":{"include_usage":true},"drop_params":true"""
            + (ulid is null ? "" : $",\"litellm_session_id\":\"cline-{ulid}\"") + "}",
            server.Requests.Single(r => r.PathAndQuery == "/chat/completions").Body);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4.5:1m", "anthropic/claude-sonnet-4.5")]
    [InlineData("anthropic/claude-sonnet-4.5", "anthropic/claude-sonnet-4.5")]
    public async Task Vercel_ai_gateway_sends_a_1m_claude_id_without_its_suffix_as_cline_does(string configured, string sent)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = Create(
            "vercel-ai-gateway",
            ("vercelAiGatewayBaseUrl", new Uri(server.BaseUri, "v1").ToString()),
            ("vercelAiGatewayApiKey", FamilyMember.Key),
            ("actModeVercelAiGatewayModelId", configured));

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        // Cline sends the bare id; unlike OpenRouter, the gateway gets no upstream pinning and no extra header.
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.PathAndQuery);
        Assert.Equal(
            $$$"""{"model":"{{{sent}}}","messages":[{"role":"system","content":[{"type":"text","text":"sys","cache_control":{"type":"ephemeral"}}]},{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}],"temperature":0,"stream":true,"stream_options":{"include_usage":true},"include_reasoning":true}""",
            request.Body);
        Assert.Equal(
            ["Accept", "Accept-Encoding", "Authorization", "Content-Length", "Content-Type", "Host", "User-Agent", "http-referer", "x-title"],
            request.Headers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(configured, handler.GetModel().Id);
    }
}
