namespace Providers.Gemini;

/// <summary>
/// Streams from Google's Gemini API (<c>models/{model}:streamGenerateContent?alt=sse</c>): answer text, thought
/// summaries as reasoning, function calls, thought signatures (yielded for the next turn and sent back on the part they
/// came with), and usage with cached and thought tokens priced from the model table.
/// </summary>
/// <remarks>
/// <para>
/// The key travels in the <c>x-goog-api-key</c> header only, so it never appears in a URL a proxy or a log could keep.
/// </para>
/// <para>
/// Per-request overrides: <see cref="RequestOverrides.ModelId"/> (resolved through the model table like a configured
/// one), <see cref="RequestOverrides.MaxOutputTokens"/> as <c>maxOutputTokens</c>, <see cref="RequestOverrides.Temperature"/>
/// (otherwise 1, Cline's value) and, for models that think, <see cref="RequestOverrides.ReasoningEffort"/>: a thinking
/// level for Gemini 3 (<see cref="ReasoningEffort.High"/> and above are <c>high</c>, the rest <c>low</c>), a budget for
/// Gemini 2.5 (1024, 4096, 16000, 32000 tokens, clipped to the model's range; <see cref="ReasoningEffort.None"/> turns
/// thinking off where the model allows it).
/// </para>
/// </remarks>
[Provider("gemini", DisplayName = "Google Gemini")]
[WithRetry]
public sealed partial class GeminiHandler : IApiHandlerWithOverrides
{
    private const string ProviderId = "gemini";
    private readonly GeminiOptions _options;
    private readonly GeminiModel _model;
    private readonly string _root;
    private readonly Providers.Http.InFlightRequests _inFlight = new();

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ProviderConfigurationException">The API key is missing or the thinking budget is negative.</exception>
    public GeminiHandler(GeminiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<SettingProblem>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            problems.Add(new SettingProblem("geminiApiKey", "missing: set your Gemini API key (aistudio.google.com, Get API key)"));
        }

        GeminiCore.CheckThinkingBudget(options.ThinkingBudgetTokens, problems);

        if (problems.Count > 0)
        {
            throw new ProviderConfigurationException(ProviderId, problems);
        }

        _options = options;
        _model = GeminiModels.Resolve(ModelPath(string.IsNullOrWhiteSpace(options.ModelId) ? GeminiOptions.DefaultModelId : options.ModelId));
        _root = options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => new(_model.Id, _model.Info);

    /// <summary>The model, the output limit, the temperature and, when the configured model thinks, the reasoning effort.</summary>
    public RequestOverrideKinds SupportedOverrides =>
        RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens | RequestOverrideKinds.Temperature
        | (_model.Thinking.Kind == GeminiThinkingKind.None ? RequestOverrideKinds.None : RequestOverrideKinds.ReasoningEffort);

    /// <summary>The streaming URL of <paramref name="modelId"/> under the API root <paramref name="root"/>.</summary>
    internal static Uri StreamUri(string root, string modelId) =>
        new($"{root}/v1beta/models/{Uri.EscapeDataString(modelId)}:streamGenerateContent?alt=sse");

    /// <summary>A model id without the <c>models/</c> prefix the API's own listings use.</summary>
    internal static string ModelPath(string id)
    {
        id = id.Trim();
        return id.StartsWith("models/", StringComparison.Ordinal) ? id["models/".Length..] : id;
    }

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        Providers.Http.HttpStreamCall.Run(_inFlight, _ => new ValueTask<Providers.Http.HttpStreamRequest>(Prepare(systemPrompt, messages, tools, overrides)), cancellationToken);

    private Providers.Http.HttpStreamRequest Prepare(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        var model = string.IsNullOrWhiteSpace(overrides.ModelId) ? _model : GeminiModels.Resolve(ModelPath(overrides.ModelId));
        var body = GeminiCore.Body(model, systemPrompt, messages, tools, overrides, _options.ThinkingBudgetTokens, _options.ReasoningEffort);
        var request = GeminiCore.Request(StreamUri(_root, model.Id), body);
        request.Headers.TryAddWithoutValidation("x-goog-api-key", _options.ApiKey);
        return GeminiCore.StreamRequest(request, model, ProviderId, _options, [_options.ApiKey]);
    }
}
