using System.Text.Json.Nodes;
using Providers.OpenRouter;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenRouter;

/// <summary>Per-request overrides (<see cref="IApiHandlerWithOverrides"/>) on the wire.</summary>
public class OpenRouterOverrideTests
{
    private const string Messages = """ "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}] """;

    private const string Tail = """ "stream":true,"stream_options":{"include_usage":true},"include_reasoning":true """;

    private static async Task<string> BodyAsync(RequestOverrides overrides, Action<OpenRouterOptions>? configure = null)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"));
        IApiHandlerWithOverrides handler = Create(server.BaseUri, configure);

        await CollectAsync(handler.CreateMessageAsync("Be brief.", [ChatMessage.User("Hi")], null, overrides));

        return Assert.Single(server.Requests).Body;
    }

    private static OpenRouterHandler Create(Uri baseUri, Action<OpenRouterOptions>? configure = null)
    {
        var options = new OpenRouterOptions { ApiKey = Key, BaseUrl = new Uri(baseUri, "api/v1"), ModelId = "openai/gpt-4.1" };
        configure?.Invoke(options);
        return new OpenRouterHandler(options);
    }

    private static void AssertJson(string expected, string actual) => OpenAiRequestTests.AssertJson(expected, actual);

    [Fact]
    public void Every_override_is_supported_while_no_reasoning_is_configured()
    {
        var localhost = new Uri("http://127.0.0.1:9");

        Assert.Equal(RequestOverrideKinds.All, Create(localhost).SupportedOverrides);

        // A configured effort applies to the families that take one (Gemini, GPT, o-series, Grok) only.
        Assert.Equal(RequestOverrideKinds.All, Create(localhost, o => { o.ModelId = "mistralai/mistral-large"; o.ReasoningEffort = "high"; }).SupportedOverrides);
    }

    [Fact]
    public void The_temperature_is_not_supported_while_reasoning_is_configured()
    {
        var localhost = new Uri("http://127.0.0.1:9");
        const RequestOverrideKinds WithoutTemperature = RequestOverrideKinds.All & ~RequestOverrideKinds.Temperature;

        Assert.Equal(WithoutTemperature, Create(localhost, o => { o.ModelId = "anthropic/claude-sonnet-4.5"; o.ThinkingBudgetTokens = 2048; }).SupportedOverrides);
        Assert.Equal(WithoutTemperature, Create(localhost, o => { o.ModelId = "openai/o4-mini"; o.ReasoningEffort = "low"; }).SupportedOverrides);
    }

    [Fact]
    public async Task Without_overrides_the_body_carries_the_configured_model_and_temperature_0()
    {
        var body = await BodyAsync(RequestOverrides.None);

        AssertJson($$"""{"model":"openai/gpt-4.1",{{Messages}},"temperature":0,{{Tail}}}""", body);
    }

    [Fact]
    public async Task The_model_temperature_and_max_tokens_overrides_replace_the_configured_values()
    {
        var body = await BodyAsync(new RequestOverrides { ModelId = "mistralai/mistral-large", Temperature = 0.6, MaxOutputTokens = 700 });

        AssertJson($$"""{"model":"mistralai/mistral-large",{{Messages}},"temperature":0.6,"max_tokens":700,{{Tail}}}""", body);
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.Medium, "medium")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh")]
    public async Task A_reasoning_effort_replaces_the_configured_budget_and_sends_no_temperature(ReasoningEffort effort, string wire)
    {
        var body = await BodyAsync(new RequestOverrides { ReasoningEffort = effort }, o => o.ThinkingBudgetTokens = 2048);

        AssertJson($$$"""{"model":"openai/gpt-4.1",{{{Messages}}},{{{Tail}}},"reasoning":{"effort":"{{{wire}}}"}}""", body);
    }

    [Fact]
    public async Task Effort_none_asks_for_no_reasoning_and_keeps_the_temperature()
    {
        var body = await BodyAsync(new RequestOverrides { ReasoningEffort = ReasoningEffort.None, Temperature = 0.3 });

        AssertJson($$$"""{"model":"openai/gpt-4.1",{{{Messages}}},"temperature":0.3,"stream":true,"stream_options":{"include_usage":true},"include_reasoning":false,"reasoning":{"effort":"none"}}""", body);
    }

    [Fact]
    public async Task A_temperature_with_a_reasoning_effort_is_refused_before_any_request()
    {
        await using var server = await ReplayServer.StartAsync();
        IApiHandlerWithOverrides handler = Create(server.BaseUri);

        var (_, error) = await StreamCollector.CollectUntilErrorAsync(handler.CreateMessageAsync(
            "", [ChatMessage.User("Hi")], null, new RequestOverrides { Temperature = 0.3, ReasoningEffort = ReasoningEffort.High }));

        Assert.Equal("overrides", Assert.IsType<ArgumentException>(error).ParamName);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task An_overriding_model_takes_its_own_info_and_model_specific_format()
    {
        void Configure(OpenRouterOptions o) => o.ModelInfo = new ModelInfo { MaxTokens = 5000 };

        var configured = JsonNode.Parse(await BodyAsync(RequestOverrides.None, Configure))!;
        var other = JsonNode.Parse(await BodyAsync(new RequestOverrides { ModelId = "meta-llama/llama-3.3-70b" }, Configure))!;
        var sonnet = JsonNode.Parse(await BodyAsync(new RequestOverrides { ModelId = OpenRouterOptions.DefaultModelId }, Configure))!;

        Assert.Equal(5000, (int)configured["max_tokens"]!);
        Assert.Null(other["max_tokens"]);

        // The default model's built-in limit, and Anthropic cache breakpoints because the overriding id is an Anthropic model.
        Assert.Equal(64_000, (int)sonnet["max_tokens"]!);
        Assert.Contains("cache_control", sonnet["messages"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("cache_control", configured["messages"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
