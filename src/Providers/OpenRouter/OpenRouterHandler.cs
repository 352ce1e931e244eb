namespace Providers.OpenRouter;

/// <summary>
/// The <c>openrouter</c> provider: OpenAI-shaped Chat Completions through OpenRouter, with its reasoning details,
/// explicit prompt caching (<c>cache_control</c>) for the families that need it, reasoning per model family, provider
/// sorting, Cline's <c>HTTP-Referer</c>/<c>X-Title</c> attribution, cost in the usage, and a usage lookup by
/// generation id when the stream carried none. The core is <see cref="OpenRouterShapedHandler{TOptions}"/>, whose
/// remarks list the per-request overrides.
/// </summary>
[Provider("openrouter", DisplayName = "OpenRouter")]
[WithRetry]
public sealed partial class OpenRouterHandler : OpenRouterShapedHandler<OpenRouterOptions>, IApiHandlerWithOverrides
{
    private readonly OpenRouterOptions _options;

    /// <summary>Creates the handler; the registry binds <paramref name="options"/> from settings.</summary>
    /// <exception cref="ProviderConfigurationException">The API key is missing.</exception>
    public OpenRouterHandler(OpenRouterOptions options)
        : base("openrouter", "OpenRouter")
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(Generated.ProvidersProviderFactories.OpenrouterDescriptor);
        problems.AddIfBlank(nameof(options.ApiKey), options.ApiKey, "set your OpenRouter API key (openrouter.ai/settings/keys)");
        problems.ThrowIfAny();
        _options = options;
    }

    /// <inheritdoc/>
    protected override OpenRouterOptions Options => _options;

    /// <summary>
    /// The usage of the last stream when it carried none, looked up at <c>GET {base}/generation?id=…</c>; retried
    /// because the generation record appears with a delay. <see langword="null"/> when the stream had usage or no id.
    /// Bounded: each attempt waits at most 10 s (or <c>requestTimeoutMs</c> when shorter), with 3 retries; a failure is
    /// a <see cref="ProviderException"/> that leaves the streamed answer as it was.
    /// </summary>
    [WithRetry(MaxRetries = 3, BaseDelayMs = 250, MaxDelayMs = 1000, RetryAllErrors = true)]
    public partial ValueTask<UsageChunk?> GetApiStreamUsageAsync(CancellationToken cancellationToken = default);

    private protected override Uri ChatCompletionsUri() => new(BaseUrl() + "/chat/completions");

    private protected override Uri GenerationUri(string generationId) => new($"{BaseUrl()}/generation?id={Uri.EscapeDataString(generationId)}");

    private string BaseUrl() => _options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
