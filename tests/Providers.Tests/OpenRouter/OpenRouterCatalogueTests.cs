using System.Text.Json.Nodes;
using Providers.OpenRouter;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenRouter;

/// <summary>Cline's OpenRouter rules on the wire: attribution headers, <c>:1m</c> ids, reasoning per family, cache breakpoints per family.</summary>
public class OpenRouterCatalogueTests
{
    private static async Task<RecordedRequest> SendAsync(Action<OpenRouterOptions> configure, IReadOnlyList<ChatMessage>? messages = null)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"));
        var options = new OpenRouterOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "api/v1") };
        configure(options);
        await CollectAsync(new OpenRouterHandler(options).CreateMessageAsync("Be brief.", messages ?? [ChatMessage.User("Hi")]));
        return Assert.Single(server.Requests);
    }

    private static async Task<JsonNode> BodyAsync(Action<OpenRouterOptions> configure, IReadOnlyList<ChatMessage>? messages = null) =>
        JsonNode.Parse((await SendAsync(configure, messages)).Body)!;

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString() ?? "null");

    [Fact]
    public async Task Requests_carry_clines_attribution_headers()
    {
        var request = await SendAsync(_ => { });

        Assert.Equal("https://cline.bot", request.Headers["HTTP-Referer"]);
        Assert.Equal("Cline", request.Headers["X-Title"]);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
    }

    [Fact]
    public void The_default_model_carries_clines_figures()
    {
        var model = new OpenRouterHandler(new OpenRouterOptions { ApiKey = Key }).GetModel();

        Assert.Equal("anthropic/claude-sonnet-4.5", model.Id);
        Assert.Equal((64_000, 200_000), (model.Info.MaxTokens, model.Info.ContextWindow));
        Assert.Equal((3m, 15m, 3.75m, 0.30m), (model.Info.InputPrice!.Value, model.Info.OutputPrice!.Value, model.Info.CacheWritesPrice!.Value, model.Info.CacheReadsPrice!.Value));
        Assert.True(model.Info.SupportsImages && model.Info.SupportsPromptCache);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4.5:1m", "anthropic/claude-sonnet-4.5")]
    [InlineData("anthropic/claude-sonnet-4.6:1m", "anthropic/claude-sonnet-4.6")]
    [InlineData("anthropic/claude-opus-4.7:1m", "anthropic/claude-opus-4.7")]
    public async Task A_1m_claude_id_is_sent_without_the_suffix_to_the_upstreams_that_serve_1m(string configured, string sent)
    {
        var body = await BodyAsync(o => { o.ModelId = configured; o.ProviderSorting = "price"; });

        Assert.Equal(sent, (string?)body["model"]);
        AssertJson("""{"order":["anthropic","google-vertex/global"],"allow_fallbacks":false}""", body["provider"]);
    }

    [Fact]
    public async Task A_non_claude_id_keeps_its_suffix_and_the_configured_sorting()
    {
        var body = await BodyAsync(o => { o.ModelId = "someone/model:1m"; o.ProviderSorting = "price"; });

        Assert.Equal("someone/model:1m", (string?)body["model"]);
        AssertJson("""{"sort":"price"}""", body["provider"]);
    }

    [Theory]
    [InlineData("google/gemini-2.5-pro")]
    [InlineData("openai/gpt-5.1")]
    [InlineData("openai/o4-mini")]
    [InlineData("x-ai/grok-3-mini")]
    public async Task The_families_that_take_an_effort_get_it_normalised(string model)
    {
        var body = await BodyAsync(o => { o.ModelId = model; o.ReasoningEffort = "XHIGH"; });
        var unknown = await BodyAsync(o => { o.ModelId = model; o.ReasoningEffort = "turbo"; });

        AssertJson("""{"effort":"xhigh"}""", body["reasoning"]);
        Assert.Null(body["temperature"]);
        AssertJson("""{"effort":"medium"}""", unknown["reasoning"]);
    }

    [Fact]
    public async Task Effort_none_sends_no_reasoning_and_does_not_ask_for_it()
    {
        var body = await BodyAsync(o => { o.ModelId = "openai/gpt-5.1"; o.ReasoningEffort = "none"; });

        Assert.Null(body["reasoning"]);
        Assert.False((bool)body["include_reasoning"]!);
        Assert.Equal(0, (double)body["temperature"]!);
    }

    [Fact]
    public async Task A_family_that_takes_no_effort_gets_none()
    {
        var body = await BodyAsync(o => { o.ModelId = "mistralai/mistral-large"; o.ReasoningEffort = "high"; });

        Assert.Null(body["reasoning"]);
        Assert.Equal(0, (double)body["temperature"]!);
    }

    [Fact]
    public async Task A_claude_budget_model_gets_the_budget_even_with_an_effort_and_a_gemini_gets_the_effort_not_the_budget()
    {
        var claude = await BodyAsync(o => { o.ModelId = "anthropic/claude-sonnet-4.6"; o.ThinkingBudgetTokens = 3000; o.ReasoningEffort = "low"; });
        var gemini = await BodyAsync(o => { o.ModelId = "google/gemini-2.5-pro"; o.ThinkingBudgetTokens = 3000; o.ReasoningEffort = "low"; });

        AssertJson("""{"max_tokens":3000}""", claude["reasoning"]);
        Assert.Null(claude["temperature"]);
        AssertJson("""{"effort":"low"}""", gemini["reasoning"]);
    }

    [Theory]
    [InlineData("anthropic/claude-opus-4.7", "high", 0, "high")]
    [InlineData("anthropic/claude-opus-4.6", "low", 0, "low")]
    [InlineData("anthropic/claude-opus-4.6", null, 2048, "high")]
    public async Task The_adaptive_opus_models_are_switched_on_with_the_effort_as_verbosity(string model, string? effort, int budget, string verbosity)
    {
        var body = await BodyAsync(o => { o.ModelId = model; o.ReasoningEffort = effort; o.ThinkingBudgetTokens = budget; });

        AssertJson("""{"enabled":true}""", body["reasoning"]);
        Assert.Equal(verbosity, (string?)body["verbosity"]);
        Assert.True((bool)body["include_reasoning"]!);
        Assert.Null(body["temperature"]);
        Assert.Null(body["top_p"]);
    }

    [Fact]
    public async Task An_adaptive_opus_without_thinking_gets_neither_reasoning_nor_temperature()
    {
        var body = await BodyAsync(o => o.ModelId = "anthropic/claude-opus-4.7");

        Assert.Null(body["reasoning"]);
        Assert.Null(body["verbosity"]);
        Assert.False((bool)body["include_reasoning"]!);
        Assert.Null(body["temperature"]);
    }

    [Theory]
    [InlineData("x-ai/grok-4")]
    [InlineData("mistralai/devstral-medium")]
    [InlineData("z-ai/glm-4.6")]
    public async Task Models_whose_reasoning_stream_is_empty_are_not_asked_for_it(string model)
    {
        var body = await BodyAsync(o => o.ModelId = model);

        Assert.False((bool)body["include_reasoning"]!);
    }

    [Theory]
    [InlineData("anthropic/claude-haiku-4.5", true)]
    [InlineData("minimax/minimax-m2", true)]
    [InlineData("deepseek/deepseek-v3.2", true)]
    [InlineData("qwen/qwen3-coder-plus", true)]
    [InlineData("qwen/qwen3-max", true)]
    [InlineData("openai/gpt-5.1", false)]
    [InlineData("google/gemini-2.5-pro", false)]
    [InlineData("qwen/qwen3-coder", false)]
    public async Task Cache_breakpoints_go_to_the_families_that_need_them(string model, bool breakpoints)
    {
        var body = await BodyAsync(o => o.ModelId = model, [ChatMessage.User("one"), ChatMessage.Assistant("two"), ChatMessage.User("three")]);

        var messages = body["messages"]!.ToJsonString();
        Assert.Equal(breakpoints ? 3 : 0, messages.Split("\"cache_control\"").Length - 1);
    }

    [Fact]
    public async Task An_image_only_user_message_gets_a_placeholder_text_part_to_hold_the_breakpoint()
    {
        var body = await BodyAsync(o => o.ModelId = "anthropic/claude-sonnet-4.5", [new ChatMessage(ChatRole.User, [new ImageBlock("iVBORw0KGgo=", "image/png")])]);

        AssertJson(
            """[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"text","text":"...","cache_control":{"type":"ephemeral"}}]""",
            body["messages"]![1]!["content"]);
    }

    [Theory]
    [InlineData("deepseek/deepseek-r1")]
    [InlineData("perplexity/sonar-reasoning")]
    [InlineData("qwen/qwq-32b")]
    public async Task The_r1_family_gets_the_r1_format_and_its_sampling(string model)
    {
        var body = await BodyAsync(o => o.ModelId = model);

        AssertJson("""[{"role":"user","content":"Be brief.\nHi"}]""", body["messages"]);
        Assert.Equal((0.7, 0.95), ((double)body["temperature"]!, (double)body["top_p"]!));
    }

    [Fact]
    public async Task Gemini_3_gets_googles_recommended_temperature_1()
    {
        var body = await BodyAsync(o => o.ModelId = "google/gemini-3-pro-preview");

        Assert.Equal(1.0, (double)body["temperature"]!);
    }
}
