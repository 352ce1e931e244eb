using System.Text;
using System.Text.Json;
using Providers.Http;
using Providers.OpenAi;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// <see cref="JsonPrefixResume{TSoFar}"/>: a reader resumed after the bytes an event shares with the one before reads
/// exactly what a reader from the event's start reads. First at the level of tokens, over the events of every format
/// in stream order (fixtures, mutations, edge cases); then <see cref="ChatChunkReader"/>, the reader that uses it,
/// against the serializer over sequences made to hit its corners (the fixture and mutation sequences are checked by
/// the "reused" readers of <see cref="ReaderEquivalenceTests"/>).
/// </summary>
public sealed class PrefixResumeTests
{
    [Theory]
    [MemberData(nameof(WireReaders.Formats), MemberType = typeof(WireReaders))]
    public void A_resumed_reader_yields_the_tokens_and_the_failure_of_a_reader_from_the_start(string format)
    {
        var sequence = WireReaders.InStreamOrder(format, "prefix resume " + format);

        var resume = new JsonPrefixResume<Tokens>();
        int resumed = 0, failed = 0;
        var differences = new List<string>();
        foreach (var e in sequence)
        {
            var expected = Tokenise(null, e.Data, out _);
            var actual = Tokenise(resume, e.Data, out var wasResumed);
            resumed += wasResumed ? 1 : 0;
            failed += expected.Failure is null ? 0 : 1;
            if (!expected.List.SequenceEqual(actual.List) || expected.Failure != actual.Failure)
            {
                differences.Add($"{e}\n  from the start: {expected}\n  resumed:        {actual}");
            }
        }

        Assert.True(differences.Count == 0, $"{differences.Count} events differ:\n" + string.Join("\n", differences.Take(10)));

        // The sequences must resume often and fail often, or they prove nothing.
        Assert.True(resumed > sequence.Count / 20 && failed > 100, $"{sequence.Count} events: {resumed} resumed, {failed} failed");
    }

    /// <summary>The tokens so far and the byte offset of the boundary, as a token reader keeps them.</summary>
    private sealed record Tokens(List<string> List, int Offset, string? Failure = null)
    {
        public override string ToString() => string.Join(" ", List) + (Failure is null ? "" : " !! " + Failure);
    }

    /// <summary>Every token with its absolute start and depth; boundaries marked at every value of depth 1, committed only when the whole event reads.</summary>
    private static Tokens Tokenise(JsonPrefixResume<Tokens>? resume, byte[] data, out bool resumed)
    {
        Utf8JsonReader reader;
        Tokens soFar;
        resumed = false;
        if (resume is not null && resume.TryResume(data, out reader, out soFar))
        {
            resumed = true;
        }
        else
        {
            reader = new Utf8JsonReader(data);
            soFar = new Tokens([], 0);
        }

        var tokens = new List<string>(soFar.List);
        try
        {
            while (true)
            {
                if (resume is not null && reader.CurrentDepth == 1 && reader.TokenType != JsonTokenType.PropertyName)
                {
                    resume.Mark(ref reader, new Tokens([.. tokens], soFar.Offset + (int)reader.BytesConsumed));
                }

                if (!reader.Read())
                {
                    break;
                }

                var value = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
                tokens.Add($"{reader.TokenType}@{soFar.Offset + reader.TokenStartIndex}/{reader.CurrentDepth}:{Convert.ToHexString(value)}");
            }
        }
        catch (JsonException ex)
        {
            return new Tokens(tokens, 0, ex.GetType().Name + ": " + ex.Message);
        }

        resume?.Commit(data);
        return new Tokens(tokens, 0);
    }

    // Each sequence is read by one new ChatChunkReader, event by event, as ChatCompletionsStream reads a stream.
    private const string P = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1770933892,\"model\":\"m\",\"system_fingerprint\":\"fp_1\"";

    public static TheoryData<string, string[], bool> Sequences()
    {
        var data = new TheoryData<string, string[], bool>();
        foreach (var wantId in new[] { true, false })
        {
            foreach (var (name, events) in ChatSequences)
            {
                data.Add(name, events, wantId);
            }
        }

        return data;
    }

