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

    private static OllamaResponseMessage ReadMessage(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? content = null, thinking = null;
        List<OllamaToolCall>? toolCalls = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            switch (property.Length)
            {
                case 7 when property.SequenceEqual("content"u8):
                    content = JsonFields.String(ref reader);
                    break;
                case 8 when property.SequenceEqual("thinking"u8):
                    thinking = JsonFields.String(ref reader);
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
}
