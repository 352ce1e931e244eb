using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Providers.Http;

/// <summary>
/// Field readers for the hand-written stream-event parsers. A stream event is parsed once per chunk on the wire, and
/// <see cref="JsonSerializer"/> costs a read stack per call and a string per field whether the code needs it or not;
/// these read only what the chunk needs, straight from the bytes. Wrong token types throw <see cref="JsonException"/>,
/// as the serializer would, so a malformed event is still reported as malformed.
/// </summary>
/// <remarks>
/// The idiom of every reader, one loop per object:
/// <code>
/// JsonFields.Expect(ref reader, JsonTokenType.StartObject);
/// while (JsonFields.NextProperty(ref reader, out var property))
/// {
///     if (property.SequenceEqual("text"u8)) text = JsonFields.String(ref reader);
///     else if (property.SequenceEqual("index"u8)) index = JsonFields.Int32(ref reader);
///     else JsonFields.SkipValue(ref reader);
/// }
/// return new Wire { Text = text, Index = index };
/// </code>
/// <see cref="NextProperty"/> takes the name once, unescaped, and leaves the reader on the value; each candidate then
/// fails on its length alone (a <c>SequenceEqual</c> with a constant is unrolled), where <c>ValueTextEquals</c> would
/// check the token type and the escapes again for every candidate. Read the value with one of these, or
/// <see cref="SkipValue"/> an unknown one; <see cref="End"/> after the top-level value. A reader must be registered in
/// tests/Providers.Tests/ReaderEquivalence/WireReaders.cs, which proves it reads every fixture event, every mutation of
/// one, and every edge case as the generated context does (docs/security.md, "Hand-written JSON readers").
/// </remarks>
internal static class JsonFields
{
    /// <summary>
    /// The bytes that end a plain JSON string's run: its closing quote, an escape, or a control character (malformed
    /// unescaped). For a reader that matches an event's usual shape byte by byte before it falls back to the tokens.
    /// </summary>
    public static readonly SearchValues<byte> StringStops = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"u8);

