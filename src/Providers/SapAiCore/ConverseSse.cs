using System.Text.Json;
using Providers.Bedrock;

namespace Providers.SapAiCore;

/// <summary>
/// SAP AI Core's <c>converse-stream</c> answers with Server-Sent Events whose data is one ConverseStream event as a
/// JSON union, <c>{"contentBlockDelta": {...}}</c>, instead of AWS's binary event-stream framing. Each becomes the
/// <see cref="EventStreamFrame"/> the Bedrock decoder reads: the member name is the event type (an exception when it
/// ends in <c>Exception</c>), its value the payload.
/// </summary>
internal static class ConverseSse
{
    public static EventStreamFrame? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(data);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            {
                return Malformed();
            }

            var name = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Malformed();
            }

            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var payload = data[start..(int)reader.BytesConsumed].ToArray();
            return name.EndsWith("Exception", StringComparison.Ordinal)
                ? new EventStreamFrame("exception", null, name, null, null, payload)
                : new EventStreamFrame("event", name, null, null, null, payload);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a member name that is not valid UTF-8 or does not unescape.
            return Malformed();
        }
    }

    /// <summary>Not a union: an event the decoder rejects as not valid JSON.</summary>
    private static EventStreamFrame Malformed() => new("event", "contentBlockDelta", null, null, null, []);
}
