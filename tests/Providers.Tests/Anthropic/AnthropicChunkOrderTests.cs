using Providers.Tests.Replay;
using static Providers.Tests.Anthropic.AnthropicTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Anthropic;

/// <summary>
/// Deltas that give one chunk (text, thinking, signature: handed out without a list) between events that give several
/// or none: the usage of <c>message_start</c> still leaves just before the first chunk, and every chunk keeps its place,
/// over HTTP.
/// </summary>
public class AnthropicChunkOrderTests
{
    private const string MessageStart =
        """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":5,"output_tokens":1}}}""";

    private static string Show(ApiStreamChunk chunk) => chunk switch
    {
        TextChunk t => "text:" + t.Text,
        ReasoningChunk { Reasoning.Length: 0, Signature: { } s } => "signature:" + s,
        ReasoningChunk r => "thinking:" + r.Reasoning,
        ToolCallChunk c => $"call:{c.Name}:{c.Arguments}",
        UsageChunk u => $"usage:{u.InputTokens}/{u.OutputTokens}",
        var other => other.GetType().Name,
    };

    private static string Delta(int index, string type, string field, string value) =>
        $$$"""{"type":"content_block_delta","index":{{{index}}},"delta":{"type":"{{{type}}}","{{{field}}}":"{{{value}}}"}}""";

    /// <summary>The events served over HTTP: the chunks shown, the failure (if any), and how many requests were made.</summary>
    private static async Task<(string[] Chunks, Exception? Error, int Requests)> ReadAsync(params string[] events)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Events(events));
        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));
        return ([.. chunks.Select(Show)], error, server.Requests.Count);
    }

    [Fact]
    public async Task Single_chunk_deltas_keep_their_place_and_the_held_usage_leaves_before_the_first()
    {
        var (chunks, error, _) = await ReadAsync(
            MessageStart,
            """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""",
            Delta(0, "thinking_delta", "thinking", "Hmm."),
            Delta(0, "thinking_delta", "thinking", " Yes."),
            Delta(0, "signature_delta", "signature", "sig"),
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"server_tool_use","id":"s1","name":"web_search","input":{}}}""",
            Delta(1, "input_json_delta", "partial_json", "{}"),
            """{"type":"content_block_stop","index":1}""",
            """{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}""",
            Delta(2, "text_delta", "text", ""),
            Delta(2, "text_delta", "text", "Hi"),
            Delta(2, "text_delta", "text", " there"),
            """{"type":"content_block_stop","index":2}""",
            """{"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"t1","name":"find","input":{}}}""",
            Delta(3, "input_json_delta", "partial_json", "{}"),
            """{"type":"content_block_stop","index":3}""",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}""",
            """{"type":"message_stop"}""");

        Assert.Null(error);
        Assert.Equal(
            ["usage:5/1", "thinking:Hmm.", "thinking: Yes.", "signature:sig", "text:Hi", "text: there", "call:find:", "call:find:{}", "usage:0/8"],
            chunks);
    }

    [Fact]
    public async Task An_error_event_after_a_text_delta_ends_the_stream_after_that_text_without_a_retry()
    {
        var (chunks, error, requests) = await ReadAsync(
            MessageStart,
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
            Delta(0, "text_delta", "text", "Hi"),
            """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""",
            Delta(0, "text_delta", "text", "never"));

        Assert.Equal(["usage:5/1", "text:Hi"], chunks);
        Assert.Equal("overloaded_error", Assert.IsType<ProviderException>(error).ErrorType);
        Assert.Equal(1, requests);
    }
}
