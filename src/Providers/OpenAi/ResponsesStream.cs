using System.Text.Json;
using Providers.Http;

namespace Providers.OpenAi;

/// <summary>
/// Reads a Responses API stream of typed events: output text, reasoning summaries and encrypted reasoning, function
/// calls (call id <c>call_…</c>, function id <c>fc_…</c>) with argument deltas, and usage at <c>response.completed</c>.
/// <c>error</c> and <c>response.failed</c> end it with a <see cref="ProviderException"/>. Several responses may follow
/// each other in one stream; it is complete when the last one completed.
/// </summary>
internal static class ResponsesStream
{
    private readonly record struct Item(ResponsesEvent? Event, string? MalformedEvent);

    private sealed class FunctionCall(string callId, string name)
    {
        public string CallId { get; } = callId;

        public string Name { get; } = name;

        public bool ArgumentsStreamed { get; set; }
    }

    /// <summary>The chunks of a Responses stream.</summary>
    /// <remarks>
    /// Not an iterator: each event is decoded by <see cref="Decoder"/> inside <see cref="DecodedChunkStream{TItem}"/>'s
    /// <c>MoveNextAsync</c>, so an event already in the SSE reader's buffer costs no state machine of this layer.
    /// </remarks>
    public static IAsyncEnumerable<ApiStreamChunk> ReadAsync(
        Stream body,
        string providerId,
        ProviderOptions options,
        ModelInfo modelInfo,
        CancellationToken cancellationToken) =>
        new DecodedSse<Item>(body, Parse, new Decoder(providerId, modelInfo), providerId, options, cancellationToken);

    /// <summary>One event's chunk (at most one) or failure; the stream is complete when its last response completed.</summary>
    private sealed class Decoder(string providerId, ModelInfo modelInfo) : IChunkDecoder<Item>
    {
        private readonly Dictionary<string, FunctionCall> _calls = new(StringComparer.Ordinal);
        private bool _completed;

        // Several responses may follow each other: the body is read to its end.
        public bool Completed => false;

        public void Complete(List<ApiStreamChunk> output)
        {
            if (!_completed)
            {
                throw OpenAiStreamErrors.CutOff(providerId, "'response.completed'");
            }
        }

        public void Decode(in Item item, List<ApiStreamChunk> output)
        {
            if (item.MalformedEvent is { } eventType)
            {
                throw OpenAiStreamErrors.Malformed(providerId, eventType);
            }

            if (item.Event is not { } e)
            {
                return;
            }

            switch (e.Type)
            {
                case "response.created":
                    _completed = false;
                    break;

                case "response.output_text.delta" when !string.IsNullOrEmpty(e.Delta):
                    output.Add(new TextChunk(e.Delta));
                    break;

                case "response.reasoning_summary_part.added" when e.SummaryIndex > 0:
                    // Summary parts are paragraphs; keep them apart in the concatenated reasoning.
                    output.Add(new ReasoningChunk("\n\n"));
                    break;

                case "response.reasoning_summary_text.delta" or "response.reasoning_text.delta" when !string.IsNullOrEmpty(e.Delta):
                    output.Add(new ReasoningChunk(e.Delta));
                    break;

                case "response.output_item.added" when e.Item is { Type: "function_call", Id: { } itemId } added:
                    var call = new FunctionCall(added.CallId ?? itemId, added.Name ?? "") { ArgumentsStreamed = !string.IsNullOrEmpty(added.Arguments) };
                    _calls[itemId] = call;
                    output.Add(new ToolCallChunk(call.CallId, itemId, call.Name, added.Arguments ?? ""));
                    break;

                case "response.function_call_arguments.delta" when !string.IsNullOrEmpty(e.Delta) && e.ItemId is { } deltaItemId:
                    if (!_calls.TryGetValue(deltaItemId, out var streaming))
                    {
                        throw OpenAiStreamErrors.UnknownToolCall(providerId, $"item '{(deltaItemId.Length <= 64 ? deltaItemId : deltaItemId[..64] + "…")}'");
                    }

                    streaming.ArgumentsStreamed = true;
                    output.Add(new ToolCallChunk(streaming.CallId, deltaItemId, streaming.Name, e.Delta));
                    break;

                case "response.output_item.done" when e.Item is { Type: "function_call", Id: { } doneItemId } done:
                    // Some servers send the arguments only with the finished item.
                    if (!_calls.TryGetValue(doneItemId, out var finished) || !finished.ArgumentsStreamed)
                    {
                        finished ??= new FunctionCall(done.CallId ?? doneItemId, done.Name ?? "");
                        finished.ArgumentsStreamed = true;
                        _calls[doneItemId] = finished;
                        output.Add(new ToolCallChunk(finished.CallId, doneItemId, finished.Name, done.Arguments ?? ""));
                    }

                    break;

                case "response.output_item.done" when e.Item is { Type: "reasoning", Id: { Length: > 0 }, EncryptedContent: { Length: > 0 } } reasoningItem:
                    // Replayed before the item it preceded: a stateless request (store: false) needs the encrypted content.
                    output.Add(new ReasoningChunk("", Details: ReasoningItemJson(reasoningItem)) { DetailsFormat = ReasoningStateFormats.OpenAiResponses });
                    break;

                case "response.completed" or "response.incomplete":
                    _completed = true;
                    if (e.Response?.Usage is { } usage)
                    {
                        output.Add(ToUsage(usage, modelInfo));
                    }

                    break;

                case "error":
                    throw e.Error is { ValueKind: JsonValueKind.Object } nested
                        ? OpenAiStreamErrors.FromError(providerId, nested)
                        : OpenAiStreamErrors.Create(providerId, e.Code is { ValueKind: JsonValueKind.String } code ? code.GetString() : null, e.Message);

                case "response.failed":
                    throw e.Response?.Error is { ValueKind: JsonValueKind.Object } failure
                        ? OpenAiStreamErrors.FromError(providerId, failure)
                        : OpenAiStreamErrors.Create(providerId, null, "the response failed");
            }
        }
    }

    /// <summary>Usage as an increment; cached input tokens are subtracted from the input tokens, so the parts add up to <c>input_tokens</c>.</summary>
    public static UsageChunk ToUsage(ResponsesUsage usage, ModelInfo modelInfo)
    {
        var cached = usage.InputTokensDetails?.CachedTokens;
        var input = Math.Max(0, usage.InputTokens - (cached ?? 0));
        return new UsageChunk(
            input,
            usage.OutputTokens,
            cached,
            null,
            usage.OutputTokensDetails?.ReasoningTokens,
            modelInfo.PricesFor(input + (cached ?? 0)).CostOf(input, usage.OutputTokens, 0, cached ?? 0));
    }

    /// <summary>The reasoning item as the Responses API takes it back in <c>input</c>: type, id, summary, encrypted content.</summary>
    internal static string ReasoningItemJson(ResponsesItem item)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "reasoning");
            writer.WriteString("id", item.Id);
            writer.WritePropertyName("summary");
            if (item.Summary is { ValueKind: JsonValueKind.Array } summary)
            {
                summary.WriteTo(writer);
            }
            else
            {
                writer.WriteStartArray();
                writer.WriteEndArray();
            }

            writer.WriteString("encrypted_content", item.EncryptedContent);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Item Parse(string eventType, ReadOnlySpan<byte> data)
    {
        data = data.Trim((byte)' ');
        if (data.IsEmpty)
        {
            return default;
        }

        try
        {
            return new Item(JsonSerializer.Deserialize(data, OpenAiJsonContext.Default.ResponsesEvent), null);
        }
        catch (JsonException)
        {
            return new Item(null, eventType);
        }
    }
}
