using System.Text;
using System.Text.Json;
using Providers.Http;

namespace Providers.Tests.ReaderEquivalence;

/// <summary>
/// <see cref="JsonTailReplay{TResult}"/>: what is replayed and what is not, then, at the level of tokens, that a reader
/// which replays the tail an event shares with the one before reads exactly what a reader from the event's start reads,
/// over the events of every format in stream order (fixtures, mutations, edge cases). Gemini's reader, the one that uses
/// it, is checked against the serializer by <see cref="ReaderEquivalenceTests"/>.
/// </summary>
public sealed class TailReplayTests
{
    private const string Tail = ""","usageMetadata":{"promptTokenCount":8,"totalTokenCount":12},"modelVersion":"gemini-2.5-flash","responseId":"abc"}""";

    [Fact]
    public void A_matching_tail_replays_the_remembered_result()
    {
        var replay = new JsonTailReplay<string>();
        replay.Remember(Bytes(Tail), "first");

        Assert.True(replay.TryReplay(Bytes(Tail), out var result));
        Assert.Equal("first", result);

        // The last one remembered is the one replayed, and it stays until another is remembered.
        replay.Remember(Bytes(Tail.Replace("abc", "abd")), "second");
        Assert.False(replay.TryReplay(Bytes(Tail), out _));
        Assert.True(replay.TryReplay(Bytes(Tail.Replace("abc", "abd")), out result));
        Assert.Equal("second", result);
        Assert.True(replay.TryReplay(Bytes(Tail.Replace("abc", "abd")), out result));
        Assert.Equal("second", result);
    }

