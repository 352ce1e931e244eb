using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Providers.Gemini;

/// <summary>One parsed SSE event, or why it could not be parsed.</summary>
internal readonly record struct GeminiSseItem(GenerateContentResponse? Response, string? Problem);

/// <summary>
/// Turns <c>streamGenerateContent</c> events into chunks, one event at a time: thought summaries as reasoning, answer
/// text, whole function calls (with ids made stable when the API sends none), each part's thought signature just before
/// the part's own chunk, and one usage chunk at the end priced from the model table.
/// </summary>
/// <remarks>
/// Each event carries the running usage totals; the last one counts. A blocked prompt (<c>promptFeedback.blockReason</c>)
/// and a candidate stopped for safety, recitation or a malformed call fail with a <see cref="ProviderException"/> whose
/// <see cref="ProviderException.ErrorType"/> is the API's reason.
/// </remarks>
internal sealed class GeminiStreamDecoder(GeminiModel model, string providerId) : Providers.Http.IChunkDecoder<GeminiSseItem>
{
    private UsageMetadata? _usage;
    private string? _responseId;
    private int _callCount;

    /// <summary>Whether a <c>responseId</c> arrived: only the first one is used.</summary>
    public bool HasResponseId => _responseId is not null;

    /// <summary>The last usage totals the stream reported, if any: the reader reuses the instance while they stay the same.</summary>
    public UsageMetadata? LastUsage => _usage;

    /// <summary>The finish reason of the candidate, once one arrived: the stream is complete.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>Adds the chunks that <paramref name="item"/> produces to <paramref name="output"/>.</summary>
    /// <exception cref="ProviderException">An error event, a blocked prompt or answer, or a malformed event.</exception>
    public void Decode(in GeminiSseItem item, List<ApiStreamChunk> output)
    {
        if (DecodeOne(item, output) is { } one)
        {
            output.Add(one);
        }
    }

    /// <summary>
    /// Decodes one event: one that produces a single chunk (a text or thought part, the common event) returns it; any
    /// other adds its chunks to <paramref name="output"/> and returns <see langword="null"/>.
    /// </summary>
    /// <exception cref="ProviderException">An error event, a blocked prompt or answer, or a malformed event.</exception>
    public ApiStreamChunk? DecodeOne(in GeminiSseItem item, List<ApiStreamChunk> output)
    {
        var response = item.Response ?? throw Malformed($"an event was not valid JSON ({item.Problem})");
        if (response.Error is { } error)
        {
            throw ErrorEvent(error);
        }

        _responseId ??= response.ResponseId;
        _usage = response.UsageMetadata ?? _usage;
        if (response.PromptFeedback?.BlockReason is { Length: > 0 } blockReason)
        {
            throw new ProviderException(
                providerId,
                $"'{providerId}' blocked the prompt (blockReason '{ServerText.Clean(blockReason)}')"
                + (response.PromptFeedback.BlockReasonMessage is { Length: > 0 } why ? $": {ServerText.Clean(why)}" : "")
                + ". Rephrase the request or remove the content that triggers the filter.",
                isRetryable: false)
            { ErrorType = blockReason };
        }

        var candidate = response.Candidates is { Count: > 0 } candidates ? candidates[0] : null;
        ApiStreamChunk? last = null;
        if (candidate?.Content?.Parts is { } parts)
        {
            // Each part's last chunk is held until the next part is read: an event's one chunk never enters the list.
            var start = output.Count;
            for (var i = 0; i < parts.Count; i++) // Indexed: foreach over the interface would allocate an enumerator per event.
            {
                if (last is not null)
                {
                    output.Add(last);
                }

                last = PartChunk(parts[i], output);
            }

            if (last is not null && output.Count != start)
            {
                output.Add(last);
                last = null;
            }
        }

        if (candidate?.FinishReason is { Length: > 0 } finish)
        {
            OnFinish(finish, candidate.FinishMessage);
        }

        return last;
    }

    /// <summary>The stream is read to its end: usage may follow the finish reason.</summary>
    bool Providers.Http.IChunkDecoder<GeminiSseItem>.Completed => false;

    /// <summary>Adds the usage after the last event; a stream that ended without a finish reason fails as cut off.</summary>
    /// <exception cref="ProviderException">The stream ended without a finish reason.</exception>
    public void Complete(List<ApiStreamChunk> output)
    {
        if (FinishReason is null)
        {
            throw new ProviderException(
                providerId,
                $"The '{providerId}' stream was cut off: it ended without a finish reason. The connection was closed early; retrying usually works.",
                isRetryable: true)
            { ErrorType = "stream_cut_off" };
        }

        if (Usage() is { } usage)
        {
            output.Add(usage);
        }
    }

