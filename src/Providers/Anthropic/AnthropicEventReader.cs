using System.Text.Json;
using System.Text.Unicode;
using Providers.Http;

namespace Providers.Anthropic;

/// <summary>
/// Reads every Messages stream event (<c>message_start</c>, <c>content_block_*</c>, <c>message_delta</c>,
/// <c>message_stop</c>, <c>ping</c>, <c>error</c>, and any newer one) straight from the bytes into the
/// <see cref="StreamEvent"/> the generated serializer would build: the serializer costs a read stack per call and a
/// string per field, and most events are deltas whose only new string is their text.
/// </summary>
/// <remarks>
/// <para>Every property of <see cref="StreamEvent"/> is read, so events are never handed to the serializer; the content of
/// server tool results (<c>*_tool_result</c> blocks) is not part of the wire type and is skipped, as the serializer skips it.</para>
/// <para>One reader per stream: it refills the same <see cref="StreamEvent"/> and <see cref="StreamDelta"/> for every
/// event (the decoder is done with one event before the next is parsed, and keeps neither), so a delta allocates only
/// the text it carries. The <c>type</c> values and stop reasons the API documents come back as the same string
/// instances instead of new ones. The text of a delta for a content block the decoder ignores (a server tool's input)
/// is checked but not kept (see the constructor).</para>
/// </remarks>
internal sealed class AnthropicEventReader
{
    /// <summary>The event, delta, block and error types and the stop reasons the API documents.</summary>
    private static readonly KnownStrings Known = new(
        "content_block_delta", "text_delta", "input_json_delta", "thinking_delta", "signature_delta", "citations_delta",
        "content_block_start", "content_block_stop", "message_delta", "message_start", "message_stop", "ping", "error",
        "text", "thinking", "redacted_thinking", "tool_use", "server_tool_use",
        "end_turn", "max_tokens", "stop_sequence", "pause_turn", "refusal", "overloaded_error");

    private readonly Func<int, bool>? _keepsDeltaText;
    private readonly StreamEvent _event = new();
    private readonly StreamDelta _delta = new();

    /// <param name="keepsDeltaText">
    /// Whether the content block at an index wants the text of its deltas (<c>text</c>, <c>thinking</c>,
    /// <c>signature</c>, <c>partial_json</c>); <see langword="null"/>: every block does. A text that is not kept is still
    /// checked as the serializer checks it (a string, valid UTF-8, escapes that unescape), so a malformed event stays
    /// malformed. Decided by the <c>index</c> read before the <c>delta</c> (Anthropic sends it first); an event whose
    /// index is missing there, or changes after it, keeps its text.
    /// </param>
    public AnthropicEventReader(Func<int, bool>? keepsDeltaText = null) => _keepsDeltaText = keepsDeltaText;

    /// <summary>
    /// The event, or <see langword="null"/> for a JSON <c>null</c>. The event and its <see cref="StreamEvent.Delta"/>
    /// are this reader's own and are refilled by the next call: read them before it.
    /// </summary>
    /// <exception cref="JsonException">The event is not valid JSON or a field has the wrong type.</exception>
    public StreamEvent? Read(ReadOnlySpan<byte> data) => Read(data, _keepsDeltaText);

    private StreamEvent? Read(ReadOnlySpan<byte> data, Func<int, bool>? keepsDeltaText)
    {
        var reader = new Utf8JsonReader(data);
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            JsonFields.End(ref reader);
            return null;
        }

        var droppedFor = ReadEvent(ref reader, keepsDeltaText);
        JsonFields.End(ref reader);
        if (droppedFor is { } dropped && _event.Index != dropped && (_event.Index is not { } index || keepsDeltaText!(index)))
        {
            // A repeated "index" after the delta moved it to a block that wants the text: read it again, keeping everything.
            return Read(data, null);
        }

