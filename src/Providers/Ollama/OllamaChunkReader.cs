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
        if (TryReadText(line, out var text, out var createdAtEmpty))
        {
            return Fill(createdAtEmpty ? "" : null, new OllamaResponseMessage { Content = text }, done: false, doneReason: null, promptEvalCount: null, evalCount: null, error: null);
        }

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

        return Fill(createdAt, message, done, doneReason, promptEvalCount, evalCount, error);
    }

    /// <summary>
    /// The line Ollama writes for every token of text, matched byte by byte without a JSON reader:
    /// <c>{"model":"…","created_at":"…","message":{"role":"assistant","content":"…"},"done":false}</c>, exactly so, each
    /// string without escapes or control bytes and the text UTF-8. <see langword="false"/> for any other line, which
    /// <see cref="Read"/> then reads token by token: a line this takes is valid JSON that the token path reads to the same
    /// chunk, and every other line, a malformed one too, goes where it went before.
    /// </summary>
    /// <param name="line">The line.</param>
    /// <param name="text">The text (empty when the line carries none).</param>
    /// <param name="createdAtEmpty">Whether <c>created_at</c> was <c>""</c>: all <see cref="Read"/> keeps of it on a line without tool calls.</param>
    public static bool TryReadText(ReadOnlySpan<byte> line, out string text, out bool createdAtEmpty)
    {
        text = "";
        createdAtEmpty = false;
        var rest = line;
        var createdAt = -1;
        if (!Literal(ref rest, "{\"model\":\""u8) || PlainString(ref rest) < 0
            || !Literal(ref rest, ",\"created_at\":\""u8) || (createdAt = PlainString(ref rest)) < 0
            || !Literal(ref rest, ",\"message\":{\"role\":\"assistant\",\"content\":\""u8))
        {
            return false;
        }

        var content = rest;
        var length = PlainString(ref rest);
        if (length < 0 || !rest.SequenceEqual("},\"done\":false}"u8))
        {
            return false;
        }

        var bytes = content[..length];
        if (System.Text.Ascii.IsValid(bytes))
        {
            text = bytes.IsEmpty ? "" : System.Text.Encoding.Latin1.GetString(bytes);
        }
        else if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            text = System.Text.Encoding.UTF8.GetString(bytes);
        }
        else
        {
            // Not UTF-8: the token path reports it as the serializer does.
            return false;
        }

        createdAtEmpty = createdAt == 0;
        return true;
    }

    private static bool Literal(ref ReadOnlySpan<byte> rest, ReadOnlySpan<byte> literal)
    {
        if (!rest.StartsWith(literal))
        {
            return false;
        }

        rest = rest[literal.Length..];
        return true;
    }

    /// <summary>
    /// The length of the string value <paramref name="rest"/> starts in (after its opening quote), and
    /// <paramref name="rest"/> moved past its closing quote; -1 when it has an escape or a control byte, or no end.
    /// </summary>
    private static int PlainString(ref ReadOnlySpan<byte> rest)
    {
        var length = rest.IndexOfAny(JsonFields.StringStops);
        if (length < 0 || rest[length] != (byte)'"')
        {
            return -1;
        }

        rest = rest[(length + 1)..];
        return length;
    }

    private OllamaChatChunk Fill(string? createdAt, OllamaResponseMessage? message, bool done, string? doneReason, long? promptEvalCount, long? evalCount, JsonElement? error)
    {
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
