using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>
/// Requesty's and Vercel AI Gateway's thinking and reasoning parameters as Cline sends them, the reasoning and cache
/// usage read back from their streams, over 127.0.0.1.
/// </summary>
public class RouterReasoningTests
{
    private static IApiHandler Create(ReplayServer server, string id, string model, params (string Key, string Json)[] extra)
    {
        var member = FamilyMember.Get(id);
        var json = new JsonObject();
        json[member.BaseUrlKey] = new Uri(server.BaseUri, member.BaseUrlSuffix).ToString();
        json[member.ApiKeyKey!] = FamilyMember.Key;
        json[id == "requesty" ? "actModeRequestyModelId" : "actModeVercelAiGatewayModelId"] = model;
        foreach (var (key, value) in extra)
        {
            json[key] = JsonNode.Parse(value);
        }

        return ProviderRegistry.Create(id, ProviderSettings.Parse(json.ToJsonString()), Mode.Act);
    }

    /// <summary>Cline's act-mode thinking budget and reasoning effort, each as JSON, where given.</summary>
    internal static (string Key, string Json)[] ReasoningSettings(string? budget, string? effort) =>
    [
        .. budget is null ? [] : new[] { ("actModeThinkingBudgetTokens", budget) },
        .. effort is null ? [] : new[] { ("actModeReasoningEffort", effort) },
    ];

    private static JsonElement BodyOf(ReplayServer server)
    {
        using var doc = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        return doc.RootElement.Clone();
    }

