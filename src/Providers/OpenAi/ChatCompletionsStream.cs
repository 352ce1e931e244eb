using System.Diagnostics.CodeAnalysis;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Providers.Http;

namespace Providers.OpenAi;

/// <summary>What a Chat Completions stream revealed beyond its chunks (OpenRouter looks usage up by generation id).</summary>
internal sealed class ChatStreamState
{
    /// <summary>The <c>id</c> of the first chunk that had one.</summary>
    public string? GenerationId { get; set; }

    /// <summary>Whether a usage chunk was yielded.</summary>
    public bool SawUsage { get; set; }
}

/// <summary>
/// Reads an OpenAI-shaped Chat Completions SSE stream (OpenAI, Azure, compatible servers, OpenRouter) into chunks:
/// text, reasoning (<c>reasoning_content</c>, <c>reasoning</c>, <c>reasoning_details</c>), tool-call fragments keyed by
/// call id, and usage. Ends at <c>data: [DONE]</c>; a stream that ends without it was cut off.
/// </summary>
internal static class ChatCompletionsStream
{
    private readonly record struct Item(ChatChunk? Chunk, bool Done, string? MalformedEvent);

    /// <remarks>
    /// Not an iterator: the enumerator maps each event inside <c>MoveNextAsync</c>, so an event already in the SSE
    /// reader's buffer costs that reader's work and this mapping, without a state machine of this layer.
    /// </remarks>
    public static IAsyncEnumerable<ApiStreamChunk> ReadAsync(
        Stream body,
        string providerId,
        ProviderOptions options,
        ModelInfo modelInfo,
        ChatStreamState state,
        CancellationToken cancellationToken,
        Func<ChatUsage, ModelInfo, UsageChunk>? toUsage = null) =>
        new Reader(body, providerId, options, modelInfo, state, cancellationToken, toUsage ?? ToUsage);

    /// <summary>
    /// Usage as an increment. <c>prompt_tokens</c> counts cached (and, on OpenRouter, cache-written) tokens too, so they
    /// are subtracted from the input tokens: input + cache read + cache write = prompt tokens. Cost: the server's
    /// <c>cost</c> (plus <c>upstream_inference_cost</c> for bring-your-own-key), else computed from the model's prices.
    /// </summary>
    public static UsageChunk ToUsage(ChatUsage usage, ModelInfo modelInfo) =>
        CacheUsage.Of(usage, modelInfo, usage.PromptTokensDetails?.CachedTokens ?? usage.PromptCacheHitTokens, usage.PromptTokensDetails?.CacheWriteTokens);

    private static Item Parse(ChatChunkReader chunks, string eventType, ReadOnlySpan<byte> data, bool wantId)
    {
        // The common event, a JSON object right after "data: ", goes straight to the reader (trailing spaces are JSON whitespace to it).
        if (!data.IsEmpty && data[0] == (byte)'{')
        {
            return Read(chunks, eventType, data, wantId);
        }

        data = data.Trim((byte)' ');
        if (data.IsEmpty)
        {
            return default;
        }

        if (data.SequenceEqual("[DONE]"u8))
        {
            return new Item(null, true, null);
        }

        return Read(chunks, eventType, data, wantId);
    }

    private static Item Read(ChatChunkReader chunks, string eventType, ReadOnlySpan<byte> data, bool wantId)
    {
        try
        {
            return new Item(chunks.Read(data, wantId), false, null);
        }
        catch (JsonException)
        {
            return new Item(null, false, eventType);
        }
    }

    /// <summary>
    /// One reasoning chunk per delta. <c>reasoning_content</c> (DeepSeek, xAI) or <c>reasoning</c> (Groq, OpenRouter) give
    /// the text; OpenRouter's <c>reasoning_details</c> add the signature and encrypted data, and travel raw as details.
    /// </summary>
    private static ReasoningChunk? Reasoning(ChatDelta delta)
    {
        var text = !string.IsNullOrEmpty(delta.ReasoningContent) ? delta.ReasoningContent : delta.Reasoning;
        if (delta.ReasoningDetails is not { ValueKind: JsonValueKind.Array } details || details.GetArrayLength() == 0)
        {
            return string.IsNullOrEmpty(text) ? null : new ReasoningChunk(text);
        }

        string? signature = null;
        string? redacted = null;
        StringBuilder? detailText = null;
        foreach (var detail in details.EnumerateArray())
        {
            if (detail.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            signature ??= String(detail, "signature");
            if (String(detail, "type") == "reasoning.encrypted")
            {
                redacted ??= String(detail, "data");
            }
            else if ((String(detail, "text") ?? String(detail, "summary")) is { } part)
            {
                (detailText ??= new StringBuilder()).Append(part);
            }
        }

        return new ReasoningChunk(string.IsNullOrEmpty(text) ? detailText?.ToString() ?? "" : text, signature, redacted, details.GetRawText());
    }

    /// <summary>Whether <see cref="Reasoning"/> may find anything: the common text delta has none of its fields.</summary>
    private static bool MayReason(ChatDelta delta) =>
        !string.IsNullOrEmpty(delta.ReasoningContent) || !string.IsNullOrEmpty(delta.Reasoning) || delta.ReasoningDetails is not null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed class Reader(
        Stream body, string providerId, ProviderOptions options, ModelInfo modelInfo, ChatStreamState state, CancellationToken token, Func<ChatUsage, ModelInfo, UsageChunk> toUsage)
        : IAsyncEnumerable<ApiStreamChunk>
    {
        public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            // Only the first id is kept, so the parser stops reading ids once one is known. One chunk reader per stream:
            // the enumerator is done with an event's chunk before it asks for the next event.
            var chunks = new ChatChunkReader();
            SseItemParser<Item> parse = (eventType, data) => Parse(chunks, eventType, data, wantId: state.GenerationId is null);

            // The SSE reader links the token given here (WithCancellation) with the one given to ReadAsync.
            var items = StreamReaders.ReadSseAsync(body, parse, providerId, options, token).GetAsyncEnumerator(cancellationToken);
            return new Enumerator(items, providerId, modelInfo, state, toUsage);
        }
    }

