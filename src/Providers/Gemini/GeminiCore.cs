using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Providers.Http;

namespace Providers.Gemini;

/// <summary>
/// What the <c>gemini</c> and <c>vertex</c> providers share for Gemini models: the <c>generateContent</c> body (system
/// instruction, contents, function declarations, generation and thinking configuration) and the reading of the
/// <c>streamGenerateContent?alt=sse</c> stream. Only the URL and the credentials differ between the two.
/// </summary>
internal static class GeminiCore
{
    /// <summary>Adds a problem when the configured thinking budget is negative.</summary>
    public static void CheckThinkingBudget(int budget, List<SettingProblem> problems)
    {
        if (budget < 0)
        {
            problems.Add(new SettingProblem("planModeThinkingBudgetTokens/actModeThinkingBudgetTokens", $"must be 0 (off) or a positive number of tokens, not {budget}"));
        }
    }

    /// <summary>Builds the request body.</summary>
    /// <param name="model">The model.</param>
    /// <param name="systemPrompt">The system instruction.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="tools">The function declarations, or none.</param>
    /// <param name="overrides">Per-request choices, already filtered to the supported ones.</param>
    /// <param name="thinkingBudget">The configured thinking budget (Gemini 2.5); 0 is off where the model allows it.</param>
    /// <param name="reasoningEffort">The configured reasoning effort (Gemini 3 thinking level): <c>low</c>, <c>medium</c>, <c>high</c>, <c>xhigh</c>.</param>
    public static GenerateContentRequest Body(
        GeminiModel model,
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        int thinkingBudget,
        string? reasoningEffort)
    {
        var maxOutput = overrides.MaxOutputTokens
            ?? (GeminiModels.IsFlash(model.Id) ? Math.Min(model.Info.MaxTokens ?? GeminiModels.FlashMaxOutputTokens, GeminiModels.FlashMaxOutputTokens) : null);
        return new GenerateContentRequest
        {
            Contents = GeminiMessageConverter.Contents(messages),
            SystemInstruction = GeminiMessageConverter.System(systemPrompt),
            Tools = GeminiMessageConverter.Tools(tools),
            GenerationConfig = new GenerationConfig
            {
                // Cline's value; Google recommends the default 1.0 for Gemini 3.
                Temperature = overrides.Temperature ?? 1,
                MaxOutputTokens = maxOutput,
                ThinkingConfig = Thinking(model, thinkingBudget, reasoningEffort, overrides.ReasoningEffort),
            },
        };
    }

    /// <summary>The request: POST of <paramref name="body"/> as JSON to <paramref name="uri"/>.</summary>
    public static HttpRequestMessage Request(Uri uri, GenerateContentRequest body)
    {
        return ProviderHttp.JsonStreamPost(uri, JsonSerializer.SerializeToUtf8Bytes(body, GeminiJsonContext.Default.GenerateContentRequest));
    }

    /// <summary>
    /// The thinking configuration: a level for Gemini 3 (Cline's mapping: <c>low</c>/<c>medium</c> to <c>low</c>,
    /// <c>high</c>/<c>xhigh</c> to <c>high</c>, anything else <c>low</c>), a budget clipped to the model's range for
    /// Gemini 2.5 (0 turns thinking off, or leaves the model's own default where it cannot be turned off), with thought
    /// summaries whenever the model thinks.
    /// </summary>
    internal static ThinkingConfig? Thinking(GeminiModel model, int budget, string? effort, ReasoningEffort? overrideEffort)
    {
        var thinking = model.Thinking;
        switch (thinking.Kind)
        {
            case GeminiThinkingKind.Level:
                var level = overrideEffort is { } e
                    ? e is ReasoningEffort.High or ReasoningEffort.ExtraHigh ? "high" : "low"
                    : effort?.Trim().ToLowerInvariant() is "high" or "xhigh" ? "high" : "low";
                return new ThinkingConfig { ThinkingLevel = level, IncludeThoughts = true };
            case GeminiThinkingKind.Budget:
                // The same efforts-to-budgets table as Anthropic's thinking budgets.
                var tokens = overrideEffort is { } effortOverride ? Anthropic.AnthropicThinking.BudgetFor(effortOverride) : budget;
                if (tokens <= 0)
                {
                    return thinking.CanTurnOff ? new ThinkingConfig { ThinkingBudget = 0 } : null;
                }

                return new ThinkingConfig { ThinkingBudget = Math.Clamp(tokens, thinking.MinBudget, thinking.MaxBudget), IncludeThoughts = true };
            default:
                return null;
        }
    }

