using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Cline;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.Cline;

public sealed class ClineFaultTests : FaultMatrix
{
    protected override string SuccessText => "I'll read it.";

    protected override (IApiHandler Handler, ProviderOptions Options) Create(Uri baseUri)
    {
        var options = new ClineOptions { ApiKey = Key, BaseUrl = baseUri, ModelId = "anthropic/claude-sonnet-4.5" };
        return (new ClineHandler(options), options);
    }

    protected override ReplayResponse Success() => Fixtures.Raw("cline/chat-reasoning-tool-call.sse");

    protected override IReadOnlyList<byte[]> OutputParts() =>
    [
        Sse("""{"id":"gen-1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"""),
        Sse("""{"id":"gen-1","choices":[{"index":0,"delta":{"content":"lo"}}]}"""),
    ];

    protected override IReadOnlyList<byte[]> TerminatorParts() => [Sse("[DONE]")];

    protected override byte[] ErrorEvent() =>
        Sse("""{"id":"gen-1","choices":[{"index":0,"delta":{"content":""},"finish_reason":"error","error":{"code":"server_error","message":"upstream fell over"}}]}""");
}

/// <summary>
/// The <c>cline</c> provider against a real server on 127.0.0.1, with streams written from Cline's API documentation
/// (docs.cline.bot, "Chat Completions" and "Errors") and the fields Cline's own handler reads.
/// </summary>
public class ClineTests
{
    private const string Tool = "toolu_01Cl1neR3adMe";
    private const string GenerationId = "gen-1764235000-Zx9Kq2LmNp";

    private static readonly IReadOnlyList<ToolDefinition> Tools =
        [new("read_file", "Reads a file", JsonDocument.Parse("""{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}""").RootElement.Clone())];

    private static (ClineHandler Handler, ClineOptions Options, RetryClock Clock) Create(ReplayServer server, string? modelId = "anthropic/claude-sonnet-4.5")
    {
        var options = new ClineOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = modelId };
        var clock = new RetryClock();
        clock.Attach(options);
        return (new ClineHandler(options), options, clock);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Replays_reasoning_with_its_signature_a_fragmented_tool_call_and_usage_with_cost_exactly(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("cline/chat-reasoning-tool-call.sse").MaybeOneByte(oneByte));
        var (handler, _, _) = Create(server);

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Read the README")], Tools));

