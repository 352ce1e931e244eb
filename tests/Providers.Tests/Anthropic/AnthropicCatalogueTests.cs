using System.Text.Json.Nodes;
using Providers.Anthropic;
using Providers.Tests.Replay;
using static Providers.Tests.Anthropic.AnthropicTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Anthropic;

/// <summary>The model table (Cline's figures), thinking budgets against the real output limit, adaptive thinking and the 1M beta, on the wire.</summary>
public class AnthropicCatalogueTests
{
    private const string Messages = """
        "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}],
        "messages":[{"role":"user","content":[{"type":"text","text":"Hello","cache_control":{"type":"ephemeral"}}]}]
        """;

    private static async Task<RecordedRequest> SendAsync(Action<AnthropicOptions> configure, RequestOverrides? overrides = null)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Chunks("anthropic-text.chunks.txt"));
        IApiHandlerWithOverrides handler = Handler(server, clock, configure);
        await CollectAsync(handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Hello")], null, overrides ?? RequestOverrides.None));
        return Assert.Single(server.Requests);
    }

    private static async Task<JsonNode> BodyAsync(Action<AnthropicOptions> configure, RequestOverrides? overrides = null) =>
        JsonNode.Parse((await SendAsync(configure, overrides)).Body)!;

    private static void AssertBody(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());

    [Theory]
    [InlineData("claude-opus-4-7", 128_000, 5, 25, 6.25, 0.5)]
    [InlineData("claude-opus-4-6", 128_000, 5, 25, 6.25, 0.5)]
    [InlineData("claude-sonnet-4-6", 64_000, 3, 15, 3.75, 0.3)]
    [InlineData("claude-sonnet-4-5-20250929", 64_000, 3, 15, 3.75, 0.3)]
    [InlineData("claude-haiku-4-5-20251001", 64_000, 1, 5, 1.25, 0.1)]
    [InlineData("claude-opus-4-5-20251101", 64_000, 5, 25, 6.25, 0.5)]
    [InlineData("claude-sonnet-4-20250514", 64_000, 3, 15, 3.75, 0.3)]
    [InlineData("claude-opus-4-1-20250805", 32_000, 15, 75, 18.75, 1.5)]
    [InlineData("claude-opus-4-20250514", 32_000, 15, 75, 18.75, 1.5)]
    [InlineData("claude-3-5-sonnet-20241022", 8192, 3, 15, 3.75, 0.3)]
    [InlineData("claude-3-5-haiku-20241022", 8192, 0.8, 4, 1, 0.08)]
    [InlineData("claude-3-opus-20240229", 4096, 15, 75, 18.75, 1.5)]
    [InlineData("claude-3-haiku-20240307", 4096, 0.25, 1.25, 0.3, 0.03)]
    public void The_table_holds_clines_limits_and_prices(string id, int maxTokens, double input, double output, double write, double read)
    {
        var info = AnthropicModels.Resolve(id).Info;

        Assert.Equal(maxTokens, info.MaxTokens);
        Assert.Equal(200_000, info.ContextWindow);
        Assert.Equal((decimal)input, info.InputPrice);
        Assert.Equal((decimal)output, info.OutputPrice);
        Assert.Equal((decimal)write, info.CacheWritesPrice);
        Assert.Equal((decimal)read, info.CacheReadsPrice);
        Assert.True(info.SupportsImages && info.SupportsPromptCache);
        Assert.Null(info.Tiers);
    }

    [Theory]
    [InlineData("claude-3-5-sonnet-20241022", false)]
    [InlineData("claude-3-haiku-20240307", false)]
    [InlineData("claude-3-7-sonnet-20250219", true)]
    [InlineData("claude-opus-4-7", true)]
    public void Only_the_models_that_think_say_so(string id, bool thinks) =>
        Assert.Equal(thinks, AnthropicModels.Resolve(id).Info.SupportsReasoning);

    [Fact]
    public async Task Sonnet_4_5_gets_its_64000_output_tokens_and_a_10000_budget_is_sent_whole()
    {
        var body = await BodyAsync(o => o.ThinkingBudgetTokens = 10_000);

        AssertBody($$"""{"model":"claude-sonnet-4-5-20250929","max_tokens":64000,{{Messages}},"thinking":{"type":"enabled","budget_tokens":10000},"stream":true}""", body);
    }

    [Fact]
    public async Task A_budget_below_anthropics_minimum_is_raised_to_1024()
    {
        var body = await BodyAsync(o => o.ThinkingBudgetTokens = 500);

        Assert.Equal(1024, body["thinking"]!["budget_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Max_tokens_too_small_for_any_budget_is_refused_before_any_request()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        IApiHandlerWithOverrides handler = Handler(server, clock, o => o.ThinkingBudgetTokens = 4096);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            CollectAsync(handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Hello")], null, new RequestOverrides { MaxOutputTokens = 1000 })));

        Assert.Contains("1280", ex.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("claude-opus-4-7:1m", "claude-opus-4-7", 128_000, 10, 37.5, 12.5, 1.0)]
    [InlineData("claude-opus-4-6:1m", "claude-opus-4-6", 128_000, 10, 37.5, 12.5, 1.0)]
    [InlineData("claude-sonnet-4-6:1m", "claude-sonnet-4-6", 64_000, 6, 22.5, 7.5, 0.6)]
    [InlineData("claude-sonnet-4-5-20250929:1m", "claude-sonnet-4-5-20250929", 64_000, 6, 22.5, 7.5, 0.6)]
    [InlineData("claude-sonnet-4-20250514:1m", "claude-sonnet-4-20250514", 64_000, 6, 22.5, 7.5, 0.6)]
    public async Task Every_1m_variant_sends_the_beta_header_and_carries_its_long_context_tier(
        string configured, string wireId, int maxTokens, double input, double output, double write, double read)
    {
        var model = AnthropicModels.Resolve(configured);
        var request = await SendAsync(o => o.ModelId = configured);

        Assert.Equal("context-1m-2025-08-07", request.Headers["anthropic-beta"]);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(wireId, body["model"]!.GetValue<string>());
        Assert.Equal(maxTokens, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(1_000_000, model.Info.ContextWindow);
        Assert.Equal(2, model.Info.Tiers!.Count);
        Assert.Equal(200_000, model.Info.Tiers[0].ContextWindow);
        Assert.Equal(model.Info.InputPrice, model.Info.Tiers[0].InputPrice);
        var above = model.Info.PricesFor(200_001);
        Assert.Equal(((decimal)input, (decimal)output, (decimal)write, (decimal)read), (above.InputPrice!.Value, above.OutputPrice!.Value, above.CacheWritesPrice!.Value, above.CacheReadsPrice!.Value));
        Assert.Equal((1_000m * (decimal)input) / 1_000_000m * 201, model.CostOf(new UsageTotals(201_000, 0, 0, 0)));
    }

    [Fact]
    public async Task Opus_4_7_with_a_budget_and_no_effort_thinks_adaptively_at_high_effort_without_temperature()
    {
        var body = await BodyAsync(o => { o.ModelId = "claude-opus-4-7"; o.ThinkingBudgetTokens = 8000; });

        AssertBody($$"""{"model":"claude-opus-4-7","max_tokens":128000,{{Messages}},"thinking":{"type":"adaptive"},"output_config":{"effort":"high"},"stream":true}""", body);
    }

    [Fact]
    public async Task Opus_4_6_without_thinking_sends_neither_thinking_nor_temperature()
    {
        var body = await BodyAsync(o => o.ModelId = "claude-opus-4-6");

        AssertBody($$"""{"model":"claude-opus-4-6","max_tokens":128000,{{Messages}},"stream":true}""", body);
    }

    [Theory]
    [InlineData("claude-opus-4-7", "xhigh", "xhigh")]
    [InlineData("claude-opus-4-6", "xhigh", "max")]
    [InlineData("claude-opus-4-6", "LOW", "low")]
    [InlineData("claude-opus-4-6", "minimal", "low")]
    [InlineData("claude-opus-4-6", "medium", "medium")]
    [InlineData("claude-opus-4-6", "max", "max")]
    [InlineData("claude-opus-4-6", "turbo", "medium")]
    [InlineData("claude-sonnet-4-6", "high", "high")]
    public async Task A_configured_effort_is_sent_as_output_config_effort_in_a_form_the_model_takes(string model, string configured, string sent)
    {
        var body = await BodyAsync(o => { o.ModelId = model; o.ReasoningEffort = configured; });

        Assert.Equal("""{"type":"adaptive"}""", body["thinking"]!.ToJsonString());
        Assert.Equal(sent, body["output_config"]!["effort"]!.GetValue<string>());
        Assert.Null(body["temperature"]);
    }

    [Fact]
    public async Task Effort_none_turns_adaptive_thinking_off_even_with_a_budget()
    {
        var body = await BodyAsync(o => { o.ModelId = "claude-opus-4-7"; o.ReasoningEffort = "none"; o.ThinkingBudgetTokens = 8000; });

        AssertBody($$"""{"model":"claude-opus-4-7","max_tokens":128000,{{Messages}},"stream":true}""", body);
    }

    [Fact]
    public async Task Sonnet_4_6_takes_the_budget_when_no_effort_is_set()
    {
        var body = await BodyAsync(o => { o.ModelId = "claude-sonnet-4-6"; o.ThinkingBudgetTokens = 6000; });

        Assert.Equal("""{"type":"enabled","budget_tokens":6000}""", body["thinking"]!.ToJsonString());
        Assert.Null(body["output_config"]);
    }

    [Fact]
    public async Task Effort_on_a_budget_model_is_ignored_as_cline_ignores_it()
    {
        var body = await BodyAsync(o => { o.ModelId = "claude-sonnet-4-5"; o.ReasoningEffort = "high"; });

        AssertBody($$"""{"model":"claude-sonnet-4-5","max_tokens":64000,{{Messages}},"temperature":0,"stream":true}""", body);
    }

    [Theory]
    [InlineData(ReasoningEffort.ExtraHigh, "claude-opus-4-6", "max")]
    [InlineData(ReasoningEffort.ExtraHigh, "claude-opus-4-7", "xhigh")]
    [InlineData(ReasoningEffort.Low, "claude-opus-4-7", "low")]
    [InlineData(ReasoningEffort.Medium, "claude-sonnet-4-6", "medium")]
    public async Task An_effort_override_on_an_adaptive_model_becomes_output_config_effort(ReasoningEffort effort, string model, string sent)
    {
        var body = await BodyAsync(o => o.ModelId = model, new RequestOverrides { ReasoningEffort = effort });

        Assert.Equal("""{"type":"adaptive"}""", body["thinking"]!.ToJsonString());
        Assert.Equal(sent, body["output_config"]!["effort"]!.GetValue<string>());
    }

    [Fact]
    public void The_adaptive_opus_models_list_no_temperature_override()
    {
        var handler = new AnthropicHandler(new AnthropicOptions { ApiKey = Secret, ModelId = "claude-opus-4-7" });

        Assert.Equal(RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.ReasoningEffort, handler.SupportedOverrides);
    }

    [Theory]
    [InlineData("claude-opus-4-8", true)]
    [InlineData("claude-sonnet-5", true)]
    [InlineData("claude-opus-5-1-20270101", true)]
    [InlineData("claude-sonnet-4-9-experimental", true)]
    [InlineData("claude-haiku-4-4", false)]
    [InlineData("my-proxy-model", false)]
    public void An_unknown_claude_of_generation_4_6_or_later_thinks_adaptively(string id, bool adaptive) =>
        Assert.Equal(adaptive ? ClaudeThinking.Adaptive : ClaudeThinking.Budget, AnthropicModels.Resolve(id).Thinking);

    [Fact]
    public async Task An_unknown_model_gets_8192_tokens_and_no_thinking_unless_configured()
    {
        var plain = await BodyAsync(o => o.ModelId = "claude-fable-5");
        var configured = await BodyAsync(o => { o.ModelId = "claude-opus-4-8"; o.ThinkingBudgetTokens = 4000; });

        AssertBody($$"""{"model":"claude-fable-5","max_tokens":8192,{{Messages}},"stream":true}""", plain);
        AssertBody($$"""{"model":"claude-opus-4-8","max_tokens":8192,{{Messages}},"thinking":{"type":"adaptive"},"output_config":{"effort":"high"},"stream":true}""", configured);
    }

    [Fact]
    public async Task The_registry_binds_the_per_mode_reasoning_effort_keys()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Chunks("anthropic-text.chunks.txt"));
        var settings = ProviderSettings.Parse($$"""
        {
          "actModeApiProvider": "anthropic",
          "apiKey": "{{Secret}}",
          "anthropicBaseUrl": "{{server.BaseUri}}",
          "actModeApiModelId": "claude-opus-4-6",
          "planModeReasoningEffort": "high",
          "actModeReasoningEffort": "low"
        }
        """);

        await CollectAsync(Ask(ProviderRegistry.Build(settings, Mode.Act)));

        Assert.Equal("low", JsonNode.Parse(Assert.Single(server.Requests).Body)!["output_config"]!["effort"]!.GetValue<string>());
    }

    [Fact]
    public async Task Text_blocks_are_joined_with_a_line_break_as_cline_joins_them()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Events(
            """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":5,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"First."}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"content_block_start","index":2,"content_block":{"type":"text","text":"Second."}}""",
            """{"type":"content_block_stop","index":2}""",
            """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}""",
            """{"type":"message_stop"}"""));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.Equal("First.\nSecond.", Text(chunks));
    }
}

