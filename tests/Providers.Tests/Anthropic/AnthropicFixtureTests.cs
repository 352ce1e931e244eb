using System.Text.Json;
using Providers.Tests.Replay;
using static Providers.Tests.Anthropic.AnthropicTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Anthropic;

/// <summary>Every recorded Anthropic stream; costs are at Claude Sonnet 4.5 prices ($3 / $15, cache write $3.75, read $0.30 per million).</summary>
public class AnthropicFixtureTests
{
    private static async Task<(List<ApiStreamChunk> Chunks, Exception? Error, ReplayServer Server)> Replay(ReplayResponse response, string? model = null)
    {
        var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(response);
        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, o => o.ModelId = model ?? o.ModelId)));
        Assert.Single(server.Requests);
        Assert.Empty(clock.Retries);
        return (chunks, error, server);
    }

    private static async Task<List<ApiStreamChunk>> ReplayOk(ReplayResponse response, string? model = null)
    {
        var (chunks, error, server) = await Replay(response, model);
        await server.DisposeAsync();
        Assert.Null(error);
        return chunks;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_text_with_usage_increments(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(Chunks("anthropic-text.chunks.txt", oneByteAtATime));

        Assert.Equal(
        [
            new UsageChunk(12, 1, 0, 0, TotalCost: 0.000051m),
            new TextChunk("Hello"),
            new TextChunk("! I"),
            new TextChunk("'m doing well, thank you for asking"),
            new TextChunk(". How are you doing today?"),
            new TextChunk(" Is"),
            new TextChunk(" there anything I can help you with?"),
            new UsageChunk(0, 29, 0, 0, TotalCost: 0.000435m),
        ], chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_a_tool_call_with_its_argument_fragments(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(Chunks("anthropic-json-tool.1.chunks.txt", oneByteAtATime));

        const string Id = "toolu_01KFbKqPYSuAKujiL6mTfzYA";
        Assert.Equal(
        [
            new UsageChunk(849, 10, 0, 0, TotalCost: 0.002697m),
            new ToolCallChunk(Id, Id, "json", ""),
            new ToolCallChunk(Id, Id, "json", """{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]"""),
            new ToolCallChunk(Id, Id, "json", "}"),
            new UsageChunk(0, 37, 0, 0, TotalCost: 0.000555m),
        ], chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_text_then_a_tool_call(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(Chunks("anthropic-json-tool.2.chunks.txt", oneByteAtATime));

        Assert.Equal("I'll invoke the JSON response tool.", Text(chunks));
        Assert.Equal(
            [("toolu_01KFbKqPYSuAKujiL6mTfzYA", "json", """{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}""")],
            ToolCalls(chunks));
        Assert.Equal(new UsageChunk(849, 47, 0, 0, TotalCost: 0.003252m), TotalUsage(chunks));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tool_call_without_arguments_assembles_to_an_empty_object(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(Chunks("anthropic-tool-no-args.chunks.txt", oneByteAtATime));

        const string Id = "toolu_01QE1WLsSVp5hy5Q3GmGTmjP";
        Assert.Equal(
        [
            new UsageChunk(565, 7, 0, 0, TotalCost: 0.0018m),
            new TextChunk("I'll update the issue list for"),
            new TextChunk(" you."),
            new ToolCallChunk(Id, Id, "updateIssueList", ""),
            new ToolCallChunk(Id, Id, "updateIssueList", "{}"),
            new UsageChunk(0, 41, 0, 0, TotalCost: 0.000615m),
        ], chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_thinking_with_its_signature_then_text(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(Chunks("anthropic-clear-thinking.1.chunks.txt", oneByteAtATime));

        // The signature is a 300-character token: read it from the recording rather than copy it here.
        var signature = Fixtures.Lines("anthropic/anthropic-clear-thinking.1.chunks.txt")
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("delta", out var d) && d.TryGetProperty("type", out var t) && t.GetString() == "signature_delta")
            .Select(e => e.GetProperty("delta").GetProperty("signature").GetString())
            .Single();
        Assert.Equal("The previous result was 925. Now I need to divide that by 5.\n\n925 \u00f7 5 = 185", Reasoning(chunks));
        Assert.Equal([signature], chunks.OfType<ReasoningChunk>().Where(c => c.Signature is not null).Select(c => c.Signature));
        Assert.StartsWith("EvQBCkYICxgC", signature);
        Assert.Equal("925 \u00f7 5 = 185", Text(chunks));
        var lastReasoning = chunks.FindLastIndex(c => c is ReasoningChunk);
        Assert.True(lastReasoning < chunks.FindIndex(c => c is TextChunk));
        Assert.Equal(new UsageChunk(69, 53, 0, 0, TotalCost: 0.001002m), TotalUsage(chunks));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Prices_cache_writes_and_reads_and_ignores_server_side_tools(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(Chunks("anthropic-code-execution-20260120-prompt-cache.1.chunks.txt", oneByteAtATime), "claude-sonnet-4-5");

        Assert.Equal("The sum of the squares of the numbers 1 through 12 is **650**.", Text(chunks));
        Assert.Empty(ToolCalls(chunks));
        // 6 x $3 + 198 x $15 + 3337 x $3.75 + 6289 x $0.30, per million.
        Assert.Equal(new UsageChunk(6, 198, 6289, 3337, TotalCost: 0.01738845m), TotalUsage(chunks));
        Assert.Equal(new UsageChunk(2, 69, 0, 3068, TotalCost: 0.012546m), chunks[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_the_984_event_corpus_in_order(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(Chunks("anthropic-code-execution-20250825.2.chunks.txt", oneByteAtATime));

        // 50 text deltas in several text blocks: the expected text is read from the recording, one line break between blocks (as Cline joins them).
        var events = Fixtures.Lines("anthropic/anthropic-code-execution-20250825.2.chunks.txt").Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var textBlocks = events
            .Where(e => e.GetProperty("type").GetString() == "content_block_start" && e.GetProperty("content_block").GetProperty("type").GetString() == "text")
            .Select(e => e.GetProperty("index").GetInt32())
            .ToList();
        var expected = string.Join("\n", textBlocks.Select(index => string.Concat(events
            .Where(e => e.GetProperty("type").GetString() == "content_block_delta" && e.GetProperty("index").GetInt32() == index
                && e.GetProperty("delta").GetProperty("type").GetString() == "text_delta")
            .Select(e => e.GetProperty("delta").GetProperty("text").GetString()))));
        Assert.True(textBlocks.Count > 1);
        Assert.Equal(expected, Text(chunks));
        Assert.Equal(50 + textBlocks.Count - 1, chunks.Count(c => c is TextChunk));
        Assert.Empty(ToolCalls(chunks));
        Assert.Equal(new UsageChunk(15696, 2479, 0, 0, TotalCost: 0.084273m), TotalUsage(chunks));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Input_tokens_revised_in_message_delta_are_counted_once(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(Chunks("anthropic-message-delta-input-tokens.chunks.txt", oneByteAtATime));

        Assert.Equal(
        [
            new UsageChunk(43, 1, 0, 0, TotalCost: 0.000144m),
            new TextChunk("p"),
            new TextChunk("ong"),
            new UsageChunk(18, 1, 0, 0, TotalCost: 0.000069m),
        ], chunks);
        Assert.Equal(new UsageChunk(61, 2, 0, 0, TotalCost: 0.000213m), TotalUsage(chunks));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_duplicated_message_start_is_not_counted_twice(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(Chunks("duplicate-message-start.chunks.txt", oneByteAtATime));

        Assert.Equal(
        [
            new UsageChunk(17, 1, 0, 0, TotalCost: 0.000066m),
            new TextChunk("Hello, World!"),
            new UsageChunk(0, 226, 0, 0, TotalCost: 0.00339m),
        ], chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_second_message_spliced_into_an_open_one_fails_as_malformed(bool oneByteAtATime)
    {
        var (chunks, error, server) = await Replay(Chunks("spliced-message-start.chunks.txt", oneByteAtATime));
        await server.DisposeAsync();

        Assert.Equal(
        [
            new UsageChunk(17, 1, 0, 0, TotalCost: 0.000066m),
            new ReasoningChunk("I will call the tool."),
            new ReasoningChunk("", Signature: "sig-first"),
            new ToolCallChunk("toolu_first", "toolu_first", "test-tool", ""),
            new ToolCallChunk("toolu_first", "toolu_first", "test-tool", "{\"value\":\"Spark"),
        ], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.Contains("msg_second", ex.Message);
        Assert.Contains("msg_first", ex.Message);
        Assert.True(ex.OutputStarted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refusal_fails_with_the_explanation_after_its_usage(bool oneByteAtATime)
    {
        var (chunks, error, server) = await Replay(Chunks("anthropic-refusal.chunks.txt", oneByteAtATime));
        await server.DisposeAsync();

        Assert.Equal([new UsageChunk(18, 1, 0, 0, TotalCost: 0.000069m), new UsageChunk(0, 4, 0, 0, TotalCost: 0.00006m)], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("refusal", ex.ErrorType);
        Assert.False(ex.IsRetryable);
        Assert.Contains("violative cyber content", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_the_raw_wire_stream_with_pings(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(RawSse("basic_response.txt", oneByteAtATime));

        Assert.Equal(
        [
            new UsageChunk(11, 1, 0, 0, TotalCost: 0.000048m),
            new TextChunk("Hello"),
            new TextChunk(" there"),
            new TextChunk("!"),
            new UsageChunk(0, 5, 0, 0, TotalCost: 0.000075m),
        ], chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_a_raw_tool_use_stream(bool oneByteAtATime)
    {
        var chunks = await ReplayOk(RawSse("tool_use_response.txt", oneByteAtATime));

        Assert.Equal("I'll check the current weather in Paris for you.", Text(chunks));
        Assert.Equal([("toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather", """{"location": "Paris"}""")], ToolCalls(chunks));
        Assert.Equal(
            ["", "{\"locati", "on\": \"P", "ar", "is\"}"],
            chunks.OfType<ToolCallChunk>().Select(c => c.Arguments));
        Assert.Equal(new UsageChunk(377, 65, 0, 0, TotalCost: 0.002106m), TotalUsage(chunks));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tool_call_cut_off_by_max_tokens_ends_in_a_clear_error(bool oneByteAtATime)
    {
        var (chunks, error, server) = await Replay(RawSse("incomplete_partial_json_response.txt", oneByteAtATime));
        await server.DisposeAsync();

        Assert.Equal(
            "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file called taxes.txt. Let me do that for you now.",
            Text(chunks));
        var call = Assert.Single(ToolCalls(chunks));
        Assert.Equal(("toolu_01EKqbqmZrGRXy18eN7m9kvY", "make_file"), (call.Id, call.Name));
        Assert.StartsWith("{\"filename\": \"taxes.txt\", \"lines_of_text\": [", call.Arguments);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("incomplete_tool_call", ex.ErrorType);
        Assert.Contains("max_tokens", ex.Message);
        Assert.Contains("make_file", ex.Message);
        Assert.True(ex.OutputStarted);
    }
}
