using System.Text.Json;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>LiteLLM's prompt caching, thinking and cache usage as Cline's LiteLLM client sends and reads them, over 127.0.0.1.</summary>
public class LiteLlmQuirkTests
{
    private static readonly ChatMessage[] Conversation =
    [
        ChatMessage.User("first message"),
        ChatMessage.Assistant("first response"),
        new(ChatRole.User, [new TextBlock("test"), new TextBlock("second message")]),
    ];

    private static ReplayResponse ModelList(string modelName, bool supportsPromptCaching) => ReplayResponse.Json(200, $$$"""
        {"data":[{"model_name":"{{{modelName}}}","litellm_params":{"model":"{{{modelName}}}"},
          "model_info":{"input_cost_per_token":0.000003,"output_cost_per_token":0.000015,"cache_creation_input_token_cost":0.00000375,
          "cache_read_input_token_cost":3e-7,"supports_prompt_caching":{{{(supportsPromptCaching ? "true" : "false")}}}}}]}
        """);

    private static IApiHandler Create(ReplayServer server, string model, params (string Key, string Value)[] extra)
    {
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["liteLlmBaseUrl"] = server.BaseUri.ToString(),
            ["liteLlmApiKey"] = FamilyMember.Key,
            ["actModeLiteLlmModelId"] = model,
        };
        foreach (var (key, value) in extra)
        {
            json[key] = System.Text.Json.Nodes.JsonNode.Parse(value);
        }

        return ProviderRegistry.Create("litellm", ProviderSettings.Parse(json.ToJsonString()), Mode.Act);
    }

    private static JsonElement ChatBody(ReplayServer server)
    {
        var request = server.Requests.Single(r => r.PathAndQuery == "/chat/completions");
        using var doc = JsonDocument.Parse(request.Body);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Marks_the_system_prompt_and_the_last_two_user_messages_for_a_model_the_proxy_says_caches()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ModelList("anthropic/claude-sonnet-4-20250514", supportsPromptCaching: true), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = Create(server, "anthropic/claude-sonnet-4-20250514");

        await CollectAsync(handler.CreateMessageAsync("Test System Prompt", Conversation));

        var body = ChatBody(server);
        var messages = body.GetProperty("messages");
        Assert.Equal(4, messages.GetArrayLength());
        Assert.Equal(
            """{"role":"system","content":[{"type":"text","text":"Test System Prompt","cache_control":{"type":"ephemeral"}}]}""",
            messages[0].GetRawText());
        Assert.Equal(
            """{"role":"user","content":[{"type":"text","text":"first message","cache_control":{"type":"ephemeral"}}]}""",
            messages[1].GetRawText());
        Assert.Equal("first response", messages[2].GetProperty("content").GetString());
        Assert.Equal(
            """[{"type":"text","text":"test"},{"type":"text","text":"second message","cache_control":{"type":"ephemeral"}}]""",
            messages[3].GetProperty("content").GetRawText());
        Assert.True(body.GetProperty("drop_params").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(1, body.GetProperty("temperature").GetDouble());
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "false")]
    public async Task Sends_plain_messages_when_the_model_does_not_cache_or_caching_is_switched_off(bool supportsCaching, string? usePromptCache)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ModelList("openai/gpt-5", supportsCaching), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = usePromptCache is null
            ? Create(server, "openai/gpt-5")
            : Create(server, "openai/gpt-5", ("liteLlmUsePromptCache", usePromptCache));

        await CollectAsync(handler.CreateMessageAsync("Test System Prompt", Conversation));

        var messages = ChatBody(server).GetProperty("messages");
        Assert.Equal("""{"role":"system","content":"Test System Prompt"}""", messages[0].GetRawText());
        Assert.Equal("""{"role":"user","content":[{"type":"text","text":"first message"}]}""", messages[1].GetRawText());
        Assert.DoesNotContain("cache_control", messages.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-20250514", false)]
    [InlineData("openai/o3-mini", false)]
    [InlineData("openai/gpt-4.1", true)]
    public async Task A_thinking_budget_is_sent_as_enabled_thinking_and_drops_the_temperature_of_claude_and_o_mini(string model, bool keepsTemperature)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(404, """{"detail":"Not Found"}"""), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = Create(server, model, ("actModeThinkingBudgetTokens", "2048"));

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var body = ChatBody(server);
        Assert.Equal("""{"type":"enabled","budget_tokens":2048}""", body.GetProperty("thinking").GetRawText());
        Assert.Equal(keepsTemperature ? 1 : null, body.TryGetProperty("temperature", out var t) ? t.GetDouble() : (double?)null);
        Assert.False(body.TryGetProperty("output_config", out _));
    }

    [Fact]
    public async Task Without_a_budget_no_thinking_is_sent()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(404, """{"detail":"Not Found"}"""), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = Create(server, "anthropic/claude-sonnet-4-20250514");

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var body = ChatBody(server);
        Assert.False(body.TryGetProperty("thinking", out _));
        Assert.Equal(1, body.GetProperty("temperature").GetDouble());
    }

    [Theory]
    [InlineData("\"high\"", null, "high")]
    [InlineData("\"bogus\"", null, "medium")]
    [InlineData(null, "4096", "high")]
    [InlineData("\"none\"", "4096", null)]
    [InlineData(null, null, null)]
    public async Task The_adaptive_opus_models_get_adaptive_thinking_with_an_effort_and_never_a_temperature(string? effort, string? budget, string? sentEffort)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(404, """{"detail":"Not Found"}"""), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = Create(server, "anthropic/claude-opus-4-6", RouterReasoningTests.ReasoningSettings(budget, effort));

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var body = ChatBody(server);
        Assert.False(body.TryGetProperty("temperature", out _));
        if (sentEffort is null)
        {
            Assert.False(body.TryGetProperty("thinking", out _));
            Assert.False(body.TryGetProperty("output_config", out _));
        }
        else
        {
            Assert.Equal("""{"type":"adaptive"}""", body.GetProperty("thinking").GetRawText());
            Assert.Equal(sentEffort, body.GetProperty("output_config").GetProperty("effort").GetString());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_reasoning_content_and_anthropic_cache_usage_and_prices_it_from_the_proxy_list(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            ModelList("claude", supportsPromptCaching: true),
            Fixtures.Raw("openai-compatible/litellm-thinking-cache.sse").MaybeOneByte(oneByte));
        var handler = Create(server, "claude", ("actModeThinkingBudgetTokens", "1024"));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        // prompt_tokens 1000 holds 700 cache reads and 200 cache writes: 100 plain input tokens.
        Assert.Equal(
            [
                new ReasoningChunk("The cached prompt "),
                new ReasoningChunk("has the answer."),
                new TextChunk("Forty-two."),
                new UsageChunk(100, 50, 700, 200, null, (100 * 3m + 50 * 15m + 200 * 3.75m + 700 * 0.3m) / 1_000_000m),
            ],
            chunks);
    }
}