    /// <summary>Sends the request and streams the answer; a stream that ends without a finish reason fails as cut off.</summary>
    /// <remarks>For callers that are iterators anyway; a Core method can return <see cref="HttpStreamCall.Run"/> of <see cref="StreamRequest"/> instead.</remarks>
    public static async IAsyncEnumerable<ApiStreamChunk> StreamAsync(
        HttpRequestMessage request,
        GeminiModel model,
        string providerId,
        ProviderOptions options,
        IReadOnlyList<string?> secrets,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in HttpStreamCall.Send(StreamRequest(request, model, providerId, options, secrets), cancellationToken).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    /// <summary>
    /// The streaming call of <paramref name="request"/>: an error answer without <c>Retry-After</c> takes its wait from
    /// the body's <c>google.rpc.RetryInfo</c> (how the Gemini API says when a quota frees up), and the body is read
    /// through <see cref="GeminiStreamDecoder"/> by a hand-written enumerator.
    /// </summary>
    public static HttpStreamRequest StreamRequest(
        HttpRequestMessage request, GeminiModel model, string providerId, ProviderOptions options, IReadOnlyList<string?> secrets)
    {
        var errors = new ErrorReader();
        return new HttpStreamRequest(request, providerId, options, secrets, (body, token) => new ChunkStream(body, model, providerId, options, token))
        {
            ParseError = errors.Parse,
            ReplaceError = errors.Replace,
        };
    }

    /// <summary>Reads an error body, keeping its <c>RetryInfo</c> wait for an error that has no <c>Retry-After</c>.</summary>
    private sealed class ErrorReader
    {
        private TimeSpan? _retryDelay;

        public ErrorBody Parse(string body)
        {
            _retryDelay = GeminiErrors.RetryDelay(body);
            return GeminiErrors.Parse(body);
        }

        public ProviderException? Replace(ProviderException ex) =>
            ex.RetryAfter is null && _retryDelay is { } delay && ex.IsRetryable
                ? new ProviderException(ex.ProviderId, ex.Message, ex.StatusCode, ex.IsRetryable, delay, ex.InnerException) { ErrorType = ex.ErrorType }
                : null;
    }

    /// <summary>The chunks of a <c>streamGenerateContent</c> body: its SSE events through a new <see cref="GeminiStreamDecoder"/>.</summary>
    private sealed class ChunkStream(Stream body, GeminiModel model, string providerId, ProviderOptions options, CancellationToken token)
        : IAsyncEnumerable<ApiStreamChunk>
    {
        public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            var decoder = new GeminiStreamDecoder(model, providerId);

            // One reader per stream: it refills the same response objects, and the decoder is done with each event before the next is parsed.
            var reader = new GeminiResponseReader();

            // responseId only seeds the ids of function calls and the first one is kept, so the reader stops making it a string once there is one.
            SseItemParser<GeminiSseItem> parse = (_, data) => ParseEvent(reader, data, wantResponseId: !decoder.HasResponseId, decoder.LastUsage);
            var events = StreamReaders.ReadSseAsync(body, parse, providerId, options, token).GetAsyncEnumerator(cancellationToken);
            return new DecodedChunkStream<GeminiSseItem>(events, decoder);
        }
    }

    private static GeminiSseItem ParseEvent(GeminiResponseReader reader, ReadOnlySpan<byte> data, bool wantResponseId, UsageMetadata? lastUsage)
    {
        try
        {
            return reader.Read(data, wantResponseId, lastUsage) is { } response
                ? new GeminiSseItem(response, null)
                : new GeminiSseItem(null, "JSON null");
        }
        catch (JsonException ex)
        {
            return new GeminiSseItem(null, $"byte {ex.BytePositionInLine ?? 0}");
        }
    }
}
