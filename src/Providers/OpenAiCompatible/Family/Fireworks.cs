namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>fireworks</c> provider: <c>fireworksApiKey</c>, <c>fireworksBaseUrl</c>, <c>planModeFireworksModelId</c> / <c>actModeFireworksModelId</c>, <c>planModeFireworksModelInfo</c> / <c>actModeFireworksModelInfo</c>.</summary>
public sealed class FireworksOptions : OpenAiCompatibleRouterOptions;

/// <summary>The <c>fireworks</c> provider at <c>https://api.fireworks.ai/inference/v1</c>, default model <c>accounts/fireworks/models/kimi-k2p5</c> (docs.fireworks.ai; reasoning models write <c>&lt;think&gt;</c> into the text).</summary>
[Provider("fireworks", DisplayName = "Fireworks AI"), WithRetry]
public sealed partial class FireworksHandler(FireworksOptions options)
    : OpenAiCompatibleHandler<FireworksOptions>(new("fireworks", "https://api.fireworks.ai/inference/v1", "accounts/fireworks/models/kimi-k2p5", "fireworks") { ThinkTags = true }), IApiHandlerWithOverrides
{
    /// <inheritdoc/>
    protected override FireworksOptions Options => options;
}