    private static readonly (string Name, string[] Events)[] ChatSequences =
    [
        ("the same prefix", [P + ""","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}""", P + ""","choices":[{"index":0,"delta":{"content":"a"}}]}""", P + ""","choices":[{"index":0,"delta":{"content":"b"},"finish_reason":"stop"}],"usage":null}""", P + ""","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}"""]),
        ("a number that goes on where the last one ended", ["""{"created":1,"choices":[{"delta":{"content":"a"}}]}""", """{"created":12,"choices":[{"delta":{"content":"b"}}]}""", """{"created":1.5,"choices":[{"delta":{"content":"c"}}]}""", """{"created":1e3,"choices":[{"delta":{"content":"d"}}]}""", """{"created":1x,"choices":[]}""", """{"created":1 ,"choices":[{"delta":{"content":"e"}}]}"""]),
        ("literals at the boundary", ["""{"flag":true,"choices":[{"delta":{"content":"a"}}]}""", """{"flag":truex,"choices":[]}""", """{"flag":true ,"choices":[{"delta":{"content":"b"}}]}""", """{"flag":null,"choices":[{"delta":{"content":"c"}}]}""", """{"flag":nul,"choices":[]}""", """{"flag":null}"""]),
        ("created changing every second", [P + ""","choices":[{"delta":{"content":"a"}}]}""", P.Replace("892", "893") + ""","choices":[{"delta":{"content":"b"}}]}""", P.Replace("892", "893") + ""","choices":[{"delta":{"content":"c"}}]}""", P.Replace("892", "8930") + ""","choices":[{"delta":{"content":"d"}}]}"""]),
        ("the id changing", [P + ""","choices":[{"delta":{"content":"a"}}]}""", P.Replace("chatcmpl-1", "chatcmpl-2") + ""","choices":[{"delta":{"content":"b"}}]}""", P.Replace("chatcmpl-1", "chatcmpl-") + ""","choices":[]}""", P.Replace("\"chatcmpl-1\"", "null") + ""","choices":[]}""", P.Replace("\"chatcmpl-1\"", "7") + ""","choices":[]}""", P + ""","choices":[]}"""]),
        ("a duplicate id in the prefix", ["""{"id":"a","object":"o","id":"b","choices":[{"delta":{"content":"x"}}]}""", """{"id":"a","object":"o","id":"b","choices":[{"delta":{"content":"y"}}]}""", """{"id":"a","object":"o","id":"c","choices":[]}""", """{"id":"a","object":"o","id":null,"choices":[]}""", """{"id":"a","object":"o","choices":[],"id":"d"}"""]),
        ("choices before the other properties", ["""{"id":"a","choices":[{"delta":{"content":"x"}}],"model":"m"}""", """{"id":"a","choices":[{"delta":{"content":"y"}}],"model":"m"}""", """{"id":"a","choices":[{"delta":{"content":"y"}}],"model":"m","choices":null}""", """{"id":"a","choices":[],"model":"m"}"""]),
        ("usage and error before choices", ["""{"id":"a","usage":{"prompt_tokens":1},"model":"m","choices":[]}""", """{"id":"a","usage":{"prompt_tokens":2},"model":"m","choices":[]}""", """{"id":"a","usage":null,"model":"m","choices":[]}""", """{"id":"a","error":{"code":1},"model":"m","choices":[]}""", """{"id":"a","error":{"code":2},"model":"m","choices":[]}""", """{"id":"a","error":null,"model":"m","choices":[]}"""]),
        ("a shared prefix with a malformed rest", [P + ""","choices":[{"delta":{"content":"a"}}]}""", P + ""","choices":[{"delta":{"content":"a"}}]""", P + ""","choices":x}""", P + ""","choices":[{"delta":{"content":"\ud800"}}]}""", P + ""","choices":[{"delta":{"content":"b"}}]} x""", P + ""","choices":[null]}""", P + ""","choices":[{"index":1.5}]}""", P + ""","choices":[{"delta":{"content":"c"}}]}""", P + ",", P + "}", P + ""","choices":[{"delta":{"content":"d"}}]}"""]),
        ("depth in the prefix", ["""{"x_groq":{"id":"req","a":[1,{"b":null}]},"choices":[{"delta":{"content":"a"}}]}""", """{"x_groq":{"id":"req","a":[1,{"b":null}]},"choices":[{"delta":{"content":"b"}}]}""", """{"x_groq":{"id":"req","a":[1,{"b":null}]}}""", "{\"x\":" + new string('[', 62) + new string(']', 62) + ",\"choices\":[{\"delta\":{\"content\":\"c\"}}]}", "{\"x\":" + new string('[', 62) + new string(']', 62) + ",\"choices\":[{\"delta\":{\"content\":\"d\"}}]}", "{\"x\":" + new string('[', 62) + new string(']', 62) + ",\"y\":" + new string('[', 70) + new string(']', 70) + "}"]),
        ("escapes in the prefix", ["""{"\u0069d":"x\u0041","object":"a\"b","choices":[{"delta":{"content":"a"}}]}""", """{"\u0069d":"x\u0041","object":"a\"b","choices":[{"delta":{"content":"b"}}]}""", """{"id":"xA","object":"a\"b","choices":[{"delta":{"content":"c"}}]}""", """{"\u0069d":"x\u0041","object":"a\"b\ud800","choices":[]}""", """{"\u0069d":"x\u0041","\ud800":1,"choices":[]}""", """{"\u0069d":"x\u0041","object":"a\"b","choices":[{"delta":{"content":"d"}}]}"""]),
        ("whitespace and other shapes between", [" " + P + ""","choices":[]}""", P + ""","choices":[{"delta":{"content":"a"}}]}""", "null", P + ""","choices":[{"delta":{"content":"b"}}]}""", "{}", "[]", P.Replace(",", " , ") + ""","choices":[]}""", P + ""","choices":[{"delta":{"content":"c"}}]}"""]),
        ("more top-level properties than are kept", [Many(40, "") + ""","choices":[{"delta":{"content":"a"}}]}""", Many(40, "") + ""","choices":[{"delta":{"content":"b"}}]}""", Many(35, "z") + ""","choices":[{"delta":{"content":"c"}}]}""", Many(40, "") + ""","choices":[{"delta":{"content":"d"}}]}"""]),
    ];