    private static string? Raw(JsonElement body, string name) => body.TryGetProperty(name, out var value) ? value.GetRawText() : null;

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-20250514", "4096", null, """{"type":"enabled","budget_tokens":4096}""", null, null)]
    [InlineData("anthropic/claude-3-7-sonnet-latest", null, null, """{"type":"disabled"}""", null, "0")]
    [InlineData("anthropic/claude-opus-4-1", "0", null, """{"type":"disabled"}""", null, "0")]
    [InlineData("anthropic/claude-opus-4-6", null, "\"low\"", """{"type":"adaptive"}""", """{"effort":"low"}""", null)]
    [InlineData("anthropic/claude-opus-4-7", "2048", null, """{"type":"adaptive"}""", """{"effort":"high"}""", null)]
    [InlineData("anthropic/claude-opus-4-6", null, null, null, null, null)]
    [InlineData("openai/gpt-4.1", "4096", null, null, null, "0")]
    public async Task Requesty_sends_claude_thinking_as_cline_does(string model, string? budget, string? effort, string? thinking, string? outputConfig, string? temperature)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = Create(server, "requesty", model, ReasoningSettings(budget, effort));

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var body = BodyOf(server);
        Assert.Equal(thinking, Raw(body, "thinking"));
        Assert.Equal(outputConfig, Raw(body, "output_config"));
        Assert.Equal(temperature, Raw(body, "temperature"));
        Assert.Equal("https://cline.bot", server.Requests[0].Headers["HTTP-Referer"]);
        Assert.Equal("Cline", server.Requests[0].Headers["X-Title"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Requesty_reads_reasoning_content_and_its_caching_tokens(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/requesty-thinking-cache.sse").MaybeOneByte(oneByte));
        var info = """{"maxTokens":8192,"contextWindow":200000,"inputPrice":3,"outputPrice":15,"cacheWritesPrice":3.75,"cacheReadsPrice":0.3}""";
        var handler = Create(server, "requesty", "anthropic/claude-sonnet-4-20250514", ("actModeRequestyModelInfo", info), ("actModeThinkingBudgetTokens", "1024"));

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        // prompt_tokens 1000 = 600 cache reads + 300 cache writes + 100 plain input tokens.
        Assert.Equal(
            [
                new ReasoningChunk("Check the "),
                new ReasoningChunk("numbers first."),
                new TextChunk("Done."),
                new UsageChunk(100, 40, 600, 300, null, (100 * 3m + 40 * 15m + 300 * 3.75m + 600 * 0.3m) / 1_000_000m),
            ],
            chunks);
        Assert.Equal(8192, BodyOf(server).GetProperty("max_tokens").GetInt32());
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4.5", "4096", null, """{"max_tokens":4096}""", null, true, null)]
    [InlineData("anthropic/claude-sonnet-4.5", null, null, null, null, true, "0")]
    [InlineData("anthropic/claude-opus-4.6", null, "\"high\"", """{"enabled":true}""", "high", true, null)]
    [InlineData("anthropic/claude-opus-4.6", null, "\"none\"", null, null, false, null)]
    [InlineData("openai/gpt-5", null, "\"low\"", """{"effort":"low"}""", null, true, "0")]
    [InlineData("openai/gpt-5", null, "\"none\"", null, null, false, "0")]
    [InlineData("xai/grok-4", null, "\"high\"", """{"effort":"high"}""", null, false, "0")]
    [InlineData("google/gemini-3-pro-preview", null, null, null, null, true, "1")]
    public async Task Vercel_sends_reasoning_as_cline_does(string model, string? budget, string? effort, string? reasoning, string? verbosity, bool include, string? temperature)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"));
        var handler = Create(server, "vercel-ai-gateway", model, ReasoningSettings(budget, effort));

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var body = BodyOf(server);
        Assert.Equal(reasoning, Raw(body, "reasoning"));
        Assert.Equal(verbosity, body.TryGetProperty("verbosity", out var v) ? v.GetString() : null);
        Assert.Equal(include, body.GetProperty("include_reasoning").GetBoolean());
        Assert.Equal(temperature, Raw(body, "temperature"));
        Assert.Equal("https://cline.bot", server.Requests[0].Headers["http-referer"]);
        Assert.Equal("Cline", server.Requests[0].Headers["x-title"]);
    }

    [Fact]
    public async Task Vercel_marks_cache_breakpoints_for_anthropic_models_only()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/chat-text.sse"), Fixtures.Raw("openai-compatible/chat-text.sse"));
        ChatMessage[] conversation = [ChatMessage.User("one"), ChatMessage.Assistant("two"), ChatMessage.User("three")];

        await CollectAsync(Create(server, "vercel-ai-gateway", "anthropic/claude-sonnet-4.5").CreateMessageAsync("sys", conversation));
        await CollectAsync(Create(server, "vercel-ai-gateway", "openai/gpt-5").CreateMessageAsync("sys", conversation));

        using var cached = JsonDocument.Parse(server.Requests[0].Body);
        var messages = cached.RootElement.GetProperty("messages");
        Assert.Equal("""[{"type":"text","text":"sys","cache_control":{"type":"ephemeral"}}]""", messages[0].GetProperty("content").GetRawText());
        Assert.Equal("""[{"type":"text","text":"one","cache_control":{"type":"ephemeral"}}]""", messages[1].GetProperty("content").GetRawText());
        Assert.Equal("""[{"type":"text","text":"three","cache_control":{"type":"ephemeral"}}]""", messages[3].GetProperty("content").GetRawText());
        Assert.DoesNotContain("cache_control", server.Requests[1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Vercel_reads_reasoning_with_its_details_and_the_gateway_cost(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/vercel-reasoning-cache.sse").MaybeOneByte(oneByte));
        var handler = Create(server, "vercel-ai-gateway", "anthropic/claude-sonnet-4.5");

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        var reasoning = chunks.OfType<ReasoningChunk>().ToList();
        Assert.Equal(["Weigh the ", "options."], reasoning.Select(r => r.Reasoning));
        Assert.Equal([null, "sig-vc01"], reasoning.Select(r => r.Signature));
        Assert.All(reasoning, r => Assert.NotNull(r.Details));
        Assert.Equal("Pick B.", TextOf(chunks));
        Assert.Equal(new UsageChunk(400, 30, 500, 100, null, 0.0042m + 0.0008m), UsageOf(chunks));
    }

    [Fact]
    public async Task Vercel_hides_the_reasoning_of_grok_4()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openai-compatible/vercel-reasoning-cache.sse"));
        var handler = Create(server, "vercel-ai-gateway", "xai/grok-4");

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Empty(chunks.OfType<ReasoningChunk>());
        Assert.Equal("Pick B.", TextOf(chunks));
    }
}
