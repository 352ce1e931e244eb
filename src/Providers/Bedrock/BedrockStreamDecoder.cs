using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Providers.Http;

namespace Providers.Bedrock;

/// <summary>
/// Turns ConverseStream events into chunks, one event at a time: text, reasoning (text, signature, redacted content),
/// tool calls with streamed input, and the usage of the <c>metadata</c> event priced with the model's prices.
/// Exception events become <see cref="ProviderException"/>s with the status AWS documents for them.
/// </summary>
internal sealed class BedrockStreamDecoder(BedrockModel model, string providerId) : IChunkDecoder<FramedMessage>
{
    private readonly Dictionary<int, ToolBlock> _tools = [];

    /// <summary>The payload reader, one per stream: it refills one event, which each Decode is done with before it returns (only its strings are kept).</summary>
    private readonly ConverseEventReader _events = new();

    /// <summary>The reader of the event stream, asked at its end whether it ended inside a message.</summary>
    private EventStreamReader? _reader;

    /// <summary>Whether <c>messageStop</c> arrived.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The stop reason of <c>messageStop</c>.</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// The chunks of a whole <c>application/vnd.amazon.eventstream</c> body: the frame reader's messages, each decoded
    /// in place in the reader's buffer, under <see cref="DecodedChunkStream{TItem}"/>. A stream that ends inside a
    /// message, or without <c>messageStop</c>, fails as cut off, retryably. Disposing it returns the reader's buffer
    /// (the body is its owner's to dispose).
    /// </summary>
    public static IAsyncEnumerator<ApiStreamChunk> ReadEventStream(
        Stream body, BedrockModel model, string providerId, ProviderOptions options, CancellationToken cancellationToken)
    {
        var reader = new EventStreamReader(body, providerId, options, cancellationToken);
        return new DecodedChunkStream<FramedMessage>(reader, new BedrockStreamDecoder(model, providerId) { _reader = reader });
    }

    /// <summary>
    /// Decodes a whole stream of events framed otherwise (SAP AI Core's SSE), yielding each chunk at once; a stream that
    /// ends without <c>messageStop</c> fails as cut off, retryably.
    /// </summary>
    public static async IAsyncEnumerable<ApiStreamChunk> DecodeAllAsync(
        IAsyncEnumerable<EventStreamFrame?> frames, BedrockModel model, string providerId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decoder = new BedrockStreamDecoder(model, providerId);
        var chunks = new List<ApiStreamChunk>(2);
        await foreach (var frame in frames.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (frame is null)
            {
                continue;
            }

            chunks.Clear();
            decoder.Decode(frame, chunks);
            foreach (var chunk in chunks)
            {
                yield return chunk;
            }
        }

        decoder.EnsureStopped();
    }

    /// <summary>Adds the chunks that <paramref name="frame"/> produces to <paramref name="output"/>.</summary>
    /// <exception cref="ProviderException">An exception or error message, or a malformed event.</exception>
    public void Decode(EventStreamFrame frame, List<ApiStreamChunk> output) =>
        AddTo(output, Decode(frame.MessageType, frame.EventType, frame.ExceptionType, frame.ErrorCode, frame.ErrorMessage, frame.Payload, output));

    /// <summary>Every message is read on to the body's end, which must come between two messages.</summary>
    bool IChunkDecoder<FramedMessage>.Completed => false;

    void IChunkDecoder<FramedMessage>.Decode(in FramedMessage message, List<ApiStreamChunk> output) =>
        AddTo(output, ((IChunkDecoder<FramedMessage>)this).DecodeOne(message, output));

    ApiStreamChunk? IChunkDecoder<FramedMessage>.DecodeOne(in FramedMessage message, List<ApiStreamChunk> output) =>
        Decode(message.MessageType, message.EventType, message.ExceptionType, message.ErrorCode, message.ErrorMessage, message.Payload.Span, output);

