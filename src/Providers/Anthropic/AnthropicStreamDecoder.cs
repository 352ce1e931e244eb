using System.Text;
using System.Text.Json;
using Providers.Http;

namespace Providers.Anthropic;

/// <summary>One parsed SSE event, or why it could not be parsed.</summary>
internal readonly record struct AnthropicSseItem(string EventType, StreamEvent? Event, string? Problem);

/// <summary>
/// Turns Messages API stream events into chunks, one event at a time. Keeps what the events leave implicit: which
/// content block an index refers to, the running usage totals (the API reports totals, the chunks carry increments),
/// and whether the message is complete.
/// </summary>
/// <remarks>
/// The usage of <c>message_start</c> is held back until the next chunk: usage is not output, and holding it lets an
/// <c>overloaded_error</c> that follows <c>message_start</c> be retried, since nothing has been yielded yet.
/// </remarks>
internal sealed class AnthropicStreamDecoder : Providers.Http.IChunkDecoder<AnthropicSseItem>
{
    private readonly AnthropicModel _model;
    private readonly string _providerId;
    private readonly Dictionary<int, Block> _blocks = [];
    private int _lastIndex;
    private Block? _lastBlock;
    private readonly AnthropicEventReader _reader;
    private UsageTotals _totals;
    private UsageChunk? _heldUsage;
    private string? _messageId;
    private bool _messageStarted;
    private bool _sawTextBlock;
    private string? _stopReason;
    private StopDetails? _stopDetails;

    private enum BlockKind
    {
        Text,
        Thinking,
        RedactedThinking,
        ToolUse,
        Ignored,
    }

    public AnthropicStreamDecoder(AnthropicModel model, string providerId)
    {
        _model = model;
        _providerId = providerId;
        _reader = new AnthropicEventReader(KeepsDeltaText);
    }

    /// <summary>Whether <c>message_stop</c> arrived: the stream is complete.</summary>
    public bool Completed { get; private set; }

