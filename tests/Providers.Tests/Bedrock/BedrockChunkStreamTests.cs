using Providers.Bedrock;
using Providers.Http;

namespace Providers.Tests.Bedrock;

/// <summary>
/// A ConverseStream body through <see cref="BedrockStreamDecoder.ReadEventStream"/>: the frame reader and the decoder
/// under the shared <see cref="DecodedChunkStream{TItem}"/>. A message's chunks leave in order whether it gives one (a
/// text delta, handed out without a list) or several, at any read size; a failure ends the stream, and later calls
/// return false.
/// </summary>
public sealed class BedrockChunkStreamTests
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
                        ToolCallChunk c => $"tool:{c.Name}:{c.Arguments}",
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

    [Fact]
    public void The_body_is_read_by_the_shared_decoded_chunk_stream()
    {
        var stream = BedrockStreamDecoder.ReadEventStream(
            new MemoryStream([]), BedrockModels.Default, "bedrock", new BedrockOptions(), CancellationToken.None);

        Assert.IsType<DecodedChunkStream<FramedMessage>>(stream);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64 * 1024)]
    public async Task Tool_input_between_text_deltas_keeps_its_place(int readSize)
    {
        var body = Body(
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Let me look."}}"""),
            EventStreamEncoder.Event("contentBlockStart", """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"t1","name":"find"}}}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"q\":1}"}}}"""),
            EventStreamEncoder.Event("contentBlockStop", """{"contentBlockIndex":1}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"text":"Found."}}"""),
            EventStreamEncoder.Event("messageStop", """{"stopReason":"tool_use"}"""));

        var (chunks, failure, _) = await ReadAsync(body, readSize);

        Assert.Null(failure);
        Assert.Equal(["text:Let me look.", "tool:find:", "tool:find:{\"q\":1}", "text:Found."], chunks);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64 * 1024)]
    public async Task A_body_cut_inside_a_message_after_a_text_delta_fails_as_cut_off_after_that_text(int readSize)
    {
        var last = EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"lost"}}""");
        var body = Body(
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""),
            last[..(last.Length - 5)]);

        var (chunks, failure, afterFailure) = await ReadAsync(body, readSize);

        Assert.Equal(["text:Hi"], chunks);
        var ex = Assert.IsType<ProviderException>(failure);
        Assert.Equal("stream_cut_off", ex.ErrorType);
        Assert.Contains($"({last.Length - 5} bytes of it arrived)", ex.Message, StringComparison.Ordinal);
        Assert.False(afterFailure);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
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