public class AnthropicFastModeTests
{
    private static async Task<RecordedRequest> SendAsync(string modelId)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Chunks("anthropic-text.chunks.txt"));
        await CollectAsync(Ask(Handler(server, clock, o => o.ModelId = modelId)));
        return Assert.Single(server.Requests);
    }

    [Fact]
    public async Task The_fast_suffix_sends_speed_fast_with_its_beta_and_premium_prices()
    {
        var request = await SendAsync("claude-opus-4-6:fast");
        var model = AnthropicModels.Resolve("claude-opus-4-6:fast");

        Assert.Equal("fast-mode-2026-02-01", request.Headers["anthropic-beta"]);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(("claude-opus-4-6", "fast", 128_000), ((string)body["model"]!, (string)body["speed"]!, (int)body["max_tokens"]!));
        Assert.Equal((30m, 150m, 37.5m, 3m), (model.Info.InputPrice!.Value, model.Info.OutputPrice!.Value, model.Info.CacheWritesPrice!.Value, model.Info.CacheReadsPrice!.Value));
    }

    [Fact]
    public async Task The_1m_fast_variant_sends_both_betas_and_flat_fast_prices()
    {
        var request = await SendAsync("claude-opus-4-6:1m:fast");
        var model = AnthropicModels.Resolve("claude-opus-4-6:1m:fast");

        Assert.Equal("fast-mode-2026-02-01,context-1m-2025-08-07", request.Headers["anthropic-beta"]);
        Assert.Equal("claude-opus-4-6", (string)JsonNode.Parse(request.Body)!["model"]!);
        Assert.Equal(1_000_000, model.Info.ContextWindow);
        Assert.Null(model.Info.Tiers);
        Assert.Equal(30m, model.Info.PricesFor(900_000).InputPrice);
    }

    [Fact]
    public void Fast_mode_of_a_model_without_known_fast_prices_has_no_invented_cost() =>
        Assert.Null(AnthropicModels.Resolve("claude-sonnet-4-5:fast").Info.InputPrice);
}