    /// <summary>
    /// Parses one SSE event (its data; <paramref name="eventType"/> is the SSE event name, <c>message</c> where the
    /// server sends none, as SAP AI Core does). The text of deltas for the blocks this decoder ignores is not kept.
    /// The item's event is the reader's own, refilled by the next call: <see cref="Decode"/> it first.
    /// </summary>
    public AnthropicSseItem Parse(string eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            return _reader.Read(data) is { } e
                ? new AnthropicSseItem(eventType, e, null)
                : new AnthropicSseItem(eventType, null, "JSON null");
        }
        catch (JsonException ex)
        {
            return new AnthropicSseItem(eventType, null, $"byte {ex.BytePositionInLine ?? 0}");
        }
    }

    /// <summary>Called when the body ended before <c>message_stop</c>: the stream was cut off.</summary>
    /// <exception cref="ProviderException">Always.</exception>
    public void Complete(List<ApiStreamChunk> output) => throw new ProviderException(
        _providerId,
        $"The '{_providerId}' stream was cut off: it ended without 'message_stop'. The connection was closed early; retrying usually works.",
        isRetryable: true)
    { ErrorType = "stream_cut_off" };

    /// <summary>Adds the chunks that <paramref name="item"/> produces to <paramref name="output"/>.</summary>
    /// <exception cref="ProviderException">An error event, a malformed event, or an inconsistent stream.</exception>
    public void Decode(in AnthropicSseItem item, List<ApiStreamChunk> output)
    {
        if (DecodeOne(item, output) is { } one)
        {
            output.Add(one);
        }
    }

    /// <summary>
    /// Decodes one event: a text, thinking or signature delta, the common event, returns its one chunk (unless usage
    /// held back leaves before it); any other adds its chunks to <paramref name="output"/> and returns <see langword="null"/>.
    /// </summary>
    /// <exception cref="ProviderException">An error event, a malformed event, or an inconsistent stream.</exception>
    public ApiStreamChunk? DecodeOne(in AnthropicSseItem item, List<ApiStreamChunk> output)
    {
        var e = item.Event ?? throw Malformed($"the '{item.EventType}' event was not valid JSON ({item.Problem})");
        switch (e.Type ?? item.EventType)
        {
            case "message_start":
                OnMessageStart(e);
                break;
            case "content_block_start":
                OnBlockStart(e, output);
                break;
            case "content_block_delta":
                return OnBlockDelta(e, output);
            case "content_block_stop":
                OnBlockStop(e, output);
                break;
            case "message_delta":
                _stopReason = e.Delta?.StopReason ?? _stopReason;
                _stopDetails = e.Delta?.StopDetails ?? _stopDetails;
                ReleaseHeldUsage(output);
                AddUsage(e.Usage, output);
                break;
            case "message_stop":
                ReleaseHeldUsage(output);
                OnMessageStop();
                break;
            case "error":
                throw ErrorEvent(e.Error);
            default:
                // "ping" and event types newer than this code carry nothing to show.
                break;
        }

        return null;
    }

    private void OnMessageStart(StreamEvent e)
    {
        var id = e.Message?.Id;
        if (_messageStarted)
        {
            if (string.Equals(id, _messageId, StringComparison.Ordinal))
            {
                return; // A repeated message_start of the open message: already counted.
            }

            throw Malformed($"message '{id}' started while message '{_messageId}' was still open (two responses were spliced together)");
        }

        _messageStarted = true;
        _messageId = id;
        _heldUsage = UsageIncrement(e.Message?.Usage);
    }

    private void OnBlockStart(StreamEvent e, List<ApiStreamChunk> output)
    {
        var index = IndexOf(e);
        var block = e.ContentBlock;
        switch (block?.Type)
        {
            case "text":
                SetBlock(index, new Block(BlockKind.Text));
                // Several text blocks (around server tool calls, citations) read as one answer with a line break between them, as in Cline.
                if (_sawTextBlock)
                {
                    Add(output, new TextChunk("\n"));
                }

                _sawTextBlock = true;
                AddIfAny(output, block.Text, static t => new TextChunk(t));
                break;
            case "thinking":
                SetBlock(index, new Block(BlockKind.Thinking));
                AddIfAny(output, block.Thinking, static t => new ReasoningChunk(t));
                AddIfAny(output, block.Signature, static s => new ReasoningChunk("", Signature: s));
                break;
            case "redacted_thinking":
                SetBlock(index, new Block(BlockKind.RedactedThinking));
                Add(output, new ReasoningChunk("", RedactedData: block.Data ?? ""));
                break;
            case "tool_use":
                var tool = new Block(BlockKind.ToolUse) { Id = block.Id ?? "", Name = block.Name ?? "" };
                SetBlock(index, tool);
                var initial = block.Input is { ValueKind: JsonValueKind.Object } input && input.EnumerateObject().Any() ? input.GetRawText() : "";
                tool.Arguments.Append(initial);
                Add(output, new ToolCallChunk(tool.Id, tool.Id, tool.Name, initial));
                break;
            default:
                // Server-side tools (server_tool_use, *_tool_result) run at Anthropic: nothing for the client to do.
                SetBlock(index, new Block(BlockKind.Ignored));
                break;
        }
    }

    /// <summary>A text, thinking or signature delta returns its one chunk (see <see cref="One"/>); any other adds its chunks to <paramref name="output"/>.</summary>
    private ApiStreamChunk? OnBlockDelta(StreamEvent e, List<ApiStreamChunk> output)
    {
        var index = IndexOf(e);
        var delta = e.Delta;
        var block = BlockAt(index);
        if (block?.Kind == BlockKind.Ignored)
        {
            return null;
        }

        switch (delta?.Type)
        {
            case "text_delta":
                return string.IsNullOrEmpty(delta.Text) ? null : One(output, new TextChunk(delta.Text));
            case "thinking_delta":
                return string.IsNullOrEmpty(delta.Thinking) ? null : One(output, new ReasoningChunk(delta.Thinking));
            case "signature_delta":
                return string.IsNullOrEmpty(delta.Signature) ? null : One(output, new ReasoningChunk("", Signature: delta.Signature));
            case "input_json_delta":
                if (block is not { Kind: BlockKind.ToolUse, Open: true })
                {
                    throw Malformed($"tool arguments arrived for content block {index}, which is not an open tool call");
                }

                if (!string.IsNullOrEmpty(delta.PartialJson))
                {
                    block.Arguments.Append(delta.PartialJson);
                    Add(output, new ToolCallChunk(block.Id, block.Id, block.Name, delta.PartialJson));
                }

                break;
        }

        return null;
    }

    private void OnBlockStop(StreamEvent e, List<ApiStreamChunk> output)
    {
        var index = IndexOf(e);
        if (BlockAt(index) is not { Kind: BlockKind.ToolUse, Open: true } tool)
        {
            return;
        }

        tool.Open = false;
        if (tool.Arguments.Length == 0)
        {
            // A call without arguments streams none; "{}" keeps the assembled arguments valid JSON.
            tool.Arguments.Append("{}");
            Add(output, new ToolCallChunk(tool.Id, tool.Id, tool.Name, "{}"));
            return;
        }

        if (!StreamFaults.IsCompleteJson(tool.Arguments.ToString()))
        {
            throw Malformed($"the arguments of tool call '{tool.Name}' ({tool.Id}) are not valid JSON");
        }
    }

    private void OnMessageStop()
    {
        if (_blocks.Values.FirstOrDefault(b => b is { Kind: BlockKind.ToolUse, Open: true }) is { } open)
        {
            var why = _stopReason == "max_tokens"
                ? "the model reached its output limit (stop_reason 'max_tokens'). Shorten the expected tool input or raise the output limit."
                : $"the tool call never ended (stop_reason '{ServerText.Clean(_stopReason ?? "none")}').";
            throw new ProviderException(
                _providerId,
                $"The '{_providerId}' response was cut off inside the tool call '{ServerText.Clean(open.Name)}' ({ServerText.Clean(open.Id)}): its arguments are incomplete JSON because {why}",
                isRetryable: false)
            { ErrorType = "incomplete_tool_call" };
        }

        if (_stopReason == "refusal")
        {
            var detail = _stopDetails?.Explanation is { Length: > 0 } explanation ? " " + ServerText.Clean(explanation) : "";
            throw new ProviderException(
                _providerId,
                $"The model declined to answer (stop_reason 'refusal'{(_stopDetails?.Category is { } c ? $", category '{ServerText.Clean(c)}'" : "")}).{detail} Rephrase the request or use another model.",
                isRetryable: false)
            { ErrorType = "refusal" };
        }

        Completed = true;
    }

    private void AddUsage(StreamUsage? usage, List<ApiStreamChunk> output)
    {
        if (UsageIncrement(usage) is { } increment)
        {
            output.Add(increment);
        }
    }

    /// <summary>The change from the last reported totals; fields the event leaves out keep their value.</summary>
    private UsageChunk? UsageIncrement(StreamUsage? usage)
    {
        if (usage is null)
        {
            return null;
        }

        var previous = _totals;
        var next = new UsageTotals(
            usage.InputTokens ?? previous.Input,
            usage.OutputTokens ?? previous.Output,
            usage.CacheCreationInputTokens ?? previous.CacheWrite,
            usage.CacheReadInputTokens ?? previous.CacheRead);
        if (next == previous)
        {
            return null;
        }

        _totals = next;
        var cost = _model.CostOf(next) - _model.CostOf(previous);
        return new UsageChunk(
            next.Input - previous.Input,
            next.Output - previous.Output,
            CacheReadTokens: next.CacheRead - previous.CacheRead,
            CacheWriteTokens: next.CacheWrite - previous.CacheWrite,
            TotalCost: cost);
    }

    /// <summary><paramref name="chunk"/> as an event's one chunk; when usage is held back, both leave through <paramref name="output"/>, the usage first.</summary>
    private ApiStreamChunk? One(List<ApiStreamChunk> output, ApiStreamChunk chunk)
    {
        if (_heldUsage is null)
        {
            return chunk;
        }

        Add(output, chunk);
        return null;
    }

    private void Add(List<ApiStreamChunk> output, ApiStreamChunk chunk)
    {
        ReleaseHeldUsage(output);
        output.Add(chunk);
    }

    private void AddIfAny(List<ApiStreamChunk> output, string? text, Func<string, ApiStreamChunk> create)
    {
        if (!string.IsNullOrEmpty(text))
        {
            Add(output, create(text));
        }
    }

    private void ReleaseHeldUsage(List<ApiStreamChunk> output)
    {
        if (_heldUsage is { } usage)
        {
            _heldUsage = null;
            output.Add(usage);
        }
    }

    /// <summary>Whether the deltas of the block at <paramref name="index"/> are read: all but those of an ignored block (see <see cref="OnBlockDelta"/>).</summary>
    private bool KeepsDeltaText(int index) => BlockAt(index)?.Kind != BlockKind.Ignored;

    /// <summary>The block at an index; the last one looked up is remembered, as deltas come in runs for one block.</summary>
    private Block? BlockAt(int index)
    {
        if (index != _lastIndex || _lastBlock is null)
        {
            _lastBlock = _blocks.GetValueOrDefault(index);
            _lastIndex = index;
        }

        return _lastBlock;
    }

    private void SetBlock(int index, Block block)
    {
        _blocks[index] = block;
        _lastIndex = index;
        _lastBlock = block;
    }

    private int IndexOf(StreamEvent e) =>
        e.Index ?? throw Malformed($"a '{e.Type}' event has no content block index");

    private ProviderException ErrorEvent(StreamError? error)
    {
        var type = error?.Type ?? "unknown_error";
        // Transient server-side conditions; a retry happens only while nothing has been yielded.
        var retryable = type is "overloaded_error" or "api_error" or "rate_limit_error" or "timeout_error";
        return new ProviderException(
            _providerId,
            $"'{_providerId}' reported an error in the stream ({ServerText.Clean(type)}): {ServerText.Clean(error?.Message ?? "no details")}."
            + (retryable ? " This is usually temporary; retry later." : ""),
            isRetryable: retryable)
        { ErrorType = type };
    }

    private ProviderException Malformed(string what) => StreamFaults.Malformed(_providerId, what);

    private sealed class Block(BlockKind kind)
    {
        public BlockKind Kind { get; } = kind;

        public string Id { get; init; } = "";

        public string Name { get; init; } = "";

        public StringBuilder Arguments { get; } = new();

        public bool Open { get; set; } = kind == BlockKind.ToolUse;
    }
}
