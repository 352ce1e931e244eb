using System.Text.Json.Nodes;
using Providers.Anthropic;
using Providers.Tests.Replay;
using static Providers.Tests.Anthropic.AnthropicTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Anthropic;

/// <summary>Per-request overrides (<see cref="IApiHandlerWithOverrides"/>) on the wire.</summary>
public class AnthropicOverrideTests
{
    private const string Messages = """
        "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}],
        "messages":[{"role":"user","content":[{"type":"text","text":"Hello","cache_control":{"type":"ephemeral"}}]}]
        """;

    private static async Task<(RecordedRequest Request, List<ApiStreamChunk> Chunks)> SendAsync(RequestOverrides overrides, Action<AnthropicOptions>? configure = null)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Chunks("anthropic-text.chunks.txt"));
        IApiHandlerWithOverrides handler = Handler(server, clock, configure);

        var chunks = await CollectAsync(handler.CreateMessageAsync("You are terse.", [ChatMessage.User("Hello")], null, overrides));

        return (Assert.Single(server.Requests), chunks);
    }

    private static async Task<JsonNode> BodyAsync(RequestOverrides overrides, Action<AnthropicOptions>? configure = null) =>
        JsonNode.Parse((await SendAsync(overrides, configure)).Request.Body)!;

    private static void AssertBody(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());

    private static AnthropicHandler Configured(Action<AnthropicOptions> configure)
    {
        var options = new AnthropicOptions { ApiKey = Secret };
        configure(options);
        return new AnthropicHandler(options);
    }

    [Fact]
    public void Every_override_is_supported_while_thinking_is_off()
    {
        Assert.Equal(RequestOverrideKinds.All, Configured(_ => { }).SupportedOverrides);
    }

    [Fact]
    public void The_temperature_is_not_supported_while_a_thinking_budget_is_configured()
    {
        Assert.Equal(
            RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.ReasoningEffort,
            Configured(o => o.ThinkingBudgetTokens = 4096).SupportedOverrides);
    }

    [Fact]
    public void The_reasoning_effort_is_not_supported_for_a_model_that_cannot_think()
    {
        Assert.Equal(
            RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.Temperature,
            Configured(o => { o.ModelId = "claude-3-5-haiku-20241022"; o.ThinkingBudgetTokens = 4096; }).SupportedOverrides);
    }

    [Fact]
    public async Task Without_overrides_the_body_carries_the_configured_model_limit_and_temperature_0()
    {
        var body = await BodyAsync(RequestOverrides.None);

        AssertBody($$"""{"model":"claude-sonnet-4-5-20250929","max_tokens":64000,{{Messages}},"temperature":0,"stream":true}""", body);
    }

    [Fact]
    public async Task The_model_max_tokens_and_temperature_overrides_replace_the_configured_values()
    {
        var body = await BodyAsync(new RequestOverrides { ModelId = "claude-haiku-4-5", MaxOutputTokens = 1000, Temperature = 0.4 });

        AssertBody($$"""{"model":"claude-haiku-4-5","max_tokens":1000,{{Messages}},"temperature":0.4,"stream":true}""", body);
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, 1024)]
    [InlineData(ReasoningEffort.Medium, 4096)]
    [InlineData(ReasoningEffort.High, 16_000)]
    [InlineData(ReasoningEffort.ExtraHigh, 32_000)]
    public async Task A_reasoning_effort_becomes_a_thinking_budget_without_temperature(ReasoningEffort effort, int budget)
    {
        var body = await BodyAsync(new RequestOverrides { ReasoningEffort = effort, MaxOutputTokens = 64_000 });

        AssertBody(
            $$"""{"model":"claude-sonnet-4-5-20250929","max_tokens":64000,{{Messages}},"thinking":{"type":"enabled","budget_tokens":{{budget}}},"stream":true}""",
            body);
    }

    [Fact]
    public async Task An_effort_budget_is_clipped_to_80_percent_of_max_tokens_like_the_configured_budget()
    {
        var body = await BodyAsync(new RequestOverrides { ReasoningEffort = ReasoningEffort.ExtraHigh, MaxOutputTokens = 10_000 });

        Assert.Equal("""{"type":"enabled","budget_tokens":8000}""", body["thinking"]!.ToJsonString());
        Assert.Equal(10_000, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Effort_none_turns_a_configured_thinking_budget_off()
    {
        var body = await BodyAsync(new RequestOverrides { ReasoningEffort = ReasoningEffort.None }, o => o.ThinkingBudgetTokens = 4096);

        AssertBody($$"""{"model":"claude-sonnet-4-5-20250929","max_tokens":64000,{{Messages}},"temperature":0,"stream":true}""", body);
    }

    [Fact]
    public async Task An_unlisted_temperature_is_ignored_while_the_configured_budget_thinks()
    {
        var body = await BodyAsync(new RequestOverrides { Temperature = 0.4 }, o => o.ThinkingBudgetTokens = 4096);

        Assert.Equal("""{"type":"enabled","budget_tokens":4096}""", body["thinking"]!.ToJsonString());
        Assert.Null(body["temperature"]);
    }

    [Fact]
    public async Task A_temperature_with_a_thinking_effort_is_refused_before_any_request()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        IApiHandlerWithOverrides handler = Handler(server, clock);

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync(
            "", [ChatMessage.User("Hi")], null, new RequestOverrides { Temperature = 0.4, ReasoningEffort = ReasoningEffort.Low }));

        Assert.Equal("overrides", Assert.IsType<ArgumentException>(error).ParamName);
        Assert.Empty(server.Requests);
        Assert.Empty(clock.Retries);
    }

    [Fact]
    public async Task A_thinking_effort_for_an_overriding_model_that_cannot_think_is_refused_before_any_request()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        IApiHandlerWithOverrides handler = Handler(server, clock);

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync(
            "", [ChatMessage.User("Hi")], null, new RequestOverrides { ModelId = "claude-3-5-haiku-20241022", ReasoningEffort = ReasoningEffort.High }));

        Assert.Contains("claude-3-5-haiku-20241022", Assert.IsType<ArgumentException>(error).Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_cost_follows_the_overriding_model_through_the_catalogue()
    {
        var (_, configured) = await SendAsync(RequestOverrides.None);
        var (_, haiku) = await SendAsync(new RequestOverrides { ModelId = "claude-haiku-4-5-20251001" });

        // 12 input and 30 output tokens: Sonnet 4.5 at $3/$15, Haiku 4.5 at $1/$5 per million.
        Assert.Equal(0.000486m, configured.OfType<UsageChunk>().Sum(u => u.TotalCost));
        Assert.Equal(0.000162m, haiku.OfType<UsageChunk>().Sum(u => u.TotalCost));
    }

    [Fact]
    public async Task An_unknown_overriding_model_is_sent_unchanged_with_no_invented_cost()
    {
        var (request, chunks) = await SendAsync(new RequestOverrides { ModelId = "claude-future-9" });

        Assert.Equal("claude-future-9", JsonNode.Parse(request.Body)!["model"]!.GetValue<string>());
        Assert.All(chunks.OfType<UsageChunk>(), u => Assert.Null(u.TotalCost));
    }

    [Fact]
    public async Task A_1m_overriding_model_sends_the_context_beta_header()
    {
        var (request, _) = await SendAsync(new RequestOverrides { ModelId = "claude-sonnet-4-5:1m" });

        Assert.Equal("context-1m-2025-08-07", request.Headers["anthropic-beta"]);
        Assert.Equal("claude-sonnet-4-5", JsonNode.Parse(request.Body)!["model"]!.GetValue<string>());
    }
}
