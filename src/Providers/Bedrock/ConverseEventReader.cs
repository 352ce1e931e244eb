using System.Text.Json;
using System.Text.Unicode;
using Providers.Http;

namespace Providers.Bedrock;

/// <summary>
/// Reads the payload of a ConverseStream event (every event type, and the exception events' <c>message</c>) into a
/// <see cref="ConverseStreamEvent"/> straight from the bytes: the generated serializer costs a read stack per call, and
/// this runs once per message. Builds the same object the serializer would; a wrong token type throws
/// <see cref="JsonException"/>. Skips, without a string, the <c>p</c> padding Bedrock adds to every payload and the
/// <c>metrics</c> of <c>metadata</c>.
/// </summary>
/// <remarks>
/// A text delta, nearly every message, is matched byte for byte first (<see cref="TryReadTextDelta"/>): Bedrock writes it
/// with its names in one order and no whitespace, so the shape is a few comparisons and two scans for the end of a
/// string, where a token reader pays for eleven tokens. Any other payload, or one that deviates from that shape by a
/// byte, is read token by token as before; the ReaderEquivalence suite runs both against the serializer.
/// </remarks>
/// <remarks>
/// One reader per stream (BedrockStreamDecoder owns one): it refills the same event and, for a delta, the same
/// <see cref="BlockDelta"/> for every message (the decoder is done with one event before it parses the next, and keeps
/// only strings from it), so a text delta allocates only its text. Starts, tool and reasoning deltas and usage, rare, are
/// new objects.
/// </remarks>
internal sealed class ConverseEventReader
{
    private readonly ConverseStreamEvent _event = new();
    private readonly BlockDelta _delta = new();

    /// <summary>The stop reasons and the role the API documents, as the same instances on every stream.</summary>
    private static readonly KnownStrings Known = new(
        "end_turn", "tool_use", "max_tokens", "stop_sequence", "guardrail_intervened", "content_filtered", "assistant");

    /// <summary>
    /// The event, or <see langword="null"/> for a JSON <c>null</c>. The event and its delta are this reader's own and
    /// are refilled by the next call: read them before it.
    /// </summary>
    /// <exception cref="JsonException">The payload is not valid JSON or a field has the wrong type.</exception>
    public ConverseStreamEvent? Read(ReadOnlySpan<byte> payload) => TryReadTextDelta(payload) ?? ReadTokens(payload);

    /// <summary>
    /// A text delta exactly as Bedrock writes it, <c>{"contentBlockIndex":N,"delta":{"text":"..."},"p":"..."}</c> (the
    /// padding may be absent), or <see langword="null"/> for any payload that is not that shape byte for byte: then the
    /// caller reads it token by token, which also reports what is malformed in it. What this accepts is valid JSON whose
    /// event is the one the token path builds: an index of plain digits without a leading zero, a text that is UTF-8
    /// (with escapes, checked and decoded by the reader), a padding string without escapes or control characters, nothing after.
    /// </summary>
    private ConverseStreamEvent? TryReadTextDelta(ReadOnlySpan<byte> payload)
    {
        var head = "{\"contentBlockIndex\":"u8;
        if (!payload.StartsWith(head))
        {
            return null;
        }

        var rest = payload[head.Length..];
        var digits = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits is < 1 or > 9 || (digits > 1 && rest[0] == (byte)'0'))
        {
            return null;
        }

        var index = 0;
        foreach (var digit in rest[..digits])
        {
            index = (index * 10) + (digit - '0');
        }

        rest = rest[digits..];
        var open = ",\"delta\":{\"text\":\""u8;
        if (!rest.StartsWith(open))
        {
            return null;
        }

        // The text with its quotes: the opening one is the last byte of open.
        var quoted = rest[(open.Length - 1)..];
        var textLength = StringLength(quoted[1..], out var escaped);
        if (textLength < 0)
        {
            return null;
        }

        var text = quoted.Slice(1, textLength);
        rest = quoted[(textLength + 2)..];
        var padding = "},\"p\":\""u8;
        if (rest.StartsWith(padding))
        {
            rest = rest[padding.Length..];
            var paddingLength = rest.IndexOfAny(JsonFields.StringStops);
            if (paddingLength < 0 || rest[paddingLength] != (byte)'"')
            {
                return null;
            }

            rest = rest[(paddingLength + 1)..];
        }
        else if (rest.StartsWith("}"u8))
        {
            rest = rest[1..];
        }
        else
        {
            return null;
        }

        if (!rest.SequenceEqual("}"u8))
        {
            return null;
        }

        var value = escaped ? Unescaped(quoted[..(textLength + 2)])
            : Utf8.IsValid(text) ? System.Text.Encoding.UTF8.GetString(text)
            : null;
        if (value is null)
        {
            return null;
        }