    /// <summary>Moves to the next token: a property's name, or the value of the property the reader is on.</summary>
    /// <remarks>An escaped property name that does not unescape (<c>"\ud800"</c>) is malformed here, as the serializer has it; raw bytes that are not UTF-8 in a name are not (the serializer skips an unknown name undecoded).</remarks>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw Ended();
        }

        if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueIsEscaped)
        {
            Unescape(ref reader);
        }
    }

    /// <summary>
    /// In an object (the reader on its start or on the value of its last property): moves to the next property and onto
    /// its value, with the property's <paramref name="name"/> as <see cref="Name"/> gives it; <see langword="false"/> at
    /// the end of the object.
    /// </summary>
    /// <remarks>The name's bytes stay valid after the reader moves on: they are the event's own bytes, or a copy.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NextProperty(ref Utf8JsonReader reader, out ReadOnlySpan<byte> name)
    {
        if (!reader.Read())
        {
            throw Ended();
        }

        if (reader.TokenType == JsonTokenType.EndObject)
        {
            name = default;
            return false;
        }

        // The reader allows only a name or the end here; a name with escapes (never sent) is checked and copied.
        name = !reader.ValueIsEscaped && !reader.HasValueSequence ? reader.ValueSpan : EscapedName(ref reader);
        if (!reader.Read())
        {
            throw Ended();
        }

        return true;
    }

    /// <summary>Skips the value the reader is on, with everything in it (the value of a property no one reads).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }
    }

    private static JsonException Ended() => new("The JSON ended inside an object.");

    /// <summary>The rare path of <see cref="NextProperty"/>: the checks of <see cref="Next"/> and the copy of <see cref="Name"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ReadOnlySpan<byte> EscapedName(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            Unescape(ref reader);
        }

        return UnescapedName(ref reader);
    }

    /// <summary>
    /// Checks an escaped property name as the serializer does when it unescapes it to look it up: an escape that does not
    /// unescape (an unpaired surrogate) fails; raw bytes that are not UTF-8 do not (an unknown name is skipped undecoded).
    /// The reader has already checked the escapes' syntax.
    /// </summary>
    private static void Unescape(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                continue;
            }

            i++;
            if (raw[i] != (byte)'u')
            {
                continue;
            }

            var unit = Hex4(raw.Slice(i + 1, 4));
            i += 4;
            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                throw UnpairedSurrogate();
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 6 >= raw.Length || raw[i + 1] != (byte)'\\' || raw[i + 2] != (byte)'u' || Hex4(raw.Slice(i + 3, 4)) is < 0xDC00 or > 0xDFFF)
                {
                    throw UnpairedSurrogate();
                }

                i += 6;
            }
        }

        static int Hex4(ReadOnlySpan<byte> digits) =>
            Utf8Parser.TryParse(digits, out ushort value, out var consumed, 'x') && consumed == 4 ? value : throw new JsonException("A \\u escape in a property name is not four hex digits.");

        static JsonException UnpairedSurrogate() => new("A property name held an escape that does not unescape (an unpaired surrogate).");
    }

    /// <summary>
    /// The name of the property the reader is on, unescaped, to match byte for byte (<c>name.SequenceEqual("id"u8)</c>):
    /// the reader's own bytes when the name has no escapes (every server sends it so; no copy), else a copy unescaped.
    /// One read of the name, then each candidate fails on its length alone, where <c>ValueTextEquals</c> would check the
    /// token type and the escapes again for every candidate.
    /// </summary>
    /// <remarks>An escaped name holding raw bytes that are not UTF-8 comes back empty: it is no known name, and the serializer skips it.</remarks>
    public static ReadOnlySpan<byte> Name(ref Utf8JsonReader reader) =>
        !reader.ValueIsEscaped && !reader.HasValueSequence ? reader.ValueSpan : UnescapedName(ref reader);

    /// <summary>The rare path of <see cref="Name"/>, apart so that <see cref="Name"/> stays small enough to inline.</summary>
    private static ReadOnlySpan<byte> UnescapedName(ref Utf8JsonReader reader)
    {
        var unescaped = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
        try
        {
            return unescaped.AsSpan(0, reader.CopyString(unescaped));
        }
        catch (InvalidOperationException)
        {
            // Raw bytes that are not UTF-8 beside an escape: no known name (all ASCII) unescapes to that, and the
            // serializer skips such a name, so it matches nothing here either.
            return default;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw Unexpected(type, reader.TokenType);
        }
    }

    private static JsonException Unexpected(JsonTokenType expected, JsonTokenType found) => new($"Expected {expected} but found {found}.");

    /// <summary>A string or <see langword="null"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string? String(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? Decode(ref reader)
        : reader.TokenType == JsonTokenType.Null ? null
        : throw Expected("a string", reader.TokenType);

    /// <summary>
    /// A string or <see langword="null"/>, as <see cref="String(ref Utf8JsonReader)"/> reads it, but one of
    /// <paramref name="known"/> (a type, a role, a stop reason the API documents) is the same instance each time instead of a new string.
    /// </summary>
    public static string? String(ref Utf8JsonReader reader, KnownStrings known) =>
        reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence && known.Find(reader.ValueSpan) is { } value
            ? value
            : String(ref reader);

    /// <summary>A <see cref="bool"/> property: <see langword="null"/> is malformed, as the serializer has it.</summary>
    public static bool Boolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new JsonException($"Expected a boolean but found {reader.TokenType}."),
    };

    /// <summary>A whole number or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="fromString">Also a number in a string, for a context with <c>NumberHandling = AllowReadingFromString</c>
    /// (some compatible servers quote numbers); without it a string is malformed, as in a context without.</param>
    /// <remarks>A fraction, an exponent or a value beyond <see cref="long"/> is malformed (a <see cref="JsonException"/>), never a crash.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long? Int64(ref Utf8JsonReader reader, bool fromString = false) =>
        reader.TokenType == JsonTokenType.Number && !reader.HasValueSequence && Digits(reader.ValueSpan) is var small and >= 0
            ? small
            : Int64Rest(ref reader, fromString);

    /// <summary>
    /// The value of a number of 1 to 18 plain digits (every count and index on the wire), read here because
    /// <see cref="Utf8JsonReader.TryGetInt64"/> checks the token again and parses for signs and formats the reader has
    /// already ruled out; -1 for any other number (a sign, a fraction, an exponent, more digits), which takes the full path.
    /// The reader has checked the grammar, so there is no leading zero, and 18 digits cannot overflow.
    /// </summary>
    private static long Digits(ReadOnlySpan<byte> number)
    {
        if (number.Length > 18)
        {
            return -1;
        }

        long value = 0;
        foreach (var b in number)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return -1;
            }

            value = (value * 10) + digit;
        }

        return value;
    }

    private static long? Int64Rest(ref Utf8JsonReader reader, bool fromString) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var number) => number,
        JsonTokenType.Number => throw new JsonException("Expected a whole number within range but found " + (reader.HasValueSequence ? "a long number" : System.Text.Encoding.UTF8.GetString(reader.ValueSpan[..Math.Min(reader.ValueSpan.Length, 32)])) + "."),
        JsonTokenType.Null => null,
        JsonTokenType.String when fromString => QuotedInt64(ref reader),
        _ => throw new JsonException($"Expected a number but found {reader.TokenType}."),
    };

    /// <summary>A whole number within <see cref="int"/>, or <see langword="null"/>; <paramref name="fromString"/> as for <c>Int64</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int? Int32(ref Utf8JsonReader reader, bool fromString = false) => Int64(ref reader, fromString) is { } value
        ? value is >= int.MinValue and <= int.MaxValue ? (int)value : throw OutOfRange(value)
        : null;

    private static JsonException OutOfRange(long value) => new($"The number {value} is out of range.");

    private static JsonException Expected(string what, JsonTokenType found) => new($"Expected {what} but found {found}.");

    /// <summary>
    /// The string of an unescaped string value kept as bytes (<see cref="Utf8JsonReader.ValueSpan"/>) to decode later, or
    /// never: bytes that are not UTF-8 are malformed, as <see cref="String(ref Utf8JsonReader)"/> and the serializer have them.
    /// </summary>
    public static string Utf8String(ReadOnlySpan<byte> unescaped) => System.Text.Unicode.Utf8.IsValid(unescaped)
        ? System.Text.Encoding.UTF8.GetString(unescaped)
        : throw new JsonException("A string was not valid UTF-8.");

    /// <summary>Any value, kept as an element (the caller looks at it rarely: errors, raw details).</summary>
    public static JsonElement Element(ref Utf8JsonReader reader) => JsonElement.ParseValue(ref reader);

    /// <summary>
    /// The string value. The reader throws <see cref="InvalidOperationException"/> for bytes that are not UTF-8 and for an
    /// unpaired surrogate escape (<c>\ud800</c>); the serializer reports both as <see cref="JsonException"/>, and so
    /// must a reader, or the bytes escape the handler's malformed-stream error.
    /// </summary>
    /// <remarks>
    /// Most values are a few plain ASCII bytes (a token of text): one check, then each byte widened into the string
    /// (Latin-1 and UTF-8 agree on ASCII), without the UTF-8 decoder's count-then-transcode passes. Other plain values
    /// are checked to be UTF-8 and decoded by the runtime's decoder, without the reader's throwing decoder and the
    /// exception frame around it. An escape, a value split across segments or bytes that are not UTF-8 take
    /// <see cref="DecodeChecked"/>, which throws as the serializer does.
    /// </remarks>
    private static string Decode(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var bytes = reader.ValueSpan;
            if (System.Text.Ascii.IsValid(bytes))
            {
                return System.Text.Encoding.Latin1.GetString(bytes);
            }

            if (System.Text.Unicode.Utf8.IsValid(bytes))
            {
                return System.Text.Encoding.UTF8.GetString(bytes);
            }
        }

        return DecodeChecked(ref reader);
    }

    private static string DecodeChecked(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException("A string was not valid UTF-8 or held an unpaired surrogate.", ex);
        }
    }

    /// <summary>A number in a string, read as <c>AllowReadingFromString</c> reads it: the unescaped text, all of it one whole number.</summary>
    private static long QuotedInt64(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> text = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            var unescaped = new byte[text.Length];
            try
            {
                text = unescaped.AsSpan(0, reader.CopyString(unescaped));
            }
            catch (InvalidOperationException ex)
            {
                throw new JsonException("A quoted number was not valid UTF-8.", ex);
            }
        }

        return Utf8Parser.TryParse(text, out long value, out var used) && used == text.Length
            ? value
            : throw new JsonException("Expected a whole number in the string.");
    }

    /// <summary>Fails when anything but whitespace follows the top-level value.</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("Unexpected content after the JSON value.");
        }
    }
}

