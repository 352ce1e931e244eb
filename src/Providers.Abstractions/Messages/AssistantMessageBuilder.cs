using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Providers;

/// <summary>
/// Turns the chunks of one answer into the assistant message to append to the conversation, so that the next request
/// sends back everything the provider needs: text, reasoning with its signature, redacted reasoning, each provider's
/// opaque reasoning state (<see cref="ReasoningStateBlock"/>) and whole tool calls, in the order they streamed. Also sums
/// the usage increments. Feed it every chunk with <see cref="Add"/>, then call <see cref="Build"/>.
/// </summary>
/// <remarks>
/// Each chunk costs constant work (tool calls are found by id in a dictionary), so a turn is linear in its chunks.
/// Not thread-safe: one builder per answer.
/// </remarks>
/// <example>
/// <code>
/// var answer = new AssistantMessageBuilder();
/// await foreach (var chunk in handler.CreateMessageAsync(system, history, tools))
/// {
///     answer.Add(chunk);
/// }
///
/// if (answer.Build() is { } message)
/// {
///     history.Add(message);
/// }
///
/// foreach (var call in answer.ToolCalls)
/// {
///     // run the tool, then: history.Add(new ChatMessage(ChatRole.User, [new ToolResultBlock(call.Id, result)]));
/// }
/// </code>
/// </example>
public sealed class AssistantMessageBuilder
{
    private readonly List<object> _parts = [];
    private readonly Dictionary<string, ToolCallPart> _calls = new(StringComparer.Ordinal);
    private ReasoningDetailsPart? _details;
    private ThinkingPart? _openThinking;

    /// <summary>The sum of the usage increments seen so far, or <see langword="null"/> when none came.</summary>
    public UsageChunk? Usage { get; private set; }

    /// <summary>Whether any content chunk (not usage) has been added.</summary>
    public bool HasContent => _parts.Count > 0;

    /// <summary>The tool calls of the answer so far, whole, in the order they started.</summary>
    public IReadOnlyList<ToolUseBlock> ToolCalls
    {
        get
        {
            var calls = new List<ToolUseBlock>(_calls.Count);
            foreach (var part in _parts)
            {
                if (part is ToolCallPart call)
                {
                    calls.Add(call.ToBlock());
                }
            }

            return calls;
        }
    }

    /// <summary>Adds the next chunk of the answer.</summary>
    public void Add(ApiStreamChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        switch (chunk)
        {
            case TextChunk text:
                AddText(text.Text);
                break;
            case ReasoningChunk reasoning:
                AddReasoning(reasoning);
                break;
            case ToolCallChunk call:
                AddToolCall(call);
                break;
            case UsageChunk usage:
                Usage = Usage is null ? usage : Usage.Add(usage);
                break;
        }
    }

    /// <summary>The assistant message, or <see langword="null"/> when the answer had no content.</summary>
    public ChatMessage? Build()
    {
        var blocks = new List<ContentBlock>(_parts.Count);
        foreach (var part in _parts)
        {
            blocks.Add(part switch
            {
                StringBuilder text => new TextBlock(text.ToString()),
                ThinkingPart thinking => new ThinkingBlock(thinking.Text.ToString(), thinking.Signature),
                ToolCallPart call => call.ToBlock(),
                ReasoningDetailsPart details => new ReasoningStateBlock(ReasoningStateFormats.ReasoningDetails, details.ToJson()),
                ContentBlock block => block,
                _ => throw new InvalidOperationException("Unknown part of an assistant message."),
            });
        }

        return blocks.Count == 0 ? null : new ChatMessage(ChatRole.Assistant, blocks);
    }

    private void AddText(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (_parts.Count > 0 && _parts[^1] is StringBuilder last)
        {
            last.Append(text);
        }
        else
        {
            _parts.Add(new StringBuilder(text));
            _openThinking = null;
        }
    }

    private void AddReasoning(ReasoningChunk reasoning)
    {
        var hasDetails = !string.IsNullOrEmpty(reasoning.Details);
        if (reasoning.Reasoning.Length > 0 || reasoning.Signature is { Length: > 0 })
        {
            // A new thinking block starts after anything but reasoning details, and after a signature (Anthropic signs
            // each block at its end).
            if (_openThinking is not { Signature: null } thinking)
            {
                thinking = new ThinkingPart();
                _parts.Add(thinking);
                _openThinking = thinking;
            }

            thinking.Text.Append(reasoning.Reasoning);
            if (reasoning.Signature is { Length: > 0 } signature)
            {
                thinking.Signature = signature;
            }
        }

        // Details carry the encrypted reasoning themselves; a redacted block beside them would be sent twice.
        if (reasoning.RedactedData is { } redacted && !hasDetails)
        {
            _parts.Add(new RedactedThinkingBlock(redacted));
            _openThinking = null;
        }

        if (!hasDetails)
        {
            return;
        }

        var format = reasoning.DetailsFormat ?? ReasoningStateFormats.ReasoningDetails;
        if (format == ReasoningStateFormats.ReasoningDetails)
        {
            if (_details is null)
            {
                _details = new ReasoningDetailsPart();
                _parts.Add(_details);
            }

            _details.Merge(reasoning.Details!);
        }
        else
        {
            _parts.Add(new ReasoningStateBlock(format, reasoning.Details!));
            _openThinking = null;
        }
    }

