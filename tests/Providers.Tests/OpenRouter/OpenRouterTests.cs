using System.Net;
using System.Text.Json.Nodes;
using Providers.OpenRouter;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenRouter;

public sealed class OpenRouterFaultTests : FaultMatrix
{
    protected override string SuccessText => "Let me list the files.";

    protected override (IApiHandler Handler, ProviderOptions Options) Create(Uri baseUri)
    {
        var options = new OpenRouterOptions { ApiKey = Key, BaseUrl = new Uri(baseUri, "api/v1"), ModelId = "anthropic/claude-sonnet-4.5" };
        return (new OpenRouterHandler(options), options);
    }

    protected override ReplayResponse Success() => Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse");

    protected override IReadOnlyList<byte[]> OutputParts() =>
    [
        "\u003a OPENROUTER PROCESSING\n\n"u8.ToArray(),
        Sse("""{"id":"gen-1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"""),
        Sse("""{"id":"gen-1","choices":[{"index":0,"delta":{"content":"lo"}}]}"""),
    ];

    protected override IReadOnlyList<byte[]> TerminatorParts() => [Sse("[DONE]")];

    protected override byte[] ErrorEvent() =>
        Sse("""{"id":"gen-1","error":{"code":"server_error","message":"upstream fell over"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}""");
}

