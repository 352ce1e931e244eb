using System.Text.Json;
using Providers.Http;
using Providers.OpenAi;
using Providers.OpenAiCompatible;

namespace Providers.OpenRouter;

/// <summary>
/// The shared core of the providers that speak OpenRouter's API: Chat Completions with its reasoning details, explicit
/// prompt caching (<c>cache_control</c>) for the families that need it, reasoning per model family, provider sorting,
/// Cline's <c>HTTP-Referer</c>/<c>X-Title</c> attribution, cost in the usage, and a usage lookup by generation id when
/// the stream carried none. The per-family rules are Cline's (<see cref="OpenRouterModelFamilies"/>). A member
/// declares where its API lives, what it adds to the headers and how it prices usage.
/// </summary>
/// <typeparam name="TOptions">The member's options.</typeparam>
/// <remarks>
/// <para>
/// Per-request overrides (<see cref="SupportedOverrides"/> says which apply to this configuration):
/// <see cref="RequestOverrides.ModelId"/> replaces the model; its info is the configured one only for the configured
/// model, the built-in info for the default model, and the member's info for any other id (model-specific handling,
/// such as DeepSeek R1's format and Anthropic cache breakpoints, follows the overriding id);
/// <see cref="RequestOverrides.MaxOutputTokens"/> is sent as <c>max_tokens</c>;
/// <see cref="RequestOverrides.Temperature"/> as <c>temperature</c> (otherwise 0, or 0.7 for DeepSeek R1);
/// <see cref="RequestOverrides.ReasoningEffort"/> as <c>reasoning.effort</c> (to the adaptive Opus models as
/// <c>reasoning.enabled</c> with the effort in <c>verbosity</c>), replacing the configured thinking budget
/// and effort (OpenRouter translates an effort into a budget for models that take one): <see cref="ReasoningEffort.None"/>
/// is <c>none</c>, <see cref="ReasoningEffort.ExtraHigh"/> is <c>xhigh</c>, the others keep their names.
/// </para>
/// <para>
/// A reasoning request carries no temperature, so <see cref="RequestOverrideKinds.Temperature"/> is listed only while
/// the configuration asks for no reasoning. A request that combines a temperature with reasoning (an effort above
/// <see cref="ReasoningEffort.None"/>, or a configured effort that a model override brings into play) fails with an
/// <see cref="ArgumentException"/> before anything is sent.
/// </para>
/// </remarks>
public abstract class OpenRouterShapedHandler<TOptions>
    where TOptions : ProviderOptions, IOpenRouterOptions
{
    /// <summary>The model used when no model id is set (Cline's <c>openRouterDefaultModelId</c>).</summary>
    internal const string DefaultModelId = "anthropic/claude-sonnet-4.5";

    /// <summary>The <c>HTTP-Referer</c> Cline sends to OpenRouter-shaped APIs.</summary>
    internal const string AppReferer = "https://cline.bot";

    /// <summary>The <c>X-Title</c> Cline sends to OpenRouter-shaped APIs.</summary>
    internal const string AppTitle = "Cline";

    /// <summary>Prices of the default model (Cline's <c>openRouterDefaultModelInfo</c>), used when no model info is configured for it.</summary>
    internal static readonly ModelInfo DefaultModelInfo = new()
    {
        MaxTokens = 64_000,
        ContextWindow = 200_000,
        SupportsImages = true,
        SupportsPromptCache = true,
        SupportsReasoning = true,
        InputPrice = 3m,
        OutputPrice = 15m,
        CacheWritesPrice = 3.75m,
        CacheReadsPrice = 0.30m,
    };

    /// <summary>The longest wait for one attempt of the optional usage lookup.</summary>
    private static readonly TimeSpan GenerationLookupTimeout = TimeSpan.FromSeconds(10);

    private readonly InFlightRequests _inFlight = new();
    private LastStream? _lastStream;

    private protected OpenRouterShapedHandler(string providerId, string displayName)
    {
        ProviderId = providerId;
        DisplayName = displayName;
    }

    /// <summary>The options the registry bound; the member holds them, so its generated retry reads them too.</summary>
    protected abstract TOptions Options { get; }

    private protected string ProviderId { get; }

    private protected string DisplayName { get; }

    /// <summary>Seam: where the Chat Completions requests go.</summary>
    private protected abstract Uri ChatCompletionsUri();

    /// <summary>Seam: where the usage of generation <paramref name="generationId"/> is looked up.</summary>
    private protected abstract Uri GenerationUri(string generationId);

    /// <summary>Seam: the info of a model id without a configured info; the default model's, else neutral defaults without prices.</summary>
    private protected virtual ModelInfo InfoWithoutConfiguration(string modelId) =>
        modelId == DefaultModelId ? DefaultModelInfo : OpenAiModels.SaneDefaults(modelId);

    /// <summary>Seam: headers beyond the bearer key; by default Cline's app attribution (it credits the app in OpenRouter's rankings).</summary>
    private protected virtual void AddHeaders(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("HTTP-Referer", AppReferer);
        request.Headers.TryAddWithoutValidation("X-Title", AppTitle);
    }

    /// <summary>Seam: the usage of a stream's usage chunk for <paramref name="model"/>.</summary>
    private protected virtual UsageChunk ToUsage(ChatUsage usage, ApiHandlerModel model) => ChatCompletionsStream.ToUsage(usage, model.Info);

    /// <summary>Seam: the usage of a generation record; by default the prompt less its cached tokens, and the reported cost.</summary>
    private protected virtual UsageChunk ToUsage(GenerationData data, ApiHandlerModel model)
    {
        var prompt = data.NativeTokensPrompt ?? data.TokensPrompt ?? 0;
        var cached = data.NativeTokensCached;
        return new UsageChunk(
            Math.Max(0, prompt - (cached ?? 0)),
            data.NativeTokensCompletion ?? data.TokensCompletion ?? 0,
            cached,
            null,
            data.NativeTokensReasoning,
            data.TotalCost);
    }

    /// <summary>The configured model (default <c>anthropic/claude-sonnet-4.5</c>) and its configured info, else the member's info for it.</summary>
    public ApiHandlerModel GetModel()
    {
        var id = string.IsNullOrWhiteSpace(Options.ModelId) ? DefaultModelId : Options.ModelId.Trim();
        return new ApiHandlerModel(id, Options.ModelInfo ?? InfoWithoutConfiguration(id));
    }

    /// <summary>
    /// The model, the output limit and the reasoning effort; the temperature only while the configuration asks for no
    /// reasoning. See the class remarks.
    /// </summary>
    public RequestOverrideKinds SupportedOverrides
    {
        get
        {
            var id = GetModel().Id;
            var configuredReasoning = !ReasoningFor(OpenRouterModelFamilies.IsClaudeOneMillion(id) ? id[..^OpenRouterModelFamilies.OneMillionSuffix.Length] : id, null).TakesTemperature;
            return RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.ReasoningEffort
                | (configuredReasoning ? RequestOverrideKinds.None : RequestOverrideKinds.Temperature);
        }
    }

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    /// <summary>Streams one request: the Core a member's generated <c>CreateMessageAsync</c> calls and retries, inherited, so a member declares no forward.</summary>
    private protected IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Run(_inFlight, _ => new ValueTask<HttpStreamRequest>(Prepare(systemPrompt, messages, tools, overrides)), cancellationToken);

    private HttpStreamRequest Prepare(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        var model = ModelFor(overrides);
        var state = new ChatStreamState();
        Volatile.Write(ref _lastStream, new LastStream(state, model));
        var body = JsonSerializer.SerializeToUtf8Bytes(BuildRequest(model, systemPrompt, messages, tools, overrides), OpenRouterJsonContext.Default.OpenRouterRequest);
        var request = ProviderHttp.JsonStreamPost(ChatCompletionsUri(), body);
        ProviderHttp.SetBearer(request, Options.ApiKey);
        AddHeaders(request);
        return ChatCompletionsCall.Request(
            request,
            ProviderId,
            Options,
            [Options.ApiKey],
            (stream, token) => ChatCompletionsStream.ReadAsync(stream, ProviderId, Options, model.Info, state, token, (usage, _) => ToUsage(usage, model)));
    }

    /// <summary>
    /// The usage of the last stream when it carried none, looked up at <see cref="GenerationUri"/>; a member's
    /// <c>[WithRetry]</c> <c>GetApiStreamUsageAsync</c> calls this Core (inherited), retried because the record appears with a delay.
    /// <see langword="null"/> when the stream had usage or no id. Each attempt waits at most 10 s (or
    /// <c>requestTimeoutMs</c> when shorter); a failure is a <see cref="ProviderException"/>.
    /// </summary>
    private protected async ValueTask<UsageChunk?> GetApiStreamUsageCoreAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lastStream) is not { State: { SawUsage: false, GenerationId: { } generationId } stream } last)
        {
            return null;
        }

        // Only the bearer key, as Cline's lookups send: the attribution headers belong to the chat request.
        using var request = new HttpRequestMessage(HttpMethod.Get, GenerationUri(generationId));
        ProviderHttp.SetBearer(request, Options.ApiKey);

        // The lookup is optional: each attempt is bounded by a short timeout, not the ten minutes a model may need to load.
        var limit = Options.RequestTimeout < GenerationLookupTimeout ? Options.RequestTimeout : GenerationLookupTimeout;
        using var timeout = new CancellationTokenSource(limit, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        GenerationResponse? body;
        try
        {
            using var response = await ProviderHttp.SendAsync(
                ProviderHttp.ClientFor(Options), request, ProviderId, Options, secrets: [Options.ApiKey], cancellationToken: linked.Token).ConfigureAwait(false);
            var bytes = await ProviderHttp.ReadBodyAsync(response, ProviderId, Options, limit, linked.Token).ConfigureAwait(false);
            body = JsonSerializer.Deserialize(bytes, OpenRouterJsonContext.Default.GenerationResponse);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(ProviderId, $"The {DisplayName} generation lookup did not answer within {limit.TotalSeconds:0.#} s.", isRetryable: true, innerException: ex)
            {
                ErrorType = "lookup_timeout",
            };
        }
        catch (JsonException ex)
        {
            throw new ProviderException(ProviderId, $"The {DisplayName} generation lookup answered with malformed JSON.", isRetryable: true, innerException: ex)
            {
                ErrorType = "malformed_response",
            };
        }

        if (body?.Record is not { } data)
        {
            return null;
        }

        // Counted once: a second call for the same stream adds nothing.
        stream.SawUsage = true;
        return ToUsage(data, last.Model);
    }

    internal OpenRouterRequest BuildRequest(
        ApiHandlerModel model, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        // Cline's :1m Claude ids name no OpenRouter model: the suffix goes, and the upstreams that serve 1M are pinned.
        var oneMillion = OpenRouterModelFamilies.IsClaudeOneMillion(model.Id);
        var wireId = oneMillion ? model.Id[..^OpenRouterModelFamilies.OneMillionSuffix.Length] : model.Id;

        // DeepSeek R1 and its kin want alternating roles and their recommended sampling.
        var isR1 = OpenRouterModelFamilies.UsesR1Format(wireId);
        var wireMessages = isR1
            ? OpenAiMessageConverter.ToDeepSeekReasonerMessages(systemPrompt, messages)
            : OpenAiMessageConverter.ToChatMessages(systemPrompt, "system", messages, includeReasoningDetails: true);
        if (OpenRouterModelFamilies.NeedsCacheBreakpoints(wireId))
        {
            CacheBreakpoints.Add(wireMessages);
        }

        var request = new OpenRouterRequest
        {
            Model = wireId,
            Messages = wireMessages,
            Temperature = overrides.Temperature ?? (isR1 ? 0.7 : OpenRouterModelFamilies.IsGemini3(wireId) ? 1.0 : 0),
            TopP = isR1 ? 0.95 : null,
            MaxTokens = overrides.MaxOutputTokens ?? (model.Info.MaxTokens is > 0 and var max ? max : null),
            Provider = oneMillion
                ? new OpenRouterProviderPreferences { Order = OpenRouterModelFamilies.OneMillionProviders, AllowFallbacks = false }
                : string.IsNullOrWhiteSpace(Options.ProviderSorting) ? null : new OpenRouterProviderPreferences { Sort = Options.ProviderSorting.Trim() },
            Tools = OpenAiHandler.ToWireTools(tools),
            ToolChoice = tools is { Count: > 0 } ? "auto" : null,
        };

        var plan = ReasoningFor(wireId, overrides.ReasoningEffort);
        request.Reasoning = plan.Reasoning;
        request.Verbosity = plan.Verbosity;
        request.IncludeReasoning = plan.IncludeReasoning;
        if (!plan.TakesTemperature)
        {
            if (overrides.Temperature is not null)
            {
                throw new ArgumentException(
                    $"A request to '{model.Id}' that reasons takes no temperature; drop the temperature or ask for ReasoningEffort.None.", nameof(overrides));
            }

            request.Temperature = null;
            request.TopP = null;
        }

        return request;
    }

    /// <summary>
    /// How a request to <paramref name="wireId"/> reasons, by Cline's rules: the adaptive Opus models are switched on
    /// with <c>reasoning.enabled</c> and their effort goes in <c>verbosity</c>; the Claude budget models and models that
    /// take no effort get <c>reasoning.max_tokens</c> from the budget; Gemini, GPT, o-series and Grok get
    /// <c>reasoning.effort</c>. An override replaces the configured budget and effort.
    /// </summary>
    private ReasoningPlan ReasoningFor(string wireId, ReasoningEffort? overrideEffort)
    {
        var skips = OpenRouterModelFamilies.SkipsReasoning(wireId);
        if (OpenRouterModelFamilies.ThinksAdaptively(wireId))
        {
            var effort = overrideEffort is { } o ? EffortName(o)
                : !string.IsNullOrWhiteSpace(Options.ReasoningEffort) ? OpenRouterModelFamilies.NormalizeEffort(Options.ReasoningEffort)
                : Options.ThinkingBudgetTokens is > 0 ? "high"
                : "none";
            return effort == "none"
                ? new ReasoningPlan(null, null, IncludeReasoning: false, TakesTemperature: false)
                : new ReasoningPlan(new OpenRouterReasoning { Enabled = true }, effort, IncludeReasoning: true, TakesTemperature: false);
        }

        if (overrideEffort is { } effortOverride)
        {
            return new ReasoningPlan(
                new OpenRouterReasoning { Effort = EffortName(effortOverride) },
                null,
                IncludeReasoning: !skips && effortOverride != ReasoningEffort.None,
                TakesTemperature: effortOverride == ReasoningEffort.None);
        }

        var takesEffort = OpenRouterModelFamilies.TakesReasoningEffort(wireId);
        if (Options.ThinkingBudgetTokens is > 0 and var budget && (OpenRouterModelFamilies.TakesClaudeBudget(wireId) || !takesEffort))
        {
            // Extended thinking does not allow a temperature.
            return new ReasoningPlan(new OpenRouterReasoning { MaxTokens = budget }, null, IncludeReasoning: !skips, TakesTemperature: false);
        }

        if (takesEffort && !string.IsNullOrWhiteSpace(Options.ReasoningEffort))
        {
            var effort = OpenRouterModelFamilies.NormalizeEffort(Options.ReasoningEffort);
            return effort == "none"
                ? new ReasoningPlan(null, null, IncludeReasoning: false, TakesTemperature: true)
                : new ReasoningPlan(new OpenRouterReasoning { Effort = effort }, null, IncludeReasoning: !skips, TakesTemperature: false);
        }

        return new ReasoningPlan(null, null, IncludeReasoning: !skips, TakesTemperature: true);
    }

    private sealed record ReasoningPlan(OpenRouterReasoning? Reasoning, string? Verbosity, bool IncludeReasoning, bool TakesTemperature);

    /// <summary>What the usage lookup needs of the last stream: its state and the model it used.</summary>
    private sealed record LastStream(ChatStreamState State, ApiHandlerModel Model);

    /// <summary>The configured model, or the overriding one with the default model's info or the member's, never the configured model's info.</summary>
    private ApiHandlerModel ModelFor(RequestOverrides overrides) => ModelSelection.For(GetModel(), overrides, InfoWithoutConfiguration);

    private static string EffortName(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        _ => "xhigh",
    };
}
