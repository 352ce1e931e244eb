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