        var delta = _delta;
        delta.Text = value;
        delta.ToolUse = null;
        delta.ReasoningContent = null;
        return Fill(role: null, index, start: null, delta, stopReason: null, usage: null, message: null);
    }

    /// <summary>
    /// The length of the plain JSON string that starts <paramref name="run"/> (after its opening quote), up to its closing
    /// quote, stepping over escapes (<paramref name="escaped"/> says whether there were any; the reader checks them); -1
    /// when a control character or the end of the bytes comes first.
    /// </summary>
    private static int StringLength(ReadOnlySpan<byte> run, out bool escaped)
    {
        escaped = false;
        var at = 0;
        while (true)
        {
            var stop = run[at..].IndexOfAny(JsonFields.StringStops);
            if (stop < 0)
            {
                return -1;
            }

            at += stop;
            if (run[at] == (byte)'"')
            {
                return at;
            }

            if (run[at] != (byte)'\\' || at + 1 >= run.Length)
            {
                return -1;
            }

            // The escaped byte is never the closing quote; \uXXXX's digits are stepped over by the next search.
            escaped = true;
            at += 2;
        }
    }

    /// <summary>A string with escapes, quotes included, decoded by a reader over it alone; <see langword="null"/> when it is malformed (the token path then reports it).</summary>
    private static string? Unescaped(ReadOnlySpan<byte> quoted)
    {
        var reader = new Utf8JsonReader(quoted);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.String && reader.BytesConsumed == quoted.Length
                ? JsonFields.String(ref reader)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The token path: any payload, read field by field.</summary>
    private ConverseStreamEvent? ReadTokens(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            JsonFields.End(ref reader);
            return null;
        }

        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? role = null, stopReason = null, message = null;
        int? index = null;
        BlockStart? start = null;
        BlockDelta? delta = null;
        TokenUsage? usage = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            // Dispatched on the name's length first: every event carries p (padding), and a delta event
            // contentBlockIndex and delta, so the common names cost one comparison each.
            switch (property.Length)
            {
                case 1 when property[0] == (byte)'p':
                    JsonFields.SkipValue(ref reader);
                    break;
                case 17 when property.SequenceEqual("contentBlockIndex"u8):
                    index = JsonFields.Int32(ref reader);
                    break;
                case 5 when property.SequenceEqual("delta"u8):
                    delta = reader.TokenType == JsonTokenType.Null ? null : ReadDelta(ref reader);
                    break;
                case 5 when property.SequenceEqual("start"u8):
                    start = reader.TokenType == JsonTokenType.Null ? null : ReadStart(ref reader);
                    break;
                case 5 when property.SequenceEqual("usage"u8):
                    usage = reader.TokenType == JsonTokenType.Null ? null : ReadUsage(ref reader);
                    break;
                case 10 when property.SequenceEqual("stopReason"u8):
                    stopReason = JsonFields.String(ref reader, Known);
                    break;
                case 4 when property.SequenceEqual("role"u8):
                    role = JsonFields.String(ref reader, Known);
                    break;
                case 7 when property.SequenceEqual("message"u8):
                    message = JsonFields.String(ref reader);
                    break;
                default:
                    // metrics, and fields newer than this code.
                    JsonFields.SkipValue(ref reader);
                    break;
            }
        }

        JsonFields.End(ref reader);
        return Fill(role, index, start, delta, stopReason, usage, message);
    }

    /// <summary>Refills this reader's one event.</summary>
    private ConverseStreamEvent Fill(string? role, int? index, BlockStart? start, BlockDelta? delta, string? stopReason, TokenUsage? usage, string? message)
    {
        var e = _event;
        e.Role = role;
        e.ContentBlockIndex = index;
        e.Start = start;
        e.Delta = delta;
        e.StopReason = stopReason;
        e.Usage = usage;
        e.Message = message;
        return e;
    }

    private BlockDelta ReadDelta(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? text = null;
        ToolUseDelta? toolUse = null;
        ReasoningDelta? reasoning = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("text"u8))
            {
                text = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("toolUse"u8))
            {
                toolUse = reader.TokenType == JsonTokenType.Null ? null : ReadToolUseDelta(ref reader);
            }
            else if (property.SequenceEqual("reasoningContent"u8))
            {
                reasoning = reader.TokenType == JsonTokenType.Null ? null : ReadReasoning(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        var delta = _delta;
        delta.Text = text;
        delta.ToolUse = toolUse;
        delta.ReasoningContent = reasoning;
        return delta;
    }

    private static ToolUseDelta ReadToolUseDelta(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? input = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("input"u8))
            {
                input = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new ToolUseDelta { Input = input };
    }

    private static ReasoningDelta ReadReasoning(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? text = null, signature = null, redacted = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("text"u8))
            {
                text = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("signature"u8))
            {
                signature = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("redactedContent"u8))
            {
                redacted = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new ReasoningDelta { Text = text, Signature = signature, RedactedContent = redacted };
    }

    private static BlockStart ReadStart(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        ToolUseStart? toolUse = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("toolUse"u8))
            {
                toolUse = reader.TokenType == JsonTokenType.Null ? null : ReadToolUseStart(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new BlockStart { ToolUse = toolUse };
    }

    private static ToolUseStart ReadToolUseStart(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, name = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("toolUseId"u8))
            {
                id = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("name"u8))
            {
                name = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new ToolUseStart { ToolUseId = id, Name = name };
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        long input = 0, output = 0;
        long? total = null, cacheRead = null, cacheWrite = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("inputTokens"u8))
            {
                input = Count(ref reader);
            }
            else if (property.SequenceEqual("outputTokens"u8))
            {
                output = Count(ref reader);
            }
            else if (property.SequenceEqual("totalTokens"u8))
            {
                total = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("cacheReadInputTokens"u8))
            {
                cacheRead = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("cacheWriteInputTokens"u8))
            {
                cacheWrite = JsonFields.Int64(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new TokenUsage
        {
            InputTokens = input,
            OutputTokens = output,
            TotalTokens = total,
            CacheReadInputTokens = cacheRead,
            CacheWriteInputTokens = cacheWrite,
        };
    }

    /// <summary>A count the wire type holds as a <see cref="long"/>, not a nullable one: <see langword="null"/> is malformed, as the serializer has it.</summary>
    private static long Count(ref Utf8JsonReader reader) =>
        JsonFields.Int64(ref reader) ?? throw new JsonException("Expected a number but found Null.");
}
