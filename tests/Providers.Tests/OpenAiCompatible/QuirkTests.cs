using System.Text.Json;
using Providers.OpenAiCompatible;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>The true quirks of the family's members, each against a real server on 127.0.0.1.</summary>
public class QuirkTests
{
    private static IApiHandler Create(ReplayServer server, string id, params (string, string)[] extra) =>
        ProviderRegistry.Create(id, FamilyMember.Get(id).Settings(server.BaseUri, extra), Mode.Act);

    private static JsonElement BodyOf(ReplayServer server, int index = 0)
    {
        using var doc = JsonDocument.Parse(server.Requests[index].Body);
        return doc.RootElement.Clone();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeepSeek_reads_reasoning_content_and_prices_cache_hits_and_misses(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/deepseek-cache-usage.sse").MaybeOneByte(oneByte));
        var handler = Create(server, "deepseek", ("actModeApiModelId", "deepseek-reasoner"));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        // deepseek-reasoner in Cline's table: output 2.19, cache writes (misses) 0.55, cache reads (hits) 0.14 per million.
        Assert.Equal(
            [
                new ReasoningChunk("Cached context "),
                new ReasoningChunk("covers it."),
                new TextChunk("Done."),
                new UsageChunk(0, 40, 768, 232, 30, (40 * 2.19m + 232 * 0.55m + 768 * 0.14m) / 1_000_000m),
            ],
            chunks);
        Assert.False(BodyOf(server).TryGetProperty("temperature", out _));
    }

    [Fact]
    public async Task DeepSeek_reads_the_recorded_reasoner_stream()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.OpenAiChatChunks("openai-chat/deepseek-reasoning.chunks.txt"));
        var handler = Create(server, "deepseek", ("actModeApiModelId", "deepseek-reasoner"));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var (text, reasoning, _) = ChatFixtureText("openai-chat/deepseek-reasoning.chunks.txt");
        Assert.Equal(text, TextOf(chunks));
        Assert.Equal(reasoning, ReasoningOf(chunks));
        Assert.Equal(new UsageChunk(0, 219, 0, 18, 205, (219 * 2.19m + 18 * 0.55m) / 1_000_000m), UsageOf(chunks));
    }

    [Theory]
    [InlineData("fireworks", false)]
    [InlineData("fireworks", true)]
    [InlineData("cerebras", true)]
    [InlineData("huawei-cloud-maas", true)]
    [InlineData("minimax", true)]
    public async Task Think_tags_in_the_text_become_reasoning_even_when_split_across_deltas(string id, bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/think-tags.sse").MaybeOneByte(oneByte));
        var handler = Create(server, id);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal(
            [
                new ReasoningChunk("The user wants"),
                new ReasoningChunk(" a greeting."),
                new TextChunk("\n\nHello"),
                new TextChunk("! <b>"),
                new UsageChunk(12, 18, null, null, null, handler.GetModel().Info.CostOf(12, 18)),
            ],
            chunks);
    }

    [Fact]
    public async Task Members_without_think_tags_leave_the_text_alone()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/think-tags.sse"));
        var handler = Create(server, "groq");

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("<think>The user wants a greeting.</think>\n\nHello! <b>", TextOf(chunks));
        Assert.Empty(chunks.OfType<ReasoningChunk>());
    }

    [Theory]
    [InlineData("grok-3-mini", "high", "high")]
    [InlineData("grok-3-mini", "low", "low")]
    [InlineData("grok-3-mini", "medium", null)]
    [InlineData("grok-4", "high", null)]
    public async Task Xai_sends_a_low_or_high_effort_to_grok_3_mini_only(string model, string effort, string? sent)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = Create(server, "xai", ("actModeApiModelId", model), ("actModeReasoningEffort", effort));

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal(sent, BodyOf(server).TryGetProperty("reasoning_effort", out var e) ? e.GetString() : null);
    }

    [Theory]
    [InlineData("grok-3-mini", true)]
    [InlineData("grok-4", false)]
    public async Task Xai_shows_reasoning_except_grok_4_placeholders(string model, bool shown)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.OpenAiChatChunks("openai-chat/xai-tool-call.chunks.txt"));
        var handler = Create(server, "xai", ("actModeApiModelId", model));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Weather?")]));

        var (_, reasoning, _) = ChatFixtureText("openai-chat/xai-tool-call.chunks.txt");
        Assert.Equal(shown ? reasoning : "", ReasoningOf(chunks));
        Assert.Single(ToolCallsOf(chunks));
    }

    [Fact]
    public async Task Qwen3_with_a_thinking_budget_enables_thinking_and_drops_the_temperature()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var thinking = Create(server, "qwen", ("actModeThinkingBudgetTokens", "2048"));
        var plain = Create(server, "qwen");

        await CollectAsync(thinking.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        await CollectAsync(plain.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var on = BodyOf(server, 0);
        Assert.True(on.GetProperty("enable_thinking").GetBoolean());
        Assert.Equal(2048, on.GetProperty("thinking_budget").GetInt32());
        Assert.False(on.TryGetProperty("temperature", out _));
        var off = BodyOf(server, 1);
        Assert.False(off.GetProperty("enable_thinking").GetBoolean());
        Assert.False(off.TryGetProperty("thinking_budget", out _));
        Assert.Equal(0, off.GetProperty("temperature").GetDouble());
    }

    [Theory]
    [InlineData("qwen", null, "https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen3-235b-a22b")]
    [InlineData("qwen", "international", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "qwen3-coder-plus")]
    [InlineData("zai", null, "https://api.z.ai/api/paas/v4", "glm-5.1")]
    [InlineData("zai", "china", "https://open.bigmodel.cn/api/paas/v4", "glm-5.1")]
    [InlineData("moonshot", null, "https://api.moonshot.ai/v1", "kimi-k2-0905-preview")]
    [InlineData("moonshot", "china", "https://api.moonshot.cn/v1", "kimi-k2-0905-preview")]
    [InlineData("minimax", "international", "https://api.minimax.io/v1", "MiniMax-M2.7")]
    [InlineData("minimax", "china", "https://api.minimaxi.com/v1", "MiniMax-M2.7")]
    public void The_api_line_picks_the_regional_base_url_and_default_model(string id, string? line, string baseUrl, string model)
    {
        var json = line is null ? $$"""{"{{Camel(id)}}ApiKey":"k"}""" : $$"""{"{{Camel(id)}}ApiKey":"k","{{Camel(id)}}ApiLine":"{{line}}"}""";
        var handler = ProviderRegistry.Create(id, ProviderSettings.Parse(json), Mode.Act);

        var url = handler switch
        {
            QwenHandler q => q.BaseUrl(),
            ZAiHandler z => z.BaseUrl(),
            MoonshotHandler m => m.BaseUrl(),
            MiniMaxHandler m => m.BaseUrl(),
            _ => throw new InvalidOperationException(id),
        };
        Assert.Equal(baseUrl, url);
        Assert.Equal(model, handler.GetModel().Id);
    }

    [Fact]
    public void Model_tables_carry_Cline_figures()
    {
        var deepseek = ProviderRegistry.Create("deepseek", ProviderSettings.Parse("""{"deepSeekApiKey":"k"}"""), Mode.Act).GetModel();
        Assert.Equal("deepseek-chat", deepseek.Id);
        Assert.Equal(new ModelInfo
        {
            MaxTokens = 8_000,
            ContextWindow = 128_000,
            SupportsImages = false,
            SupportsPromptCache = true,
            InputPrice = 0,
            OutputPrice = 1.1m,
            CacheWritesPrice = 0.27m,
            CacheReadsPrice = 0.07m,
        }, deepseek.Info);

        var grok = ProviderRegistry.Create("xai", ProviderSettings.Parse("""{"xaiApiKey":"k"}"""), Mode.Act).GetModel();
        Assert.Equal(("grok-4", 262_144, 3.0m, 15.0m, 0.75m), (grok.Id, grok.Info.ContextWindow, grok.Info.InputPrice, grok.Info.OutputPrice, grok.Info.CacheReadsPrice));
    }

    [Fact]
    public async Task Hicap_sends_its_key_as_api_key_too_and_aihubmix_its_app_code()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"), Fixtures.Raw("openai-compatible/chat-text.sse"));

        await CollectAsync(Create(server, "hicap").CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        await CollectAsync(Create(server, "aihubmix", ("aihubmixAppCode", "APP42")).CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal(FamilyMember.Key, server.Requests[0].Headers["api-key"]);
        Assert.Equal("APP42", server.Requests[1].Headers["APP-Code"]);
    }

    [Fact]
    public async Task Cerebras_sends_its_conservative_output_limit_and_lmstudio_its_configured_one()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"), Fixtures.Raw("openai-compatible/chat-text.sse"));

        await CollectAsync(Create(server, "cerebras").CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        await CollectAsync(Create(server, "lmstudio", ("lmStudioMaxTokens", "4096")).CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal(16_384, BodyOf(server, 0).GetProperty("max_tokens").GetInt32());
        Assert.Equal(4096, BodyOf(server, 1).GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task A_model_override_uses_the_table_entry_of_the_overriding_model()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-tool-call.sse"));
        var handler = (IApiHandlerWithOverrides)Create(server, "deepseek");

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")], null, new RequestOverrides { ModelId = "deepseek-reasoner", MaxOutputTokens = 500 }));

        var body = BodyOf(server);
        Assert.Equal("deepseek-reasoner", body.GetProperty("model").GetString());
        Assert.Equal(500, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal((30 * 2.19m + 100 * 0.14m) / 1_000_000m, UsageOf(chunks)!.TotalCost);
    }

    [Fact]
    public async Task LiteLlm_prices_usage_from_the_proxy_model_list()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            ReplayResponse.Json(200, """
                {"data":[
                  {"model_name":"other","litellm_params":{"model":"openai/gpt-4o"},"model_info":{"input_cost_per_token":0.0000025,"output_cost_per_token":0.00001}},
                  {"model_name":"claude","litellm_params":{"model":"anthropic/claude-sonnet-4-5"},"model_info":{"input_cost_per_token":0.000003,"output_cost_per_token":0.000015,"cache_read_input_token_cost":3e-7,"max_input_tokens":200000,"max_output_tokens":64000,"supports_prompt_caching":true}}
                ]}
                """),
            Fixtures.Raw("openai-compatible/chat-tool-call.sse"),
            Fixtures.Raw("openai-compatible/chat-text.sse"));
        var settings = ProviderSettings.Parse($$"""{"liteLlmBaseUrl":"{{server.BaseUri}}","liteLlmApiKey":"{{FamilyMember.Key}}","actModeLiteLlmModelId":"claude"}""");
        var handler = ProviderRegistry.Create("litellm", settings, Mode.Act);

        var first = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        var second = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal((20 * 3m + 30 * 15m + 100 * 0.3m) / 1_000_000m, UsageOf(first)!.TotalCost);
        Assert.Equal((160 * 3m + 5 * 15m) / 1_000_000m, UsageOf(second)!.TotalCost);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(("GET", "/v1/model/info"), (server.Requests[0].Method, server.Requests[0].PathAndQuery));
        Assert.Equal(FamilyMember.Key, server.Requests[0].Headers["x-litellm-api-key"]);
        Assert.Equal("/chat/completions", server.Requests[1].PathAndQuery);
        Assert.Equal("/chat/completions", server.Requests[2].PathAndQuery);
    }

    [Fact]
    public async Task LiteLlm_streams_without_prices_when_the_proxy_has_no_model_list()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(404, """{"detail":"Not Found"}"""), Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = ProviderRegistry.Create("litellm", ProviderSettings.Parse($$"""{"liteLlmBaseUrl":"{{server.BaseUri}}"}"""), Mode.Act);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("It says hi.", TextOf(chunks));
        Assert.Null(UsageOf(chunks)!.TotalCost);
    }

    private static string Camel(string id) => id switch { "zai" => "zai", "qwen" => "qwen", "moonshot" => "moonshot", _ => "minimax" };
}