public class OpenRouterTests
{
    private static (OpenRouterHandler Handler, OpenRouterOptions Options, RetryClock Clock) Create(ReplayServer server, string modelId = "anthropic/claude-sonnet-4.5")
    {
        var options = new OpenRouterOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "api/v1"), ModelId = modelId };
        var clock = new RetryClock();
        clock.Attach(options);
        return (new OpenRouterHandler(options), options, clock);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reasoning_with_signature_text_fragmented_tool_call_and_usage_with_cost(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse").MaybeOneByte(oneByte));
        var (handler, _, _) = Create(server);
        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("List the files")]));
        const string Tool = "toolu_vrtx_01Q2w3E4r5T6y7U8";
        Assert.Equal(
            [
                new ReasoningChunk("Need the file list first.", Details: """[{"type":"reasoning.text","text":"Need the file list first.","format":"anthropic-claude-v1","index":0}]"""),
                new ReasoningChunk("", "EqQBCkgIBxABGAIiQL3p0sig", Details: """[{"type":"reasoning.text","signature":"EqQBCkgIBxABGAIiQL3p0sig","format":"anthropic-claude-v1","index":0}]"""),
                new TextChunk("Let me list the files."),
                new ToolCallChunk(Tool, Tool, "list_files", ""),
                new ToolCallChunk(Tool, Tool, "list_files", "{\"path\": \"sr"),
                new ToolCallChunk(Tool, Tool, "list_files", "c\", \"recursive\": true}"),

                // 1520 prompt tokens = 496 uncached + 1024 cached + 0 written.
                new UsageChunk(496, 64, 1024, 0, 12, 0.005028m),
            ],
            chunks);

        // The stream carried usage: no lookup.
        Assert.Null(await handler.GetApiStreamUsageAsync());
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_mid_stream_error_chunk_fails_with_its_code_after_the_partial_output(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openrouter/chat-midstream-error.sse").MaybeOneByte(oneByte), Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"));
        var (handler, _, _) = Create(server, "meta-llama/llama-3.3-70b-instruct");
        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        Assert.Equal([new TextChunk("Partial answer")], chunks);
        Assert.Equal("server_error", error.ErrorType);
        Assert.Contains("Provider disconnected unexpectedly", error.Message, StringComparison.Ordinal);
        Assert.True(error.OutputStarted);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Status_402_fails_at_once_with_the_credit_message()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(402, Fixtures.Text("openrouter/error-402.json")), Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"));
        var (handler, _, _) = Create(server);
        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        Assert.Equal(HttpStatusCode.PaymentRequired, error.StatusCode);
        Assert.Contains("requires more credits", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Status_429_with_retry_after_is_retried_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            ReplayResponse.Json(429, Fixtures.Text("openrouter/error-429.json"), new Dictionary<string, string> { ["Retry-After"] = "2" }),
            Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"));
        var (handler, _, clock) = Create(server);
        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        Assert.Equal("Let me list the files.", TextOf(chunks));
        Assert.Equal([TimeSpan.FromSeconds(2)], clock.Delays);
        Assert.Equal(2, server.Requests.Count);
    }

    private static ReplayResponse StreamWithoutUsage() => Fixtures.Raw("openai-chat/anthropic-fallback-tool-call.sse");

    private static readonly UsageChunk GenerationUsage = new(1520 - 1024, 64, 1024, null, 12, 0.005028m);

    [Fact]
    public async Task Without_usage_in_the_stream_the_usage_is_looked_up_by_generation_id()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(StreamWithoutUsage(), ReplayResponse.Json(200, Fixtures.Text("openrouter/generation.json")));
        var (handler, _, _) = Create(server);
        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        Assert.Null(UsageOf(chunks));
        Assert.Equal(GenerationUsage, await handler.GetApiStreamUsageAsync());
        var lookup = server.Requests[1];
        Assert.Equal(("GET", "/api/v1/generation?id=msg_sanitized"), (lookup.Method, lookup.PathAndQuery));
        Assert.Equal("Bearer " + Key, lookup.Headers["Authorization"]);

        // Counted once.
        Assert.Null(await handler.GetApiStreamUsageAsync());
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task The_generation_lookup_retries_a_500_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            StreamWithoutUsage(),
            ReplayResponse.Json(500, """{"error":{"code":500,"message":"not yet"}}"""),
            ReplayResponse.Json(200, Fixtures.Text("openrouter/generation.json")));
        var (handler, _, clock) = Create(server);
        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        Assert.Equal(GenerationUsage, await handler.GetApiStreamUsageAsync());
        Assert.Equal(3, server.Requests.Count);
        var delay = Assert.Single(clock.Delays);
        Assert.InRange(delay, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task The_generation_lookup_does_not_retry_a_404()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            StreamWithoutUsage(),
            ReplayResponse.Json(404, """{"error":{"code":404,"message":"Generation not found"}}"""),
            ReplayResponse.Json(200, Fixtures.Text("openrouter/generation.json")));
        var (handler, _, _) = Create(server);
        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        var error = await Assert.ThrowsAsync<ProviderException>(async () => await handler.GetApiStreamUsageAsync());
        AssertNoKey(error);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Request_has_cache_control_for_anthropic_provider_sorting_and_the_thinking_budget()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"));
        var (handler, options, _) = Create(server);
        options.ProviderSorting = "throughput";
        options.ThinkingBudgetTokens = 2048;
        var messages = new List<ChatMessage>
        {
            ChatMessage.User("one"),
            ChatMessage.Assistant("a1"),
            new(ChatRole.User, [new TextBlock("two"), new ImageBlock(OpenAiRequestTests.Png, "image/png"), new TextBlock("two-b")]),
            new(ChatRole.Assistant, [new ToolUseBlock("toolu_1", "list_files", Json("{}"))]),
            new(ChatRole.User, [new ToolResultBlock("toolu_1", "a.txt"), new TextBlock("three")]),
        };
        await CollectAsync(handler.CreateMessageAsync("sys", messages, OpenAiRequestTests.Tools));
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/api/v1/chat/completions"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.StartsWith("Providers.NET/", request.Headers["User-Agent"], StringComparison.Ordinal);
        OpenAiRequestTests.AssertJson(
            """
            {"model":"anthropic/claude-sonnet-4.5","messages":[
              {"role":"system","content":[{"type":"text","text":"sys","cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":[{"type":"text","text":"one"}]},
              {"role":"assistant","content":"a1"},
              {"role":"user","content":[{"type":"text","text":"two"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"text","text":"two-b","cache_control":{"type":"ephemeral"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"list_files","arguments":"{}"}}]},
              {"role":"tool","content":"a.txt","tool_call_id":"toolu_1"},
              {"role":"user","content":[{"type":"text","text":"three","cache_control":{"type":"ephemeral"}}]}
            ],
            "max_tokens":64000,"stream":true,"stream_options":{"include_usage":true},"include_reasoning":true,
            "reasoning":{"max_tokens":2048},"provider":{"sort":"throughput"},
            "tools":[{"type":"function","function":{"name":"read_file","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}],
            "tool_choice":"auto"}
            """,
            request.Body);
    }

    [Fact]
    public async Task Non_anthropic_models_get_no_cache_control_and_openai_reasoning_models_get_the_effort()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("openrouter/chat-reasoning-tool-call.sse"));
        var (handler, options, _) = Create(server, "openai/o4-mini");
        options.ReasoningEffort = "low";
        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        var body = JsonNode.Parse(Assert.Single(server.Requests).Body)!;
        Assert.DoesNotContain("cache_control", body.ToJsonString(), StringComparison.Ordinal);
        OpenAiRequestTests.AssertJson("""{"effort":"low"}""", body["reasoning"]!.ToJsonString());
        Assert.Null(body["temperature"]);
        Assert.Null(body["provider"]);
    }
}
