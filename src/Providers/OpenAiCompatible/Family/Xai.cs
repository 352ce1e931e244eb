using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>xai</c> provider: <c>xaiApiKey</c>, <c>xaiBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>, and the reasoning effort.</summary>
public sealed class XaiOptions : OpenAiCompatibleOptions
{
    /// <summary>
    /// The reasoning effort of <c>grok-3-mini</c>, the model that takes one: <c>low</c> or <c>high</c> (settings
    /// <c>planModeReasoningEffort</c> / <c>actModeReasoningEffort</c>); other values are not sent.
    /// </summary>
    [PerMode, SettingKey("reasoningEffort")] public string? ReasoningEffort { get; set; }
}

/// <summary>
/// The <c>xai</c> provider: OpenAI-compatible Chat Completions (docs.x.ai). Quirks: only <c>grok-3-mini</c> takes
/// <c>reasoning_effort</c>, and only <c>low</c> or <c>high</c>; Grok 4 streams a reasoning placeholder, not its
/// reasoning, so its reasoning deltas are not shown (as in Cline).
/// </summary>
[Provider("xai", DisplayName = "xAI"), WithRetry]
public sealed partial class XaiHandler(XaiOptions options)
    : OpenAiCompatibleHandler<XaiOptions>(new("xai", "https://api.x.ai/v1", "grok-4", "xai")), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override XaiOptions Options => options;

    /// <summary>The model, the output limit and the temperature; the reasoning effort too while the configured model takes one.</summary>
    public override RequestOverrideKinds SupportedOverrides =>
        base.SupportedOverrides | (TakesEffort(GetModel().Id) ? RequestOverrideKinds.ReasoningEffort : RequestOverrideKinds.None);

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        if (!TakesEffort(model.Id))
        {
            return;
        }

        // xAI documents two levels; None asks for the least, anything above Low for the most.
        request.ReasoningEffort = overrides.ReasoningEffort switch
        {
            null => Options.ReasoningEffort?.Trim().ToLowerInvariant() switch { "low" => "low", "high" => "high", _ => null },
            ReasoningEffort.None or ReasoningEffort.Low => "low",
            _ => "high",
        };
    }

    private protected override bool ShowsReasoning(ApiHandlerModel model) => !model.Id.Contains("grok-4", StringComparison.OrdinalIgnoreCase);

    private static bool TakesEffort(string modelId) => modelId.Contains("3-mini", StringComparison.OrdinalIgnoreCase);
}
