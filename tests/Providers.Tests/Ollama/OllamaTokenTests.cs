using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Providers.Ollama;
using Providers.Tests.Replay;
using static Providers.Tests.Ollama.OllamaTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Ollama;

/// <summary>
/// Tokens as a model repeats them (the same text again, texts alike in length and outer bytes, non-ASCII, escaped, long)
/// each come out as their own bytes say, and a bad byte among look-alike tokens still fails.
/// </summary>
public class OllamaTokenTests
{
    // "abcde" and "axcye" agree in length, first, middle and last byte but differ; "\u00e9" is not ASCII; the long
    // token is over 24 bytes; "a\"b" is escaped.
    private static readonly string[] Tokens =
        ["abcde", "axcye", "abcde", "\u00e9t\u00e9", "abcde", "\u00e9t\u00e9", "axcye", "a\"b", "a\"b", "a token of more than twenty-four bytes, in full", "a token of more than twenty-four bytes, in full", ","];

    // Non-ASCII text raw on the wire, as Ollama sends it (the default encoder would escape it).
    private static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(string text) => JsonSerializer.Serialize(text, Raw);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Repeated_and_colliding_tokens_come_out_as_sent(bool oneByteAtATime)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var lines = Tokens
            .Select(t => $$"""{"model":"llama3.2","created_at":"2026-11-20T09:14:02Z","message":{"role":"assistant","thinking":{{Json(t)}},"content":{{Json(t)}}},"done":false}""" + "\n")
            .Append("""{"model":"llama3.2","message":{"role":"assistant","content":""},"done":true,"prompt_eval_count":3,"eval_count":12}""" + "\n")
            .Select(Encoding.UTF8.GetBytes)
            .ToArray();
        var response = new ReplayResponse { ContentType = NdJson, Parts = lines };
        server.Enqueue(oneByteAtATime ? response.OneByteAtATime() : response);

        var chunks = await CollectAsync(Ask(Handler(server, clock, o => o.Think = true)));

        Assert.Equal(
            [.. Tokens.SelectMany(t => new ApiStreamChunk[] { new ReasoningChunk(t), new TextChunk(t) }), new UsageChunk(3, 12, TotalCost: 0m)],
            chunks);
    }

    [Fact]
    public void A_bad_byte_in_a_token_like_an_earlier_one_still_fails()
    {
        var reader = new OllamaChunkReader();
        Assert.Equal("aXYb", reader.Read("""{"message":{"content":"aXYb"},"done":false}"""u8)!.Message!.Value.Content);

        // Same length, first and last byte as the earlier "aXYb", with a byte that is not UTF-8 in between.
        byte[] bad = [.. """{"message":{"content":"a"""u8, 0xFF, .. """Yb"},"done":false}"""u8];
        Assert.Throws<JsonException>(() => reader.Read(bad));

        Assert.Equal("aXYb", reader.Read("""{"message":{"content":"aXYb"},"done":false}"""u8)!.Message!.Value.Content);
    }
}

/// <summary>
/// A body cut into two reads at every byte, so that every line (the usual one-token line, which the stream maps
/// straight to its text, and the others, which go through their steps) is split at each of its bytes once.
/// </summary>
public class OllamaSplitLineTests
{
    private static readonly string[] Lines =
    [
        """{"model":"llama3.2","created_at":"2026-11-20T09:14:02Z","message":{"role":"assistant","content":"The"},"done":false}""",
        """{"model":"llama3.2","created_at":"2026-11-20T09:14:02Z","message":{"role":"assistant","thinking":"hm","content":" sky"},"done":false}""",
        """{"model":"llama3.2","created_at":"2026-11-20T09:14:02Z","message":{"role":"assistant","content":" \u00e9t\u00e9 \"x\""},"done":false}""",
        """{"model":"llama3.2","created_at":"2026-11-20T09:14:02Z","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"name":"look","arguments":{"q":"sky"}}}]},"done":false}""",
        """{"model":"llama3.2","created_at":"2026-11-20T09:14:02Z","message":{"role":"assistant","content":"."},"done_reason":"stop","done":true,"prompt_eval_count":7,"eval_count":5}""",
    ];

    private static readonly ApiStreamChunk[] Expected =
    [
        new TextChunk("The"),
        new ReasoningChunk("hm"),
        new TextChunk(" sky"),
        new TextChunk(" \u00e9t\u00e9 \"x\""),
        new ToolCallChunk("call_1", "call_1", "look", """{"q":"sky"}"""),
        new TextChunk("."),
        new UsageChunk(7, 5, TotalCost: 0m),
    ];

    [Fact]
    public async Task Every_line_split_at_every_byte_gives_the_same_chunks()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var handler = Handler(server, clock, o => o.Think = true);
        var body = Encoding.UTF8.GetBytes(string.Join("\n", Lines) + "\n");
        for (var at = 1; at < body.Length; at++)
        {
            // The pause makes the two parts two reads.
            server.Enqueue(new ReplayResponse { ContentType = NdJson, Parts = [body[..at], body[at..]], DelayBetweenParts = TimeSpan.FromMilliseconds(1) });

            var chunks = await CollectAsync(Ask(handler));

            Assert.True(Expected.SequenceEqual(chunks), $"split at byte {at}: {string.Join(", ", chunks)}");
        }
    }
}
