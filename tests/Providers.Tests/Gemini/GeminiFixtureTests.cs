using Providers.Tests.Replay;
using static Providers.Tests.Gemini.GeminiTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Gemini;

public class GeminiFixtureTests
{
    private const string ParisSignature = "CiQBjz1rX5qk0Zk3c2lnbmF0dXJlLW9uZQ==";

    private static async Task<List<ApiStreamChunk>> StreamAsync(string fixture, string model, bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Sse(fixture, oneByteAtATime));
        var chunks = await CollectAsync(Ask(Handler(server, clock, o => o.ModelId = model)));
        Assert.Single(server.Requests);
        return chunks;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Text_streams_each_part_then_one_usage_chunk_priced_from_the_table(bool oneByteAtATime)
    {
        var chunks = await StreamAsync("text.sse", "gemini-2.0-flash-001", oneByteAtATime);

        Assert.Equal(
        [
            new TextChunk("The"),
            new TextChunk(" sky is blue because air molecules scatter"),
            new TextChunk(" short blue wavelengths more than red ones.\n"),
            // 9 x $0.10 + 17 x $0.40 per million.
            new UsageChunk(9, 17, CacheReadTokens: 0, CacheWriteTokens: 0, ReasoningTokens: 0, TotalCost: 0.0000077m),
        ], chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Thought_summaries_are_reasoning_and_the_signature_comes_just_before_the_call_it_belongs_to(bool oneByteAtATime)
    {
        var chunks = await StreamAsync("thinking-tool-calls.sse", "gemini-3-pro-preview", oneByteAtATime);

        const string Id = "Nc0taJ2fB6Kq1dkP1qSM8Qg";
        Assert.Equal(
        [
            new ReasoningChunk("**Planning the lookup**\n\nThe user wants the weather in two cities, "),
            new ReasoningChunk("so I will call get_weather once for each."),
            new ReasoningChunk("", Signature: ParisSignature),
            new ToolCallChunk($"{Id}-tool-0", $"{Id}-tool-0", "get_weather", """{"city":"Paris","unit":"celsius"}"""),
            new ToolCallChunk($"{Id}-tool-1", $"{Id}-tool-1", "get_weather", """{"city":"London","unit":"celsius"}"""),
            // Prompt 1210 <= 200K: tier $2 / $12 / cache $0.20. 186 uncached + 1024 cached; 34 + 120 thought tokens out.
            new UsageChunk(186, 154, CacheReadTokens: 1024, CacheWriteTokens: 0, ReasoningTokens: 120, TotalCost: 0.0024248m),
        ], chunks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_signature_on_a_last_empty_text_part_is_still_yielded(bool oneByteAtATime)
    {
        var chunks = await StreamAsync("text-signature.sse", "gemini-3-pro-preview", oneByteAtATime);

        Assert.Equal(
        [
            new TextChunk("Paris is 18"),
            new TextChunk(" °C and London 15 °C."),
            new ReasoningChunk("", Signature: "EpYCCpMCAdHtim9zaWduYXR1cmUtdHdv"),
            new UsageChunk(1300, 50, CacheReadTokens: 0, CacheWriteTokens: 0, ReasoningTokens: 36, TotalCost: 0.0032m),
        ], chunks);
    }

    [Fact]
    public async Task A_prompt_above_200K_tokens_is_priced_at_the_upper_tier()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Events("""{"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":300000,"candidatesTokenCount":1000,"cachedContentTokenCount":100000,"thoughtsTokenCount":500,"totalTokenCount":301500},"responseId":"r1"}"""));

        var chunks = await CollectAsync(Ask(Handler(server, clock, o => o.ModelId = "gemini-2.5-pro")));

        // Above 200K: $2.50 in, $15 out, $0.625 cache reads. 200000 x 2.5 + 100000 x 0.625 + 1500 x 15 = 585000 per million.
        Assert.Equal(new UsageChunk(200_000, 1500, CacheReadTokens: 100_000, CacheWriteTokens: 0, ReasoningTokens: 500, TotalCost: 0.585m), chunks[^1]);
    }

    [Fact]
    public async Task An_unknown_model_streams_with_no_invented_cost()
    {
        var chunks = await StreamAsync("text.sse", "gemini-9-ultra", oneByteAtATime: false);

        Assert.Equal(new UsageChunk(9, 17, CacheReadTokens: 0, CacheWriteTokens: 0, ReasoningTokens: 0, TotalCost: null), chunks[^1]);
    }
}
