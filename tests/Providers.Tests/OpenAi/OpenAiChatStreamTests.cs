using Providers.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAi;

/// <summary>Every recorded Chat Completions stream, replayed at real chunk boundaries and one byte at a time.</summary>
public class OpenAiChatStreamTests
{
    private static async Task<List<ApiStreamChunk>> ReplayAsync(ReplayResponse response, string modelId, Action<OpenAiOptions>? configure = null)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(response);
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "v1"), ModelId = modelId };
        configure?.Invoke(options);
        var chunks = await CollectAsync(new OpenAiHandler(options).CreateMessageAsync("sys", [ChatMessage.User("Hi")]));
        Assert.Single(server.Requests);
        return chunks;
    }

    /// <summary>
    /// Events that carry no chunk (an empty data line, JSON null, then [DONE]) arriving while the reader waits: before the
    /// first chunk, such an event once crashed the mapping with a NullReferenceException (seen on DeepSeek's recording).
    /// </summary>
    [Theory]
    [InlineData("data: \n\n")]
    [InlineData("data: null\n\n")]
    [InlineData("data: [DONE]\n\n")]
    public async Task An_event_without_a_chunk_that_arrives_while_the_reader_waits_is_passed_over(string first)
    {
        const string Chunk = """data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}]}""";
        var parts = first.Contains("[DONE]", StringComparison.Ordinal)
            ? new[] { ": wait\n\n", first }
            : new[] { ": wait\n\n", first, Chunk + "\n\n", "data: [DONE]\n\n" };
        var response = new ReplayResponse
        {
            Parts = parts.Select(p => System.Text.Encoding.UTF8.GetBytes(p)).ToArray(),
            DelayBetweenParts = TimeSpan.FromMilliseconds(50),
        };

        var chunks = await ReplayAsync(response, "gpt-4.1-nano");

        Assert.Equal(first.Contains("[DONE]", StringComparison.Ordinal) ? "" : "Hi", TextOf(chunks));
    }

    /// <summary>
    /// Events whose text or reasoning is followed, in the same event, by something more: a second choice, usage, tool-call
    /// fragments, a finish with an error. The enumerator ends an event early once its text has left and nothing else in it
    /// would yield; each of these must still come out, in order, and the failed finish must still fail.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task What_follows_the_text_in_the_same_event_still_comes_out_in_order(bool oneByte)
    {
        string[] events =
        [
            """{"id":"c1","choices":[{"index":0,"delta":{"reasoning":"r1","content":"t1"}},{"index":1,"delta":{"content":"t2"}}],"usage":{"prompt_tokens":3,"completion_tokens":4}}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"content":"t3","tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{}"}}]}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"reasoning":"r2"}}]}""",
            """{"id":"c1","choices":[{"index":0,"delta":{"content":"t4"},"finish_reason":"error"}]}""",
        ];
        var response = new ReplayResponse { Parts = events.Select(e => System.Text.Encoding.UTF8.GetBytes($"data: {e}\n\n")).ToArray() }.MaybeOneByte(oneByte);
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(response);
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = new Uri(server.BaseUri, "v1"), ModelId = "gpt-4.1-nano" };
        var chunks = new List<ApiStreamChunk>();
        var failure = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var chunk in new OpenAiHandler(options).CreateMessageAsync("sys", [ChatMessage.User("Hi")]))
            {
                chunks.Add(chunk);
            }
        });

        Assert.Equal(
            [
                new ReasoningChunk("r1"), new TextChunk("t1"), new TextChunk("t2"),
            ],
            chunks.Take(3));
        Assert.Equal((3, 4), chunks[3] is UsageChunk usage ? (usage.InputTokens, usage.OutputTokens) : (-1, -1));
        Assert.Equal(
            [
                new TextChunk("t3"), new ToolCallChunk("call_1", "call_1", "f", "{}"), new ReasoningChunk("r2"), new TextChunk("t4"),
            ],
            chunks.Skip(4));
        Assert.Contains("finished with an error", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Plain_text_streams_every_delta_then_the_usage_only_chunk_with_the_cost(bool oneByte)
    {
        const string Fixture = "openai-chat/openai-text.chunks.txt";
        var chunks = await ReplayAsync(Fixtures.OpenAiChatChunks(Fixture).MaybeOneByte(oneByte), "gpt-4.1-nano");
        var (text, _, textEvents) = ChatFixtureText(Fixture);
        Assert.Equal(textEvents, chunks.Count(c => c is TextChunk));
        Assert.Equal(text, TextOf(chunks));
        Assert.StartsWith("**Holiday Name:** Harmony Day", TextOf(chunks), StringComparison.Ordinal);
        Assert.EndsWith("shared human experiences and mutual respect.", TextOf(chunks), StringComparison.Ordinal);

        // 16 * $0.10 + 300 * $0.40 per million tokens.
        Assert.Equal(new UsageChunk(16, 300, 0, null, 0, 0.0001216m), chunks[^1]);
        Assert.Single(chunks.OfType<UsageChunk>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mistral_text_yields_the_exact_chunk_sequence(bool oneByte)
    {
        var chunks = await ReplayAsync(Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt").MaybeOneByte(oneByte), "mistral-small-latest");
        Assert.Equal(
            [
                new TextChunk("Hello"), new TextChunk(", "), new TextChunk("world!"), new TextChunk(" This"),
                new TextChunk(" is a test"), new TextChunk(" response."), new UsageChunk(13, 8),
            ],
            chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Azure_content_filter_chunks_with_empty_choices_pass_harmlessly(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.OpenAiChatChunks("openai-chat/azure-model-router.1.chunks.txt").MaybeOneByte(oneByte));
        var options = new OpenAiOptions { ApiKey = Key, BaseUrl = server.BaseUri, ModelId = "gpt-5-nano", AzureApiVersion = "2024-10-21" };
        var chunks = await CollectAsync(new OpenAiHandler(options).CreateMessageAsync("sys", [ChatMessage.User("Capital of Denmark?")]));

        // 15 * $0.05 + 78 * $0.40 per million tokens.
        Assert.Equal(
            [
                new TextChunk("Capital"), new TextChunk(" of"), new TextChunk(" Denmark"), new TextChunk("."),
                new UsageChunk(15, 78, 0, null, 64, 0.00003195m),
            ],
            chunks);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/gpt-5-nano/chat/completions?api-version=2024-10-21", request.PathAndQuery);
        Assert.Equal(Key, request.Headers["api-key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Xai_reasoning_content_then_a_whole_tool_call_in_one_chunk(bool oneByte)
    {
        const string Fixture = "openai-chat/xai-tool-call.chunks.txt";
        var chunks = await ReplayAsync(Fixtures.OpenAiChatChunks(Fixture).MaybeOneByte(oneByte), "grok-3-mini");
        var (_, reasoning, _) = ChatFixtureText(Fixture);
        Assert.Equal(reasoning, ReasoningOf(chunks));
        Assert.StartsWith("First, the user is asking about the weather in San Francisco.", ReasoningOf(chunks), StringComparison.Ordinal);
        Assert.Equal("", TextOf(chunks));
        Assert.Equal(
            [new ToolCallChunk("call_79382389", "call_79382389", "weather", """{"location":"San Francisco"}"""), new UsageChunk(1, 26, 306, null, 227)],
            chunks.Where(c => c is not ReasoningChunk));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deepseek_reasoning_content_then_text_with_cache_hit_usage(bool oneByte)
    {
        const string Fixture = "openai-chat/deepseek-reasoning.chunks.txt";
        var chunks = await ReplayAsync(Fixtures.OpenAiChatChunks(Fixture).MaybeOneByte(oneByte), "deepseek-reasoner");
        var (_, reasoning, _) = ChatFixtureText(Fixture);
        Assert.Equal(reasoning, ReasoningOf(chunks));
        Assert.StartsWith("We need to count the number of the letter \"r\" in the word \"strawberry\".", ReasoningOf(chunks), StringComparison.Ordinal);
        Assert.Equal("The word \"strawberry\" contains three \"r\"s.", TextOf(chunks));
        Assert.Equal(new UsageChunk(18, 219, 0, null, 205), Assert.Single(chunks.OfType<UsageChunk>()));
        var firstText = chunks.FindIndex(c => c is TextChunk);
        Assert.True(chunks.Take(firstText).All(c => c is ReasoningChunk));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deepseek_tool_call_arguments_assemble_from_fragments(bool oneByte)
    {
        var chunks = await ReplayAsync(Fixtures.OpenAiChatChunks("openai-chat/deepseek-tool-call.chunks.txt").MaybeOneByte(oneByte), "deepseek-reasoner");
        Assert.StartsWith("The user is asking for the weather in San Francisco.", ReasoningOf(chunks), StringComparison.Ordinal);
        Assert.Equal(191, ReasoningOf(chunks).Length);
        Assert.Equal(
            [("call_00_ioIn7yN9p1ZOMNpDLwd4MgAF", "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF", "weather", """{"location": "San Francisco"}""")],
            ToolCallsOf(chunks));
        Assert.All(chunks.OfType<ToolCallChunk>(), c => Assert.Equal("weather", c.Name));

        // 339 prompt tokens of which 320 came from the cache: 19 + 320 = 339.
        Assert.Equal(new UsageChunk(19, 83, 320, null, 39), chunks[^1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Groq_whole_tool_call_in_one_chunk_yields_the_exact_sequence(bool oneByte)
    {
        var chunks = await ReplayAsync(Fixtures.OpenAiChatChunks("openai-chat/groq-tool-call.chunks.txt").MaybeOneByte(oneByte), "llama-3.3-70b-versatile");
        Assert.Equal([new ToolCallChunk("tk85n1k4m", "tk85n1k4m", "weather", "{}"), new UsageChunk(210, 15)], chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Groq_reasoning_field_is_reasoning_and_the_answer_is_text(bool oneByte)
    {
        const string Fixture = "openai-chat/groq-reasoning.chunks.txt";
        var chunks = await ReplayAsync(Fixtures.OpenAiChatChunks(Fixture).MaybeOneByte(oneByte), "qwen/qwen3-32b");
        var (text, reasoning, _) = ChatFixtureText(Fixture);
        Assert.Equal(2952, ReasoningOf(chunks).Length);
        Assert.Equal(reasoning, ReasoningOf(chunks));
        Assert.Equal(text, TextOf(chunks));
        Assert.EndsWith("**Final Answer**: $\\boxed{3}$", TextOf(chunks), StringComparison.Ordinal);
        Assert.Equal(new UsageChunk(17, 1107, null, null, 963), chunks[^1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Incremental_tool_call_keeps_id_and_name_when_continuations_send_empty_ones(bool oneByte)
    {
        var chunks = await ReplayAsync(Fixtures.OpenAiChatChunks("openai-chat/mistral-incremental-tool-call.chunks.txt").MaybeOneByte(oneByte), "zai-glm-5-2");
        const string Id = "chatcmpl-tool-9f149c74c42f265b";
        Assert.Equal(
            [
                new ToolCallChunk(Id, Id, "webSearchTool", ""),
                new ToolCallChunk(Id, Id, "webSearchTool", """{"query": "current Berlin weather"}"""),
                new UsageChunk(43, 14, 128),
            ],
            chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tool_call_index_starting_at_1_with_fragmented_arguments(bool oneByte)
    {
        var chunks = await ReplayAsync(Fixtures.Raw("openai-chat/anthropic-fallback-tool-call.sse").MaybeOneByte(oneByte), "claude-haiku-4-5-20251001");
        Assert.Equal(
            [
                new TextChunk("Reading"), new TextChunk(" it."),
                new ToolCallChunk("toolu_sanitized", "toolu_sanitized", "read_file", ""),
                new ToolCallChunk("toolu_sanitized", "toolu_sanitized", "read_file", "{\"pa"),
                new ToolCallChunk("toolu_sanitized", "toolu_sanitized", "read_file", "th\": \"a.txt\"}"),
            ],
            chunks);
    }
}
