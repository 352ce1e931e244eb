using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>
/// Options of the <c>moonshot</c> provider: <c>moonshotApiKey</c>, <c>moonshotBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>,
/// and <c>moonshotApiLine</c>: <c>china</c> for the mainland endpoint, otherwise the international one.
/// </summary>
public sealed class MoonshotOptions : OpenAiCompatibleOptions
{
    /// <summary>The regional API line (setting <c>moonshotApiLine</c>): <c>china</c> or <c>international</c>.</summary>
    public string? ApiLine { get; set; }
}

/// <summary>
/// The <c>moonshot</c> provider: Kimi through Moonshot's OpenAI-compatible API (platform.moonshot.ai), on the
/// international or the mainland line. Reasoning arrives in <c>reasoning_content</c>. Quirks, as Cline and Moonshot's
/// model parameter reference ask:
/// <list type="bullet">
/// <item>Each model's documented temperature from the table (<c>kimi-k2</c> series 0.6, the thinking models and
/// <c>kimi-k2.5</c> 1.0); a model outside the table gets none, so the server's default applies. The <c>kimi-k2.5</c>
/// and <c>kimi-k2.6</c> temperatures cannot be changed: no temperature override is offered for them, and a request
/// that brings one to them fails before anything is sent.</item>
/// <item>The model's output limit as <c>max_tokens</c>, unless the request sets one.</item>
/// <item>Usage: Moonshot's top-level <c>cached_tokens</c> as cache reads.</item>
/// </list>
/// </summary>
[Provider("moonshot", DisplayName = "Moonshot"), WithRetry]
public sealed partial class MoonshotHandler(MoonshotOptions options)
    : OpenAiCompatibleHandler<MoonshotOptions>(International), IApiHandlerWithOverrides
{
    private static readonly OpenAiCompatibleProfile International =
        new("moonshot", "https://api.moonshot.ai/v1", "kimi-k2-0905-preview", "moonshot") { Temperature = null };

    private static readonly string[] FixedTemperatureModels = ["kimi-k2.5", "kimi-k2.6"];

    private static readonly OpenAiCompatibleProfile China = International with { BaseUrl = new Uri("https://api.moonshot.cn/v1") };

    /// <inheritdoc/>
    protected override MoonshotOptions Options => options;

    private protected override OpenAiCompatibleProfile Profile => OpenAiCompatible.ApiLine.IsChina(options.ApiLine) ? China : International;

    /// <summary>The model, the output limit, and the temperature unless the configured model's is fixed.</summary>
    public override RequestOverrideKinds SupportedOverrides =>
        HasFixedTemperature(GetModel().Id) ? base.SupportedOverrides & ~RequestOverrideKinds.Temperature : base.SupportedOverrides;

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        if (overrides.Temperature is not null && HasFixedTemperature(model.Id))
        {
            throw new ArgumentException(
                $"The temperature of '{model.Id}' cannot be changed (Moonshot fixes it); drop the temperature override for this model.", nameof(overrides));
        }

        request.Temperature = overrides.Temperature ?? model.Info.Temperature;
        request.MaxTokens ??= model.Info.MaxTokens;
    }

    private protected override UsageChunk ToUsage(ChatUsage usage, ModelInfo modelInfo) =>
        CacheUsage.Of(usage, modelInfo, cacheRead: CacheUsage.First(usage.CachedTokens, usage.PromptTokensDetails?.CachedTokens), cacheWrite: null);

    private static bool HasFixedTemperature(string modelId) =>
        FixedTemperatureModels.Any(m => modelId.StartsWith(m, StringComparison.OrdinalIgnoreCase));
}