    public static TheoryData<string, string> Others() => new()
    {
        { "the first byte changed", " " + Tail[1..] },
        { "a byte in the middle changed", Tail.Replace("\"totalTokenCount\":12", "\"totalTokenCount\":13") },
        { "the last byte changed", Tail[..^1] + "]" },
        { "one byte shorter", Tail[..^1] },
        { "one byte longer", Tail + " " },
        { "one byte more at the start", " " + Tail },
        { "the remembered tail's start", Tail[..(Tail.Length / 2)] },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(Others))]
    public void A_tail_that_differs_in_one_byte_or_in_length_is_not_replayed(string difference, string other)
    {
        var replay = new JsonTailReplay<string>();
        replay.Remember(Bytes(Tail), "remembered");

        Assert.False(replay.TryReplay(Bytes(other), out var result), difference);
        Assert.Null(result);
        Assert.True(replay.TryReplay(Bytes(Tail), out result));
        Assert.Equal("remembered", result);
    }

    [Fact]
    public void Nothing_is_replayed_before_a_tail_is_remembered_not_even_an_empty_tail()
    {
        var replay = new JsonTailReplay<string>();

        Assert.False(replay.TryReplay(Bytes(Tail), out _));
        Assert.False(replay.TryReplay([], out _));

        replay.Remember([], "empty");
        Assert.True(replay.TryReplay([], out var result));
        Assert.Equal("empty", result);
    }

    [Fact]
    public void A_tail_that_was_not_replayable_is_not_replayed()
    {
        var replay = new JsonTailReplay<string>();
        replay.Remember(Bytes(Tail), "remembered");

        // The next event's tail could not be replayed: the one before it is forgotten too.
        replay.Forget();

        Assert.False(replay.TryReplay(Bytes(Tail), out _));
        Assert.False(replay.TryReplay([], out _));
    }

    [Fact]
    public void A_tail_longer_than_the_limit_is_forgotten_with_the_one_before()
    {
        var replay = new JsonTailReplay<string>();
        var longest = Bytes("," + new string(' ', JsonTailReplay<string>.MaxLength - 2) + "}");
        var tooLong = Bytes("," + new string(' ', JsonTailReplay<string>.MaxLength - 1) + "}");

        replay.Remember(longest, "longest");
        Assert.True(replay.TryReplay(longest, out var result));
        Assert.Equal("longest", result);

        replay.Remember(tooLong, "too long");
        Assert.False(replay.TryReplay(tooLong, out _));
        Assert.False(replay.TryReplay(longest, out _));
    }

    /// <summary>Tails start after the value of each of the first this many top-level properties, one replay for each.</summary>
    private const int TailStarts = 8;

    [Theory]
    [MemberData(nameof(WireReaders.Formats), MemberType = typeof(WireReaders))]
    public void A_replayed_tail_yields_the_tokens_and_the_failure_of_a_reader_from_the_start(string format)
    {
        var sequence = WireReaders.InStreamOrder(format, "tail replay " + format);

        var replays = Enumerable.Range(0, TailStarts).Select(_ => new JsonTailReplay<List<Token>>()).ToArray();
        int replayed = 0, failed = 0;
        var differences = new List<string>();
        foreach (var e in sequence)
        {
            var expected = Tokenise(e.Data, null, 0, out _);
            failed += expected.Failure is null ? 0 : 1;
            for (var start = 1; start <= TailStarts; start++)
            {
                var actual = Tokenise(e.Data, replays[start - 1], start, out var wasReplayed);
                replayed += wasReplayed ? 1 : 0;
                if (!expected.List.SequenceEqual(actual.List) || expected.Failure != actual.Failure)
                {
                    differences.Add($"{e} (tail after property {start})\n  from the start: {expected}\n  replayed:       {actual}");
                }
            }
        }

        Assert.True(differences.Count == 0, $"{differences.Count} events differ:\n" + string.Join("\n", differences.Take(10)));

        // The sequences must replay often and fail often, or they prove nothing.
        Assert.True(replayed > sequence.Count / 20 && failed > 100, $"{sequence.Count} events: {replayed} tails replayed, {failed} failed");
    }

    /// <summary>A token with its start relative to the tail (or the event) and its depth: a function of the tail's bytes alone.</summary>
    private readonly record struct Token(JsonTokenType Type, long Start, int Depth, string Value)
    {
        public string At(long offset) => $"{Type}@{offset + Start}/{Depth}:{Value}";

        public static Token Of(ref Utf8JsonReader reader, long offset)
        {
            var value = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
            return new Token(reader.TokenType, reader.TokenStartIndex - offset, reader.CurrentDepth, Convert.ToHexString(value));
        }
    }

    private sealed record Tokens(List<string> List, string? Failure)
    {
        public override string ToString() => string.Join(" ", List) + (Failure is null ? "" : " !! " + Failure);
    }

    /// <summary>
    /// Every token of the event with its absolute start and depth. With <paramref name="replay"/>, the tail starts after
    /// the value of top-level property number <paramref name="start"/> of an object: replayed when it matches, else
    /// read and remembered when the whole event reads.
    /// </summary>
    private static Tokens Tokenise(byte[] data, JsonTailReplay<List<Token>>? replay, int start, out bool replayed)
    {
        replayed = false;
        var reader = new Utf8JsonReader(data);
        var tokens = new List<string>();
        List<Token>? tail = null;
        var tailStart = -1L;
        var values = 0;
        var inObject = false;
        try
        {
            while (reader.Read())
            {
                if (tail is not null)
                {
                    tail.Add(Token.Of(ref reader, tailStart));
                    continue;
                }

                tokens.Add(Token.Of(ref reader, 0).At(0));
                inObject |= reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.StartObject;
                if (replay is null || !inObject || reader.CurrentDepth != 1 || reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.StartObject or JsonTokenType.StartArray || ++values != start)
                {
                    continue;
                }

                tailStart = reader.BytesConsumed;
                if (replay.TryReplay(data.AsSpan((int)tailStart), out var remembered))
                {
                    replayed = true;
                    tokens.AddRange(remembered.Select(t => t.At(tailStart)));
                    return new Tokens(tokens, null);
                }

                tail = [];
            }
        }
        catch (JsonException ex)
        {
            // As in the readers, an event that faults leaves the remembered tail as it was.
            tokens.AddRange(tail?.Select(t => t.At(tailStart)) ?? []);
            return new Tokens(tokens, ex.GetType().Name + ": " + ex.Message);
        }

        if (tail is not null)
        {
            tokens.AddRange(tail.Select(t => t.At(tailStart)));
            replay!.Remember(data.AsSpan((int)tailStart), tail);
        }

        return new Tokens(tokens, null);
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
