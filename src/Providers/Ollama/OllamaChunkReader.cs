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
    /// <exception cref="JsonException">The line is not valid JSON or a field has the wrong type.</exception>
    public OllamaChatChunk? Read(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        JsonFields.Next(ref reader);
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
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            // In the order Ollama sends them; the property name is taken before moving to its value (no copy of the reader).
            var property = JsonFields.Name(ref reader);
            if (property.SequenceEqual("model"u8))
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
            else if (property.SequenceEqual("created_at"u8))
            {
                JsonFields.Next(ref reader);
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    createdAtBytes = reader.ValueSpan;
                    createdAt = createdAtBytes.IsEmpty ? "" : null;
                }
                else
                {
                    createdAt = JsonFields.String(ref reader);
                    createdAtBytes = default;
                }
            }
            else if (property.SequenceEqual("message"u8))
            {
                JsonFields.Next(ref reader);
                message = reader.TokenType == JsonTokenType.Null ? null : ReadMessage(ref reader);
            }
            else if (property.SequenceEqual("done"u8))
            {
                JsonFields.Next(ref reader);
                done = JsonFields.Boolean(ref reader);
            }
            else if (property.SequenceEqual("done_reason"u8))
            {
                JsonFields.Next(ref reader);
                doneReason = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("prompt_eval_count"u8))
            {
                JsonFields.Next(ref reader);
                promptEvalCount = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("eval_count"u8))
            {
                JsonFields.Next(ref reader);
                evalCount = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("error"u8))
            {
                JsonFields.Next(ref reader);
                error = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Element(ref reader);
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
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
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var property = JsonFields.Name(ref reader);


            if (property.SequenceEqual("role"u8))
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
            else if (property.SequenceEqual("content"u8))
            {
                JsonFields.Next(ref reader);
                content = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("thinking"u8))
            {
                JsonFields.Next(ref reader);
                thinking = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("tool_calls"u8))
            {
                JsonFields.Next(ref reader);
                if (reader.TokenType != JsonTokenType.Null)
                {
                    // Tool calls are rare and small: the generated serializer reads them.
                    toolCalls = JsonSerializer.Deserialize(ref reader, OllamaJsonContext.Default.ListOllamaToolCall);
                }
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }

        return new OllamaResponseMessage { Content = content, Thinking = thinking, ToolCalls = toolCalls };
    }
}
