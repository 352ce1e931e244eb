using System.Text.Json;
using Providers.OpenAi;
using Providers.OpenRouter;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAi;

/// <summary>The original's transform cases: tool-call processing, id transforms, tool results, usage arithmetic; plus creation through the registry.</summary>
public class OpenAiTransformTests
{
    private static async Task<List<ApiStreamChunk>> StreamAsync(params string[] events)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(new ReplayResponse { Parts = [.. events.Select(Sse), Sse("[DONE]")] });
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = "local-model" };
        return await CollectAsync(new OpenAiHandler(options).CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
    }

    [Fact]
    public async Task Interleaved_parallel_tool_calls_are_keyed_by_their_own_call_ids()
    {
        var chunks = await StreamAsync(
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_A","type":"function","function":{"name":"read","arguments":""}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_B","type":"function","function":{"name":"list","arguments":""}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"","function":{"arguments":"{\"a\":"}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"b\":"}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}},{"index":1,"function":{"arguments":"2}"}}]}}]}""");
        Assert.Equal(
            [
                new ToolCallChunk("call_A", "call_A", "read", ""),
                new ToolCallChunk("call_B", "call_B", "list", ""),
                new ToolCallChunk("call_A", "call_A", "read", "{\"a\":"),
                new ToolCallChunk("call_B", "call_B", "list", "{\"b\":"),
                new ToolCallChunk("call_A", "call_A", "read", "1}"),
                new ToolCallChunk("call_B", "call_B", "list", "2}"),
            ],
            chunks);
    }

    [Fact]
    public async Task A_new_id_at_a_known_index_starts_a_new_call()
    {
        var chunks = await StreamAsync(
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"a","arguments":"{}"}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_2","function":{"name":"b","arguments":"{}"}}]}}]}""");
        Assert.Equal([("call_1", "call_1", "a", "{}"), ("call_2", "call_2", "b", "{}")], ToolCallsOf(chunks));
    }

    [Fact]
    public async Task A_usage_only_chunk_with_empty_choices_yields_only_usage()
    {
        var chunks = await StreamAsync(
            """{"id":"x","choices":[{"index":0,"delta":{"content":"hi"}}]}""",
            """{"id":"x","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}""");
        Assert.Equal([new TextChunk("hi"), new UsageChunk(10, 2)], chunks);
    }

    [Fact]
    public void Cached_and_cache_written_tokens_are_subtracted_from_input_and_cost_adds_the_upstream_cost()
    {
        var usage = JsonSerializer.Deserialize(
            """{"usage":{"prompt_tokens":100,"completion_tokens":50,"prompt_tokens_details":{"cached_tokens":30,"cache_write_tokens":20},"completion_tokens_details":{"reasoning_tokens":7},"cost":0.01,"cost_details":{"upstream_inference_cost":0.02}}}""",
            OpenAiJsonContext.Default.ChatChunk)!.Usage!;
        Assert.Equal(new UsageChunk(50, 50, 30, 20, 7, 0.03m), ChatCompletionsStream.ToUsage(usage, new ModelInfo()));
    }

    [Fact]
    public void Without_a_reported_cost_the_cost_comes_from_the_model_prices_with_cached_tokens_at_the_cache_price()
    {
        var usage = new ChatUsage { PromptTokens = 1_000_000, CompletionTokens = 1_000_000, PromptTokensDetails = new PromptTokensDetails { CachedTokens = 400_000 } };
        var gpt41 = new OpenAiHandler(new OpenAiOptions { ModelId = "gpt-4.1" }).GetModel().Info;

        // 600k * $2 + 1M * $8 + 400k * $0.50 per million.
        Assert.Equal(new UsageChunk(600_000, 1_000_000, 400_000, null, null, 1.2m + 8m + 0.2m), ChatCompletionsStream.ToUsage(usage, gpt41));
    }

    [Theory]
    [InlineData("fc_abc", "call_abc")]
    [InlineData("fc_01830d662ab3856501693c32151234819091cfca267e98cc5f", "call_01830d662ab3856501693c3215123481909")]
    [InlineData("call_xyz", "call_xyz")]
    [InlineData("toolu_01", "toolu_01")]
    public void Responses_function_ids_map_to_chat_call_ids(string id, string expected) =>
        Assert.Equal(expected, OpenAiMessageConverter.ToChatToolCallId(id));

    [Fact]
    public void Tool_results_are_joined_and_come_before_the_users_text()
    {
        var messages = OpenAiMessageConverter.ToChatMessages("sys", "system",
        [
            new(ChatRole.Assistant, [new ToolUseBlock("call_1", "t", Json("{}")), new ToolUseBlock("call_2", "t", Json("{}"))]),
            new(ChatRole.User, [new TextBlock("after"), new ToolResultBlock("call_1", [new TextBlock("line 1"), new TextBlock("line 2")]), new ToolResultBlock("call_2", "ok", true)]),
        ]);
        Assert.Equal(["system", "assistant", "tool", "tool", "user"], messages.Select(m => m.Role));
        Assert.Null(messages[1].Content);
        Assert.Equal(2, messages[1].ToolCalls!.Count);
        Assert.Equal(("call_1", "line 1\nline 2"), (messages[2].ToolCallId, messages[2].Content!.Text));
        // The failed result keeps its failure: tool messages have no error flag, so the text says it.
        Assert.Equal(("call_2", "Error: ok"), (messages[3].ToolCallId, messages[3].Content!.Text));
        Assert.Equal("after", Assert.Single(messages[4].Content!.Parts!).Text);
    }

    [Fact]
    public async Task The_registry_creates_openai_from_cline_settings_for_each_mode()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt"));
        var settings = ProviderSettings.Parse($$"""
            {
              "actModeApiProvider": "openai",
              "openAiApiKey": "{{Key}}",
              "openAiBaseUrl": "{{server.BaseUri}}v1",
              "openAiHeaders": {"X-Team": "blue"},
              "planModeOpenAiModelId": "o3",
              "actModeOpenAiModelId": "mistral-small-latest",
              "actModeOpenAiModelInfo": {"contextWindow": 32000, "maxTokens": 1000, "inputPrice": 1, "outputPrice": 2},
              "actModeReasoningEffort": "low",
              "requestTimeoutMs": 30000
            }
            """);
        Assert.Equal("o3", ProviderRegistry.Create("openai", settings, Mode.Plan).GetModel().Id);
        var handler = ProviderRegistry.Build(settings, Mode.Act);
        Assert.IsType<OpenAiHandler>(handler);
        Assert.Equal(new ApiHandlerModel("mistral-small-latest", new ModelInfo { ContextWindow = 32000, MaxTokens = 1000, InputPrice = 1, OutputPrice = 2 }), handler.GetModel());
        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        Assert.Equal("Hello, world! This is a test response.", TextOf(chunks));

        // 13 * $1 + 8 * $2 per million.
        Assert.Equal(0.000029m, UsageOf(chunks)!.TotalCost);
        var request = Assert.Single(server.Requests);
        Assert.Equal("blue", request.Headers["X-Team"]);
        Assert.Contains("\"max_tokens\":1000", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registry_creates_openrouter_and_names_the_missing_key()
    {
        var settings = ProviderSettings.Parse("""{"actModeApiProvider":"openrouter","actModeOpenRouterModelId":"openai/gpt-5","openRouterProviderSorting":"price","actModeThinkingBudgetTokens":1024}""");
        var error = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Build(settings, Mode.Act));
        Assert.Contains("openRouterApiKey", error.Keys);

        var handler = ProviderRegistry.Build(settings.With("openRouterApiKey", Key), Mode.Act);
        Assert.IsType<OpenRouterHandler>(handler);
        Assert.Equal("openai/gpt-5", handler.GetModel().Id);
        Assert.Equal(OpenRouterOptions.DefaultModelId, ProviderRegistry.Create("openrouter", settings.With("openRouterApiKey", Key), Mode.Plan).GetModel().Id);
    }
}
