using System.Text.Json;
using Providers.Http;

namespace Providers.Ollama;

/// <summary>
/// Reads one NDJSON line of <c>/api/chat</c> into an <see cref="OllamaChatChunk"/> with <see cref="Utf8JsonReader"/>:
/// the same result as the source-generated serializer, without its per-call read stack, and without a string for
/// <c>created_at</c> unless the line has tool calls (it only seeds their ids).
/// </summary>
/// <remarks>
/// One reader per stream: it refills the same <see cref="OllamaChatChunk"/> for every line (the stream is done with a
/// line before the next is parsed, and keeps nothing of it), so a line allocates only the text it carries.
/// </remarks>
internal sealed class OllamaChunkReader
{
    private readonly OllamaChatChunk _chunk = new();

    // The text of recent short ASCII tokens, by a hash of their bytes: a model's tokens repeat (" the", ",", " and"),
    // and a repeated one is then the same string again instead of a new one checked and decoded. Bounded: one slot per
    // hash, a new token replaces the old one, and only tokens of at most TokenBytes bytes are kept.
    private const int TokenSlots = 128;
    private const int TokenBytes = 24;
    private readonly string?[] _tokens = new string?[TokenSlots];

    /// <summary>
    /// The chunk, or <see langword="null"/> for a JSON <c>null</c>. The chunk is this reader's own and is refilled by
    /// the next call: read it before it.
    /// </summary>
    /// <remarks>
    /// A property is told by its name's length first (a jump, not a chain of compares), then by its bytes; names no one
    /// reads (<c>model</c>, <c>role</c>, the durations) fall to <see cref="JsonFields.SkipValue"/> unmatched.
    /// </remarks>
    /// <exception cref="JsonException">The line is not valid JSON or a field has the wrong type.</exception>
    public OllamaChatChunk? Read(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read())
        {
            throw new JsonException("The line held no JSON value.");
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            JsonFields.End(ref reader);
            return null;
        }

        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        ReadOnlySpan<byte> createdAtBytes = default;
        string? createdAt = null;
        OllamaResponseMessage? message = null;
        bool done = false;
        string? doneReason = null;
        long? promptEvalCount = null, evalCount = null;
        JsonElement? error = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            switch (property.Length)
            {
                case 4 when property.SequenceEqual("done"u8):
                    done = JsonFields.Boolean(ref reader);
                    break;
                case 7 when property.SequenceEqual("message"u8):
                    message = reader.TokenType == JsonTokenType.Null ? null : ReadMessage(ref reader);
                    break;
                case 10 when property.SequenceEqual("created_at"u8):
                    if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence)
                    {
                        // Kept as bytes: a string only on a line with tool calls (below), whose ids it seeds.
                        createdAtBytes = reader.ValueSpan;
                        createdAt = createdAtBytes.IsEmpty ? "" : null;
                    }
                    else
                    {
                        createdAt = JsonFields.String(ref reader);
                        createdAtBytes = default;
                    }

                    break;
                case 10 when property.SequenceEqual("eval_count"u8):
                    evalCount = JsonFields.Int64(ref reader);
                    break;
                case 11 when property.SequenceEqual("done_reason"u8):
                    doneReason = JsonFields.String(ref reader);
                    break;
                case 17 when property.SequenceEqual("prompt_eval_count"u8):
                    promptEvalCount = JsonFields.Int64(ref reader);
                    break;
                case 5 when property.SequenceEqual("error"u8):
                    error = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Element(ref reader);
                    break;
                default:
                    JsonFields.SkipValue(ref reader);
                    break;
            }
        }

        JsonFields.End(ref reader);
        if (message?.ToolCalls is { Count: > 0 } && createdAt is null && !createdAtBytes.IsEmpty)
        {
            createdAt = JsonFields.Utf8String(createdAtBytes);
        }

        var chunk = _chunk;
        chunk.CreatedAt = createdAt;
        chunk.Message = message;
        chunk.Done = done;
        chunk.DoneReason = doneReason;
        chunk.PromptEvalCount = promptEvalCount;
        chunk.EvalCount = evalCount;
        chunk.Error = error;
        return chunk;
    }

    private OllamaResponseMessage ReadMessage(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? content = null, thinking = null;
        List<OllamaToolCall>? toolCalls = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            switch (property.Length)
            {
                case 7 when property.SequenceEqual("content"u8):
                    content = Token(ref reader);
                    break;
                case 8 when property.SequenceEqual("thinking"u8):
                    thinking = Token(ref reader);
                    break;
                case 10 when property.SequenceEqual("tool_calls"u8):
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        // Tool calls are rare and small: the generated serializer reads them.
                        toolCalls = JsonSerializer.Deserialize(ref reader, OllamaJsonContext.Default.ListOllamaToolCall);
                    }

                    break;
                default:
                    JsonFields.SkipValue(ref reader);
                    break;
            }
        }

        return new OllamaResponseMessage { Content = content, Thinking = thinking, ToolCalls = toolCalls };
    }

    /// <summary>
    /// A string or <see langword="null"/>, as <see cref="JsonFields.String(ref Utf8JsonReader)"/> reads it; a short plain
    /// token seen before comes from <see cref="_tokens"/> (the same characters, so the same value).
    /// </summary>
    private string? Token(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return JsonFields.String(ref reader);
        }

        var bytes = reader.ValueSpan;
        if (bytes.Length is 0 or > TokenBytes)
        {
            return JsonFields.String(ref reader);
        }

        ref var slot = ref _tokens[(uint)((bytes[0] * 31) ^ (bytes[^1] * 7) ^ (bytes[bytes.Length >> 1] * 3) ^ (bytes.Length * 37)) % TokenSlots];

        // Only ASCII is kept (below), so equal length and equal ASCII bytes are the same text; other bytes never match.
        if (slot is { } known && known.Length == bytes.Length && System.Text.Ascii.Equals(bytes, known))
        {
            return known;
        }

        var text = JsonFields.String(ref reader)!;

        // As many characters as bytes: every byte was ASCII (a longer UTF-8 sequence decodes to fewer characters).
        if (text.Length == bytes.Length)
        {
            slot = text;
        }

        return text;
    }
}