        Assert.Equal(
            [
                new ReasoningChunk("The user wants the README.", Details: """[{"type":"reasoning.text","text":"The user wants the README.","format":"anthropic-claude-v1","index":0}]"""),
                new ReasoningChunk("", "ErUBCkYIBRgCIkDcline0sig", Details: """[{"type":"reasoning.text","signature":"ErUBCkYIBRgCIkDcline0sig","format":"anthropic-claude-v1","index":0}]"""),
                new TextChunk("I'll read it."),
                new ToolCallChunk(Tool, Tool, "read_file", ""),
                new ToolCallChunk(Tool, Tool, "read_file", "{\"path\":"),
                new ToolCallChunk(Tool, Tool, "read_file", "\"README.md\"}"),

                // 2100 prompt tokens = 200 uncached + 1600 read from the cache + 300 written to it; the cost is the server's.
                new UsageChunk(200, 48, 1600, 300, 9, 0.004215m),
            ],
            chunks);
        Assert.Null(await handler.GetApiStreamUsageAsync());
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Sends_the_account_token_the_task_id_and_cline_attribution_to_the_api_path_of_the_host()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("cline/chat-text.sse"));
        var (handler, options, _) = Create(server, "openai/gpt-5");
        options.TaskId = "01JD7ZQ4K2T9XW3B5N8M6P0R1S";
        options.ProviderSorting = "latency";

        await CollectAsync(handler.CreateMessageAsync("Be brief.", [ChatMessage.User("Hi")], Tools));

        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/api/v1/chat/completions"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.Equal("https://cline.bot", request.Headers["HTTP-Referer"]);
        Assert.Equal("Cline", request.Headers["X-Title"]);
        Assert.Equal("01JD7ZQ4K2T9XW3B5N8M6P0R1S", request.Headers["X-Task-ID"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        OpenAiRequestTests.AssertJson(
            """
            {"model":"openai/gpt-5","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],
             "temperature":0,"max_tokens":64000,"stream":true,"stream_options":{"include_usage":true},"include_reasoning":true,
             "provider":{"sort":"latency"},
             "tools":[{"type":"function","function":{"name":"read_file","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}}],
             "tool_choice":"auto"}
            """,
            request.Body);
    }

    [Fact]
    public async Task Without_a_task_id_no_task_header_is_sent()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("cline/chat-text.sse"));
        var (handler, _, _) = Create(server);

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.False(Assert.Single(server.Requests).Headers.ContainsKey("X-Task-ID"));
    }

    [Fact]
    public void A_cline_settings_file_builds_it_with_cline_keys_and_the_openrouter_fallbacks()
    {
        var withClineKeys = ProviderSettings.Parse("""
            {"actModeApiProvider":"cline","clineApiKey":"workos:tok-1","clineBaseUrl":"https://cline.example.test",
             "actModeClineModelId":"x-ai/grok-code-fast-1","actModeClineModelInfo":{"maxTokens":10000,"contextWindow":256000,"inputPrice":0.2,"outputPrice":1.5},
             "actModeOpenRouterModelId":"ignored/model","ulid":"01TASK","openRouterProviderSorting":"price"}
            """);
        var handler = Assert.IsType<ClineHandler>(ProviderRegistry.Build(withClineKeys, Mode.Act));
        Assert.Equal("x-ai/grok-code-fast-1", handler.GetModel().Id);
        Assert.Equal(10000, handler.GetModel().Info.MaxTokens);

        // Cline falls back to the OpenRouter model keys; an id without info gets the default model's info, as Cline does.
        var fallback = ProviderRegistry.Build(
            ProviderSettings.Parse("""{"planModeApiProvider":"cline","clineApiKey":"k","planModeOpenRouterModelId":"kwaipilot/kat-coder-pro"}"""), Mode.Plan);
        Assert.Equal("kwaipilot/kat-coder-pro", fallback.GetModel().Id);
        Assert.Equal(64_000, fallback.GetModel().Info.MaxTokens);
        Assert.Equal(3m, fallback.GetModel().Info.InputPrice);

        var unset = ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"cline","clineApiKey":"k"}"""), Mode.Act);
        Assert.Equal("anthropic/claude-sonnet-4.5", unset.GetModel().Id);
    }

    [Fact]
    public void A_settings_file_without_the_token_names_clineApiKey()
    {
        var error = Assert.ThrowsAny<ProviderConfigurationException>(
            () => ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"cline","actModeClineModelId":"openai/gpt-5"}"""), Mode.Act));
        Assert.Contains("clineApiKey", error.Message, StringComparison.Ordinal);

        var inCode = Assert.Throws<ProviderConfigurationException>(() => new ClineHandler(new ClineOptions()));
        Assert.Contains("clineApiKey", inCode.Message, StringComparison.Ordinal);
        Assert.Contains("API key", inCode.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_usage_in_the_stream_the_usage_is_looked_up_at_the_host_generation_path()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("cline/chat-without-usage.sse"), ReplayResponse.Json(200, Fixtures.Text("cline/generation.json")));
        var (handler, options, _) = Create(server);
        options.TaskId = "01TASK";

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal("Partial answer.", TextOf(chunks));
        Assert.Null(UsageOf(chunks));

        // Cline's lookup: the prompt less cache reads and writes, the reported cost.
        Assert.Equal(new UsageChunk(200, 48, 1600, 300, 9, 0.004215m), await handler.GetApiStreamUsageAsync());
        var lookup = server.Requests[1];
        Assert.Equal(("GET", "/generation?id=" + GenerationId), (lookup.Method, lookup.PathAndQuery));
        Assert.Equal("Bearer " + Key, lookup.Headers["Authorization"]);
        Assert.False(lookup.Headers.ContainsKey("X-Task-ID"));

        // Counted once.
        Assert.Null(await handler.GetApiStreamUsageAsync());
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task The_generation_lookup_also_reads_a_record_wrapped_in_data()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("cline/chat-without-usage.sse"), ReplayResponse.Json(200, "{\"data\":" + Fixtures.Text("cline/generation.json").Trim() + "}"));
        var (handler, _, _) = Create(server);

        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal(new UsageChunk(200, 48, 1600, 300, 9, 0.004215m), await handler.GetApiStreamUsageAsync());
    }

    [Theory]
    [InlineData("kwaipilot/kat-coder-pro")]
    [InlineData("arcee-ai/trinity-large-preview:free")]
    public async Task Clines_free_models_cost_nothing_in_the_stream_and_in_the_lookup(string model)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(
            Fixtures.Raw("cline/chat-reasoning-tool-call.sse"),
            Fixtures.Raw("cline/chat-without-usage.sse"),
            ReplayResponse.Json(200, Fixtures.Text("cline/generation.json")));
        var (handler, _, _) = Create(server, model);

        var streamed = UsageOf(await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")])));
        await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        var looked = await handler.GetApiStreamUsageAsync();

        Assert.Equal(new UsageChunk(200, 48, 1600, 300, 9, 0m), streamed);
        Assert.Equal(new UsageChunk(200, 48, 1600, 300, 9, 0m), looked);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_mid_stream_error_fails_with_its_code_after_the_partial_output_without_a_retry(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("cline/chat-midstream-error.sse").MaybeOneByte(oneByte), Fixtures.Raw("cline/chat-text.sse"));
        var (handler, _, _) = Create(server);

        var (chunks, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal([new TextChunk("Working on it")], chunks);
        Assert.Equal("context_length_exceeded", error.ErrorType);
        Assert.Contains("maximum context length", error.Message, StringComparison.Ordinal);
        Assert.True(error.OutputStarted);
        Assert.Equal("cline", error.ProviderId);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Status_402_fails_at_once_with_the_credit_message()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(ReplayResponse.Json(402, Fixtures.Text("cline/error-402.json")), Fixtures.Raw("cline/chat-text.sse"));
        var (handler, _, _) = Create(server);

        var (_, error) = await CollectUntilErrorAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal(HttpStatusCode.PaymentRequired, error.StatusCode);
        Assert.Contains("Insufficient credits", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Sends_the_tool_call_its_reasoning_and_its_result_back_on_the_second_turn()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("cline/chat-reasoning-tool-call.sse"), Fixtures.Raw("cline/chat-text.sse"));
        var (handler, _, _) = Create(server, "openai/gpt-5");
        var history = new List<ChatMessage> { ChatMessage.User("Read the README") };

        var builder = new AssistantMessageBuilder();
        await foreach (var chunk in handler.CreateMessageAsync("sys", history, Tools))
        {
            builder.Add(chunk);
        }

        history.Add(builder.Build()!);
        history.Add(new ChatMessage(ChatRole.User, [new ToolResultBlock(Tool, [new TextBlock("# Hello")])]));
        var second = await CollectAsync(handler.CreateMessageAsync("sys", history, Tools));

        Assert.Equal("The README says hello.", TextOf(second));
        Assert.Equal(2, server.Requests.Count);
        OpenAiRequestTests.AssertJson(
            """
            [{"role":"system","content":"sys"},
             {"role":"user","content":[{"type":"text","text":"Read the README"}]},
             {"role":"assistant","content":"I'll read it.",
              "reasoning_details":[{"type":"reasoning.text","text":"The user wants the README.","format":"anthropic-claude-v1","index":0,"signature":"ErUBCkYIBRgCIkDcline0sig"}],
              "tool_calls":[{"id":"toolu_01Cl1neR3adMe","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"README.md\"}"}}]},
             {"role":"tool","content":"# Hello","tool_call_id":"toolu_01Cl1neR3adMe"}]
            """,
            JsonNode.Parse(server.Requests[1].Body)!["messages"]!.ToJsonString());
    }
}
