using System.Text.Json;
using Providers.Http;

namespace Providers.Anthropic;

/// <summary>
/// Reads <c>content_block_delta</c>, most of the events of a stream, straight from the bytes: the generated serializer
/// costs a read stack per call and a string per field. Other events, rarer and richer, go through the serializer.
/// Builds the same <see cref="StreamEvent"/> the serializer would; a wrong token type still throws <see cref="JsonException"/>.
/// </summary>
internal static class AnthropicDeltaReader
{
    public static StreamEvent Read(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        JsonFields.Next(ref reader);
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? type = null;
        int? index = null;
        StreamDelta? delta = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                JsonFields.End(ref reader);
                return new StreamEvent { Type = type, Index = index, Delta = delta };
            }

            if (reader.ValueTextEquals("type"u8))
            {
                JsonFields.Next(ref reader);
                type = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                JsonFields.Next(ref reader);
                index = JsonFields.Int32(ref reader);
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                JsonFields.Next(ref reader);
                delta = reader.TokenType == JsonTokenType.Null ? null : ReadDelta(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static StreamDelta ReadDelta(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? type = null, text = null, thinking = null, signature = null, partialJson = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new StreamDelta { Type = type, Text = text, Thinking = thinking, Signature = signature, PartialJson = partialJson };
            }

            if (reader.ValueTextEquals("type"u8))
            {
                JsonFields.Next(ref reader);
                type = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                JsonFields.Next(ref reader);
                text = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("partial_json"u8))
            {
                JsonFields.Next(ref reader);
                partialJson = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("thinking"u8))
            {
                JsonFields.Next(ref reader);
                thinking = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                JsonFields.Next(ref reader);
                signature = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }
}