    private void AddToolCall(ToolCallChunk call)
    {
        if (!_calls.TryGetValue(call.CallId, out var part))
        {
            part = new ToolCallPart(call.CallId, call.FunctionId, call.Name);
            _calls.Add(call.CallId, part);
            _parts.Add(part);
            _openThinking = null;
        }
        else if (part.Name.Length == 0 && call.Name.Length > 0)
        {
            part.Name = call.Name;
        }

        part.Arguments.Append(call.Arguments);
    }

    private sealed class ThinkingPart
    {
        public StringBuilder Text { get; } = new();

        public string? Signature { get; set; }
    }

    private sealed class ToolCallPart(string id, string functionId, string name)
    {
        private static readonly JsonElement EmptyObject = ParseElement("{}");

        public string Id { get; } = id;

        public string? FunctionId { get; } = functionId == id || string.IsNullOrEmpty(functionId) ? null : functionId;

        public string Name { get; set; } = name;

        public StringBuilder Arguments { get; } = new();

        public ToolUseBlock ToBlock() => new(Id, Name, ParseArguments(Arguments.ToString())) { FunctionId = FunctionId };

        // Arguments cut short or not JSON become an empty object: the call keeps its id, so its result can still be sent.
        private static JsonElement ParseArguments(string arguments)
        {
            if (arguments.Length == 0)
            {
                return EmptyObject;
            }

            try
            {
                return ParseElement(arguments);
            }
            catch (JsonException)
            {
                return EmptyObject;
            }
        }
    }

    private static JsonElement ParseElement(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// A <c>reasoning_details</c> array assembled from its streamed fragments: fragments with the same <c>index</c> are
    /// one detail, whose <c>text</c>, <c>summary</c> and <c>data</c> strings are concatenated and whose other fields
    /// take the latest value.
    /// </summary>
    private sealed class ReasoningDetailsPart
    {
        private readonly List<Detail> _details = [];
        private readonly Dictionary<long, Detail> _byIndex = [];

        public void Merge(string json)
        {
            JsonElement fragment;
            try
            {
                fragment = ParseElement(json);
            }
            catch (JsonException)
            {
                return;
            }

            if (fragment.ValueKind == JsonValueKind.Object)
            {
                MergeOne(fragment);
            }
            else if (fragment.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in fragment.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        MergeOne(item);
                    }
                }
            }
        }

        public string ToJson()
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var detail in _details)
                {
                    detail.Write(writer);
                }

                writer.WriteEndArray();
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        private void MergeOne(JsonElement fragment)
        {
            Detail? detail = null;
            long? index = fragment.TryGetProperty("index", out var i) && i.TryGetInt64(out var n) ? n : null;
            if (index is { } key && !_byIndex.TryGetValue(key, out detail))
            {
                detail = null;
            }

            if (detail is null)
            {
                detail = new Detail();
                _details.Add(detail);
                if (index is { } newKey)
                {
                    _byIndex[newKey] = detail;
                }
            }

            detail.Merge(fragment);
        }

        private sealed class Detail
        {
            private readonly List<string> _order = [];
            private readonly Dictionary<string, object> _fields = new(StringComparer.Ordinal);

            public void Merge(JsonElement fragment)
            {
                foreach (var property in fragment.EnumerateObject())
                {
                    var concatenated = property.Name is "text" or "summary" or "data" && property.Value.ValueKind == JsonValueKind.String;
                    if (!_fields.TryGetValue(property.Name, out var existing))
                    {
                        _order.Add(property.Name);
                    }

                    if (concatenated && existing is StringBuilder builder)
                    {
                        builder.Append(property.Value.GetString());
                    }
                    else if (concatenated)
                    {
                        _fields[property.Name] = new StringBuilder(property.Value.GetString());
                    }
                    else if (property.Value.ValueKind != JsonValueKind.Null || existing is null)
                    {
                        _fields[property.Name] = property.Value.Clone();
                    }
                }
            }

            public void Write(Utf8JsonWriter writer)
            {
                writer.WriteStartObject();
                foreach (var name in _order)
                {
                    writer.WritePropertyName(name);
                    switch (_fields[name])
                    {
                        case StringBuilder text:
                            writer.WriteStringValue(text.ToString());
                            break;
                        case JsonElement value:
                            value.WriteTo(writer);
                            break;
                    }
                }

                writer.WriteEndObject();
            }
        }
    }
}