/// <summary>
/// The values of an enum-like string field (a <c>type</c>, a <c>role</c>, a stop reason) that a reader hands out as the
/// same instances instead of a new string per event; see <see cref="JsonFields.String(ref Utf8JsonReader, KnownStrings)"/>.
/// </summary>
internal sealed class KnownStrings
{
    /// <summary>By UTF-8 length: the values of that length, most frequent first as given.</summary>
    private readonly (byte[] Utf8, string Value)[]?[] _byLength;

    public KnownStrings(params string[] values)
    {
        // Plain loops: LINQ over these tuples is generic code that no precompiled image holds, JIT'd at a reader's first use.
        var utf8 = new byte[values.Length][];
        var longest = 0;
        for (var i = 0; i < values.Length; i++)
        {
            utf8[i] = System.Text.Encoding.UTF8.GetBytes(values[i]);
            longest = Math.Max(longest, utf8[i].Length);
        }

        var counts = new int[longest + 1];
        foreach (var bytes in utf8)
        {
            counts[bytes.Length]++;
        }

        _byLength = new (byte[], string)[]?[longest + 1];
        var filled = new int[longest + 1];
        for (var i = 0; i < values.Length; i++)
        {
            var length = utf8[i].Length;
            var sameLength = _byLength[length] ??= new (byte[], string)[counts[length]];
            sameLength[filled[length]++] = (utf8[i], values[i]);
        }
    }

    /// <summary>The known value whose UTF-8 is <paramref name="utf8"/>, or <see langword="null"/>.</summary>
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        if ((uint)utf8.Length < (uint)_byLength.Length && _byLength[utf8.Length] is { } candidates)
        {
            foreach (var (bytes, value) in candidates)
            {
                if (utf8.SequenceEqual(bytes))
                {
                    return value;
                }
            }
        }

        return null;
    }
}
