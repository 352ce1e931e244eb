using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Providers.Ollama;
using Providers.Tests.Replay;
using static Providers.Tests.Ollama.OllamaTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Ollama;

/// <summary>
/// The line reader keeps the text of short ASCII tokens it has seen and hands a repeated one out again: these prove that
/// every token still comes out as its own bytes say, whatever shares a slot with it, and that bad bytes still fail.
/// </summary>
public class OllamaTokenTests
{
    // "abcde" and "axcye" share a slot (same length, first, middle and last byte) but differ; "\u00e9" is not ASCII, and
    // the long token is beyond the kept length; "a\"b" is escaped.
    private static readonly string[] Tokens =
        ["abcde", "axcye", "abcde", "\u00e9t\u00e9", "abcde", "\u00e9t\u00e9", "axcye", "a\"b", "a\"b", "a token longer than the twenty-four kept bytes", "a token longer than the twenty-four kept bytes", ","];

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
    public void A_token_sharing_a_slot_with_a_kept_one_is_still_checked_for_bad_bytes()
    {
        var reader = new OllamaChunkReader();
        Assert.Equal("aXYb", reader.Read("""{"message":{"content":"aXYb"},"done":false}"""u8)!.Message!.Value.Content);

        // Same length, first, middle and last byte as the kept "aXYb", with a byte that is not UTF-8 in between.
        byte[] bad = [.. """{"message":{"content":"a"""u8, 0xFF, .. """Yb"},"done":false}"""u8];
        Assert.Throws<JsonException>(() => reader.Read(bad));

        Assert.Equal("aXYb", reader.Read("""{"message":{"content":"aXYb"},"done":false}"""u8)!.Message!.Value.Content);
    }

    [Fact]
    public void A_kept_token_is_handed_out_again_and_a_changed_one_is_not()
    {
        var reader = new OllamaChunkReader();
        var first = reader.Read("""{"message":{"content":" sky"},"done":false}"""u8)!.Message!.Value.Content;
        var again = reader.Read("""{"message":{"content":" sky"},"done":false}"""u8)!.Message!.Value.Content;
        var other = reader.Read("""{"message":{"content":" skY"},"done":false}"""u8)!.Message!.Value.Content;

        Assert.Same(first, again);
        Assert.Equal(" skY", other);
    }
}
