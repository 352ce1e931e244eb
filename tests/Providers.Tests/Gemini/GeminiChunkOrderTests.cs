using Providers.Tests.Replay;
using static Providers.Tests.Gemini.GeminiTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Gemini;

/// <summary>
/// Events that give one chunk (a text or thought part, handed out without a list) between events that give several
/// (a signature before its part, several parts, a call and text): every chunk in the order of the parts, over HTTP.
/// </summary>
public class GeminiChunkOrderTests
{
    private static string Show(ApiStreamChunk chunk) => chunk switch
    {
        TextChunk t => "text:" + t.Text,
        ReasoningChunk { Reasoning.Length: 0, Signature: { } s } => "signature:" + s,
        ReasoningChunk r => $"thought:{r.Reasoning}/{r.Signature}",
        ToolCallChunk c => $"call:{c.Name}:{c.Arguments}",
        UsageChunk u => $"usage:{u.InputTokens}/{u.OutputTokens}",
        var other => other.GetType().Name,
    };

    private static string Parts(string parts, string? finish = null, string usage = "") =>
        $$"""{"candidates":[{"content":{"parts":[{{parts}}],"role":"model"}{{(finish is null ? "" : $",\"finishReason\":\"{finish}\"")}}}]{{usage}}}""";

    /// <summary>The events served over HTTP: the chunks shown, the failure (if any), and how many requests were made.</summary>
    private static async Task<(string[] Chunks, Exception? Error, int Requests)> ReadAsync(params string[] events)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Events(events));
        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, o => o.ModelId = "gemini-2.5-flash")));
        return ([.. chunks.Select(Show)], error, server.Requests.Count);
    }

    [Fact]
    public async Task Single_and_several_chunk_events_leave_in_the_order_of_their_parts()
    {
        var (chunks, error, _) = await ReadAsync(
            Parts("""{"text":"Plan.","thought":true}"""),
            Parts("""{"text":"A","thoughtSignature":"sig1"}"""),
            Parts("""{"text":"B"},{"text":"C"}"""),
            Parts("""{"text":"D"}"""),
            Parts("""{"text":""}"""),
            Parts("""{"functionCall":{"name":"find","args":{"q":1}}},{"text":"E"}"""),
            Parts("""{"text":"F"}""", "STOP", ""","usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":7,"totalTokenCount":12}"""));

        Assert.Null(error);
        Assert.Equal(
            ["thought:Plan./", "signature:sig1", "text:A", "text:B", "text:C", "text:D", """call:find:{"q":1}""", "text:E", "text:F", "usage:5/7"],
            chunks);
    }

    [Fact]
    public async Task A_safety_stop_in_the_event_after_a_single_text_part_ends_the_stream_after_that_text()
    {
        var (chunks, error, requests) = await ReadAsync(
            Parts("""{"text":"Here is how"}"""),
            Parts("""{"text":" to"}""", "SAFETY"),
            Parts("""{"text":"never"}"""));

        // The part in the stopped event is not delivered, as before: the stop is checked once the event is read.
        Assert.Equal(["text:Here is how"], chunks);
        Assert.Equal("SAFETY", Assert.IsType<ProviderException>(error).ErrorType);
        Assert.Equal(1, requests);
    }
}