        return _event;
    }

    /// <summary>Fills <see cref="_event"/>; returns the index whose delta text was not kept, if one was not.</summary>
    private int? ReadEvent(ref Utf8JsonReader reader, Func<int, bool>? keepsDeltaText)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        int? droppedFor = null;
        string? type = null;
        StreamMessage? message = null;
        int? index = null;
        StreamContentBlock? contentBlock = null;
        StreamDelta? delta = null;
        StreamUsage? usage = null;
        StreamError? error = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("type"u8))
            {
                type = KnownString(ref reader);
            }
            else if (property.SequenceEqual("index"u8))
            {
                index = JsonFields.Int32(ref reader);
            }
            else if (property.SequenceEqual("delta"u8))
            {
                var keep = keepsDeltaText is null || index is not { } at || keepsDeltaText(at);
                droppedFor = keep ? null : index;
                delta = reader.TokenType == JsonTokenType.Null ? null : ReadDelta(ref reader, keep);
            }
            else if (property.SequenceEqual("content_block"u8))
            {
                contentBlock = reader.TokenType == JsonTokenType.Null ? null : ReadContentBlock(ref reader);
            }
            else if (property.SequenceEqual("message"u8))
            {
                message = reader.TokenType == JsonTokenType.Null ? null : ReadMessage(ref reader);
            }
            else if (property.SequenceEqual("usage"u8))
            {
                usage = reader.TokenType == JsonTokenType.Null ? null : ReadUsage(ref reader);
            }
            else if (property.SequenceEqual("error"u8))
            {
                error = reader.TokenType == JsonTokenType.Null ? null : ReadError(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        _event.Type = type;
        _event.Message = message;
        _event.Index = index;
        _event.ContentBlock = contentBlock;
        _event.Delta = delta;
        _event.Usage = usage;
        _event.Error = error;
        return droppedFor;
    }

    /// <summary>Fills <see cref="_delta"/> (a repeated <c>delta</c> refills it: the last one wins, as in the serializer).</summary>
    private StreamDelta ReadDelta(ref Utf8JsonReader reader, bool keepText)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? type = null, text = null, thinking = null, signature = null, partialJson = null, stopReason = null;
        StopDetails? stopDetails = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("type"u8))
            {
                type = KnownString(ref reader);
            }
            else if (property.SequenceEqual("partial_json"u8))
            {
                partialJson = Text(ref reader, keepText);
            }
            else if (property.SequenceEqual("text"u8))
            {
                text = Text(ref reader, keepText);
            }
            else if (property.SequenceEqual("thinking"u8))
            {
                thinking = Text(ref reader, keepText);
            }
            else if (property.SequenceEqual("signature"u8))
            {
                signature = Text(ref reader, keepText);
            }
            else if (property.SequenceEqual("stop_reason"u8))
            {
                stopReason = KnownString(ref reader);
            }
            else if (property.SequenceEqual("stop_details"u8))
            {
                stopDetails = reader.TokenType == JsonTokenType.Null ? null : ReadStopDetails(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        _delta.Type = type;
        _delta.Text = text;
        _delta.Thinking = thinking;
        _delta.Signature = signature;
        _delta.PartialJson = partialJson;
        _delta.StopReason = stopReason;
        _delta.StopDetails = stopDetails;
        return _delta;
    }

    private static StreamContentBlock ReadContentBlock(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? type = null, id = null, name = null, text = null, thinking = null, signature = null, data = null;
        JsonElement? input = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("type"u8))
            {
                type = KnownString(ref reader);
            }
            else if (property.SequenceEqual("id"u8))
            {
                id = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("name"u8))
            {
                name = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("input"u8))
            {
                input = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Element(ref reader);
            }
            else if (property.SequenceEqual("text"u8))
            {
                text = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("thinking"u8))
            {
                thinking = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("signature"u8))
            {
                signature = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("data"u8))
            {
                data = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new StreamContentBlock { Type = type, Id = id, Name = name, Input = input, Text = text, Thinking = thinking, Signature = signature, Data = data };
    }

    private static StreamMessage ReadMessage(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? id = null;
        StreamUsage? usage = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("id"u8))
            {
                id = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("usage"u8))
            {
                usage = reader.TokenType == JsonTokenType.Null ? null : ReadUsage(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new StreamMessage { Id = id, Usage = usage };
    }

    private static StreamUsage ReadUsage(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        long? input = null, output = null, cacheCreation = null, cacheRead = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("output_tokens"u8))
            {
                output = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("input_tokens"u8))
            {
                input = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("cache_creation_input_tokens"u8))
            {
                cacheCreation = JsonFields.Int64(ref reader);
            }
            else if (property.SequenceEqual("cache_read_input_tokens"u8))
            {
                cacheRead = JsonFields.Int64(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new StreamUsage { InputTokens = input, OutputTokens = output, CacheCreationInputTokens = cacheCreation, CacheReadInputTokens = cacheRead };
    }

    private static StopDetails ReadStopDetails(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? category = null, explanation = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("category"u8))
            {
                category = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("explanation"u8))
            {
                explanation = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new StopDetails { Category = category, Explanation = explanation };
    }

    private static StreamError ReadError(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? type = null, message = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("type"u8))
            {
                type = KnownString(ref reader);
            }
            else if (property.SequenceEqual("message"u8))
            {
                message = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new StreamError { Type = type, Message = message };
    }

    /// <summary>A delta's text, or <see langword="null"/> when it is not kept (after the same checks as <see cref="JsonFields.String(ref Utf8JsonReader)"/>).</summary>
    private static string? Text(ref Utf8JsonReader reader, bool keep)
    {
        if (keep || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            var text = JsonFields.String(ref reader);
            return keep ? text : null;
        }

        return Utf8.IsValid(reader.ValueSpan) ? null : throw new JsonException("A string was not valid UTF-8.");
    }

    /// <summary>
    /// A string or <see langword="null"/>, as <see cref="JsonFields.String(ref Utf8JsonReader)"/> reads it, but one of the values the API
    /// documents for a <c>type</c> or a <c>stop_reason</c> is the same instance each time instead of a new string.
    /// </summary>
    private static string? KnownString(ref Utf8JsonReader reader) => JsonFields.String(ref reader, Known);
}