    /// <summary>
    /// Decodes one message (its headers, its payload's JSON): a text delta, the common event, returns its one chunk; any
    /// other adds its chunks to <paramref name="output"/> and returns <see langword="null"/>.
    /// </summary>
    /// <exception cref="ProviderException">An exception or error message, or a malformed event.</exception>
    private ApiStreamChunk? Decode(string messageType, string? eventType, string? exceptionType, string? errorCode, string? errorMessage, ReadOnlySpan<byte> payload, List<ApiStreamChunk> output)
    {
        // The frame reader hands out the known header values as these literals, so most messages match by reference.
        if (!ReferenceEquals(messageType, "event"))
        {
            switch (messageType)
            {
                case "exception":
                    throw StreamException(exceptionType ?? eventType ?? "unknownException", Parse(payload)?.Message);
                case "error":
                    throw StreamException(errorCode ?? "unknownError", errorMessage);
                case "event":
                    break;
                default:
                    return null; // A message type newer than this code carries nothing to show.
            }
        }

        var e = Parse(payload) ?? throw Malformed($"the '{eventType}' event is not valid JSON");

        // The frame reader hands out the known event types as these literals: the common one matches by reference.
        if (eventType == "contentBlockDelta")
        {
            return OnBlockDelta(e, output);
        }

        switch (eventType)
        {
            case "contentBlockStart":
                OnBlockStart(e, output);
                break;
            case "contentBlockStop":
                OnBlockStop(e, output);
                break;
            case "messageStop":
                OnMessageStop(e);
                break;
            case "metadata":
                AddUsage(e.Usage, output);
                break;
            default:
                // messageStart, and event types newer than this code, carry nothing to show.
                break;
        }

        return null;
    }

    private static void AddTo(List<ApiStreamChunk> output, ApiStreamChunk? one)
    {
        if (one is not null)
        {
            output.Add(one);
        }
    }

    /// <summary>Fails when the body ended inside a message or without <c>messageStop</c>; nothing comes after the last message.</summary>
    void IChunkDecoder<FramedMessage>.Complete(List<ApiStreamChunk> output)
    {
        if (_reader?.UnfinishedBytes is > 0 and var unfinished)
        {
            // A broken stream, even after messageStop: what was streamed stays delivered, but the caller learns that the
            // usage (the metadata event that follows messageStop) was lost rather than getting a stream without it.
            throw new ProviderException(
                providerId,
                Stopped
                    ? $"The '{providerId}' stream was cut off after 'messageStop', inside the message that followed it ({unfinished} bytes of it arrived), "
                      + "so the usage of its 'metadata' event was lost; the answer streamed before it is complete. The connection was closed early."
                    : $"The '{providerId}' stream was cut off inside a message ({unfinished} bytes of it arrived), before 'messageStop'. The connection was closed early; retrying usually works.",
                isRetryable: true)
            { ErrorType = "stream_cut_off" };
        }

        EnsureStopped();
    }

    /// <summary>Fails, retryably, when the stream ended without <c>messageStop</c>.</summary>
    private void EnsureStopped()
    {
        if (!Stopped)
        {
            throw new ProviderException(
                providerId,
                $"The '{providerId}' stream was cut off: it ended without 'messageStop'. The connection was closed early; retrying usually works.",
                isRetryable: true)
            { ErrorType = "stream_cut_off" };
        }
    }

    private void OnBlockStart(ConverseStreamEvent e, List<ApiStreamChunk> output)
    {
        if (e.Start?.ToolUse is not { } toolUse)
        {
            return;
        }

        var index = IndexOf(e);
        var tool = new ToolBlock(toolUse.ToolUseId ?? "", toolUse.Name ?? "");
        _tools[index] = tool;
        output.Add(new ToolCallChunk(tool.Id, tool.Id, tool.Name, ""));
    }

    /// <summary>A delta of text alone returns its one chunk (or none); any other adds its chunks to <paramref name="output"/>.</summary>
    private ApiStreamChunk? OnBlockDelta(ConverseStreamEvent e, List<ApiStreamChunk> output)
    {
        var delta = e.Delta;
        if (delta is null)
        {
            return null;
        }

        if (delta is { ToolUse: null, ReasoningContent: null })
        {
            return string.IsNullOrEmpty(delta.Text) ? null : new TextChunk(delta.Text);
        }

        if (!string.IsNullOrEmpty(delta.Text))
        {
            output.Add(new TextChunk(delta.Text));
        }

        if (delta.ToolUse is { } toolUse)
        {
            var index = IndexOf(e);
            if (!_tools.TryGetValue(index, out var tool) || !tool.Open)
            {
                throw Malformed($"tool input arrived for content block {index}, which is not an open tool call");
            }

            if (!string.IsNullOrEmpty(toolUse.Input))
            {
                tool.Arguments.Append(toolUse.Input);
                output.Add(new ToolCallChunk(tool.Id, tool.Id, tool.Name, toolUse.Input));
            }
        }

        if (delta.ReasoningContent is { } reasoning)
        {
            if (!string.IsNullOrEmpty(reasoning.Text))
            {
                output.Add(new ReasoningChunk(reasoning.Text));
            }

            if (!string.IsNullOrEmpty(reasoning.Signature))
            {
                output.Add(new ReasoningChunk("", Signature: reasoning.Signature));
            }

            if (!string.IsNullOrEmpty(reasoning.RedactedContent))
            {
                output.Add(new ReasoningChunk("", RedactedData: reasoning.RedactedContent));
            }
        }

        return null;
    }

