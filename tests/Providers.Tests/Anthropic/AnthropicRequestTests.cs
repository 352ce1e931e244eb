using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Anthropic;
using Providers.Tests.Replay;
using static Providers.Tests.Anthropic.AnthropicTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Anthropic;

public class AnthropicRequestTests
{
    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.User, [new TextBlock("What is in this picture, and the weather in Paris?"), new ImageBlock("iVBORw0KGgo=", "image/png")]),
        new(ChatRole.Assistant,
        [
            new ThinkingBlock("Need the weather.", "sig-1"),
            new ThinkingBlock("Unsigned reasoning from another provider."),
            new RedactedThinkingBlock("opaque"),
            new TextBlock("A cat. Let me check."),
            new ToolUseBlock("toolu_1", "get_weather", JsonDocument.Parse("""{"city":"Paris"}""").RootElement),
        ]),
        new(ChatRole.User, [new TextBlock("Thanks!"), new ToolResultBlock("toolu_1", "Sunny, 21 C", isError: true)]),
    ];

    private static readonly ToolDefinition[] Tools =
    [
        new("get_weather", "Current weather for a city", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement),
    ];

    private static async Task<RecordedRequest> SendAsync(Action<AnthropicOptions>? configure = null, IReadOnlyList<ChatMessage>? messages = null)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Chunks("anthropic-text.chunks.txt"));
        await CollectAsync(Handler(server, clock, configure).CreateMessageAsync("You are terse.", messages ?? Conversation, Tools));
        return Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Posts_the_conversation_with_cache_breakpoints_on_the_system_prompt_and_last_two_user_turns()
    {
        var request = await SendAsync();

        Assert.Equal(("POST", "/v1/messages"), (request.Method, request.PathAndQuery));
        Assert.Equal(Secret, request.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.False(request.Headers.ContainsKey("anthropic-beta"));
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.StartsWith("Providers.NET/", request.Headers["User-Agent"]);
        var expected = JsonNode.Parse("""
        {
          "model": "claude-sonnet-4-5-20250929",
          "max_tokens": 64000,
          "system": [ { "type": "text", "text": "You are terse.", "cache_control": { "type": "ephemeral" } } ],
          "messages": [
            { "role": "user", "content": [
              { "type": "text", "text": "What is in this picture, and the weather in Paris?" },
              { "type": "image", "source": { "type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo=" }, "cache_control": { "type": "ephemeral" } } ] },
            { "role": "assistant", "content": [
              { "type": "thinking", "thinking": "Need the weather.", "signature": "sig-1" },
              { "type": "redacted_thinking", "data": "opaque" },
              { "type": "text", "text": "A cat. Let me check." },
              { "type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": { "city": "Paris" } } ] },
            { "role": "user", "content": [
              { "type": "tool_result", "tool_use_id": "toolu_1", "content": [ { "type": "text", "text": "Sunny, 21 C" } ], "is_error": true },
              { "type": "text", "text": "Thanks!", "cache_control": { "type": "ephemeral" } } ] }
          ],
          "tools": [ { "name": "get_weather", "description": "Current weather for a city",
                       "input_schema": { "type": "object", "properties": { "city": { "type": "string" } } } } ],
          "temperature": 0,
          "stream": true
        }
        """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.Body)), request.Body);
    }

    [Fact]
    public async Task Extended_thinking_clips_the_budget_to_80_percent_of_the_models_max_tokens_and_sends_no_temperature()
    {
        var body = JsonNode.Parse((await SendAsync(o => { o.ModelId = "claude-opus-4-1"; o.ThinkingBudgetTokens = 30_000; })).Body)!;

        Assert.Equal("""{"type":"enabled","budget_tokens":25600}""", body["thinking"]!.ToJsonString());
        Assert.Null(body["temperature"]);
        Assert.Equal(32_000, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_budget_within_the_limit_is_sent_unchanged()
    {
        var body = JsonNode.Parse((await SendAsync(o => o.ThinkingBudgetTokens = 4096)).Body)!;

        Assert.Equal(4096, body["thinking"]!["budget_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_model_that_cannot_think_gets_no_thinking_even_with_a_budget()
    {
        var body = JsonNode.Parse((await SendAsync(o => { o.ModelId = "claude-3-5-haiku-20241022"; o.ThinkingBudgetTokens = 4096; })).Body)!;

        Assert.Null(body["thinking"]);
        Assert.Equal(0, body["temperature"]!.GetValue<double>());
    }

    [Fact]
    public async Task The_1m_suffix_sends_the_context_beta_header_and_is_stripped_from_the_model_id()
    {
        var request = await SendAsync(o => o.ModelId = "claude-sonnet-4-5:1m");

        Assert.Equal("context-1m-2025-08-07", request.Headers["anthropic-beta"]);
        Assert.Equal("claude-sonnet-4-5", JsonNode.Parse(request.Body)!["model"]!.GetValue<string>());
    }

    [Fact]
    public void The_1m_variant_prices_the_whole_request_at_the_long_context_rate_above_200k_prompt_tokens()
    {
        var model = AnthropicModels.Resolve("claude-sonnet-4-5-20250929:1m");

        Assert.Equal(1_000_000, model.Info.ContextWindow);
        Assert.Equal(0.6m + 0.015m, model.CostOf(new UsageTotals(200_000, 1000, 0, 0)));
        Assert.Equal(1.2m + 0.0225m + 0.00075m + 0.00006m, model.CostOf(new UsageTotals(200_000, 1000, 100, 100)));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", 3, 15, 3.75, 0.30)]
    [InlineData("claude-sonnet-4-5-20250929", 3, 15, 3.75, 0.30)]
    [InlineData("claude-opus-4-1-20250805", 15, 75, 18.75, 1.50)]
    [InlineData("claude-haiku-4-5-20251001", 1, 5, 1.25, 0.10)]
    [InlineData("claude-opus-4-5", 5, 25, 6.25, 0.50)]
    public void Known_models_carry_anthropics_public_prices(string id, double input, double output, double write, double read)
    {
        var info = new AnthropicHandler(new AnthropicOptions { ApiKey = Secret, ModelId = id }).GetModel().Info;

        Assert.Equal(((decimal)input, (decimal)output, (decimal)write, (decimal)read), (info.InputPrice, info.OutputPrice, info.CacheWritesPrice, info.CacheReadsPrice));
        Assert.True(info.SupportsPromptCache && info.SupportsReasoning && info.SupportsImages);
    }

    [Fact]
    public async Task An_unknown_model_is_sent_unchanged_with_defaults_and_no_invented_cost()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Chunks("anthropic-text.chunks.txt"));
        var handler = Handler(server, clock, o => o.ModelId = "claude-fable-5");

        var chunks = await CollectAsync(Ask(handler));

        Assert.Equal("claude-fable-5", handler.GetModel().Id);
        Assert.Equal(200_000, handler.GetModel().Info.ContextWindow);
        Assert.Equal("claude-fable-5", JsonNode.Parse(Assert.Single(server.Requests).Body)!["model"]!.GetValue<string>());
        Assert.Equal(new UsageChunk(12, 30, 0, 0, TotalCost: null), TotalUsage(chunks));
    }

    [Fact]
    public async Task The_registry_binds_the_original_cline_setting_keys()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Chunks("anthropic-text.chunks.txt"));
        var settings = ProviderSettings.Parse($$"""
        {
          "planModeApiProvider": "anthropic",
          "actModeApiProvider": "anthropic",
          "apiKey": "{{Secret}}",
          "anthropicBaseUrl": "{{server.BaseUri}}",
          "planModeApiModelId": "claude-opus-4-1-20250805",
          "actModeApiModelId": "claude-haiku-4-5-20251001",
          "planModeThinkingBudgetTokens": 2048,
          "actModeThinkingBudgetTokens": 1024
        }
        """);

        var act = ProviderRegistry.Build(settings, Mode.Act);
        var plan = ProviderRegistry.Create("anthropic", settings, Mode.Plan);

        Assert.IsType<AnthropicHandler>(act);
        Assert.Equal("claude-haiku-4-5-20251001", act.GetModel().Id);
        Assert.Equal("claude-opus-4-1-20250805", plan.GetModel().Id);
        await CollectAsync(Ask(act));
        var request = Assert.Single(server.Requests);
        Assert.Equal(Secret, request.Headers["x-api-key"]);
        Assert.Equal(1024, JsonNode.Parse(request.Body)!["thinking"]!["budget_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Without_a_model_setting_the_default_is_claude_sonnet_4_5_and_without_a_key_the_error_names_apiKey()
    {
        var handler = ProviderRegistry.Create("anthropic", ProviderSettings.Parse($$"""{"apiKey":"{{Secret}}"}"""), Mode.Act);
        Assert.Equal("claude-sonnet-4-5-20250929", handler.GetModel().Id);

        var ex = Assert.ThrowsAny<ProviderConfigurationException>(() => ProviderRegistry.Create("anthropic", ProviderSettings.Empty, Mode.Act));
        Assert.Contains("apiKey", ex.Keys);
    }
}