    /// <summary>The usage of the whole response, from the last totals the stream reported; <see langword="null"/> when it reported none.</summary>
    public UsageChunk? Usage()
    {
        if (_usage is null)
        {
            return null;
        }

        var prompt = _usage.PromptTokenCount ?? 0;
        var cached = _usage.CachedContentTokenCount ?? 0;
        var thoughts = _usage.ThoughtsTokenCount ?? 0;
        var output = (_usage.CandidatesTokenCount ?? 0) + thoughts;
        return new UsageChunk(
            prompt - cached,
            output,
            CacheReadTokens: cached,
            CacheWriteTokens: 0,
            ReasoningTokens: thoughts,
            TotalCost: model.CostOf(prompt, cached, output));
    }

    /// <summary>The part's last chunk (its only one, but for a signature added to <paramref name="output"/> before it), or <see langword="null"/>.</summary>
    private ApiStreamChunk? PartChunk(GeminiPart part, List<ApiStreamChunk> output)
    {
        if (part.Thought == true)
        {
            return !string.IsNullOrEmpty(part.Text) || part.ThoughtSignature is not null
                ? new ReasoningChunk(part.Text ?? "", Signature: part.ThoughtSignature)
                : null;
        }

        // The signature is yielded before the part it belongs to; GeminiMessageConverter puts it back on that part.
        if (!string.IsNullOrEmpty(part.ThoughtSignature))
        {
            output.Add(new ReasoningChunk("", Signature: part.ThoughtSignature));
        }

        if (part.FunctionCall is { } call)
        {
            if (string.IsNullOrEmpty(call.Name))
            {
                throw Malformed("a function call has no name");
            }

            var id = string.IsNullOrWhiteSpace(call.Id)
                ? $"{_responseId ?? "gemini-response"}-tool-{_callCount}"
                : call.Id;
            _callCount++;
            var arguments = call.Args is { ValueKind: JsonValueKind.Object } args ? args.GetRawText() : "{}";
            return new ToolCallChunk(id, id, call.Name, arguments);
        }

        return string.IsNullOrEmpty(part.Text) ? null : new TextChunk(part.Text);
    }

    private void OnFinish(string reason, string? message)
    {
        FinishReason = reason;
        var detail = string.IsNullOrEmpty(message) ? "" : $" {ServerText.Clean(message.TrimEnd('.'))}.";
        var (retryable, advice) = reason switch
        {
            "STOP" or "MAX_TOKENS" or "FINISH_REASON_UNSPECIFIED" => (false, null),
            "MALFORMED_FUNCTION_CALL" or "UNEXPECTED_TOOL_CALL" => (true, "The model produced a function call the API could not read; retrying usually works."),
            "RECITATION" => (false, "The answer was stopped because it recited protected material; rephrase the request."),
            "SAFETY" or "IMAGE_SAFETY" or "PROHIBITED_CONTENT" or "BLOCKLIST" or "SPII" =>
                (false, "The answer was stopped by the safety filters; rephrase the request or adjust the content."),
            _ => (false, "The answer was stopped before it was complete; rephrase the request or try another model."),
        };

        if (advice is not null)
        {
            throw new ProviderException(
                providerId,
                $"'{providerId}' stopped the answer (finishReason '{ServerText.Clean(reason)}').{detail} {advice}",
                isRetryable: retryable)
            { ErrorType = reason };
        }
    }

    private ProviderException ErrorEvent(GoogleError error)
    {
        var status = error.Code is { } code and >= 400 and < 600 ? (HttpStatusCode?)code : null;
        var retryable = error.Status is "RESOURCE_EXHAUSTED" or "UNAVAILABLE" or "INTERNAL" or "DEADLINE_EXCEEDED"
            || (status is { } s && RetryClassifier.IsTransientStatus((int)s));
        return new ProviderException(
            providerId,
            $"'{providerId}' reported an error in the stream ({ServerText.Clean(error.Status ?? error.Code?.ToString(CultureInfo.InvariantCulture) ?? "unknown")}): {ServerText.Clean(error.Message ?? "no details")}."
            + (retryable ? " This is usually temporary; retry later." : ""),
            status,
            isRetryable: retryable,
            retryAfter: GeminiErrors.RetryDelay(error))
        { ErrorType = error.Status };
    }

    private ProviderException Malformed(string what) => new(
        providerId,
        $"The '{providerId}' stream was malformed: {ServerText.Clean(what)}. A proxy in between may have altered it.",
        isRetryable: false)
    { ErrorType = "malformed_stream" };
}