    private void OnBlockStop(ConverseStreamEvent e, List<ApiStreamChunk> output)
    {
        if (e.ContentBlockIndex is not { } index || !_tools.TryGetValue(index, out var tool) || !tool.Open)
        {
            return;
        }

        tool.Open = false;
        if (tool.Arguments.Length == 0)
        {
            // A call without input streams none; "{}" keeps the assembled arguments valid JSON.
            tool.Arguments.Append("{}");
            output.Add(new ToolCallChunk(tool.Id, tool.Id, tool.Name, "{}"));
            return;
        }

        if (!StreamFaults.IsCompleteJson(tool.Arguments.ToString()))
        {
            throw Malformed($"the input of tool call '{tool.Name}' ({tool.Id}) is not valid JSON");
        }
    }

    private void OnMessageStop(ConverseStreamEvent e)
    {
        StopReason = e.StopReason;
        if (_tools.Values.FirstOrDefault(t => t.Open) is { } open)
        {
            var why = e.StopReason == "max_tokens"
                ? "the model reached its output limit (stopReason 'max_tokens'). Shorten the expected tool input or raise the output limit."
                : $"the tool call never ended (stopReason '{ServerText.Clean(e.StopReason ?? "none")}').";
            throw new ProviderException(
                providerId,
                $"The '{providerId}' response was cut off inside the tool call '{ServerText.Clean(open.Name)}' ({ServerText.Clean(open.Id)}): its input is incomplete JSON because {why}",
                isRetryable: false)
            { ErrorType = "incomplete_tool_call" };
        }

        Stopped = true;
    }

    private void AddUsage(TokenUsage? usage, List<ApiStreamChunk> output)
    {
        if (usage is null)
        {
            return;
        }

        // Bedrock counts cache reads and writes apart from inputTokens, as the chunk does.
        var cacheRead = usage.CacheReadInputTokens ?? 0;
        var cacheWrite = usage.CacheWriteInputTokens ?? 0;
        output.Add(new UsageChunk(
            usage.InputTokens,
            usage.OutputTokens,
            CacheReadTokens: cacheRead,
            CacheWriteTokens: cacheWrite,
            TotalCost: model.CostOf(usage.InputTokens, usage.OutputTokens, cacheWrite, cacheRead)));
    }

    /// <summary>The exception events of ConverseStream, with the HTTP status AWS documents for each.</summary>
    private ProviderException StreamException(string type, string? message)
    {
        var (status, retryable, advice) = type switch
        {
            "throttlingException" => (HttpStatusCode.TooManyRequests, true, "Rate limited: wait, lower the request rate, or ask AWS for a higher quota."),
            "serviceUnavailableException" => (HttpStatusCode.ServiceUnavailable, true, "The service is unavailable; retrying later usually works."),
            "internalServerException" => (HttpStatusCode.InternalServerError, true, "Bedrock had a server error; retrying later usually works."),
            "modelStreamErrorException" => (HttpStatusCode.FailedDependency, true, "The model failed while streaming; retrying usually works."),
            "validationException" => (HttpStatusCode.BadRequest, false, "The request was rejected: check the model id and the conversation."),
            _ => ((HttpStatusCode?)null, false, ""),
        };
        return new ProviderException(
            providerId,
            $"'{providerId}' reported {ServerText.Clean(type)} in the stream: {ServerText.Clean(message ?? "no details")}. {advice}".TrimEnd(),
            status,
            retryable)
        { ErrorType = type };
    }

    /// <summary>The event, or <see langword="null"/> for a payload that is not one (or is JSON <c>null</c>).</summary>
    private ConverseStreamEvent? Parse(ReadOnlySpan<byte> payload)
    {
        try
        {
            return _events.Read(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private int IndexOf(ConverseStreamEvent e) =>
        e.ContentBlockIndex ?? throw Malformed("a content block event has no contentBlockIndex");

    private ProviderException Malformed(string what) => StreamFaults.Malformed(providerId, what);

    private sealed class ToolBlock(string id, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public StringBuilder Arguments { get; } = new();

        public bool Open { get; set; } = true;
    }
}