    /// <summary>
    /// Walks each event's choices in order (per choice: reasoning, text, tool-call fragments, then the check for a
    /// finish with an error), then its usage; ends at <c>[DONE]</c>, or fails as cut off when the body ends before it.
    /// </summary>
    private sealed class Enumerator(
        IAsyncEnumerator<Item> items, string providerId, ModelInfo modelInfo, ChatStreamState state, Func<ChatUsage, ModelInfo, UsageChunk> toUsage)
        : IAsyncEnumerator<ApiStreamChunk>
    {
        private readonly ToolCallAssembler _toolCalls = new(providerId);
        private ChatChunk? _chunk;
        private int _choice;
        private Step _step;
        private int _toolCall;
        private bool _done;

        private enum Step
        {
            Reasoning,
            Text,
            ToolCalls,
            Finish,
            Usage,
        }

        public ApiStreamChunk Current { get; private set; } = null!;

        public ValueTask<bool> MoveNextAsync()
        {
            try
            {
                while (true)
                {
                    if (_chunk is not null && NextOfEvent())
                    {
                        return new ValueTask<bool>(true);
                    }

                    if (_done)
                    {
                        return new ValueTask<bool>(false);
                    }

                    var next = items.MoveNextAsync();
                    if (!next.IsCompletedSuccessfully)
                    {
                        return AwaitEventAsync(next);
                    }

                    Accept(next.Result);
                }
            }
            catch (ProviderException ex)
            {
                // A failure the stream reports comes back the way an iterator's would, in the task.
                return ValueTask.FromException<bool>(ex);
            }
        }

        public ValueTask DisposeAsync() => items.DisposeAsync();

        // Pooled: every event that waits on the server comes here, and would otherwise allocate this state machine's box.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> AwaitEventAsync(ValueTask<bool> next)
        {
            while (true)
            {
                Accept(await next.ConfigureAwait(false));

                // An event with no chunk (an empty data line, JSON null, [DONE]) leaves the last one, or none yet.
                if (_chunk is not null && NextOfEvent())
                {
                    return true;
                }

                if (_done)
                {
                    return false;
                }

                next = items.MoveNextAsync();
            }
        }

        /// <summary>Takes the reader's next event; throws what the event or the end of the body means as a failure.</summary>
        private void Accept(bool hasEvent)
        {
            if (!hasEvent)
            {
                throw OpenAiStreamErrors.CutOff(providerId, "'data: [DONE]'");
            }

            var item = items.Current;
            if (item.Done)
            {
                _done = true;
                return;
            }

            if (item.MalformedEvent is { } eventType)
            {
                throw OpenAiStreamErrors.Malformed(providerId, eventType);
            }

            if (item.Chunk is not { } chunk)
            {
                return;
            }

            if (state.GenerationId is null && !string.IsNullOrEmpty(chunk.Id))
            {
                state.GenerationId = chunk.Id;
            }

            if (chunk.Error is { ValueKind: JsonValueKind.Object or JsonValueKind.String } error)
            {
                throw OpenAiStreamErrors.FromError(providerId, error);
            }

            _chunk = chunk;
            _choice = 0;
            _step = Step.Reasoning;
        }

        /// <summary>
        /// Whether the steps after text for the current choice would yield nothing and throw nothing: no tool-call
        /// fragments (<see cref="Step.ToolCalls"/>), no failed finish (<see cref="Step.Finish"/>), no choice after it
        /// (<see cref="Step.Reasoning"/>), no usage (<see cref="Step.Usage"/>). Then the event is done once its text has left.
        /// </summary>
        private bool IsLastOfEvent(ChatChunk chunk, List<ChatChoice> choices, ChatDelta delta) =>
            !HasChoice(choices, _choice + 1) && delta.ToolCalls is null && !FinishedWithError(choices[_choice]) && chunk.Usage is null;

        /// <summary>Whether the event has a choice at <paramref name="index"/>: where <see cref="Step.Reasoning"/> starts, or goes on to the usage.</summary>
        private static bool HasChoice([NotNullWhen(true)] List<ChatChoice>? choices, int index) => choices is not null && index < choices.Count;

        /// <summary>Whether the choice finished with an error, which <see cref="Step.Finish"/> throws.</summary>
        private static bool FinishedWithError(ChatChoice choice) => choice.FinishReason == "error";

        /// <summary>The event's next chunk into <see cref="Current"/>; <see langword="false"/> when the event has no more.</summary>
        private bool NextOfEvent()
        {
            var chunk = _chunk!;
            var choices = chunk.Choices;
            while (true)
            {
                switch (_step)
                {
                    case Step.Reasoning:
                        if (!HasChoice(choices, _choice))
                        {
                            _step = Step.Usage;
                            break;
                        }

                        _step = Step.Text;
                        if (choices[_choice].Delta is { } delta && MayReason(delta) && Reasoning(delta) is { } reasoning)
                        {
                            Current = reasoning;

                            // The common reasoning event: as for text below, done now when nothing else in it would yield.
                            if (string.IsNullOrEmpty(delta.Content) && IsLastOfEvent(chunk, choices, delta))
                            {
                                _chunk = null;
                            }

                            return true;
                        }

                        break;
                    case Step.Text:
                        _step = Step.ToolCalls;
                        _toolCall = 0;
                        if (choices![_choice].Delta is { Content: { Length: > 0 } content } textDelta)
                        {
                            Current = new TextChunk(content);

                            // The common text event: its last choice, no fragments, no failed finish, no usage. It is done
                            // now, so the next call reads the next event without walking the steps that would yield nothing.
                            if (IsLastOfEvent(chunk, choices!, textDelta))
                            {
                                _chunk = null;
                            }

                            return true;
                        }

                        break;
                    case Step.ToolCalls:
                        if (choices![_choice].Delta?.ToolCalls is { } calls)
                        {
                            while (_toolCall < calls.Count)
                            {
                                if (_toolCalls.Accept(calls[_toolCall++]) is { } toolCall)
                                {
                                    Current = toolCall;
                                    return true;
                                }
                            }
                        }

                        _step = Step.Finish;
                        break;
                    case Step.Finish:
                        var choice = choices![_choice];
                        if (FinishedWithError(choice))
                        {
                            throw choice.Error is { ValueKind: JsonValueKind.Object } choiceError
                                ? OpenAiStreamErrors.FromError(providerId, choiceError)
                                : OpenAiStreamErrors.Create(providerId, null, "the response finished with an error");
                        }

                        _choice++;
                        _step = Step.Reasoning;
                        break;
                    default:
                        _chunk = null;
                        if (chunk.Usage is { } usage)
                        {
                            state.SawUsage = true;
                            Current = toUsage(usage, modelInfo);
                            return true;
                        }

                        return false;
                }
            }
        }
    }
}

