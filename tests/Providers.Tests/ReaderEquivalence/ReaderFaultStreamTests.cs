using System.Text;
using Providers.Tests.Hostile;
using Providers.Tests.Replay;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// The disagreements the equivalence suite found, end to end: over real HTTP, each reaches the caller as the
/// <c>malformed_stream</c> error, as it would have through the serializer.
/// </summary>
public sealed class ReaderFaultStreamTests
{
    /// <summary>
    /// Bytes that are not UTF-8 inside a text value, an unpaired surrogate escape in a value or in a property name: the
    /// reader threw InvalidOperationException (or, for a name it never unescaped, read on), which only the stream
    /// reader's last-resort net turned into an error.
    /// </summary>
    [Theory]
    [InlineData("openai-chat", "bytes")]
    [InlineData("openai-chat", "escape")]
    [InlineData("ollama", "bytes")]
    [InlineData("ollama", "escape")]
    [InlineData("anthropic", "bytes")]
    [InlineData("anthropic", "escape")]
    [InlineData("openai-chat", "name")]
    [InlineData("ollama", "name")]
    [InlineData("anthropic", "name")]
    public async Task Text_that_is_not_unicode_is_a_malformed_stream(string name, string how)
    {
        var target = HostileTargets.Named(name);
        var body = target.Frame(target.MinimalStream);
        var hi = IndexOf(body, "\"Hi\""u8);

        // Inside the "Hi" string, or as a property just before the one that holds it (in the object the reader walks).
        var at = how == "name" ? body.AsSpan(0, hi).LastIndexOfAny((byte)',', (byte)'{') + 1 : hi + 2;
        byte[] bad = how switch
        {
            "bytes" => [0xc0, 0xaf],
            "escape" => "\\ud800"u8.ToArray(),
            _ => "\"\\ud800\":1,"u8.ToArray(), // a property name that does not unescape
        };

        var error = await ErrorOfAsync(target, [.. body.AsSpan(0, at), .. bad, .. body.AsSpan(at)]);

        // Reported by the handler as the event it could not parse, not by the stream reader's net for unexpected exceptions.
        Assert.Equal("malformed_stream", error.ErrorType);
        Assert.Contains("stream was malformed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Quoted numbers and a null <c>done</c>, which the Ollama and Anthropic contexts reject, were read.</summary>
    [Theory]
    [InlineData("ollama", "\"eval_count\":1", "\"eval_count\":\"1\"")]
    [InlineData("ollama", "\"done\":true", "\"done\":null")]
    [InlineData("anthropic", "\"index\":0,\"delta\"", "\"index\":\"0\",\"delta\"")]
    public async Task Values_the_serializer_rejects_are_a_malformed_stream(string name, string original, string replacement)
    {
        var target = HostileTargets.Named(name);
        var lines = target.MinimalStream.Select(l => l.Replace(original, replacement, StringComparison.Ordinal)).ToList();
        Assert.NotEqual(target.MinimalStream, lines);

        var error = await ErrorOfAsync(target, target.Frame(lines));

        Assert.Equal("malformed_stream", error.ErrorType);
    }

    /// <summary>OpenAI-compatible servers may quote numbers, and the context reads them, escaped or not: so does the reader.</summary>
    [Theory]
    [InlineData("\"0\"")]
    [InlineData("\"\\u0030\"")]
    public async Task A_quoted_choice_index_reads_as_the_number(string index)
    {
        var target = HostileTargets.OpenAiChat;
        var lines = target.MinimalStream.Select(l => l.Replace("\"index\":0", "\"index\":" + index, StringComparison.Ordinal)).ToList();
        await using var server = Serve(target.StreamContentType, target.Frame(lines));
        using var clock = new FastRetryClock();

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, null));

        Assert.Null(outcome.Error);
        Assert.Equal("Hi", Assert.Single(outcome.Chunks.OfType<TextChunk>()).Text);
    }

    private static async Task<ProviderException> ErrorOfAsync(HostileTarget target, byte[] body)
    {
        await using var server = Serve(target.StreamContentType, body);
        using var clock = new FastRetryClock();
        var outcome = await RunAsync(target.Create(server.BaseUri, clock, null));
        return outcome.ProviderError;
    }

    private static HostileServer Serve(string contentType, byte[] body)
    {
        var server = new HostileServer();
        server.Fallback = async (stream, token) =>
        {
            await stream.WriteAsync(Utf8(Head("200 OK", "Content-Type: " + contentType, "Content-Length: " + body.Length) + "\r\n\r\n"), token);
            await stream.WriteAsync(body, token);
        };
        return server;
    }

    private static int IndexOf(byte[] body, ReadOnlySpan<byte> value)
    {
        var at = body.AsSpan().IndexOf(value);
        Assert.True(at >= 0);
        return at;
    }
}
