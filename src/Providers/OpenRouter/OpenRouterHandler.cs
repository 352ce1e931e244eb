using System.Runtime.CompilerServices;
using System.Text.Json;
using Providers.Http;
using Providers.OpenAi;
using Providers.OpenAiCompatible;

namespace Providers.OpenRouter;

/// <summary>
/// The <c>openrouter</c> provider: OpenAI-shaped Chat Completions through OpenRouter, with its reasoning details,
/// explicit prompt caching (<c>cache_control</c>) for the families that need it, reasoning per model family, provider
/// sorting, Cline's <c>HTTP-Referer</c>/<c>X-Title</c> attribution, cost in the usage, and a usage lookup by
/// generation id when the stream carried none. The per-family rules are Cline's (<see cref="OpenRouterModelFamilies"/>).
/// </summary>
/// <remarks>
/// <para>
/// Per-request overrides (<see cref="SupportedOverrides"/> says which apply to this configuration):
/// <see cref="RequestOverrides.ModelId"/> replaces the model; its info is the configured one only for the configured
/// model, the built-in info for the default model, and neutral defaults without prices for any other id (model-specific
/// handling, such as DeepSeek R1's format and Anthropic cache breakpoints, follows the overriding id);
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
[Provider("openrouter", DisplayName = "OpenRouter")]
[WithRetry]
public sealed partial class OpenRouterHandler : IApiHandlerWithOverrides
{
    private const string ProviderId = "openrouter";

    /// <summary>The <c>HTTP-Referer</c> Cline sends to OpenRouter.</summary>
    internal const string AppReferer = "https://cline.bot";

    /// <summary>The <c>X-Title</c> Cline sends to OpenRouter.</summary>
    internal const string AppTitle = "Cline";

    /// <summary>Prices of the default model, used when no model info is configured for it.</summary>
    private static readonly ModelInfo DefaultModelInfo = new()
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

    private readonly OpenRouterOptions _options;
    private readonly InFlightRequests _inFlight = new();
    private ChatStreamState? _lastStream;

    /// <summary>Creates the handler; the registry binds <paramref name="options"/> from settings.</summary>
    /// <exception cref="ProviderConfigurationException">The API key is missing.</exception>
    public OpenRouterHandler(OpenRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(Generated.ProvidersProviderFactories.OpenrouterDescriptor);
        problems.AddIfBlank(nameof(options.ApiKey), options.ApiKey, "set your OpenRouter API key (openrouter.ai/settings/keys)");
        problems.ThrowIfAny();
        _options = options;
    }

    /// <summary>The configured model (default <see cref="OpenRouterOptions.DefaultModelId"/>) and its configured info, else neutral defaults.</summary>
    public ApiHandlerModel GetModel()
    {
        var id = string.IsNullOrWhiteSpace(_options.ModelId) ? OpenRouterOptions.DefaultModelId : _options.ModelId.Trim();
        var info = _options.ModelInfo ?? (id == OpenRouterOptions.DefaultModelId ? DefaultModelInfo : OpenAiModels.SaneDefaults(id));
        return new ApiHandlerModel(id, info);
    }

    /// <summary>
    /// The usage of the last stream when it carried none, looked up at <c>GET {base}/generation?id=…</c>; retried
    /// because the generation record appears with a delay. <see langword="null"/> when the stream had usage or no id.
    /// Bounded: each attempt waits at most 10 s (or <c>requestTimeoutMs</c> when shorter), with 3 retries; a failure is
    /// a <see cref="ProviderException"/> that leaves the streamed answer as it was.
    /// </summary>
    [WithRetry(MaxRetries = 3, BaseDelayMs = 250, MaxDelayMs = 1000, RetryAllErrors = true)]
    public partial ValueTask<UsageChunk?> GetApiStreamUsageAsync(CancellationToken cancellationToken = default);