/// <summary>
/// Assembles tool-call deltas into fragments keyed by call id. The id and name come only in a call's first delta (later
/// deltas carry the index, an empty or missing id, and argument fragments); indexes may start at 1; a whole call may
/// come in one delta; a new id at a known index starts a new call (servers that put every call at index 0).
/// </summary>
internal sealed class ToolCallAssembler(string providerId)
{
    private readonly Dictionary<int, (string Id, string Name)> _calls = [];
    private int _lastIndex;

    public ToolCallChunk? Accept(ToolCallDelta delta)
    {
        var index = delta.Index ?? _lastIndex;
        _lastIndex = index;
        var id = string.IsNullOrEmpty(delta.Id) ? null : delta.Id;
        var name = string.IsNullOrEmpty(delta.Function?.Name) ? null : delta.Function!.Name;
        var arguments = delta.Function?.Arguments ?? "";

        var isNew = !_calls.TryGetValue(index, out var call) || (id is not null && id != call.Id);
        if (isNew && id is null && name is null)
        {
            // One rule for every provider: arguments for a call the stream never started are a malformed stream.
            throw OpenAiStreamErrors.UnknownToolCall(providerId, $"index {index}");
        }

        if (isNew)
        {
            // A server that sends no id still needs one that the tool result can quote.
            call = (id ?? "call_" + Guid.NewGuid().ToString("N")[..24], name ?? "");
            _calls[index] = call;
        }
        else if (call.Name.Length == 0 && name is not null)
        {
            call.Name = name;
            _calls[index] = call;
        }

        return isNew || arguments.Length > 0 ? new ToolCallChunk(call.Id, call.Id, call.Name, arguments) : null;
    }
}
