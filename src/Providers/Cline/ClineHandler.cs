using Providers.OpenAi;
using Providers.OpenRouter;

namespace Providers.Cline;

/// <summary>
/// The <c>cline</c> provider: Cline's own account API (docs.cline.bot, "Cline API"), OpenRouter-shaped at
/// <c>{host}/api/v1/chat/completions</c>, so it runs on the <c>openrouter</c> core
/// (<see cref="OpenRouterShapedHandler{TOptions}"/>): reasoning details, cache breakpoints, reasoning per family,
/// provider sorting, cost in the usage and the usage lookup by generation id. Quirks, as Cline's handler has them: the
/// account token as the bearer key, the task id in <c>X-Task-ID</c>, a model id without info gets the default model's
/// info, the lookup lives at <c>{host}/generation</c> and subtracts cache writes as well as reads from the prompt,
/// and Cline's free models cost nothing.
/// </summary>
[Provider("cline", DisplayName = "Cline")]
[WithRetry]
public sealed partial class ClineHandler : OpenRouterShapedHandler<ClineOptions>, IApiHandlerWithOverrides
{
    /// <summary>Cline's free models (its recommended-models fallback list): usage on them costs nothing.</summary>
    private static readonly HashSet<string> FreeModels = new(StringComparer.OrdinalIgnoreCase)
    {
        "kwaipilot/kat-coder-pro",
        "arcee-ai/trinity-large-preview:free",
    };

    private readonly ClineOptions _options;

    /// <summary>Creates the handler; the registry binds <paramref name="options"/> from settings.</summary>
    /// <exception cref="ProviderConfigurationException">The key is missing.</exception>
    public ClineHandler(ClineOptions options)
        : base("cline", "Cline")
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(Generated.ProvidersProviderFactories.ClineDescriptor);
        problems.AddIfBlank(
            nameof(options.ApiKey), options.ApiKey, "set a Cline API key (app.cline.bot, Settings, API Keys) or the account token Cline signs in with");
        problems.ThrowIfAny();
        _options = options;
    }

    /// <inheritdoc/>
    protected override ClineOptions Options => _options;

    /// <summary>The usage of a stream that carried none, looked up at <c>GET {host}/generation?id=…</c> as Cline does; as for <c>openrouter</c>.</summary>
    [WithRetry(MaxRetries = 3, BaseDelayMs = 250, MaxDelayMs = 1000, RetryAllErrors = true)]
    public partial ValueTask<UsageChunk?> GetApiStreamUsageAsync(CancellationToken cancellationToken = default);

    private protected override Uri ChatCompletionsUri() => new(Host() + "/api/v1/chat/completions");

    private protected override Uri GenerationUri(string generationId) => new($"{Host()}/generation?id={Uri.EscapeDataString(generationId)}");

    /// <summary>Cline describes a model it has no info for with the default model's info, never a different model.</summary>
    private protected override ModelInfo InfoWithoutConfiguration(string modelId) => DefaultModelInfo;

    private protected override void AddHeaders(HttpRequestMessage request)
    {
        base.AddHeaders(request);
        if (!string.IsNullOrWhiteSpace(_options.TaskId))
        {
            request.Headers.TryAddWithoutValidation("X-Task-ID", _options.TaskId.Trim());
        }
    }

    private protected override UsageChunk ToUsage(ChatUsage usage, ApiHandlerModel model)
    {
        var chunk = base.ToUsage(usage, model);
        return IsFree(model) ? chunk with { TotalCost = 0 } : chunk;
    }

    private protected override UsageChunk ToUsage(GenerationData data, ApiHandlerModel model)
    {
        var cached = data.NativeTokensCached ?? 0;
        var written = data.NativeTokensCacheWrite ?? 0;
        return new UsageChunk(
            Math.Max(0, (data.NativeTokensPrompt ?? 0) - cached - written),
            data.NativeTokensCompletion ?? 0,
            cached,
            written,
            data.NativeTokensReasoning,
            IsFree(model) ? 0 : data.TotalCost ?? 0);
    }

    private static bool IsFree(ApiHandlerModel model) => FreeModels.Contains(model.Id.Trim());

    private string Host() => _options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
