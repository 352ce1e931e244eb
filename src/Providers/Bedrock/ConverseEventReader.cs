using System.Text.Json;
using Providers.Http;

namespace Providers.Bedrock;

/// <summary>
/// Reads the payload of a ConverseStream event (every event type, and the exception events' <c>message</c>) into a
/// <see cref="ConverseStreamEvent"/> straight from the bytes: the generated serializer costs a read stack per call, and
/// this runs once per message. Builds the same object the serializer would; a wrong token type throws
/// <see cref="JsonException"/>. Skips, without a string, the <c>p</c> padding Bedrock adds to every payload and the
/// <c>metrics</c> of <c>metadata</c>.
/// </summary>
internal static class ConverseEventReader
{
    /// <summary>The event, or <see langword="null"/> for a JSON <c>null</c>.</summary>
    /// <exception cref="JsonException">The payload is not valid JSON or a field has the wrong type.</exception>
    public static ConverseStreamEvent? Read(ReadOnlySpan<byte> payload)
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
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            // Most frequent first: contentBlockDelta carries contentBlockIndex, delta and p.
            if (reader.ValueTextEquals("contentBlockIndex"u8))
            {
                JsonFields.Next(ref reader);
                index = JsonFields.Int32(ref reader);
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                JsonFields.Next(ref reader);
                delta = reader.TokenType == JsonTokenType.Null ? null : ReadDelta(ref reader);
            }
            else if (reader.ValueTextEquals("start"u8))
            {
                JsonFields.Next(ref reader);
                start = reader.TokenType == JsonTokenType.Null ? null : ReadStart(ref reader);
            }
            else if (reader.ValueTextEquals("stopReason"u8))
            {
                JsonFields.Next(ref reader);
                stopReason = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                JsonFields.Next(ref reader);
                usage = reader.TokenType == JsonTokenType.Null ? null : ReadUsage(ref reader);
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                JsonFields.Next(ref reader);
                role = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                JsonFields.Next(ref reader);
                message = JsonFields.String(ref reader);
            }
            else
            {
                // p (padding), metrics, and fields newer than this code.
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }

        JsonFields.End(ref reader);
        return new ConverseStreamEvent
        {
            Role = role,
            ContentBlockIndex = index,
            Start = start,
            Delta = delta,
            StopReason = stopReason,
            Usage = usage,
            Message = message,
        };
    }

    private static BlockDelta ReadDelta(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? text = null;
        ToolUseDelta? toolUse = null;
        ReasoningDelta? reasoning = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new BlockDelta { Text = text, ToolUse = toolUse, ReasoningContent = reasoning };
            }

            if (reader.ValueTextEquals("text"u8))
            {
                JsonFields.Next(ref reader);
                text = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("toolUse"u8))
            {
                JsonFields.Next(ref reader);
                toolUse = reader.TokenType == JsonTokenType.Null ? null : ReadToolUseDelta(ref reader);
            }
            else if (reader.ValueTextEquals("reasoningContent"u8))
            {
                JsonFields.Next(ref reader);
                reasoning = reader.TokenType == JsonTokenType.Null ? null : ReadReasoning(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static ToolUseDelta ReadToolUseDelta(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? input = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new ToolUseDelta { Input = input };
            }

            if (reader.ValueTextEquals("input"u8))
            {
                JsonFields.Next(ref reader);
                input = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static ReasoningDelta ReadReasoning(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? text = null, signature = null, redacted = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new ReasoningDelta { Text = text, Signature = signature, RedactedContent = redacted };
            }

            if (reader.ValueTextEquals("text"u8))
            {
                JsonFields.Next(ref reader);
                text = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                JsonFields.Next(ref reader);
                signature = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("redactedContent"u8))
            {
                JsonFields.Next(ref reader);
                redacted = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static BlockStart ReadStart(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        ToolUseStart? toolUse = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new BlockStart { ToolUse = toolUse };
            }

            if (reader.ValueTextEquals("toolUse"u8))
            {
                JsonFields.Next(ref reader);
                toolUse = reader.TokenType == JsonTokenType.Null ? null : ReadToolUseStart(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static ToolUseStart ReadToolUseStart(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, name = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new ToolUseStart { ToolUseId = id, Name = name };
            }

            if (reader.ValueTextEquals("toolUseId"u8))
            {
                JsonFields.Next(ref reader);
                id = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                JsonFields.Next(ref reader);
                name = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        long input = 0, output = 0;
        long? total = null, cacheRead = null, cacheWrite = null;
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new TokenUsage
                {
                    InputTokens = input,
                    OutputTokens = output,
                    TotalTokens = total,
                    CacheReadInputTokens = cacheRead,
                    CacheWriteInputTokens = cacheWrite,
                };
            }

            if (reader.ValueTextEquals("inputTokens"u8))
            {
                JsonFields.Next(ref reader);
                input = Count(ref reader);
            }
            else if (reader.ValueTextEquals("outputTokens"u8))
            {
                JsonFields.Next(ref reader);
                output = Count(ref reader);
            }
            else if (reader.ValueTextEquals("totalTokens"u8))
            {
                JsonFields.Next(ref reader);
                total = JsonFields.Int64(ref reader);
            }
            else if (reader.ValueTextEquals("cacheReadInputTokens"u8))
            {
                JsonFields.Next(ref reader);
                cacheRead = JsonFields.Int64(ref reader);
            }
            else if (reader.ValueTextEquals("cacheWriteInputTokens"u8))
            {
                JsonFields.Next(ref reader);
                cacheWrite = JsonFields.Int64(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }
    }

    /// <summary>A count the wire type holds as a <see cref="long"/>, not a nullable one: <see langword="null"/> is malformed, as the serializer has it.</summary>
    private static long Count(ref Utf8JsonReader reader) =>
        JsonFields.Int64(ref reader) ?? throw new JsonException("Expected a number but found Null.");
}
