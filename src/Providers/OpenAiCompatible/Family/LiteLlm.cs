namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>litellm</c> provider, under Cline's keys.</summary>
public sealed class LiteLlmOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>The proxy's key, if it wants one (setting <c>liteLlmApiKey</c>).</summary>
    [SettingKey("liteLlmApiKey")] public string? ApiKey { get; set; }

    /// <summary>The LiteLLM proxy (setting <c>liteLlmBaseUrl</c>), default <c>http://localhost:4000</c>.</summary>
    [SettingKey("liteLlmBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>The model name the proxy serves (settings <c>planModeLiteLlmModelId</c> / <c>actModeLiteLlmModelId</c>), default <c>anthropic/claude-3-7-sonnet-20250219</c>.</summary>
    [PerMode, SettingKey("liteLlmModelId")] public string? ModelId { get; set; }

    /// <summary>What is known about the model (settings <c>planModeLiteLlmModelInfo</c> / <c>actModeLiteLlmModelInfo</c>).</summary>
    [PerMode, SettingKey("liteLlmModelInfo")] public ModelInfo? ModelInfo { get; set; }
}

/// <summary>
/// The <c>litellm</c> provider: a LiteLLM proxy (docs.litellm.ai), OpenAI-compatible whatever the model behind it.
/// Temperature 1 unless the request sets one, as Cline sends. Quirk: without a configured model info, the model's
/// prices come from the proxy's own list (<see cref="LiteLlmModelInfo"/>), so usage carries a cost.
/// </summary>
[Provider("litellm", DisplayName = "LiteLLM"), WithRetry]
public sealed partial class LiteLlmHandler(LiteLlmOptions options)
    : OpenAiCompatibleHandler<LiteLlmOptions>(new("litellm", "http://localhost:4000", "anthropic/claude-3-7-sonnet-20250219") { Temperature = 1 }), IApiHandlerWithOverrides
{
    private LiteLlmModelInfo? _serverInfo;

    /// <inheritdoc/>
    protected override LiteLlmOptions Options => options;

    private protected override async ValueTask<ApiHandlerModel> DescribeAsync(ApiHandlerModel model, CancellationToken cancellationToken)
    {
        if (options.ModelInfo is not null && model.Id == GetModel().Id)
        {
            return model;
        }

        _serverInfo ??= new LiteLlmModelInfo(options, BaseUrl());
        return await _serverInfo.FindAsync(model.Id, cancellationToken).ConfigureAwait(false) is { } info ? model with { Info = info } : model;
    }

    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken) =>
        StreamAsync(systemPrompt, messages, tools, overrides, cancellationToken);
}
