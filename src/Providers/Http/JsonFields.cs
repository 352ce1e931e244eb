using System.Buffers.Text;
using System.Text.Json;

namespace Providers.Http;

/// <summary>
/// Field readers for the hand-written stream-event parsers. A stream event is parsed once per chunk on the wire, and
/// <see cref="JsonSerializer"/> costs a read stack per call and a string per field whether the code needs it or not;
/// these read only what the chunk needs, straight from the bytes. Wrong token types throw <see cref="JsonException"/>,
/// as the serializer would, so a malformed event is still reported as malformed.
/// </summary>
internal static class JsonFields
{
    /// <summary>Moves to the value of the property the reader is on.</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The JSON ended inside an object.");
        }
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} but found {reader.TokenType}.");
        }
    }

    /// <summary>A string or <see langword="null"/>.</summary>
    public static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a string but found {reader.TokenType}."),
    };

    /// <summary>A boolean; <see langword="null"/> reads as false.</summary>
    public static bool Boolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        _ => throw new JsonException($"Expected a boolean but found {reader.TokenType}."),
    };

    /// <summary>A whole number, also when sent as a string (some compatible servers quote numbers).</summary>
    /// <remarks>A fraction, an exponent or a value beyond <see cref="long"/> is malformed (a <see cref="JsonException"/>), never a crash.</remarks>
    public static long? Int64(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var number) => number,
        JsonTokenType.Number => throw new JsonException("Expected a whole number within range but found " + (reader.HasValueSequence ? "a long number" : System.Text.Encoding.UTF8.GetString(reader.ValueSpan[..Math.Min(reader.ValueSpan.Length, 32)])) + "."),
        JsonTokenType.Null => null,
        JsonTokenType.String when Utf8Parser.TryParse(reader.ValueSpan, out long value, out var used) && used == reader.ValueSpan.Length => value,
        _ => throw new JsonException($"Expected a number but found {reader.TokenType}."),
    };

    public static int? Int32(ref Utf8JsonReader reader) => Int64(ref reader) is { } value
        ? value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new JsonException($"The number {value} is out of range.")
        : null;

    /// <summary>Any value, kept as an element (the caller looks at it rarely: errors, raw details).</summary>
    public static JsonElement Element(ref Utf8JsonReader reader) => JsonElement.ParseValue(ref reader);

    /// <summary>Fails when anything but whitespace follows the top-level value.</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("Unexpected content after the JSON value.");
        }
    }
}
