using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>
/// Options of the <c>requesty</c> provider: <c>requestyApiKey</c>, <c>requestyBaseUrl</c> (default
/// <c>https://router.requesty.ai/v1</c>), <c>planModeRequestyModelId</c> / <c>actModeRequestyModelId</c>,
/// <c>planModeRequestyModelInfo</c> / <c>actModeRequestyModelInfo</c>, and the reasoning effort.
/// </summary>
public sealed class RequestyOptions : OpenAiCompatibleRouterOptions
{
    /// <summary>The reasoning effort of OpenAI's o-series models (settings <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>), default <c>medium</c>.</summary>
    [PerMode, SettingKey("reasoningEffort")] public string? ReasoningEffort { get; set; }
}

/// <summary>
/// The <c>requesty</c> provider: the Requesty router (docs.requesty.ai). Quirk: <c>openai/o…</c> models get
/// <c>reasoning_effort</c> and no temperature.
/// </summary>
[Provider("requesty", DisplayName = "Requesty"), WithRetry]
public sealed partial class RequestyHandler(RequestyOptions options)
    : OpenAiCompatibleHandler<RequestyOptions>(new("requesty", "https://router.requesty.ai/v1", "anthropic/claude-3-7-sonnet-latest")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override RequestyOptions Options => options;

    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken) =>
        StreamAsync(systemPrompt, messages, tools, overrides, cancellationToken);

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        if (model.Id.StartsWith("openai/o", StringComparison.OrdinalIgnoreCase))
        {
            request.ReasoningEffort = string.IsNullOrWhiteSpace(options.ReasoningEffort) ? "medium" : options.ReasoningEffort.Trim().ToLowerInvariant();
            request.Temperature = null;
        }
    }
}
