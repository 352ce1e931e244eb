using System.Text;
using System.Text.Json;
using Providers.Ollama;
using Providers.Tests.Replay;
using static Providers.Tests.Ollama.OllamaTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Ollama;

/// <summary>
/// The usual line, one token of text, is matched byte by byte (<see cref="OllamaChunkReader.TryReadText"/>); the
/// reader-equivalence suite proves it reads as the serializer does, these that it is the path real lines take and that
/// a line it leaves fails or reads as before.
/// </summary>
public class OllamaTextLineTests
{
    private static readonly string[] Templates =
    [
        """{"model":"llama3.2","created_at":"2026-11-20T09:40:21.196249Z","message":{"role":"assistant","content":"@"},"done":false}""",
    ];

    [Fact]
    public void Every_plain_text_line_of_the_fixtures_is_matched_byte_by_byte_and_reads_as_the_serializer_reads_it()
    {
        var matched = 0;
        foreach (var name in new[] { "chat-text.ndjson", "chat-thinking.ndjson", "chat-tool-calls.ndjson", "chat-midstream-error.ndjson" })
        {
            foreach (var part in Fixture(name).Parts)
            {
                var line = part.AsSpan().TrimEnd("\r\n"u8);
                var wire = JsonSerializer.Deserialize(line, OllamaJsonContext.Default.OllamaChatChunk)!;
                // A text with an escape (the fixtures have two) is unescaped by the token path.
                var isTextLine = wire is { Done: false, Error: null, Message: { Thinking: null, ToolCalls: null, Content: not null } } && !line.Contains((byte)'\\');
                Assert.Equal(isTextLine, OllamaChunkReader.TryReadText(line, out var text, out _));
                if (isTextLine)
                {
                    Assert.Equal(wire.Message!.Value.Content, text);
                    matched++;
                }
            }
        }

        Assert.Equal(7, matched);
    }

    [Theory]
    [InlineData(" Yes", " Yes")]
    [InlineData("", "")]
    [InlineData("h\u00e9llo \ud83d\ude00", "h\u00e9llo \ud83d\ude00")]
    public void A_text_line_gives_its_text(string content, string expected)
    {
        var line = Encoding.UTF8.GetBytes(Templates[0].Replace("@", content, StringComparison.Ordinal));

        Assert.True(OllamaChunkReader.TryReadText(line, out var text, out var createdAtEmpty));
        Assert.Equal(expected, text);
        Assert.False(createdAtEmpty);
    }

    [Theory]
    [InlineData("""{"model":"m","created_at":"t","message":{"role":"assistant","content":"a\nb"},"done":false}""")]
    [InlineData("""{"model":"m\u0031","created_at":"t","message":{"role":"assistant","content":"a"},"done":false}""")]
    [InlineData("""{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":true}""")]
    [InlineData("""{"model":"m","created_at":"t","message":{"role":"assistant","content":"a","thinking":"b"},"done":false}""")]
    [InlineData("""{"model":"m","created_at":"t","message":{"role":"user","content":"a"},"done":false}""")]
    [InlineData("""{"created_at":"t","model":"m","message":{"role":"assistant","content":"a"},"done":false}""")]
    [InlineData("""{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":false} """)]
    [InlineData("""{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"},"done":false}}""")]
    [InlineData("""{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"}""")]
    [InlineData("{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"a\tb\"},\"done\":false}")]
    public void Any_other_line_is_left_to_the_token_path(string line) =>
        Assert.False(OllamaChunkReader.TryReadText(Encoding.UTF8.GetBytes(line), out _, out _));

    [Fact]
    public void A_text_line_whose_text_is_not_utf8_is_left_to_the_token_path()
    {
        byte[] line = [.. Encoding.UTF8.GetBytes("""{"model":"m","created_at":"t","message":{"role":"assistant","content":"a"""), 0xff, .. """"},"done":false}""""u8];

        Assert.False(OllamaChunkReader.TryReadText(line, out _, out _));
    }

    [Theory]
    [InlineData("\t")]
    [InlineData("\u0001")]
    public async Task A_text_line_with_a_raw_control_byte_fails_as_malformed_after_the_text_before_it(string control)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var bad = Templates[0].Replace("@", "a" + control + "b", StringComparison.Ordinal) + "\n";
        var text = Templates[0].Replace("@", "The", StringComparison.Ordinal) + "\n";
        server.Enqueue(new ReplayResponse { ContentType = NdJson, Parts = [Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(bad)] });

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("The")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("malformed_stream", ex.ErrorType);
        Assert.Contains("a line was not valid JSON (byte 105)", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.OutputStarted);
    }
}
