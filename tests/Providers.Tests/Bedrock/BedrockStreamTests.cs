using System.Net;
using Providers.Tests.Replay;
using static Providers.Tests.Bedrock.BedrockTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Bedrock;

public class BedrockStreamTests
{
    private const string Signature = "Ep0CCkgICxABGAIqQOWPB6/PmA5SW9jC6FvaNq3E+U9ev4FMWcFWuAho+VGLCtazKc5WDjQ5i0MuxsY0o5pKDSVWVKii8KJDusXH4eASDK7jyzuk8iij7fJNihoMxHO9haYzt48R36HVIjCb/EmIFrJLIXShqN6DN//T6vZBtO9qj1QhNWJa3CGm8VZoq80S2/Ok4U0aVaIDiZcqggHC2b8BHuv8BHZrmsR0wjU1ynansBGMdfjnG+iIv8R5lPpRmYGhSVwNybwP3aQZ6o8Dr48Rau8TJfdsArW+r7bvL7bPs4f5nnlp2vG7WkMzWwABHK3fdM44zZ1GZQaWyECNWR2GfY6dXiklo94vgpFTPuZ97mfiN3LY6uYyBwL8RkDaGAE=";

    public static TheoryData<bool> Boundaries => new() { false, true };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task Streams_the_recorded_text_then_the_priced_usage(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-text.chunks.txt", oneByteAtATime));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        ApiStreamChunk[] expected =
        [
            new TextChunk("Let"), new TextChunk(" me count the \""), new TextChunk("r\"s in \""), new TextChunk("strawberry\":\n\ns-t-"),
            new TextChunk("**"), new TextChunk("r**-a-w-b"), new TextChunk("-e-**"), new TextChunk("r**-**"), new TextChunk("r**-y\n\nThere"),
            new TextChunk(" are **3"), new TextChunk("** r"), new TextChunk("'s in \"strawberry.\""),
            // Claude Sonnet 4.5 on Bedrock: $3 in, $15 out per million tokens.
            new UsageChunk(22, 55, CacheReadTokens: 0, CacheWriteTokens: 0, TotalCost: 0.000891m),
        ];
        Assert.Equal(expected, chunks);
        Assert.Single(server.Requests);
    }

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task Streams_reasoning_with_its_signature_before_the_answer(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-reasoning.chunks.txt", oneByteAtATime));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        ApiStreamChunk[] expected =
        [
            new ReasoningChunk("Let me count the r"), new ReasoningChunk("'s in \""), new ReasoningChunk("strawberry\":"),
            new ReasoningChunk("\n\ns-t-r-a"), new ReasoningChunk("-w-b-e-r"), new ReasoningChunk("-r-y\n\nr"),
            new ReasoningChunk(" appears at positions "), new ReasoningChunk("3, 8"), new ReasoningChunk(", and 9.\n\nSo there"),
            new ReasoningChunk(" are 3 r's."),
            new ReasoningChunk("", Signature: Signature),
            new TextChunk("There"), new TextChunk(" are **3** r's in \""), new TextChunk("strawberry\":"), new TextChunk("\n\n1"),
            new TextChunk(". st"), new TextChunk("**"), new TextChunk("r**awbe"), new TextChunk("**r****"), new TextChunk("r**y"),
            new UsageChunk(51, 94, CacheReadTokens: 0, CacheWriteTokens: 0, TotalCost: 0.001563m),
        ];
        Assert.Equal(expected, chunks);
    }

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task Streams_a_tool_call_with_its_id_and_name_first_then_the_input_fragments(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-tool-call.1.chunks.txt", oneByteAtATime));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        ApiStreamChunk[] expected =
        [
            new ToolCallChunk("tool-use-id", "tool-use-id", "test-tool", ""),
            new ToolCallChunk("tool-use-id", "tool-use-id", "test-tool", "{\"value\":"),
            new ToolCallChunk("tool-use-id", "tool-use-id", "test-tool", "\"Sparkle Day\"}"),
            new UsageChunk(125, 45, CacheReadTokens: 0, CacheWriteTokens: 0, TotalCost: 0.00105m),
        ];
        Assert.Equal(expected, chunks);
        Assert.Equal([("tool-use-id", "test-tool", "{\"value\":\"Sparkle Day\"}")], ToolCalls(chunks));
    }

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task Streams_redacted_reasoning_a_tool_call_without_input_and_cache_reads(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("documented-redacted-cache.chunks.txt", oneByteAtATime));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        const string Id = "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q";
        ApiStreamChunk[] expected =
        [
            new ReasoningChunk("", RedactedData: "RVhBTVBMRS1SRURBQ1RFRC1SRUFTT05JTkc="),
            new ToolCallChunk(Id, Id, "list_files", ""),
            new ToolCallChunk(Id, Id, "list_files", "{}"),
            // 14 x $3 + 37 x $15 + 2048 cache reads x $0.30, per million.
            new UsageChunk(14, 37, CacheReadTokens: 2048, CacheWriteTokens: 0, TotalCost: 0.0012114m),
        ];
        Assert.Equal(expected, chunks);
    }

    [Fact]
    public async Task Prices_cache_writes_at_the_cache_write_price()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("documented-cache-write.chunks.txt"));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        // 9 x $3 + 4 x $15 + 3120 cache writes x $3.75, per million.
        Assert.Equal([new TextChunk("Cached."), new UsageChunk(9, 4, CacheReadTokens: 0, CacheWriteTokens: 3120, TotalCost: 0.011787m)], chunks);
    }

    [Fact]
    public async Task A_recorded_model_stream_error_exception_is_retried_then_succeeds()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var recorded = Convert.FromBase64String(Fixtures.Text("bedrock/model-stream-error-exception.eventstream.base64.txt").Trim());
        server.Enqueue(Frames(recorded), Fixture("bedrock-text.chunks.txt"));

        var chunks = await CollectAsync(Ask(Handler(server, clock)));

        Assert.StartsWith("Let me count", StreamCollector.Text(chunks), StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        var error = Assert.IsType<ProviderException>(Assert.Single(clock.Retries).Error);
        Assert.Equal("model_stream_error_exception", error.ErrorType);
        Assert.Equal(HttpStatusCode.FailedDependency, error.StatusCode);
        Assert.Contains("Model Stream Error", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, "Prelude")]
    [InlineData(-1, "Message")]
    public async Task A_corrupted_checksum_fails_as_a_malformed_stream_without_a_retry(int corruptAt, string which)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var first = EventStreamEncoder.Event("messageStart", """{"role":"assistant"}""");
        first[corruptAt < 0 ? first.Length + corruptAt : corruptAt] ^= 0x01;
        server.Enqueue(Frames(first), Fixture("bedrock-text.chunks.txt"));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Empty(chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.Contains(which + " Checksum", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsRetryable);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_corrupted_payload_after_output_fails_with_output_started()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var frames = Fixture("bedrock-text.chunks.txt").Parts.ToArray();
        frames[3] = (byte[])frames[3].Clone();
        frames[3][frames[3].Length - 10] ^= 0x20; // a payload byte: only the message CRC can notice
        server.Enqueue(Frames(frames));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("Let"), new TextChunk(" me count the \"")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.True(ex.OutputStarted);
        Assert.Single(server.Requests);
    }
}
