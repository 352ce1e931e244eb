using System.Text.Json;
using Providers.Http;

namespace Providers.Anthropic;

/// <summary>
/// Streams from Anthropic's Messages API (<c>POST /v1/messages</c>, server-sent events): text, extended thinking with
/// signatures, tool calls with streamed arguments, and usage increments priced with the model's cache-aware prices.
/// </summary>
/// <remarks>
/// <para>
/// Per-request overrides (<see cref="SupportedOverrides"/> says which apply to this configuration):
/// <see cref="RequestOverrides.ModelId"/> replaces the model, resolved through the built-in catalogue like a configured
/// one (limits, prices and the <c>:1m</c> beta follow it; an unknown id gets the defaults, never another model);
/// <see cref="RequestOverrides.MaxOutputTokens"/> is sent as <c>max_tokens</c>;
/// <see cref="RequestOverrides.ReasoningEffort"/> replaces the configured thinking budget:
/// <see cref="ReasoningEffort.None"/> turns thinking off, <see cref="ReasoningEffort.Low"/> is 1024 tokens,
/// <see cref="ReasoningEffort.Medium"/> 4096, <see cref="ReasoningEffort.High"/> 16000 and
/// <see cref="ReasoningEffort.ExtraHigh"/> 32000, clipped to 80% of <c>max_tokens</c> as the configured budget is;
/// on the models that think adaptively (Opus 4.6 and 4.7, Sonnet 4.6) it is sent as <c>output_config.effort</c>
/// instead (<see cref="ReasoningEffort.ExtraHigh"/> is <c>xhigh</c> on Opus 4.7 and <c>max</c> elsewhere);
/// <see cref="RequestOverrides.Temperature"/> is sent as <c>temperature</c> (otherwise 0).
/// </para>
/// <para>
/// The API takes no temperature while the model thinks (and Cline sends none to the adaptive Opus models), so
/// <see cref="RequestOverrideKinds.Temperature"/> is listed only when the configuration turns no thinking on and the
/// model is not an adaptive Opus, and <see cref="RequestOverrideKinds.ReasoningEffort"/> only when
/// the configured model can think. A request that combines a temperature with thinking, or asks a model that cannot
/// think for an effort above <see cref="ReasoningEffort.None"/> (possible only with a model override), fails with an
/// <see cref="ArgumentException"/> before anything is sent.
/// </para>
/// </remarks>
[Provider("anthropic", DisplayName = "Anthropic")]
[WithRetry]
public sealed partial class AnthropicHandler : IApiHandlerWithOverrides
{
    private const string ProviderId = "anthropic";
    private const string ApiVersion = "2023-06-01";
    private readonly AnthropicOptions _options;
    private readonly InFlightRequests _inFlight = new();
    private readonly AnthropicModel _model;
    private readonly string _modelId;
    private readonly Uri _messagesUri;
    private readonly AnthropicEndpoint? _endpoint;
    private readonly string _providerId = ProviderId;

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ProviderConfigurationException">The API key is missing or the thinking budget is negative.</exception>
    public AnthropicHandler(AnthropicOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(Generated.ProvidersProviderFactories.AnthropicDescriptor);
        problems.AddIfBlank(nameof(options.ApiKey), options.ApiKey, "set your Anthropic API key (console.anthropic.com, Settings > API keys)");
        if (options.ThinkingBudgetTokens < 0)
        {
            problems.Add(nameof(options.ThinkingBudgetTokens), $"must be 0 (off) or a positive number of tokens, not {options.ThinkingBudgetTokens}");
        }

        problems.ThrowIfAny();

        _options = options;
        _modelId = string.IsNullOrWhiteSpace(options.ModelId) ? AnthropicOptions.DefaultModelId : options.ModelId.Trim();
        _model = AnthropicModels.Resolve(_modelId);
        _messagesUri = new Uri(options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1/messages");
    }

    /// <summary>The seam for Claude behind another endpoint (Vertex AI): Anthropic's body and stream, the endpoint's URL, credentials and models.</summary>
    internal AnthropicHandler(AnthropicOptions options, AnthropicEndpoint endpoint, string modelId)
    {
        _options = options;
        _endpoint = endpoint;
        _providerId = endpoint.ProviderId;
        _modelId = modelId;
        _model = endpoint.Resolve(modelId);
        _messagesUri = endpoint.UriFor(_model);
    }

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => new(_modelId, _model.Info);

    /// <summary>One attempt, without the retry wrapper: for a handler that delegates here and retries itself.</summary>
    internal IAsyncEnumerable<ApiStreamChunk> StreamOnceAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken) =>
        CreateMessageCoreAsync(systemPrompt, messages, tools, overrides, cancellationToken);