    private async ValueTask<UsageChunk?> GetApiStreamUsageCoreAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lastStream) is not { SawUsage: false, GenerationId: { } generationId } stream)
        {
            return null;
        }

        var url = new Uri($"{BaseUrl()}/generation?id={Uri.EscapeDataString(generationId)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        ProviderHttp.SetBearer(request, _options.ApiKey);

        // The lookup is optional: each attempt is bounded by a short timeout, not the ten minutes a model may need to load.
        var limit = _options.RequestTimeout < GenerationLookupTimeout ? _options.RequestTimeout : GenerationLookupTimeout;
        using var timeout = new CancellationTokenSource(limit, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        GenerationResponse? body;
        try
        {
            using var response = await ProviderHttp.SendAsync(
                ProviderHttp.ClientFor(_options), request, ProviderId, _options, secrets: [_options.ApiKey], cancellationToken: linked.Token).ConfigureAwait(false);
            var bytes = await ProviderHttp.ReadBodyAsync(response, ProviderId, _options, limit, linked.Token).ConfigureAwait(false);
            body = JsonSerializer.Deserialize(bytes, OpenRouterJsonContext.Default.GenerationResponse);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(ProviderId, $"The OpenRouter generation lookup did not answer within {limit.TotalSeconds:0.#} s.", isRetryable: true, innerException: ex)
            {
                ErrorType = "lookup_timeout",
            };
        }
        catch (JsonException ex)
        {
            throw new ProviderException(ProviderId, "The OpenRouter generation lookup answered with malformed JSON.", isRetryable: true, innerException: ex)
            {
                ErrorType = "malformed_response",
            };
        }

        if (body?.Data is not { } data)
        {
            return null;
        }

        // Counted once: a second call for the same stream adds nothing.
        stream.SawUsage = true;
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

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        using var inFlight = _inFlight.Begin(cancellationToken);
        cancellationToken = inFlight.Token;
        overrides = overrides.Only(SupportedOverrides);
        var model = ModelFor(overrides);
        var state = new ChatStreamState();
        Volatile.Write(ref _lastStream, state);
        var body = JsonSerializer.SerializeToUtf8Bytes(BuildRequest(model, systemPrompt, messages, tools, overrides), OpenRouterJsonContext.Default.OpenRouterRequest);
        var request = OpenAiHttp.JsonPost(new Uri(BaseUrl() + "/chat/completions"), body);
        ProviderHttp.SetBearer(request, _options.ApiKey);
        AddAppAttribution(request);
        var chunks = ChatCompletionsCall.StreamAsync(
            request, ProviderId, _options, [_options.ApiKey], stream => ChatCompletionsStream.ReadAsync(stream, ProviderId, _options, model.Info, state, cancellationToken), cancellationToken);
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            yield return chunk;
        }
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
            AddCacheBreakpoints(wireMessages);
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
                : string.IsNullOrWhiteSpace(_options.ProviderSorting) ? null : new OpenRouterProviderPreferences { Sort = _options.ProviderSorting.Trim() },
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
                : !string.IsNullOrWhiteSpace(_options.ReasoningEffort) ? OpenRouterModelFamilies.NormalizeEffort(_options.ReasoningEffort)
                : _options.ThinkingBudgetTokens is > 0 ? "high"
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
        if (_options.ThinkingBudgetTokens is > 0 and var budget && (OpenRouterModelFamilies.TakesClaudeBudget(wireId) || !takesEffort))
        {
            // Extended thinking does not allow a temperature.
            return new ReasoningPlan(new OpenRouterReasoning { MaxTokens = budget }, null, IncludeReasoning: !skips, TakesTemperature: false);
        }

        if (takesEffort && !string.IsNullOrWhiteSpace(_options.ReasoningEffort))
        {
            var effort = OpenRouterModelFamilies.NormalizeEffort(_options.ReasoningEffort);
            return effort == "none"
                ? new ReasoningPlan(null, null, IncludeReasoning: false, TakesTemperature: true)
                : new ReasoningPlan(new OpenRouterReasoning { Effort = effort }, null, IncludeReasoning: !skips, TakesTemperature: false);
        }

        return new ReasoningPlan(null, null, IncludeReasoning: !skips, TakesTemperature: true);
    }

    private sealed record ReasoningPlan(OpenRouterReasoning? Reasoning, string? Verbosity, bool IncludeReasoning, bool TakesTemperature);

    /// <summary>The configured model, or the overriding one with the default model's info or neutral defaults, never the configured model's info.</summary>
    private ApiHandlerModel ModelFor(RequestOverrides overrides) =>
        ModelSelection.For(GetModel(), overrides, id => id == OpenRouterOptions.DefaultModelId ? DefaultModelInfo : OpenAiModels.SaneDefaults(id));

    private static string EffortName(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        _ => "xhigh",
    };

    /// <summary>
    /// Anthropic prompt caching, as the Anthropic provider does it: breakpoints on the system prompt and on the last text
    /// part of the last two user messages, so the next request reads what this one wrote.
    /// </summary>
    internal static void AddCacheBreakpoints(List<WireMessage> messages)
    {
        if (messages.Count > 0 && messages[0].Role == "system" && messages[0].Content is { } system)
        {
            system.AsParts()[^1].CacheControl = true;
        }

        var marked = 0;
        for (var i = messages.Count - 1; i >= 0 && marked < 2; i--)
        {
            if (messages[i].Role != "user" || messages[i].Content is not { } content)
            {
                continue;
            }

            var parts = content.AsParts();
            if (parts.FindLast(p => p.Type == "text") is not { } lastText)
            {
                // A breakpoint needs a text part: an image-only message gets a placeholder one, as Cline does.
                lastText = WirePart.OfText("...");
                parts.Add(lastText);
            }

            lastText.CacheControl = true;

            marked++;
        }
    }

    /// <summary>OpenRouter's app attribution headers, with the values Cline sends (they credit the app in OpenRouter's rankings).</summary>
    private static void AddAppAttribution(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("HTTP-Referer", AppReferer);
        request.Headers.TryAddWithoutValidation("X-Title", AppTitle);
    }

    private string BaseUrl() => _options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