    /// <summary>An object start and <paramref name="count"/> properties; the 30th on has <paramref name="tail"/> appended to its value.</summary>
    private static string Many(int count, string tail) =>
        "{" + string.Concat(Enumerable.Range(0, count).Select(i => $"\"p{i}\":\"v{i}{(i >= 30 ? tail : "")}\",")) + "\"id\":\"many\"";

    [Theory]
    [MemberData(nameof(Sequences))]
    public void A_chat_reader_reads_each_event_of_a_sequence_as_the_serializer_reads_it(string name, string[] events, bool wantId)
    {
        var reader = new ChatChunkReader();
        var comparer = new WireComparer(wantId ? [] : [new Skip("id", "not asked for")]);
        for (var i = 0; i < events.Length; i++)
        {
            var data = Encoding.UTF8.GetBytes(events[i]);
            var (expected, serializerError) = Run(() => JsonSerializer.Deserialize(data, OpenAiJsonContext.Default.ChatChunk));
            var (actual, readerError) = Run(() => reader.Read(data, wantId));
            var at = $"{name}, event {i} ({events[i]})";
            Assert.True(readerError is null or JsonException, $"{at}: the reader threw {readerError}");
            if (expected?.Choices?.Any(c => c is null) == true)
            {
                // A null choice: malformed to the reader on purpose (WireReaders' NullChoice).
                Assert.NotNull(readerError);
                continue;
            }

            Assert.True((serializerError is null) == (readerError is null), $"{at}: serializer {serializerError?.Message ?? "reads it"}, reader {readerError?.Message ?? "reads it"}");
            var differences = comparer.Compare(expected, actual, OpenAiJsonContext.Default.ChatChunk);
            Assert.True(differences.Count == 0, $"{at}: {string.Join("; ", differences)}");
            if (!wantId && actual is not null)
            {
                Assert.Null(actual.Id);
            }
        }
    }

    private static (T? Value, Exception? Error) Run<T>(Func<T?> read)
    {
        try
        {
            return (read(), null);
        }
        catch (Exception ex)
        {
            return (default, ex);
        }
    }
}