    /// <summary>
    /// The model, <c>max_tokens</c> and, when the configured model can think, the reasoning effort; the temperature
    /// only while the configured thinking budget is off. See the class remarks.
    /// </summary>
    public RequestOverrideKinds SupportedOverrides
    {
        get
        {
            var kinds = RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens;
            if (_model.Info.SupportsReasoning)
            {
                kinds |= RequestOverrideKinds.ReasoningEffort;
            }

            if (!AnthropicThinking.ConfiguredOn(_model, _options) && _model.Thinking != ClaudeThinking.Adaptive)
            {
                kinds |= RequestOverrideKinds.Temperature;
            }

            return kinds;
        }
    }

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Run(_inFlight, token => PrepareAsync(systemPrompt, messages, tools, overrides, token), cancellationToken);

    /// <summary>The request (with the endpoint's credentials, when there is one) and the reading of its Messages stream.</summary>
    private ValueTask<HttpStreamRequest> PrepareAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        var model = string.IsNullOrWhiteSpace(overrides.ModelId) ? _model
            : _endpoint?.Resolve(overrides.ModelId.Trim()) ?? AnthropicModels.Resolve(overrides.ModelId.Trim());
        var request = BuildRequest(model, systemPrompt, messages, tools, overrides);
        if (_endpoint is null)
        {
            return new ValueTask<HttpStreamRequest>(StreamRequest(request, model, _options.ApiKey));
        }

        return AuthorizedAsync(request, model, _endpoint, cancellationToken);
    }

    private async ValueTask<HttpStreamRequest> AuthorizedAsync(HttpRequestMessage request, AnthropicModel model, AnthropicEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            return StreamRequest(request, model, await endpoint.AuthorizeAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private HttpStreamRequest StreamRequest(HttpRequestMessage request, AnthropicModel model, string? secret) =>
        new(request, _providerId, _options, [secret], (body, token) => new ChunkStream(body, model, _providerId, _options, token));

    /// <summary>The chunks of a Messages stream: its SSE events through a new <see cref="AnthropicStreamDecoder"/>, up to <c>message_stop</c>.</summary>
    private sealed class ChunkStream(Stream body, AnthropicModel model, string providerId, ProviderOptions options, CancellationToken token)
        : IAsyncEnumerable<ApiStreamChunk>
    {
        public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            var decoder = new AnthropicStreamDecoder(model, providerId);
            var events = StreamReaders.ReadSseAsync(body, decoder.Parse, providerId, options, token).GetAsyncEnumerator(cancellationToken);
            return new DecodedChunkStream<AnthropicSseItem>(events, decoder);
        }
    }

    private HttpRequestMessage BuildRequest(
        AnthropicModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        var info = model.Info;
        var maxTokens = overrides.MaxOutputTokens ?? info.MaxTokens ?? 8192;
        if (overrides.ReasoningEffort is not (null or ReasoningEffort.None) && !info.SupportsReasoning)
        {
            throw new ArgumentException(
                $"The model '{model.WireId}' cannot think, so a reasoning effort of {overrides.ReasoningEffort} cannot be applied; ask for ReasoningEffort.None or a model that thinks.",
                nameof(overrides));
        }

        var thinking = AnthropicThinking.Resolve(model, _options, overrides.ReasoningEffort, maxTokens);
        if (overrides.Temperature is not null && !thinking.TakesTemperature)
        {
            throw AnthropicThinking.TemperatureRefused(model.WireId, thinks: thinking.Thinking is not null, nameof(overrides));
        }

        var cache = info.SupportsPromptCache;
        var body = new MessagesRequest
        {
            Model = _endpoint is null ? model.WireId : null,
            AnthropicVersion = _endpoint?.BodyVersion,
            MaxTokens = maxTokens,
            System = AnthropicMessageConverter.System(systemPrompt, cache),
            Messages = AnthropicMessageConverter.Messages(messages, cache),
            Tools = AnthropicMessageConverter.Tools(tools),
            Thinking = thinking.Thinking,
            OutputConfig = thinking.Effort is { } effort ? new OutputConfig { Effort = effort } : null,
            Speed = model.FastMode ? "fast" : null,
            // Thinking requires the default temperature; otherwise 0, as the original.
            Temperature = thinking.TakesTemperature ? overrides.Temperature ?? 0 : null,
        };

        var request = ProviderHttp.JsonStreamPost(
            _endpoint?.UriFor(model) ?? _messagesUri, JsonSerializer.SerializeToUtf8Bytes(body, AnthropicJsonContext.Default.MessagesRequest));
        if (_endpoint is null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", _options.ApiKey);
            request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        }
        if (Betas(model) is { } betas)
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", betas);
        }

        return request;
    }

    /// <summary>The <c>anthropic-beta</c> header: fast mode and the 1M context window, in Cline's order, or none.</summary>
    private static string? Betas(AnthropicModel model) => (model.FastMode, model.OneMillionContext) switch
    {
        (true, true) => AnthropicModels.FastModeBeta + "," + AnthropicModels.OneMillionBeta,
        (true, false) => AnthropicModels.FastModeBeta,
        (false, true) => AnthropicModels.OneMillionBeta,
        _ => null,
    };
}
