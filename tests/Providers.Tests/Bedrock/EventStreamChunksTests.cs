using Providers.Bedrock;

namespace Providers.Tests.Bedrock;

/// <summary>
/// The enumerator that joins the frame reader and the decoder: a message's chunks in order whether it gives one (a text
/// delta, handed out without a list) or several, at any read size; a failure ends the stream.
/// </summary>
public sealed class EventStreamChunksTests
{
    private static byte[] Body(params byte[][] messages) => messages.SelectMany(m => m).ToArray();

    private static async Task<(List<string> Chunks, Exception? Failure, bool AfterFailure)> ReadAsync(byte[] body, int readSize)
    {
        var chunks = new List<string>();
        var stream = BedrockStreamDecoder.ReadEventStream(
            new SmallReads(body, readSize), BedrockModels.Default, "bedrock", new BedrockOptions(), CancellationToken.None);
        await using (stream)
        {
            try
            {
                while (await stream.MoveNextAsync())
                {
                    chunks.Add(stream.Current switch
                    {
                        TextChunk t => "text:" + t.Text,
                        ReasoningChunk { Signature: { } s } => "signature:" + s,
                        ReasoningChunk r => "reasoning:" + r.Reasoning,
                        UsageChunk u => $"usage:{u.InputTokens}/{u.OutputTokens}",
                        var other => other.GetType().Name,
                    });
                }

                return (chunks, null, false);
            }
            catch (ProviderException ex)
            {
                return (chunks, ex, await stream.MoveNextAsync());
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64 * 1024)]
    public async Task Chunks_leave_in_order_from_single_and_several_chunk_messages(int readSize)
    {
        var body = Body(
            EventStreamEncoder.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"think","signature":"sig"}}}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":""}}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":"Hi"},"p":"abc"}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":" there"}}"""),
            EventStreamEncoder.Event("contentBlockStop", """{"contentBlockIndex":1}"""),
            EventStreamEncoder.Event("messageStop", """{"stopReason":"end_turn"}"""),
            EventStreamEncoder.Event("metadata", """{"usage":{"inputTokens":3,"outputTokens":4,"totalTokens":7}}"""));

        var (chunks, failure, _) = await ReadAsync(body, readSize);

        Assert.Null(failure);
        Assert.Equal(["reasoning:think", "signature:sig", "text:Hi", "text: there", "usage:3/4"], chunks);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    public async Task An_exception_event_ends_the_stream_after_the_chunks_before_it(int readSize)
    {
        var body = Body(
            EventStreamEncoder.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""),
            EventStreamEncoder.Exception("throttlingException", "Too many requests"),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"never"}}"""));

        var (chunks, failure, afterFailure) = await ReadAsync(body, readSize);

        Assert.Equal(["text:Hi"], chunks);
        var ex = Assert.IsType<ProviderException>(failure);
        Assert.Equal("throttlingException", ex.ErrorType);
        Assert.False(afterFailure);
    }

    [Fact]
    public async Task A_text_delta_that_is_not_json_is_malformed_and_ends_the_stream()
    {
        var body = Body(
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"never"}}"""));

        var (chunks, failure, afterFailure) = await ReadAsync(body, 64 * 1024);

        Assert.Equal(["text:Hi"], chunks);
        var ex = Assert.IsType<ProviderException>(failure);
        Assert.Contains("the 'contentBlockDelta' event is not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.False(afterFailure);
    }

    /// <summary>A body that hands out at most <c>size</c> bytes per read.</summary>
    private sealed class SmallReads(byte[] body, int size) : MemoryStream(body, writable: false)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(size, buffer.Length)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(size, buffer.Length)], cancellationToken);
    }
}
